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

# Where a workbook is asked for again, and how (one sentence for every reason of a whole file).
_SEND_AGAIN = "ask the unit to save it again in Excel (.xlsx) and send it"


def _check_container(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookRejected(f"the file is {size / 1e6:.1f} MB, over the 50 MB limit")
    if size == 0:
        raise WorkbookRejected("the file is empty")


def _damaged(why: str) -> WorkbookRejected:
    return WorkbookRejected(f"the file is a damaged workbook ({why}); {_SEND_AGAIN}")


_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

# What a file that is not a workbook holds, by its first bytes (the reason names it).
_NOT_WORKBOOKS = (
    (b"%PDF", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)
# OpenDocument files that are not spreadsheets, and OOXML parts that are not a workbook's, by their media type
_OTHER_DOCUMENTS = (
    ("text", "a text document"),
    ("presentation", "a presentation"),
    ("wordprocessingml", "a Word document"),
)


def _rejected_as(what: str) -> WorkbookRejected:
    return WorkbookRejected(f"the file is not a workbook: it is {what}; ask the unit to send the report's workbook")


def _check_zip(archive: zipfile.ZipFile, size: int) -> None:
    """A zip is a workbook when it does not unpack to over MAX_ZIP_RATIO times its `size` and its parts say so:
    OOXML ([Content_Types].xml naming a workbook: .xlsx, .xlsm, .xlsb) or OpenDocument (mimetype: .ods), the
    latter unless its manifest says its parts are encrypted."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_ZIP_RATIO * size:
        raise WorkbookRejected(f"the workbook unpacks to {unpacked / 1e6:.0f} MB, over {MAX_ZIP_RATIO} times its size")
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        if "spreadsheetml" in types or "ms-excel" in types:
            return
        kind = next((what for key, what in _OTHER_DOCUMENTS if key in types), "an Office document of another kind")
        raise _rejected_as(kind)
    if "mimetype" in names:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
            manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            if b"encryption-data" in manifest:
                raise _password_protected()
            return
        kind = next((what for key, what in _OTHER_DOCUMENTS if key in mimetype), "an OpenDocument of another kind")
        raise _rejected_as(kind)
    raise _rejected_as("a zip archive of other files")


def _password_protected() -> WorkbookRejected:
    return WorkbookRejected(
        "the workbook is password-protected (encrypted); ask the unit to send it without a password"
    )


def _check_ole(path: Path) -> None:
    """An OLE2 compound file is an .xls, or an encrypted OOXML workbook (.xlsx, .xlsm, .xlsb with a password),
    or a Word or PowerPoint document. An .xls is encrypted when its globals hold a FILEPASS record (RC4, RC4
    CryptoAPI, or XOR obfuscation: msoffcrypto-tool reads it)."""
    import msoffcrypto
    import olefile

    try:
        with path.open("rb") as handle:
            ole = olefile.OleFileIO(handle)
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
            if "encryptioninfo" in streams:
                raise _password_protected()
            if "workbook" not in streams and "book" not in streams:
                if "worddocument" in streams:
                    raise _rejected_as("a Word document")
                if "powerpoint document" in streams:
                    raise _rejected_as("a PowerPoint presentation")
                raise _rejected_as("an Office file of another kind")
            handle.seek(0)
            office = msoffcrypto.OfficeFile(handle)
            encrypted = office.is_encrypted()
    except WorkbookRejected:
        raise
    except Exception:  # olefile's and msoffcrypto's errors for a damaged container
        raise _damaged("its .xls structure cannot be read") from None
    if encrypted:
        raise _password_protected()


def check_content(path: Path) -> None:
    """What the file is, by its content (the name is not trusted to identify anything): a zip workbook, an OLE2
    workbook, or rejected with one reason per kind: not a workbook (naming what it is), password-protected,
    damaged."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE_MAGIC:
        _check_ole(path)
        return
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:  # opened once: its size on disk, its parts
                _check_zip(archive, path.stat().st_size)
        except (zipfile.BadZipFile, OSError, KeyError):
            raise _damaged("its zip parts cannot be read") from None
        return
    if head.startswith(b"PK"):
        raise _damaged("a cut or broken zip")
    what = next((what for magic, what in _NOT_WORKBOOKS if head.startswith(magic)), None)
    if what is None:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        what = "a web page" if start.startswith((b"<!doc", b"<html", b"<?xml")) else "text or data of an unknown kind"
    raise _rejected_as(what)


def open_workbook(path: Path) -> CalamineWorkbook:
    _check_container(path)
    check_content(path)
    try:
        # by content, not by the name's extension (the name is not trusted to identify anything): a workbook
        # named .xls that is an .xlsx, or an .xls named .xlsx, opens as what it is
        with path.open("rb") as handle:
            return CalamineWorkbook.from_filelike(handle)
    except Exception as exc:  # calamine raises several types for corrupt or encrypted files
        if "password" in str(exc).lower():
            raise _password_protected() from None
        raise _damaged("it cannot be opened") from None


def read_sheet(book: CalamineWorkbook, name: str) -> list[list[Any]]:
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.total_height > MAX_SHEET_ROWS:
            raise WorkbookRejected(f"sheet {name!r} has {sheet.total_height:,} rows, over the {MAX_SHEET_ROWS:,} limit")
        return sheet.to_python(skip_empty_area=False)
    except WorkbookRejected:
        raise
    except Exception:  # calamine's errors for damaged XML or records
        raise WorkbookRejected(f"sheet {name!r} is damaged and cannot be read; {_SEND_AGAIN}") from None
