"""The warehouse schema is versioned: numbered audit migrations, and raw rebuilt from landing when it changes."""

from __future__ import annotations

import copy
import datetime as dt
import shutil

import duckdb
import pytest

from ingestion import pipeline, schema, warehouse


def test_a_new_warehouse_records_its_versions_and_a_second_connect_changes_nothing(tmp_path):
    path = str(tmp_path / "w.duckdb")
    warehouse.connect(path).close()
    with warehouse.connect(path) as con:  # up to date: nothing applied again
        rows = con.execute(
            "select part, version, name from audit.schema_version order by part, length(version), version"
        ).fetchall()
    assert rows == [
        ("audit", "1", "001_audit"),
        ("audit", "2", "002_received_name_bytes"),
        ("audit", "3", "003_reporting_units"),
        ("audit", "4", "004_validated_months"),
        ("audit", "5", "005_unit_suite_names"),
        ("audit", "6", "006_published_states"),
        ("audit", "7", "007_unit_feedback"),
        ("audit", "8", "008_resent_files"),
        ("audit", "9", "009_reinstated_files"),
        ("audit", "10", "010_reference_builds"),
        ("raw", schema.raw_version(warehouse.TABLES), f"raw schema: created (version {rows[10][1]})"),
    ]


def test_results_of_the_suites_renamed_with_the_grain_keep_their_history(tmp_path):
    """A warehouse validated by district_totals / district_consistency (before 005) finds them as unit_*."""
    path = str(tmp_path / "w.duckdb")
    con = duckdb.connect(path)
    con.execute("create schema audit")
    for migration in schema.migrations()[:4]:
        con.execute(migration.sql)
    con.execute(
        "insert into audit.validation_results (run_id, checked_at, suite, check_name, severity, success) values "
        "('r', now(), 'district_totals', 'ocop_products_match', 'warning', true), "
        "('r', now(), 'district_consistency', 'no_contradiction', 'critical', true), "
        "('r', now(), 'coverage', 'every_unit_reported', 'warning', true)"
    )
    con.execute("insert into audit.validated_months values ('district_totals', '2023-12-01', 'a', 'b', 'r', now())")
    con.close()
    with warehouse.connect(path) as con:
        suites = [s for (s,) in con.execute("select suite from audit.validation_results order by all").fetchall()]
        months = con.execute("select suite from audit.validated_months").fetchall()
    assert suites == ["coverage", "unit_consistency", "unit_totals"]
    assert months == [("unit_totals",)]


def test_the_audit_migrations_create_the_columns_the_code_writes(tmp_path):
    with warehouse.connect(str(tmp_path / "w.duckdb")) as con:
        for table, columns in warehouse.TABLES.items():
            schema_name, name = table.split(".")
            found = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema_name, name],
            ).fetchall()
            assert found == [(c, kind.split()[0]) for c, kind in columns.items()], table


def load_two_districts(con, tmp_path, make_workbook, units) -> dict[str, int]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(make_workbook(name="a.xlsx", district_code="060"), inbox / "a.xlsx")
    shutil.copy(make_workbook(name="b.xlsx", district_code="061", seed=3), inbox / "b.xlsx")
    pipeline.receive_inbox(con, inbox, tmp_path / "landing")
    pipeline.classify_received(con)
    pipeline.load_received(con)
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in warehouse.WORKBOOK_TABLES}


def test_a_changed_raw_table_is_rebuilt_from_landing_with_a_clear_message(tmp_path, make_workbook, units):
    with warehouse.connect(str(tmp_path / "w.duckdb")) as con:
        before = load_two_districts(con, tmp_path, make_workbook, units)
        changed = copy.deepcopy(dict(warehouse.TABLES))
        changed["raw.villages"]["village_type"] = "VARCHAR"  # a new column in the next version of the code
        started = dt.datetime.now()
        [message] = schema.migrate(con, changed)
        assert message.startswith(f"raw schema: version {schema.raw_version(warehouse.TABLES)} -> ")
        assert "raw tables rebuilt; 2 workbook(s) will be read again from landing" in message
        assert schema.changes_since(con, started) == [message]
        columns = [c for (c,) in con.execute("select column_name from information_schema.columns "
                                                 "where table_name = 'villages'").fetchall()]  # fmt: skip
        assert columns[-1] == "village_type"
        assert pipeline.pending_unit_months(con) == {("060", dt.date(2023, 12, 1)), ("061", dt.date(2023, 12, 1))}
        # The next load reads both again from landing (with the code's own tables back in place).
        assert schema.migrate(con, dict(warehouse.TABLES))  # back to this code's version: rebuilt again
        reloaded = pipeline.load_received(con)
        assert sorted(reloaded.read) == ["a.xlsx", "b.xlsx"]
        after = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in warehouse.WORKBOOK_TABLES}
    assert after == before


def test_a_warehouse_from_before_versioning_keeps_its_history_and_rebuilds_raw(tmp_path, make_workbook, units):
    path = str(tmp_path / "w.duckdb")
    with warehouse.connect(path) as con:
        load_two_districts(con, tmp_path, make_workbook, units)
        con.execute("drop table audit.schema_version")  # as every warehouse made before this change
    with warehouse.connect(path) as con:
        statuses = con.execute("select status, count(*) from audit.received_files group by all").fetchall()
        versions = con.execute(
            "select part, version from audit.schema_version order by part, length(version), version"
        ).fetchall()
    assert statuses == [("received", 2)]  # history kept, both files to read again
    assert versions == [
        ("audit", "1"),
        ("audit", "2"),
        ("audit", "3"),
        ("audit", "4"),
        ("audit", "5"),
        ("audit", "6"),
        ("audit", "7"),
        ("audit", "8"),
        ("audit", "9"),
        ("audit", "10"),
        ("raw", schema.raw_version(warehouse.TABLES)),
    ]


def test_migrations_are_numbered_without_gaps(tmp_path, monkeypatch):
    (tmp_path / "001_first.sql").write_text("select 1")
    (tmp_path / "003_third.sql").write_text("select 1")
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", tmp_path)
    with pytest.raises(ValueError, match="without gaps"):
        schema.migrations()
    (tmp_path / "003_third.sql").rename(tmp_path / "2_second.sql")
    with pytest.raises(ValueError, match=r"NNN_words\.sql"):
        schema.migrations()


def test_a_failing_migration_leaves_the_warehouse_as_it_was(tmp_path, monkeypatch):
    path = str(tmp_path / "w.duckdb")
    warehouse.connect(path).close()
    migrations = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, migrations)
    shipped = len(schema.migrations())
    broken = f"{shipped + 1:03d}_broken.sql"  # the next number
    (migrations / broken).write_text(
        "alter table audit.rejected_rows add column cell varchar; select * from no_such_table;"
    )
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", migrations)
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        warehouse.connect(path)
    with duckdb.connect(path, read_only=True) as con:
        columns = [c for (c,) in con.execute("select column_name from information_schema.columns "
                                                 "where table_name = 'rejected_rows'").fetchall()]  # fmt: skip
        applied = con.execute(
            "select max(version::int)::varchar from audit.schema_version where part = 'audit'"
        ).fetchall()
    assert "cell" not in columns and applied == [(str(shipped),)]
