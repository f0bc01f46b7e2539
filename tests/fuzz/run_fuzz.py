"""`make fuzz`: mutated workbooks beside a valid month; no run may crash, every file is accounted for.

    .venv/bin/python -m tests.fuzz.run_fuzz --files 1000 [--seed 1] [--out DIR]

The valid month is Bắc Kạn's December 2023 sample (8 workbooks). The mutants are copies of those workbooks,
each moved to a reporting month of its own (so none supersedes another or the valid month), damaged one of
these ways: bit flips, truncation (an interrupted download), XML damage inside the zip, a cell far away
(XFD1048576: the parser asks for 549 GB), a zip bomb of a sheet, extreme numbers (1e15, inf, nan as text, 2³¹),
extreme dates (31/12/9999, 1900), junk in random cells, deleted rows, odd file names (not UTF-8, control
characters, very long); and the oddities offices send: a valid workbook saved as .xls or .ods, or named with
the wrong extension (.xls for an .xlsx, .xlsx for an .xls, .xlsm, none), password-protected .xlsx, .xls (RC4 and
XOR obfuscation) and .ods, an OLE file with a damaged structure, files that are not workbooks (PDF, web page,
text), a workbook in Strict Open XML (loaded or rejected with a reason, never a crash). Beside them in the
inbox: a folder 1,500 levels deep with a workbook at the bottom, a symbolic link and a named pipe. Then
`ntm-ocop run` twice on that inbox; the script asserts:

* both runs exit 0 (no crash; a rejection is not a failure) and publish the valid month with Bắc Kạn's figures;
* every file of the inbox is in audit.received_files, loaded, superseded or rejected with a reason, and
  landed byte for byte;
* the second run reads nothing again;
* a valid workbook in another format or under a lying name loads; a password-protected one is rejected as
  password-protected, one that is not a workbook as not a workbook; the link and the pipe are refused and the
  deep folder's workbook is received.

It prints the counts by kind and status and the wall time of each run (not part of `make test`; about
6-10 minutes for 1,000 files on 2 cores). A fixed corpus of the worst cases runs in `make test`
(tests/test_poison.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

import duckdb
import openpyxl

# the contract tests' own damage, cover edits and other formats
from tests.test_workbook_contract import JUNK, _encrypted_ods, _with_filepass, set_cover, to_ods, to_xls

PERIOD = dt.date(2023, 12, 1)
KINDS = ["flip", "truncate", "xml", "far_cell", "bomb", "number", "date", "junk", "rows", "name",
         "as_xls", "as_ods", "renamed", "locked_xlsx", "locked_xls", "locked_ods", "ole", "not_workbook",
         "strict"]  # fmt: skip
# What becomes of a file of each kind, where it is certain (the others may load, lose rows or be rejected)
EXPECTED = {"as_xls": "loaded", "as_ods": "loaded", "renamed": "loaded", "locked_xlsx": "password-protected",
            "locked_xls": "password-protected", "locked_ods": "password-protected", "ole": "damaged",
            "not_workbook": "not a workbook"}  # fmt: skip
NOT_WORKBOOKS = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"<!DOCTYPE html><html><body><table>", b"Ma xa,Tieu chi\n02020,1\n"]
NUMBERS = [1e15, float("inf"), "nan", 2**31, -(2**40), "1e308", 1e-300]
DATES = ["31/12/9999", "01/01/1900", "29/02/2023", 0, 2958465, "00/00/0000"]


# District-era months other than the valid one (01/2010 .. 06/2025 but 12/2023): a mutant of the valid month would be
# a resubmission of it and replace the valid workbook, as a later workbook of a district-month does.
MONTHS = [f"{m % 12 + 1:02d}/{2010 + m // 12}" for m in range(186) if (2010 + m // 12, m % 12 + 1) != (2023, 12)]


def month_of(index: int) -> str:
    """A month of its own for each mutant of a base workbook (185 months per district; then the next district)."""
    return MONTHS[index % len(MONTHS)]


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def mutate(base: bytes, kind: str, month: str, rng: random.Random) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(base))
    set_cover(book, **{"Kỳ báo cáo": month})
    if kind == "far_cell":
        book[rng.choice(book.sheetnames)]["XFD1048576"] = 1
    elif kind == "number":
        sheet = book[rng.choice(book.sheetnames[1:])]
        for _ in range(rng.randint(1, 3)):
            sheet.cell(
                row=rng.randint(4, max(sheet.max_row, 4)), column=rng.randint(1, sheet.max_column)
            ).value = rng.choice(NUMBERS)
    elif kind == "date":
        set_cover(book, **{"Ngày lập": rng.choice(DATES)})
    elif kind == "junk":
        sheet = book[rng.choice(book.sheetnames)]
        for _ in range(rng.randint(1, 5)):
            cell = sheet.cell(row=rng.randint(1, sheet.max_row + 2), column=rng.randint(1, sheet.max_column + 1))
            if type(cell).__name__ != "MergedCell":
                cell.value = rng.choice(JUNK)
    elif kind == "rows":
        sheet = book[rng.choice(book.sheetnames)]
        sheet.delete_rows(rng.randint(1, max(sheet.max_row, 1)), amount=rng.randint(1, 5))
    data = saved(book)
    if kind == "flip":
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] ^= rng.randrange(1, 256)
        return bytes(damaged)
    if kind == "truncate":
        return data[: rng.randrange(0, len(data))]
    if kind == "xml":
        return rezip(data, lambda name, xml: xml.replace(b"<", b"<<", 1) if name.endswith(".xml") else xml, rng)
    if kind == "strict":  # Strict Open XML (ISO/IEC 29500 strict): the same parts under the strict namespaces
        return rezip(data, lambda name, xml: _strict(xml), rng, every=True)
    if kind == "bomb":
        return rezip(data, lambda name, xml: xml + b" " * 50_000_000 if "sheet1" in name else xml, rng)
    return data


def other_format(data: bytes, kind: str, rng: random.Random, work: Path) -> tuple[bytes, str]:
    """A valid workbook's bytes as another format, locked, or not a workbook at all; and the extension to give it."""
    import msoffcrypto.format.ooxml

    work.mkdir(parents=True, exist_ok=True)
    xlsx = work / "base.xlsx"
    xlsx.write_bytes(data)
    if kind == "as_xls":
        return to_xls(xlsx, work / "a.xls").read_bytes(), rng.choice([".xls", ".xlsx"])
    if kind == "as_ods":
        return to_ods(xlsx, work / "a.ods").read_bytes(), rng.choice([".ods", ".xlsx"])
    if kind == "renamed":
        return data, rng.choice([".xls", ".xlsm", ".ods", ""])
    if kind == "locked_xlsx":
        out = io.BytesIO()
        msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data)).encrypt("matkhau", out)
        return out.getvalue(), ".xlsx"
    if kind == "locked_xls":
        xls = to_xls(xlsx, work / "a.xls")
        return _with_filepass(xls, work / "locked.xls", rng.randint(0, 1)).read_bytes(), ".xls"
    if kind == "locked_ods":
        return _encrypted_ods(to_ods(xlsx, work / "a.ods"), work / "locked.ods").read_bytes(), ".ods"
    if kind == "ole":
        return bytes.fromhex("D0CF11E0A1B11AE1") + rng.randbytes(rng.randint(100, 5000)), ".xls"
    return rng.choice(NOT_WORKBOOKS) + rng.randbytes(rng.randint(0, 200)), rng.choice([".xlsx", ".xls", ".pdf"])


def oddities(inbox: Path, workbook: bytes) -> list[str]:
    """The inbox's own oddities, once each: a folder 1,500 deep holding a workbook, a symbolic link, a named pipe.
    Returns the names audit.received_files records for the link and the pipe (refused)."""
    deep = inbox / "odd"
    deep.mkdir(parents=True, exist_ok=True)
    for level in range(1500):  # one by one: os.makedirs recurses
        deep = deep / f"{level % 10}"
        deep.mkdir()
    (deep / "day-nhat.xlsx").write_bytes(workbook)
    (inbox / "odd" / "lien-ket.xlsx").symlink_to("/etc/passwd")
    os.mkfifo(inbox / "odd" / "ong.xlsx")
    return ["lien-ket.xlsx", "ong.xlsx"]


def rezip(data: bytes, change, rng: random.Random, every: bool = False) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = source.namelist()
    victim = rng.choice(names)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            changed = every or name == victim or "sheet1" in name
            target.writestr(name, change(name, content) if changed else content)
    return out.getvalue()


# Transitional namespaces of SpreadsheetML and their Strict counterparts (ECMA-376 part 1, strict conformance)
STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
}  # fmt: skip


def _strict(xml: bytes) -> bytes:
    for transitional, strict in STRICT.items():
        xml = xml.replace(transitional, strict)
    return xml


def odd_name(index: int, rng: random.Random) -> str:
    choices = [
        os.fsdecode(b"BC \xff\xfe thang " + str(index).encode() + b".xlsx"),  # not UTF-8
        f"BC\x1b[31m đỏ {index}.xlsx",  # a terminal escape
        "B" * 200 + f"{index}.xlsx",
        f" khoảng trắng {index} .xlsx",
        f"{index}.XLSX",
    ]
    return rng.choice(choices)


def run(inbox: Path, warehouse: Path) -> tuple[int, float]:
    from orchestration import cli

    started = time.monotonic()
    code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    return code, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder to work in (default: a temporary one)")
    args = parser.parse_args(argv)
    from ingestion.landing import readable_name
    from samples import generate

    work = args.out or Path(tempfile.mkdtemp(prefix="ntm-fuzz-"))
    inbox = work / "inbox"
    rng = random.Random(args.seed)
    valid = generate("06", PERIOD, inbox / "valid")
    bases = [p.read_bytes() for p in valid]
    kinds: dict[str, str] = {}
    for index in range(args.files):
        kind = KINDS[index % len(KINDS)]
        base = bases[(index // len(MONTHS)) % len(bases)]
        if kind in EXPECTED:
            moved = mutate(base, "none", month_of(index), rng)
            data, suffix = other_format(moved, kind, rng, work / "formats")
            name = f"fuzz-{index:04d}-{kind}{suffix}"
        else:
            data = mutate(base, kind, month_of(index), rng)
            name = odd_name(index, rng) if kind == "name" else f"fuzz-{index:04d}-{kind}.xlsx"
        (inbox / "fuzz").mkdir(parents=True, exist_ok=True)
        (inbox / "fuzz" / name).write_bytes(data)
        kinds[readable_name(name)[0]] = kind  # as audit.received_files records it
    deep_copy = mutate(bases[-1], "none", "06/2010", rng)  # the last district: no mutant of it below 1,295 files
    refused = oddities(inbox, deep_copy)
    kinds.update({name: "link/pipe" for name in refused} | {"day-nhat.xlsx": "deep"})
    warehouse = work / "run" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    first, first_s = run(inbox, warehouse)
    second, second_s = run(inbox, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = con.execute("select file_name, status, status_reason, landed_path from audit.received_files").fetchall()
        figures = con.execute(
            "select districts_reported, communes_total, communes_19_criteria, ocop_products "
            "from marts.mart_province_briefing where province_code = '06' and period_month = ?",
            [PERIOD],
        ).fetchall()
    status = Counter(s for _, s, _, _ in files)
    by_kind: Counter[tuple[str, str]] = Counter()
    for name, state, _, _ in files:
        by_kind[(kinds.get(name, "valid"), state)] += 1
    print(f"{args.files} mutants + {len(valid)} valid workbooks in {inbox}")
    print(f"run 1: exit {first} in {first_s:.1f} s; run 2: exit {second} in {second_s:.1f} s")
    print("status:", dict(status))
    for kind in ["valid", *KINDS, "deep", "link/pipe"]:
        print(f"  {kind:9}", {s: n for (k, s), n in sorted(by_kind.items()) if k == kind})
    problems = []
    if (first, second) != (0, 0):
        problems.append(f"runs exited {first}, {second}")
    if figures != [(8, 95, 29, 218)]:
        problems.append(f"the valid month published {figures}, not Bắc Kạn's figures")
    for name, state, reason, _ in files:
        expected = EXPECTED.get(kinds.get(name, ""))
        if expected == "loaded" and state != "loaded":
            problems.append(f"{name}: a valid workbook in another format or name was {state} ({reason})")
        elif expected and expected != "loaded" and not (state == "rejected" and expected in (reason or "")):
            problems.append(f"{name}: expected rejected as {expected}, got {state} ({reason})")
    found = {name: state for name, state, *_ in files}
    if any(found.get(name) != "rejected" for name in refused):
        problems.append(f"the link and the pipe were not refused: {[(n, found.get(n)) for n in refused]}")
    if found.get("day-nhat.xlsx") != "loaded":
        problems.append(f"the workbook at the bottom of the deep folder was {found.get('day-nhat.xlsx')}")
    inbox_files = [p for p in _walk(inbox) if p.is_file() and not p.is_symlink()]
    recorded = {readable_name(p.name)[0] for p in inbox_files}
    if not recorded <= {name for name, *_ in files} or len(files) < len({p.read_bytes() for p in inbox_files}):
        problems.append("some inbox files are not in audit.received_files")
    if any(state == "rejected" and not reason for _, state, reason, _ in files):
        problems.append("a rejection without a reason")
    if any(state not in {"loaded", "superseded", "rejected"} for _, state, _, _ in files):
        problems.append("files left unaccounted for (still 'received')")
    if any(not Path(landed).exists() for *_, landed in files):
        problems.append("a received file is missing from landing")
    print("OK: no crashed run, every file accounted for" if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


def _walk(root: Path):
    """Every path under `root`, without recursion (the deep folder) and without following links."""
    stack = [root]
    while stack:
        for entry in os.scandir(stack.pop()):
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                yield path


if __name__ == "__main__":
    sys.exit(main())
