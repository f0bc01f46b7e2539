"""Keep every received file unchanged, named by its content hash."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
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


def inbox_files(inbox: Path) -> tuple[list[Path], list[Path], list[tuple[Path, str]]]:
    """Files to receive (every regular file, whatever its name), lock files to skip, and what is refused.

    Symbolic links (to a file or a folder) and anything that is not a regular file (a pipe, a device) are
    refused with the reason, never followed or read: the inbox is received, not what it points to.
    Folders are walked with a stack, not by recursion (os.walk recurses in Python 3.11): a folder nested 1,500 deep
    is received like any other, where it stopped every run with a RecursionError.
    """
    files, locks, refused = [], [], []
    for here, dirs, names in _walk(inbox, refused):
        for name in sorted(dirs):
            if (here / name).is_symlink():
                refused.append((here / name, f"a symbolic link to a folder ({os.readlink(here / name)}): not followed"))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(names):
            path = here / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                refused.append((path, f"a symbolic link ({os.readlink(path)}), not a file: not followed"))
            elif not stat.S_ISREG(mode):
                refused.append((path, "not a regular file (a pipe, socket or device): not read"))
            else:
                (locks if is_lock_file(path) else files).append(path)
    return sorted(files), sorted(locks), sorted(refused)


def _walk(top: Path, refused: list[tuple[Path, str]]):
    """(folder, sub-folder names, file names) of `top` and every folder below it, top-down, without recursion;
    the caller may prune the sub-folder names in place, as with os.walk. A folder below `top` that cannot be
    listed is refused with the reason (its files are not lost unseen)."""
    stack = [top]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as entries:
                listed = list(entries)
        except OSError as error:
            if here != top:
                refused.append((here, f"a folder that cannot be read ({error.strerror or error}): not received"))
            continue
        dirs = [e.name for e in listed if e.is_dir()]  # a link to a folder too (refused by the caller)
        folders, links = set(dirs), {e.name for e in listed if e.is_symlink()}
        yield here, dirs, [e.name for e in listed if e.name not in folders]
        stack.extend(here / d for d in reversed(dirs) if d not in links)  # a link is never followed


def readable_name(name: str) -> tuple[str, bytes | None]:
    """A file name as text that can be stored and shown, and its exact bytes when it is not UTF-8."""
    try:
        name.encode("utf-8")
        return name, None
    except UnicodeEncodeError:  # undecodable bytes arrive as surrogate escapes
        raw = os.fsencode(name)
        return raw.decode("utf-8", "backslashreplace"), raw


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


def land_record(path: Path, reason: str, landing_dir: Path) -> LandedFile:
    """Keep what was refused as a record (its name and why), since its content is not read: ``<sha256>.refused``."""
    raw = os.fsencode(str(path))
    content = b"refused inbox entry: " + raw + b"\n" + reason.encode() + b"\n"
    sha = hashlib.sha256(content).hexdigest()
    target = landing_dir / f"{sha}.refused"
    if not target.exists():
        landing_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(content)
        os.replace(partial, target)
    return LandedFile(path.name, path, sha, len(content), target)
