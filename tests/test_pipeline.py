"""Inbox -> landing -> raw tables: nothing lost, nothing loaded twice, resubmissions replace."""

from __future__ import annotations

import shutil

import pytest

from ingestion import pipeline, warehouse
from ingestion.landing import sha256_of
from ingestion.template import TEMPLATE_2024_1, TEMPLATE_2024_2
from tests.conftest import PERIOD


@pytest.fixture
def con(tmp_path):
    connection = warehouse.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


def ingest(con, inbox, landing, units):
    received = pipeline.receive_inbox(con, inbox, landing)
    return received, pipeline.load_received(con)


def test_every_file_is_landed_unchanged_and_loaded_with_lineage(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    source = make_workbook(name="BC NTM T12 - Pac Nam (sua).xlsx")
    shutil.copy(source, inbox / source.name)
    received, loaded = ingest(con, inbox, landing, units)
    sha = sha256_of(source)
    assert received.received == 1
    assert (landing / f"{sha}.xlsx").read_bytes() == source.read_bytes()
    assert loaded.loaded == [source.name]
    assert con.execute("select status from audit.received_files").fetchall() == [("loaded",)]
    # a 2024.1 workbook fills every table but those of template 2024.2's optional sheets (not reported)
    only_2024_2 = set(TEMPLATE_2024_2.raw_tables) - set(TEMPLATE_2024_1.raw_tables)
    assert only_2024_2 == {"raw.district_status", "raw.district_criterion_marks", "raw.ocop_dossiers",
                           "raw.advanced_criterion_marks"}  # fmt: skip
    for table in warehouse.WORKBOOK_TABLES:
        nulls = con.execute(
            f"select count(*) from {table} where file_sha256 is null or sheet is null or row_number is null"
        ).fetchone()[0]
        assert nulls == 0, table
        count = con.execute(f"select count(*) from {table}").fetchone()[0]
        assert (count == 0) if table in only_2024_2 else (count > 0), table
    rows = con.execute(
        "select count(*), min(row_number) from raw.commune_criteria where file_sha256 = ?", [sha]
    ).fetchone()
    assert rows == (10, 6)


def test_rerunning_on_the_same_inbox_loads_nothing_twice(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    shutil.copy(make_workbook(), inbox / "a.xlsx")
    ingest(con, inbox, landing, units)
    before = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in warehouse.TABLES}
    received, loaded = ingest(con, inbox, landing, units)
    after = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in warehouse.TABLES}
    assert (received.received, received.already_seen, loaded.loaded) == (0, 1, [])
    assert before == after


def test_resubmission_replaces_the_earlier_workbook_and_both_are_kept(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    first = make_workbook(name="first.xlsx", seed=1)
    shutil.copy(first, inbox / "first.xlsx")
    ingest(con, inbox, landing, units)

    def later(book):
        for row in book["ThongTinChung"].iter_rows():
            if row[0].value == "Ngày lập":
                row[1].value = row[1].value.replace(day=28)

    second = make_workbook(later, name="second.xlsx", seed=2)
    shutil.copy(second, inbox / "second.xlsx")
    _, loaded = ingest(con, inbox, landing, units)
    assert loaded.loaded == ["second.xlsx"]
    statuses = dict(con.execute("select file_name, status from audit.received_files").fetchall())
    assert statuses == {"first.xlsx": "superseded", "second.xlsx": "loaded"}
    assert {p.name for p in landing.iterdir()} == {f"{sha256_of(first)}.xlsx", f"{sha256_of(second)}.xlsx"}
    loaded_from = con.execute("select distinct file_sha256 from raw.commune_criteria").fetchall()
    assert loaded_from == [(sha256_of(second),)]


def test_an_earlier_workbook_is_reinstated_by_hand_and_a_later_one_still_replaces_it(
    con, tmp_path, make_workbook, units, capsys
):
    """A unit sends a correction by mistake: `ntm-ocop reinstate` makes its earlier workbook the month's again.
    The mistaken one leaves the raw tables (superseded, kept in landing), the earlier is read again by the next
    load, and a workbook sent after that replaces it by the usual rule."""
    from orchestration import cli

    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()

    def dated(day):
        def edit(book):
            for row in book["ThongTinChung"].iter_rows():
                if row[0].value == "Ngày lập":
                    row[1].value = row[1].value.replace(day=day)

        return edit

    for n, (name, day) in enumerate((("first.xlsx", 20), ("mistake.xlsx", 28))):
        shutil.copy(make_workbook(dated(day), name=name, seed=n + 1), inbox / name)
        ingest(con, inbox, landing, units)
    first_sha = sha256_of(inbox / "first.xlsx")
    with pytest.raises(ValueError, match="already the current workbook"):
        pipeline.reinstate(con, "mistake.xlsx", "thử")
    with pytest.raises(ValueError, match="give the reason"):
        pipeline.reinstate(con, "first.xlsx", " ")

    (database,) = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    reason = "bản gửi ngày 28 nhầm số"
    assert cli.main(["reinstate", first_sha[:10], "--reason", reason, "--warehouse", database]) == 0
    assert "Reinstated first.xlsx" in capsys.readouterr().out
    statuses = dict(con.execute("select file_name, status from audit.received_files").fetchall())
    assert statuses == {"first.xlsx": "received", "mistake.xlsx": "superseded"}
    assert con.execute("select count(*) from raw.commune_criteria").fetchone() == (0,)  # until the next load
    _, loaded = ingest(con, inbox, landing, units)
    assert loaded.loaded == ["first.xlsx"]
    assert con.execute("select distinct file_sha256 from raw.commune_criteria").fetchall() == [(first_sha,)]
    reinstated = con.execute("select file_sha256, replaced_sha256, reason from audit.reinstated_files").fetchall()
    assert reinstated == [(first_sha, sha256_of(inbox / "mistake.xlsx"), reason)]
    assert len(list(landing.iterdir())) == 2  # nothing lost

    shutil.copy(make_workbook(dated(29), name="third.xlsx", seed=4), inbox / "third.xlsx")
    _, loaded = ingest(con, inbox, landing, units)
    assert loaded.loaded == ["third.xlsx"]
    assert con.execute("select file_name from audit.received_files where status = 'loaded'").fetchall() == [
        ("third.xlsx",)
    ]


def test_a_bad_file_is_rejected_and_the_others_still_load(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    shutil.copy(make_workbook(), inbox / "good.xlsx")
    (inbox / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (inbox / "~$good.xlsx").write_bytes(b"lock")
    received, loaded = ingest(con, inbox, landing, units)
    assert received.lock_files_skipped == ["~$good.xlsx"]
    assert loaded.loaded == ["good.xlsx"]
    assert list(loaded.rejected) == ["broken.xlsx"]
    [(name, reason)] = con.execute("select file_name, reason from audit.rejected_files").fetchall()
    assert name == "broken.xlsx" and "workbook" in reason
    assert len(list(landing.iterdir())) == 2  # the broken file is kept too


def test_rejected_rows_are_recorded_with_file_sheet_row_and_column(con, tmp_path, make_workbook, units):
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    shutil.copy(make_workbook(lambda book: setattr(book["B04_OCOP"]["I5"], "value", "1 sao")), inbox / "t.xlsx")
    ingest(con, inbox, landing, units)
    rows = con.execute(
        "select file_name, sheet, row_number, column_name, value, reason from audit.rejected_rows"
    ).fetchall()
    assert rows == [("t.xlsx", "B04_OCOP", 5, "Số sao (I)", "1 sao", rows[0][5])]
    assert "not an OCOP product" in rows[0][5]


def test_a_months_ledger_names_its_units_loaded_and_missing(con, tmp_path, make_workbook, units):
    """What raw/workbooks's month partition says: Bắc Kạn's two districts that sent December, and the six that did
    not (its eight districts of 12/2023 all have rural xã), as the coverage model counts them."""
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    for code in ("061", "060"):
        shutil.copy(make_workbook(name=f"{code}.xlsx", district_code=code), inbox / f"BC {code}.xlsx")
    pipeline.load_reference_units(con)
    _, summary = ingest(con, inbox, landing, units)
    [ledger] = pipeline.month_ledgers(con, summary)
    districts = [d.code for d in units.at(PERIOD).provinces["06"].districts]
    assert (ledger.month, ledger.reporting_level) == (PERIOD, "district")
    assert sorted(ledger.files_read) == ["BC 060.xlsx", "BC 061.xlsx"]
    assert ledger.units_loaded == {"06": ["060", "061"]}
    assert ledger.units_missing == {"06": [d for d in districts if d not in ("060", "061")]}
    assert len(districts) == 8


def test_a_file_sent_again_byte_for_byte_is_answered_not_received_twice(con, tmp_path, make_workbook, units):
    """Left in the inbox, a file is seen again at every run: nothing is said. Copied in anew (another name, or the
    same name with a newer time), it is a resend: not received twice, recorded, and the unit's feedback says it
    arrived and that nothing changed."""
    import os

    from publishing.feedback import problems

    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    source = make_workbook()
    first = inbox / "BC T12 Pác Nặm.xlsx"
    shutil.copy(source, first)
    os.utime(first, (1_700_000_000, 1_700_000_000))  # written before it was received
    ingest(con, inbox, landing, units)
    again, _ = ingest(con, inbox, landing, units)  # still in the inbox: not a resend
    assert again.received == 0 and again.resent == []
    shutil.copy(source, inbox / "BC T12 Pác Nặm (gửi lại).xlsx")  # the same bytes, sent again
    again, _ = ingest(con, inbox, landing, units)
    assert again.received == 0 and again.resent == ["BC T12 Pác Nặm (gửi lại).xlsx"]
    assert con.execute("select count(*) from audit.received_files").fetchone()[0] == 1
    again, _ = ingest(con, inbox, landing, units)  # and left there: said once
    assert again.resent == []
    [answer] = [p for p in problems(con, "06", PERIOD) if p.kind == "resent"]
    assert answer.file_name == "BC T12 Pác Nặm (gửi lại).xlsx"
    assert (
        answer.problem.startswith("Tệp này đã được nhận ngày ")
        and "(tên tệp khi đó: BC T12 Pác Nặm.xlsx)" in answer.problem
    )
    assert answer.consequence == "không có thay đổi: số liệu vẫn như lần nhận trước"
