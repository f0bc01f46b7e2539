"""`make fuzz`: mutated workbooks beside a valid month; no run may crash, every file is accounted for.

    .venv/bin/python -m tests.fuzz.run_fuzz --files 1000 [--seed 1] [--out DIR]

The valid month is Bắc Kạn's December 2023 sample (8 workbooks). The mutants are copies of those workbooks,
each moved to a reporting month of its own (so none supersedes another or the valid month), damaged one of
these ways: bit flips, truncation (an interrupted download), XML damage inside the zip, a cell far away
(XFD1048576: the parser asks for 549 GB), a zip bomb of a sheet, extreme numbers (1e15, inf, nan as text, 2³¹),
extreme dates (31/12/9999, 1900), junk in random cells, deleted rows, and odd file names (not UTF-8, control
characters, very long). Then `ntm-ocop run` twice on that inbox; the script asserts:

* both runs exit 0 (no crash; a rejection is not a failure) and publish the valid month with Bắc Kạn's figures;
* every file of the inbox is in audit.received_files, loaded, superseded or rejected with a reason, and
  landed byte for byte;
* the second run reads nothing again.

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

from tests.test_workbook_contract import JUNK, set_cover  # the contract tests' own damage and cover edits

PERIOD = dt.date(2023, 12, 1)
KINDS = ["flip", "truncate", "xml", "far_cell", "bomb", "number", "date", "junk", "rows", "name"]
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
    if kind == "bomb":
        return rezip(data, lambda name, xml: xml + b" " * 50_000_000 if "sheet1" in name else xml, rng)
    return data


def rezip(data: bytes, change, rng: random.Random) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = source.namelist()
    victim = rng.choice(names)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            target.writestr(name, change(name, content) if name == victim or "sheet1" in name else content)
    return out.getvalue()


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
        data = mutate(base, kind, month_of(index), rng)
        name = odd_name(index, rng) if kind == "name" else f"fuzz-{index:04d}-{kind}.xlsx"
        (inbox / "fuzz").mkdir(parents=True, exist_ok=True)
        (inbox / "fuzz" / name).write_bytes(data)
        kinds[readable_name(name)[0]] = kind  # as audit.received_files records it
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
    for kind in ["valid", *KINDS]:
        print(f"  {kind:9}", {s: n for (k, s), n in sorted(by_kind.items()) if k == kind})
    problems = []
    if (first, second) != (0, 0):
        problems.append(f"runs exited {first}, {second}")
    if figures != [(8, 95, 29, 218)]:
        problems.append(f"the valid month published {figures}, not Bắc Kạn's figures")
    inbox_files = [p for p in inbox.rglob("*") if p.is_file()]
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


if __name__ == "__main__":
    sys.exit(main())
