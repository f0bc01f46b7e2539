"""Keep every received file unchanged, named by its content hash."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}


@dataclass(frozen=True)
class LandedFile:
    file_name: str
    inbox_path: Path
    sha256: str
    size_bytes: int
    landed_path: Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_lock_file(path: Path) -> bool:
    """Excel's owner files ("~$name.xlsx") and LibreOffice's (".~lock.name#")."""
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def inbox_files(inbox: Path) -> tuple[list[Path], list[Path]]:
    """Files to receive (every regular file, whatever its name) and lock files to skip."""
    files, locks = [], []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(inbox).parts[:-1]):
            continue
        (locks if is_lock_file(path) else files).append(path)
    return files, locks


def landing_path(path: Path, landing_dir: Path, sha: str | None = None) -> Path:
    """Where `path` is (or will be) kept: ``landing_dir/<sha256><suffix>``."""
    suffix = path.suffix.lower() if path.suffix.lower() in WORKBOOK_SUFFIXES else ".bin"
    return landing_dir / f"{sha or sha256_of(path)}{suffix}"


def land(path: Path, landing_dir: Path) -> LandedFile:
    """Copy `path` to ``landing_dir/<sha256><suffix>`` (once), byte for byte."""
    sha = sha256_of(path)
    target = landing_path(path, landing_dir, sha)
    if not target.exists():
        landing_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, partial)
        os.replace(partial, target)  # atomic: a landed file is always whole
    return LandedFile(path.name, path, sha, path.stat().st_size, target)
