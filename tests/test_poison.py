"""An inbox holding a valid month and the poison offices can send: the month publishes, every poison is named.

The first run and the second both exit 0 and publish Bắc Kạn's December 2023; the file that crashes the
Excel parser, the cover dated 31/12/9999 and the link to a file outside the inbox are rejected with their
reasons; an amount of 1e15 and a count of 2³¹ lose their row only, named by cell; nothing outside the inbox
is copied.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from orchestration import cli
from samples import generate
from tests.test_workbook_contract import set_cover

PERIOD = dt.date(2023, 12, 1)


def header_column(sheet, label: str) -> int:
    for row in sheet.iter_rows(max_row=8):
        for cell in row:
            if isinstance(cell.value, str) and " ".join(cell.value.split()) == label:
                return cell.column
    raise AssertionError(f"no column {label!r} in {sheet.title}")


def poisoned(source: Path, target: Path, month: str, change) -> Path:
    book = openpyxl.load_workbook(source)
    set_cover(book, **{"Kỳ báo cáo": month})
    change(book)
    book.save(target)
    return target


@pytest.fixture(scope="module")
def runs(tmp_path_factory, units, dbt_manifest):
    tmp = tmp_path_factory.mktemp("poison")
    inbox = tmp / "inbox"
    valid = generate("06", PERIOD, inbox, units=units)
    outside = tmp / "secret.xlsx"
    outside.write_bytes(b"outside the inbox")
    source = valid[0]

    def far_cell(book):
        book["TongHop"]["XFD1048576"] = 1

    def huge_amount(book):
        sheet = book["B05_NguonVon"]
        sheet.cell(row=4, column=header_column(sheet, "Kế hoạch vốn giao")).value = 1e15

    def huge_count(book):
        sheet = book["B01_TieuChiXa"]
        sheet.cell(row=6, column=header_column(sheet, "Số tiêu chí đạt")).value = 2**31

    def far_future(book):
        set_cover(book, **{"Ngày lập": "31/12/9999"})

    poisoned(source, inbox / "crash.xlsx", "10/2023", far_cell)
    poisoned(source, inbox / "amount.xlsx", "09/2023", huge_amount)
    poisoned(source, inbox / "count.xlsx", "08/2023", huge_count)
    poisoned(source, inbox / "future.xlsx", "12/2023", far_future)
    (inbox / "link.xlsx").symlink_to(outside)
    warehouse = tmp / "run" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    first = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    second = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    return first, second, warehouse, outside


def test_both_runs_exit_0_and_publish_the_valid_month(runs):
    first, second, warehouse, _ = runs
    assert (first, second) == (0, 0)
    serving = warehouse.parent / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        row = con.execute(
            "select districts_reported, communes_total, communes_19_criteria, ocop_products "
            "from marts.mart_province_briefing where province_code = '06' and period_month = ?",
            [PERIOD],
        ).fetchall()
    assert row == [(8, 95, 29, 218)]  # Bắc Kạn's published figures, untouched by the poison


def test_each_poison_is_rejected_or_loses_its_row_with_the_reason(runs):
    _, _, warehouse, outside = runs
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = {
            name: (status, reason)
            for name, status, reason in con.execute(
                "select file_name, status, status_reason from audit.received_files"
            ).fetchall()
        }
        rows = con.execute(
            "select file_name, sheet, row_number, column_name, reason from audit.rejected_rows "
            "where file_name in ('amount.xlsx', 'count.xlsx')"
        ).fetchall()
        landed = [
            Path(p).read_bytes() for (p,) in con.execute("select landed_path from audit.received_files").fetchall()
        ]
    assert files["crash.xlsx"][0] == "rejected" and "crashed the reader" in files["crash.xlsx"][1]
    assert files["future.xlsx"][0] == "rejected" and "31/12/9999" in files["future.xlsx"][1]
    assert files["link.xlsx"][0] == "rejected" and "symbolic link" in files["link.xlsx"][1]
    assert files["amount.xlsx"][0] == files["count.xlsx"][0] == "loaded"
    assert ("amount.xlsx", "B05_NguonVon", 4, "Kế hoạch vốn giao (D)") in {r[:4] for r in rows}
    assert any(r[0] == "count.xlsx" and r[1] == "B01_TieuChiXa" and r[2] == 6 for r in rows)
    assert outside.read_bytes() not in landed  # the link was not followed


def test_a_received_file_is_rejected_by_hand_with_its_reason(runs, capsys):
    _, _, warehouse, _ = runs
    assert cli.main(["reject", "nothing-like-it.xlsx", "--reason", "x", "--warehouse", str(warehouse)]) == 2
    assert "no received file is named" in capsys.readouterr().err
    assert cli.main(["reject", "amount.xlsx", "--reason", "sent by mistake", "--warehouse", str(warehouse)]) == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sha, status, reason = con.execute(
            "select file_sha256, status, status_reason from audit.received_files where file_name = 'amount.xlsx'"
        ).fetchall()[0]
        left = con.execute("select count(*) from raw.workbook_covers where file_sha256 = ?", [sha]).fetchall()
        recorded = con.execute("select reason from audit.rejected_files where file_sha256 = ?", [sha]).fetchall()
    assert (status, reason) == ("rejected", "rejected by hand: sent by mistake")
    assert left == [(0,)] and recorded == [("rejected by hand: sent by mistake",)]
