"""The file as a container, before any cell is read: size, zip bombs, encryption, and opening it with calamine."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ingestion.reader.result import WorkbookRejected

MAX_FILE_BYTES = 50 * 1024 * 1024


MAX_SHEET_ROWS = 200_000


MAX_ZIP_RATIO = 100


def _check_container(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookRejected(f"the file is {size / 1e6:.1f} MB, over the 50 MB limit")
    if size == 0:
        raise WorkbookRejected("the file is empty")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookRejected(f"the file is a damaged workbook ({exc})") from None
        if unpacked > MAX_ZIP_RATIO * size:
            raise WorkbookRejected(
                f"the workbook unpacks to {unpacked / 1e6:.0f} MB, over {MAX_ZIP_RATIO} times its size"
            )


_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def _is_encrypted_ooxml(path: Path) -> bool:
    """A password-protected .xlsx is an OLE container holding an EncryptionInfo stream."""
    with path.open("rb") as handle:
        if handle.read(8) != _OLE_MAGIC:
            return False
        return _ENCRYPTION_INFO in handle.read(MAX_FILE_BYTES)


def open_workbook(path: Path) -> CalamineWorkbook:
    _check_container(path)
    if _is_encrypted_ooxml(path):
        raise WorkbookRejected(
            "the workbook is password-protected (encrypted); ask the district to send it without a password"
        )
    try:
        # by content, not by the name's extension (the name is not trusted to identify anything): a workbook
        # named .xls that is an .xlsx, or an .xls named .xlsx, opens as what it is
        with path.open("rb") as handle:
            return CalamineWorkbook.from_filelike(handle)
    except Exception as exc:  # calamine raises several types for corrupt or encrypted files
        raise WorkbookRejected(
            f"the file is not a readable workbook (.xlsx, .xlsm, .xlsb, .xls or .ods): {exc}; "
            "ask the district to send it again"
        ) from None


def read_sheet(book: CalamineWorkbook, name: str) -> list[list[Any]]:
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.total_height > MAX_SHEET_ROWS:
            raise WorkbookRejected(f"sheet {name!r} has {sheet.total_height:,} rows, over the {MAX_SHEET_ROWS:,} limit")
        return sheet.to_python(skip_empty_area=False)
    except WorkbookRejected:
        raise
    except Exception as exc:  # calamine's errors for damaged XML or records
        raise WorkbookRejected(f"sheet {name!r} is damaged and cannot be read ({exc})") from None
