"""The sample month with problems (`ntm-ocop sample --with-problems` and four more) and a correction: what is read
again, held back, named, published, and what each unit is told."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from expectations import SUITES
from orchestration import cli
from publishing.feedback import ROW_REJECTED
from tests.runs import PERIOD, copy_run, province_row, run_pipeline

pytestmark = [pytest.mark.usefixtures("paths_isolated"), pytest.mark.pipeline]


def _edit(inbox: Path, district: str, sheet: str, change) -> None:
    path = next(inbox.glob(f"*T12 2023 - {district}*"))
    book = openpyxl.load_workbook(path)
    change(book[sheet])
    book.save(path)


def _rows(sheet, column: int, first: int):
    return [row for row in sheet.iter_rows(min_row=first) if row[column].value not in (None, "")]


# The problems offices meet, one or two per district of Bắc Kạn's December, in one inbox and one run: what each
# district's month becomes (held back, published with a warning, missing) and what the office reads about it.
def criteria_total_one_off(sheet):  # Chợ Mới's B01: its totals row one criterion more than its rows
    total = next(row for row in sheet.iter_rows() if row[2].value == "Tổng cộng")
    total[22].value = sum(row[22].value for row in _rows(sheet, 1, 6)) + 1


def unlisted_code(sheet):  # Chợ Đồn's B01: a commune code of no official list
    _rows(sheet, 1, 6)[-1][1].value = "99999"


def half_the_products_gone(sheet):  # Chợ Đồn's B04: half its products of November
    products = len(_rows(sheet, 2, 4))
    sheet.delete_rows(4, products // 2)


def first_line_undisbursed(sheet):  # Bạch Thông's B05: less disbursed than in November
    sheet["E4"].value, sheet["F4"].value = 0, None


def first_commune_twice_disagreeing(sheet):  # Ngân Sơn's B01: its first commune twice, with different marks
    sheet.insert_rows(7)
    for column in range(1, sheet.max_column + 1):
        sheet.cell(row=7, column=column).value = sheet.cell(row=6, column=column).value
    sheet.cell(row=7, column=4).value = "Chưa đạt" if sheet.cell(row=6, column=4).value in ("x", "Đạt", 1) else "x"


@pytest.fixture(scope="module")
def problems(tmp_path_factory, units, dbt_manifest, paths_isolated):
    """(exit code, console output, run folder, the districts by problem) of one run over `ntm-ocop sample
    --with-problems` (a district missing, a TongHop 3★ total off, an NTM commune lost, a criterion mistyped, a
    draft that is not a workbook) with four more problems of their own districts."""
    import contextlib
    import io

    from samples import generate_with_problems

    run_dir = tmp_path_factory.mktemp("problems")
    inbox = run_dir / "inbox"
    done = generate_with_problems("06", PERIOD, inbox, units=units)
    districts = {d.short_name: d.code for d in units.at(PERIOD).provinces["06"].districts}

    def district_of(what: str) -> str:
        name = next(n for n, w in done.items() if w.startswith(what))
        return districts[name.removeprefix("BC NTM T12 2023 - ").removesuffix(".xlsx")]

    which = {
        "missing": district_of("removed"),
        "3_star": district_of("TongHop"),
        "lost_level": district_of("an NTM commune"),
        "typo": district_of("B01_TieuChiXa!D6"),
    }
    assert not {"062", "063", "064", "065"} & {which["missing"], which["lost_level"], which["typo"]}
    _edit(inbox, "Chợ Mới", "B01_TieuChiXa", criteria_total_one_off)
    _edit(inbox, "Chợ Đồn", "B01_TieuChiXa", unlisted_code)
    _edit(inbox, "Chợ Đồn", "B04_OCOP", half_the_products_gone)
    _edit(inbox, "Bạch Thông", "B05_NguonVon", first_line_undisbursed)
    _edit(inbox, "Ngân Sơn", "B01_TieuChiXa", first_commune_twice_disagreeing)
    console = io.StringIO()
    with contextlib.redirect_stdout(console):
        code, _ = run_pipeline(run_dir, inbox)
    return code, console.getvalue(), run_dir, which


def _district_rows(serving: Path) -> dict[str, tuple]:
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute(
            "select district_code, validation_status, communes_total, ocop_products, ocop_3_star "
            "from marts.mart_district_briefing "
            "where period_month = ?",
            [PERIOD],
        ).fetchall()
    return {code: tuple(rest) for code, *rest in rows}


def test_the_office_sees_each_problem_by_district_and_the_rest_publishes(problems, units):
    """Coverage, totals, the reference list and the previous month are warnings, named by district: those months
    publish. A district contradicting itself is critical: its month is held back, and the run still exits 0."""
    code, out, _, which = problems
    assert code == 0
    missing = units.at(PERIOD).districts[which["missing"]]
    expected_lines = [
        "WARNING  coverage.every_district_reported: province 06, 12/2023: ",
        f"units_reported = 7, units_expected = 8 ({missing.name} ({missing.code}))",
        f"WARNING  ocop_star_counts.ocop_3_star_match_district_total: district {which['3_star']}, 12/2023: ",
        f"WARNING  plausibility.no_commune_loses_a_level: district {which['lost_level']}, 12/2023: ",
        ": ntm → not_yet)",
        "WARNING  unit_totals.b01_criteria_met_sum_match_totals_row: district 065, 12/2023: ",
        "WARNING  reference_integrity.commune_in_reference_list: district 064, 12/2023: ",
        "communes_not_in_reference_list = 1, allowed = 0 (99999 ",
        "WARNING  plausibility.ocop_products_within_10_pct: district 064, 12/2023: ",
        "WARNING  plausibility.disbursement_does_not_go_down: district 063, 12/2023: ",
        "CRITICAL unit_consistency.each_commune_once_per_month: district 062, 12/2023",
    ]
    for line in expected_lines:
        assert line in out
    assert re.search(r"detail_3_star = (\d+), reported_3_star = (\d+)", out)
    critical = [line for line in out.splitlines() if "CRITICAL" in line]
    assert critical and all("district 062, 12/2023" in line for line in critical)


def test_a_held_back_district_leaves_the_province_and_the_others_keep_their_status(problems, published):
    _, _, run_dir, which = problems
    districts = _district_rows(run_dir / "serving.duckdb")
    as_published = _district_rows(published[1].with_name("serving.duckdb"))
    assert districts.pop("062") == ("failed", None, None, None)  # held back: no figures
    assert which["missing"] not in districts  # not received
    with_a_warning = {which["3_star"], which["lost_level"], which["typo"], "063", "064", "065"}
    assert {d: s for d, (s, *_) in districts.items()} == {
        d: "warning" if d in with_a_warning else "passed" for d in as_published if d not in ("062", which["missing"])
    }
    with duckdb.connect(str(run_dir / "serving.duckdb"), read_only=True) as con:
        province = con.execute(
            "select validation_status, districts_reported, communes_total, ocop_products, ocop_3_star "
            "from marts.mart_province_briefing where period_month = ?",
            [PERIOD],
        ).fetchone()
    held_back_or_missing = ("062", which["missing"])
    # the commune with a mistyped criterion is a rejected row: not counted
    communes = sum(row[1] for d, row in as_published.items() if d not in held_back_or_missing) - 1
    products = sum(row[2] for row in districts.values())
    assert province[:4] == ("failed", 7, communes, products)
    assert products < sum(row[2] for d, row in as_published.items() if d not in held_back_or_missing)  # Chợ Đồn
    # a TongHop total is the district's own count: a warning about it leaves the detail's figures published
    assert districts[which["3_star"]][1:] == as_published[which["3_star"]][1:]


def test_each_suite_with_rows_writes_its_data_docs_page(problems):
    _, out, run_dir, _ = problems
    docs = run_dir / "reports" / "validation"
    assert f"Great Expectations Data Docs: {docs / 'index.html'}" in out
    pages = {page.parts[-4] for page in docs.glob("validations/*/*/*/*.html")}
    # a page per suite that had rows to validate: this inbox has no commune month (commune_totals: tests/test_present)
    assert pages == {suite.SUITE for suite in SUITES} - {"commune_totals"}


def test_the_data_docs_load_every_script_and_style_from_local_copies_once_vendored(problems, tmp_path):
    """Great Expectations' pages take jQuery, Bootstrap, bootstrap-table, Font Awesome and Vega from CDNs: offline
    the index is unstyled and lists nothing. With the files vendored (`make docs`: npm packages, faked here by
    empty files at the same places), every page of this run's site loads each from the site's static/vendor/, by
    a path that exists; a CDN address Great Expectations adds in a later release fails here."""
    import re
    import shutil

    from expectations import offline_docs

    _, _, run_dir, _ = problems
    site = tmp_path / "site"
    shutil.copytree(run_dir / "reports" / "validation", site)
    assets = tmp_path / "assets"
    assert "https://code.jquery.com/" in (site / "index.html").read_text(encoding="utf-8")  # as a run writes it
    assert offline_docs.localise(site, assets) == 0  # nothing vendored: the pages keep their addresses
    for spec, files in offline_docs.ASSETS.items():
        for path in files:
            target = assets / offline_docs._folder(spec) / (path + "fa-solid-900.woff2" if path.endswith("/") else path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("/* vendored */")
    pages = list(site.rglob("*.html"))
    assert offline_docs.localise(site, assets) == len(pages) > 1
    for page in pages:
        html = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|link|img)[^>]*?(?:src|href)="([^"]+)"', html)
        assert not [a for a in loaded if a.startswith(("http:", "https:", "//"))], page
        ours = [a for a in loaded if offline_docs.SITE_FOLDER in a or a.endswith("logo-long.png")]
        assert ours and all((page.parent / a).exists() for a in ours), page  # (the favicon's path is GE's own)


DECEMBER_FILES = "select district_code, file_sha256 from raw.workbook_covers where period_month = '2023-12-01'"


def test_a_resubmission_reloads_only_its_district_month(tmp_path, sample_inbox, published, paths_isolated):
    """Ba Bể resends December: `ntm-ocop run` reads that workbook alone, and only month 2023-12 of raw/workbooks is
    materialised again, its metadata naming the file and the eight districts loaded. A backfill of both months is
    one run over their two month partitions, each read again whole."""
    import dagster as dg
    from dagster._core.definitions.data_version import DATA_VERSION_TAG

    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    warehouse = copy_run(published[1], tmp_path / "run")  # the sample inbox, run once
    run_dir = warehouse.parent
    key = dg.AssetKey(["raw", "workbooks"])

    def latest_by_partition(instance) -> dict[str, dg.EventLogRecord]:
        records = instance.fetch_materializations(key, limit=1000, ascending=True).records
        return {r.partition_key: r for r in records}

    with dg.DagsterInstance.from_config(str(run_dir / "dagster_home")) as instance:
        first = latest_by_partition(instance)
        assert instance.get_materialized_partitions(key) == {"2023-11", "2023-12"}  # the months read, no others
        built = {  # the data version of the reference models as the first run built them
            m: instance.get_latest_materialization_event(dg.AssetKey(m.split("/"))).asset_materialization.tags[
                DATA_VERSION_TAG
            ]
            for m in ("staging/criteria_sets", "marts/dim_admin_unit")
        }
    metadata = first["2023-12"].asset_materialization.metadata
    assert (metadata["files_read_count"].value, metadata["units_loaded_count"].value) == (8, 8)
    assert (metadata["units_missing_count"].value, metadata["units_missing"].value) == (0, "none")
    assert metadata["units_by_province"].value == {"06": {"loaded": 8, "missing": 0}}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = dict(con.execute(DECEMBER_FILES).fetchall())

    path = next(inbox.glob("*T12 2023 - Ba Bể*"))
    book = openpyxl.load_workbook(path)
    book["ThongTinChung"]["B9"].value = "Văn phòng Điều phối NTM Ba Bể (gửi lại)"
    book.save(path)
    code, _ = run_pipeline(run_dir, inbox)  # the planner's run, as the inbox sensor's would be
    assert code == 0
    with dg.DagsterInstance.from_config(str(run_dir / "dagster_home")) as instance:
        latest = latest_by_partition(instance)
        made = {
            m: instance.get_latest_materialization_event(dg.AssetKey(m.split("/")))
            for m in ("staging/criteria_sets", "marts/dim_admin_unit", "marts/fct_ocop_certification")
        }
    changed = {p for p in latest if latest[p].run_id != first[p].run_id}
    assert changed == {"2023-12"}
    # the models of reference data alone (seeds, administrative units) are left out of dbt's build, their tables as
    # the first run made them, and Dagster is told so; the others are built again (orchestration/defs/transform/
    # reference.py). The publication that follows is this run's.
    for model in ("staging/criteria_sets", "marts/dim_admin_unit"):
        metadata = made[model].asset_materialization.metadata
        assert made[model].run_id == latest["2023-12"].run_id
        assert metadata["unchanged_since_run"].value == first["2023-12"].run_id
        assert made[model].asset_materialization.tags[DATA_VERSION_TAG] == built[model]  # the same data
    assert "unchanged_since_run" not in made["marts/fct_ocop_certification"].asset_materialization.metadata
    with duckdb.connect(str(run_dir / "serving.duckdb"), read_only=True) as con:
        assert con.execute("select run_id from publication").fetchone() == (latest["2023-12"].run_id,)
    metadata = latest["2023-12"].asset_materialization.metadata
    # that workbook alone: not the file it replaces, not the other districts; the month still has all eight
    assert (metadata["files_read"].value, metadata["files_read_count"].value) == (path.name, 1)
    assert metadata["units_loaded_count"].value == 8
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = dict(con.execute(DECEMBER_FILES).fetchall())
        superseded = con.execute("select count(*) from audit.received_files where status = 'superseded'").fetchone()
    assert {d for d in after if after[d] != before[d]} == {"061"}
    assert superseded == (1,)

    # A backfill of both months, from the CLI: one run re-reads every district's current workbook.
    before_backfill = province_row(warehouse)
    backfill = [
        "backfill",
        "--from",
        "2023-11",
        "--to",
        "2023-12",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(warehouse),
    ]
    assert cli.main(backfill) == 0
    with dg.DagsterInstance.from_config(str(run_dir / "dagster_home")) as instance:
        backfilled = latest_by_partition(instance)
    assert set(backfilled) == {"2023-11", "2023-12"} and len({r.run_id for r in backfilled.values()}) == 1
    assert all(r.asset_materialization.metadata["files_read_count"].value == 8 for r in backfilled.values())
    assert province_row(warehouse) == before_backfill
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert dict(con.execute(DECEMBER_FILES).fetchall()) == after
        assert con.execute("select count(*) from raw.commune_criteria").fetchone()[0] == 2 * 95


# What each unit is told after the run (publishing/feedback.py), read back as a unit would read it.


def _feedback_rows(path) -> list[dict]:
    sheet = openpyxl.load_workbook(path)["PhanHoi"]
    header = [c.value for c in sheet[4]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=5)]


def _units_with_problems(warehouse) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            code
            for (code,) in con.execute(
                """
                select f.reporting_unit_code from audit.rejected_rows r join audit.received_files f using (file_sha256)
                where f.status = 'loaded' and f.period_month = '2023-12-01'
                union
                select reporting_unit_code from audit.validation_results
                where not success and period_month = '2023-12-01' and reporting_unit_code is not null
                union
                select reporting_unit_code from audit.received_files
                where status = 'rejected' and period_month = '2023-12-01' and reporting_unit_code is not null
                """
            ).fetchall()
        }


def test_the_run_writes_a_workbook_for_each_unit_with_a_problem_and_the_summary(problems):
    _, out, run_dir, _ = problems
    directory = run_dir / "reports" / "feedback" / "06" / "2023-12"
    assert f"Feedback to the units: {directory}" in out
    written = {p.name for p in directory.glob("phan-hoi-*.xlsx")}
    assert written == {f"phan-hoi-{code}-2023-12.xlsx" for code in _units_with_problems(run_dir / "warehouse.duckdb")}
    assert len(written) >= 3  # the typo, the TongHop total, the lost level
    assert (directory / "tong-hop-phan-hoi-06-2023-12.xlsx").exists()


def test_a_rejected_cell_is_named_as_excel_names_it_with_what_to_do(problems):
    _, _, run_dir, _ = problems
    with duckdb.connect(str(run_dir / "warehouse.duckdb"), read_only=True) as con:
        ((code, file_name),) = con.execute(
            "select f.reporting_unit_code, f.file_name from audit.rejected_rows r join audit.received_files f "
            "using (file_sha256) where r.value = 'Đ'"
        ).fetchall()
    rows = _feedback_rows(run_dir / "reports" / "feedback" / "06" / "2023-12" / f"phan-hoi-{code}-2023-12.xlsx")
    (typo,) = [r for r in rows if r["Ô"] == "B01_TieuChiXa!D6"]
    assert (typo["Tệp đã gửi"], typo["Biểu"], typo["Dòng"], typo["Cột"], typo["Giá trị ghi"]) == (
        file_name, "B01_TieuChiXa", 6, "Tiêu chí 1", "Đ"
    )  # fmt: skip
    assert typo["Hậu quả"] == "dòng này bị loại, các dòng khác vẫn được tiếp nhận"
    assert typo["Cần làm"] == "Sửa ô B01_TieuChiXa!D6 thành Đạt hoặc Chưa đạt rồi gửi lại."
    mail = (run_dir / "reports" / "feedback" / "06" / "2023-12" / f"phan-hoi-{code}-2023-12.html").read_text()
    assert "<b>B01_TieuChiXa!D6</b> (ghi: “Đ”): Ô đánh giá tiêu chí ghi &#x27;Đ&#x27;" in mail  # the same, for mail


def test_every_problem_is_a_recorded_row_or_check_and_reads_in_vietnamese(problems):
    _, _, run_dir, _ = problems
    directory = run_dir / "reports" / "feedback" / "06" / "2023-12"
    with duckdb.connect(str(run_dir / "warehouse.duckdb"), read_only=True) as con:
        cells = {(s, r, (c or "").split(" (")[0]) for s, r, c in con.execute(
            "select sheet, row_number, column_name from audit.rejected_rows").fetchall()}  # fmt: skip
    english = re.compile(r"\b(is|not|the|of|and|empty|row|sheet|column|file)\b")
    for path in directory.glob("phan-hoi-*.xlsx"):
        for row in _feedback_rows(path):
            if row["Hậu quả"] == ROW_REJECTED:  # a rejected row: one of audit.rejected_rows, by its cell
                assert (row["Biểu"], row["Dòng"], row["Cột"]) in cells
            elif row["Ô"]:  # a failed check of a TongHop total: the total's cell
                assert row["Ô"].startswith("TongHop!B") and row["Cột"] in row["Vấn đề"]
            for column in ("Vấn đề", "Hậu quả", "Cần làm"):
                assert row[column] and not english.search(row[column]), (path.name, column, row[column])


def test_the_summary_lists_every_district_of_the_month_with_what_became_of_it(problems):
    _, _, run_dir, _ = problems
    rows = _feedback_rows(run_dir / "reports" / "feedback" / "06" / "2023-12" / "tong-hop-phan-hoi-06-2023-12.xlsx")
    assert len(rows) == 8
    statuses = {r["Mã"]: r["Tình trạng"] for r in rows}
    assert list(statuses.values()).count("chưa gửi") == 1  # the district that has not sent December
    assert statuses["062"] == "chưa công bố"  # Ngân Sơn contradicts itself: held back
    assert set(statuses.values()) <= {"đã tiếp nhận", "chưa gửi", "chưa công bố", "bị từ chối"}
    missing = next(r for r in rows if r["Tình trạng"] == "chưa gửi")
    assert (missing["Tệp được tính"], missing["Thời điểm nhận"]) == (None, None)
    assert sum(r["Dòng bị loại"] for r in rows) >= 1 and sum(r["Cảnh báo"] for r in rows) >= 6


def test_feedback_again_writes_nothing_that_has_not_changed(problems, capsys):
    _, _, run_dir, _ = problems
    args = ["feedback", "--province", "06", "--period", "2023-12", "--warehouse", str(run_dir / "warehouse.duckdb")]
    assert cli.main(args) == 0
    assert ", 0 file(s) written, in " in capsys.readouterr().out


def test_bi_tools_read_the_same_problems_in_mart_unit_feedback(problems):
    _, _, run_dir, _ = problems
    directory = run_dir / "reports" / "feedback" / "06" / "2023-12"
    in_workbooks = sorted(
        (path.name.split("-")[2], row["Ô"] or "", row["Vấn đề"])
        for path in directory.glob("phan-hoi-*.xlsx")
        for row in _feedback_rows(path)
    )
    with duckdb.connect(str(run_dir / "serving.duckdb"), read_only=True) as con:
        in_mart = sorted(
            con.execute(
                "select reporting_unit_code, coalesce(cell, ''), problem_vi from marts.mart_unit_feedback "
                "where province_code = '06' and period_month = ?",
                [PERIOD],
            ).fetchall()
        )
    assert in_mart == in_workbooks and in_mart
