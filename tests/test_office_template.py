"""`ntm-ocop template`: the workbook each unit fills, filled as a person would and read back by the warehouse.

A unit writes only the unlocked cells (the helper below refuses a locked one); the reader must then read exactly
what was typed, with no row rejected; a template sent back untouched is "not filled in" and loads nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingestion.criteria import criterion_names
from ingestion.reader.result import WorkbookNotFilled, WorkbookRejected
from ingestion.reader.workbook import read_workbook
from ingestion.template_workbook import file_name, reporting_units, write_templates
from orchestration import cli

DECEMBER = dt.date(2023, 12, 1)
APRIL_2026 = dt.date(2026, 4, 1)
BA_BE = "061"


class Form:
    """A template opened as a unit fills it: cells found by the labels of their sheet, and only unlocked ones
    written (sheet protection is what Excel enforces; this is what a person can type)."""

    def __init__(self, path: Path):
        self.path, self.book = path, openpyxl.load_workbook(path)

    def put(self, sheet: str, row: int, col: int, value) -> None:
        cell = self.book[sheet].cell(row, col)
        assert cell.protection.locked is False, f"{sheet}!{cell.coordinate} is locked"
        cell.value = value

    def column(self, sheet: str, label: str) -> tuple[int, int]:
        """(row, column) of a header label, 1-based."""
        for row in self.book[sheet].iter_rows(max_row=15):
            for cell in row:
                if cell.value == label:
                    return cell.row, cell.column
        raise AssertionError(f"no header {label!r} in {sheet}")

    def beside(self, sheet: str, label: str, value, col: int = 1) -> None:
        """The value cell of a label/value row (label in column `col`, value in the next)."""
        for row in self.book[sheet].iter_rows():
            if row[col - 1].value == label:
                return self.put(sheet, row[0].row, col + 1, value)
        raise AssertionError(f"no {label!r} in {sheet}")

    def rows(self, sheet: str, fields: dict[str, object], first_free: int | None = None) -> None:
        """One row of a list sheet by header labels, in the first row with nothing typed yet."""
        header_row, _ = self.column(sheet, next(iter(fields)))
        sheet_ = self.book[sheet]
        row = first_free or next(r for r in range(header_row + 1, sheet_.max_row + 2)
                                 if all(c.value in (None, "") for c in sheet_[r]))  # fmt: skip
        for label, value in fields.items():
            self.put(sheet, row, self.column(sheet, label)[1], value)

    def save(self) -> Path:
        self.book.save(self.path)
        return self.path


@pytest.fixture(scope="module")
def templates(tmp_path_factory, units):
    out = tmp_path_factory.mktemp("templates")
    return {
        "district": write_templates("06", DECEMBER, out / "06", units=units),
        "commune": write_templates("19", APRIL_2026, out / "19", units=units),
    }


def commune_template(templates, units, unit_type: str) -> Path:
    """The template of the first commune of Thái Nguyên of that type (Xã | Phường) in 04/2026."""
    unit = next(u for u in reporting_units(units.at(APRIL_2026), "19", APRIL_2026) if u.unit_type == unit_type)
    return next(p for p in templates["commune"] if f"-{unit.code}-" in p.name)


def fill_district(path: Path, communes) -> dict:
    """Ba Bể's December as its office would type it; returns what was typed, as the warehouse should read it."""
    form = Form(path)
    form.beside("ThongTinChung", "Ngày lập", dt.datetime(2024, 1, 5))
    form.beside("ThongTinChung", "Người lập", "Nguyễn Văn An, chuyên viên VPĐP huyện")
    header_row, first_mark = form.column("B01_TieuChiXa", "Tiêu chí")
    tail = {label: form.column("B01_TieuChiXa", label)[1] for label in
            ("Số tiêu chí đạt", "Mức đạt chuẩn", "Năm đạt chuẩn NTM", "Duy trì")}  # fmt: skip
    typed = {}
    for i, commune in enumerate(communes):
        row = header_row + 2 + i
        assert form.book["B01_TieuChiXa"].cell(row, 2).value == commune.code  # pre-filled, in the code's order
        met = set(range(1, 20)) if i == 0 else set(range(1, 1 + (3 * i) % 19))
        for n in range(1, 20):
            form.put("B01_TieuChiXa", row, first_mark + n - 1, "Đạt" if n in met else "Chưa đạt")
        form.put("B01_TieuChiXa", row, tail["Số tiêu chí đạt"], len(met))
        form.put("B01_TieuChiXa", row, tail["Mức đạt chuẩn"], "NTM" if i == 0 else "Chưa đạt")
        if i == 0:
            form.put("B01_TieuChiXa", row, tail["Năm đạt chuẩn NTM"], 2019)
            form.put("B01_TieuChiXa", row, tail["Duy trì"], "Có")
        typed[commune.code] = (met, "ntm" if i == 0 else "not_yet")
    products = [
        ("Miến dong Ba Bể", "HTX Nông sản Ba Bể", "Thực phẩm", 4, dt.datetime(2022, 6, 1)),
        ("Trà shan tuyết", "HTX Chè Ba Bể", "Đồ uống", 3, dt.datetime(2023, 3, 15)),
    ]
    for stt, (product, producer, group, stars, decided) in enumerate(products, start=1):
        form.rows("B04_OCOP", {"STT": stt, "Tên sản phẩm": product, "Chủ thể": producer, "Loại hình chủ thể": "HTX",
                               "Mã xã": communes[0].code, "Nhóm sản phẩm": group, "Số sao": stars,
                               "Ngày quyết định": decided, "Trạng thái": "Mới"})  # fmt: skip
    funds = [("NSTW - Đầu tư phát triển", 12500.0, 8125.5), ("Ngân sách tỉnh", 3000.0, 2990.0)]
    for stt, (source, allocated, disbursed) in enumerate(funds, start=1):
        form.rows("B05_NguonVon", {"STT": stt, "Nguồn vốn": source, "Năm kế hoạch": 2023,
                                   "Kế hoạch vốn giao": allocated, "Giải ngân lũy kế": disbursed})  # fmt: skip
    form.beside("B06_KeHoach", "XA_NTM", 2)
    totals = {
        "Tổng số xã": len(communes),
        "Số xã đạt chuẩn NTM": 1,
        "Số xã đạt chuẩn NTM nâng cao": 0,
        "Số xã đạt chuẩn NTM kiểu mẫu": 0,
        "Bình quân tiêu chí/xã": round(sum(len(met) for met, _ in typed.values()) / len(communes), 2),
        "Số sản phẩm OCOP": 2,
        "Số sản phẩm OCOP 3 sao": 1,
        "Số sản phẩm OCOP 4 sao": 1,
        "Số sản phẩm OCOP 5 sao": 0,
        "Tổng vốn kế hoạch": 15500.0,
        "Tổng giải ngân": 11115.5,
    }
    for label, value in totals.items():
        form.beside("TongHop", label, value)
    form.save()
    return {"communes": typed, "products": len(products), "allocated": 15500.0, "disbursed": 11115.5}


def fill_commune(path: Path, criteria: int) -> dict:
    """A xã of Thái Nguyên in 04/2026 (the 2026-2030 set): every criterion met but the last, level NTM."""
    form = Form(path)
    form.beside("ThongTinChung", "Ngày lập", dt.datetime(2026, 5, 4))
    form.beside("ThongTinChung", "Nhóm xã", 2)
    header_row, met_col = form.column("C01_TieuChi", "Đạt")
    for n in range(1, criteria + 1):
        assert form.book["C01_TieuChi"].cell(header_row + n, 1).value == n
        form.put("C01_TieuChi", header_row + n, met_col, "Đạt" if n < criteria else "Chưa đạt")
    form.beside("C01_TieuChi", "Mức đạt chuẩn", "NTM")
    form.beside("C01_TieuChi", "Năm đạt chuẩn NTM", 2021)
    form.rows("C04_OCOP", {"Tên sản phẩm": "Chè búp", "Chủ thể": "HTX Chè Tân Cương", "Số sao": 4,
                           "Ngày quyết định": dt.datetime(2025, 9, 1), "Cấp công nhận": "Tỉnh"})  # fmt: skip
    form.rows("C05_NguonVon", {"Nguồn vốn": "Ngân sách xã", "Năm kế hoạch": 2026, "Kế hoạch vốn giao": 420.0,
                               "Giải ngân lũy kế": 105.0})  # fmt: skip
    for label, value in {"Số tiêu chí đạt": criteria - 1, "Số sản phẩm OCOP": 1, "Số sản phẩm OCOP 4 sao": 1,
                         "Tổng vốn kế hoạch": 420.0, "Tổng giải ngân": 105.0}.items():  # fmt: skip
        form.beside("TongHop", label, value)
    form.save()
    return {"met": criteria - 1, "products": 1}


def test_one_workbook_per_unit_of_the_month_named_as_a_person_reads_it(templates, units):
    reference = units.at(DECEMBER)
    districts = reporting_units(reference, "06", DECEMBER)
    assert [p.name for p in templates["district"]] == [file_name("06", d, DECEMBER) for d in districts]
    assert len(districts) == 8 and "mau-bao-cao-06-061-ba-be-2023-12.xlsx" in {p.name for p in templates["district"]}
    communes = reporting_units(units.at(APRIL_2026), "19", APRIL_2026)
    assert len(templates["commune"]) == len(communes) == 92  # the xã, phường of Thái Nguyên since 07/2025


def test_the_cover_is_pre_filled_and_the_fields_the_unit_types_are_open(templates):
    ba_be = next(p for p in templates["district"] if f"-{BA_BE}-" in p.name)
    cover = openpyxl.load_workbook(ba_be)["ThongTinChung"]
    values = {row[0].value: row[1] for row in cover.iter_rows(min_row=3) if row[0].value}
    assert {k: values[k].value for k in ("Mã tỉnh", "Mã huyện", "Kỳ báo cáo", "Phiên bản biểu mẫu")} == {
        "Mã tỉnh": "06", "Mã huyện": BA_BE, "Kỳ báo cáo": "12/2023", "Phiên bản biểu mẫu": "2024.2"
    }  # fmt: skip
    assert values["Huyện"].value == "Huyện Ba Bể" and values["Tỉnh"].value == "Tỉnh Bắc Kạn"
    assert all(values[k].protection.locked for k in ("Mã tỉnh", "Mã huyện", "Kỳ báo cáo"))
    assert all(values[k].value is None and not values[k].protection.locked for k in ("Ngày lập", "Người lập"))
    assert "Nhóm xã" not in values  # a district's cover


def test_every_sheet_is_protected_without_a_password_and_its_coded_cells_have_dropdowns(templates):
    book = openpyxl.load_workbook(templates["district"][0])
    assert book.sheetnames[0] == "HuongDan" and book["DanhMuc"].sheet_state == "hidden"
    for sheet in book:
        assert sheet.protection.sheet and not sheet.protection.password, sheet.title
    b01 = book["B01_TieuChiXa"]
    lists = {str(dv.sqref): dv for dv in b01.data_validations.dataValidation}
    marks = next(dv for coord, dv in lists.items() if coord.startswith("D6:V"))  # the 19 criteria of every xã
    assert marks.type == "list" and marks.formula1.startswith("DanhMuc!") and marks.prompt
    assert book["DanhMuc"]["A1"].value == "Đạt/Chưa đạt"
    assert [book["DanhMuc"].cell(r, 1).value for r in (2, 3)] == ["Đạt", "Chưa đạt"]
    kinds = {dv.type for sheet in book for dv in sheet.data_validations.dataValidation}
    assert kinds >= {"list", "whole", "decimal", "date"}
    # no formula anywhere: TongHop's totals are the unit's own, what the warehouse reconciles
    assert not [c for s in book for row in s.iter_rows() for c in row if str(c.value or "").startswith("=")]


def test_a_xas_c01_lists_the_criteria_of_the_set_in_force_with_their_names(templates, units):
    xa = commune_template(templates, units, "Xã")
    book = openpyxl.load_workbook(xa)
    c01 = book["C01_TieuChi"]
    rows = [(r[0].value, r[1].value) for r in c01.iter_rows(min_row=5, max_row=14)]
    names = criterion_names("ntm-xa-2026-2030")
    assert rows == [(n, names[n]) for n in range(1, 11)]
    cover = {row[0].value: row[1].value for row in book["ThongTinChung"].iter_rows(min_row=3) if row[0].value}
    assert cover["Phiên bản biểu mẫu"] == "2026.1" and "Nhóm xã" in cover
    ward = commune_template(templates, units, "Phường")
    ward_cover = [row[0].value for row in openpyxl.load_workbook(ward)["ThongTinChung"].iter_rows()]
    assert "Nhóm xã" not in ward_cover  # commune groups are for xã


def test_an_untouched_template_is_not_filled_in_and_loads_nothing(templates, units):
    for path in (templates["district"][0], templates["commune"][0]):
        with pytest.raises(WorkbookNotFilled, match=r"not filled in \(chưa điền số liệu\)"):
            read_workbook(path, units)


def test_a_filled_template_reads_exactly_what_was_typed(templates, units, tmp_path):
    ba_be = next(p for p in templates["district"] if f"-{BA_BE}-" in p.name)
    copy = tmp_path / ba_be.name
    copy.write_bytes(ba_be.read_bytes())
    communes = sorted(units.at(DECEMBER).districts[BA_BE].xa, key=lambda c: c.code)
    typed = fill_district(copy, communes)
    result = read_workbook(copy, units)
    assert result.rejections == []
    read = {r["commune_code"]: r["level_code"] for r in result.tables["commune_criteria"]}
    assert read == {code: level for code, (_, level) in typed["communes"].items()}
    marks: dict[str, set[int]] = {}
    for m in result.tables["commune_criterion_marks"]:
        marks.setdefault(m["commune_code"], set()).update([m["criterion_number"]] if m["is_met"] else [])
    assert marks == {code: met for code, (met, _) in typed["communes"].items()}
    assert len(result.tables["ocop_products"]) == typed["products"]
    assert sum(f["allocated_mil_vnd"] for f in result.tables["fund_positions"]) == typed["allocated"]
    assert [(t["target_code"], t["planned_value"]) for t in result.tables["plan_targets"]] == [("XA_NTM", 2)]
    assert any("only its pre-filled cells" in note for note in result.notes)  # the plan codes left empty


def test_a_column_inserted_and_rows_reordered_are_read_and_a_pasted_code_is_named(templates, units, tmp_path):
    """Protection can be lifted (no password): what a unit then does is read as the spec says for any workbook."""
    ba_be = next(p for p in templates["district"] if f"-{BA_BE}-" in p.name)
    communes = sorted(units.at(DECEMBER).districts[BA_BE].xa, key=lambda c: c.code)
    path = tmp_path / ba_be.name
    path.write_bytes(ba_be.read_bytes())
    fill_district(path, communes)
    book = openpyxl.load_workbook(path)
    b01 = book["B01_TieuChiXa"]
    b01.insert_cols(3)  # a column of its own between Mã xã and Tên xã (the merged header cells move, as in Excel)
    for merged in b01.merged_cells.ranges:
        if merged.min_col >= 3:
            merged.shift(col_shift=1)
    b01.cell(4, 3).value = "Ghi chú riêng"
    first, second = [[c.value for c in b01[r]] for r in (6, 7)]
    for col, value in enumerate(second, start=1):  # the first two communes swapped
        b01.cell(6, col).value = value
    for col, value in enumerate(first, start=1):
        b01.cell(7, col).value = value
    book.save(path)
    assert read_workbook(path, units).rejections == []

    other = sorted(units.at(DECEMBER).districts["064"].xa, key=lambda c: c.code)[0]  # a Chợ Đồn code, pasted
    book = openpyxl.load_workbook(path)
    book["B01_TieuChiXa"].cell(8, 2).value = other.code
    book.save(path)
    (problem,) = read_workbook(path, units).rejections
    assert (problem.sheet, problem.row_number) == ("B01_TieuChiXa", 8)
    assert other.code in (problem.value or "") and "Mã xã" in (problem.column_name or "")


def test_the_template_command_names_an_unknown_unit_and_a_template_of_another_era(tmp_path, capsys):
    assert cli.main(["template", "--province", "06", "--period", "2023-12", "--out", str(tmp_path),
                     "--unit", "99999"]) == 2  # fmt: skip
    assert "99999: not a huyện code of Tỉnh Bắc Kạn in 12/2023" in capsys.readouterr().err
    assert cli.main(["template", "--province", "19", "--period", "2026-04", "--out", str(tmp_path),
                     "--template", "2024.2"]) == 2  # fmt: skip
    assert "template 2024.2 is for reporting months 01/2010–06/2025, not 04/2026" in capsys.readouterr().err
    assert cli.main(["template", "--province", "06", "--period", "2023-12", "--out", str(tmp_path),
                     "--unit", BA_BE, "--template", "2024.1"]) == 0  # fmt: skip
    (path,) = tmp_path.glob("*.xlsx")
    assert "B07_Huyen" not in openpyxl.load_workbook(path).sheetnames  # 2024.1 has none of 2024.2's sheets


@pytest.fixture(scope="module")
def loop(templates, units, tmp_path_factory, dbt_manifest):
    """The office's loop once through `ntm-ocop run`: Bắc Kạn's eight December templates, Ba Bể's filled and the
    others sent back untouched, and a filled xã of Thái Nguyên for 04/2026. (what was typed, console, run folder)"""
    import contextlib
    import io

    run_dir = tmp_path_factory.mktemp("loop")
    inbox = run_dir / "inbox"
    inbox.mkdir()
    for path in templates["district"]:
        (inbox / path.name).write_bytes(path.read_bytes())
    xa = commune_template(templates, units, "Xã")
    (inbox / xa.name).write_bytes(xa.read_bytes())
    communes = sorted(units.at(DECEMBER).districts[BA_BE].xa, key=lambda c: c.code)
    typed = {
        "district": fill_district(next(inbox.glob(f"*-{BA_BE}-*")), communes),
        "xa": fill_commune(inbox / xa.name, 10),
        "xa_code": xa.name.split("-")[4],  # mau-bao-cao-<province>-<commune>-...
        "communes": communes,
    }
    console = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(console):
        for name in ("NTM_INBOX", "NTM_WAREHOUSE", "NTM_DATA_DIR", "DAGSTER_HOME"):
            mp.delenv(name, raising=False)
        code = cli.main(["run", "--inbox", str(inbox), "--warehouse", str(run_dir / "warehouse.duckdb")])
    assert code == 0
    return typed, console.getvalue(), run_dir


@pytest.mark.pipeline
def test_filled_templates_publish_what_was_typed_and_untouched_ones_are_not_yet_reported(loop):
    """Ba Bể's filled December and a filled xã of April 2026 publish exactly what was typed; the other districts'
    untouched templates are received, kept, and recorded as not filled in."""
    typed, out, run_dir = loop
    assert "units_reported = 1, units_expected = 8" in out  # seven districts not yet reported
    with duckdb.connect(str(run_dir / "serving.duckdb"), read_only=True) as con:
        district = con.execute(
            "select validation_status, communes_total, communes_ntm, ocop_products, fund_allocated_mil_vnd, "
            "fund_disbursed_mil_vnd from marts.mart_district_briefing where district_code = ?",
            [BA_BE],
        ).fetchone()
        commune = con.execute(
            "select avg_criteria_met, communes_ntm, ocop_products, ocop_province_level, commune_group, "
            "validation_status from marts.mart_commune_briefing where commune_code = ?",
            [typed["xa_code"]],
        ).fetchone()
    filled = typed["district"]
    assert district == ("passed", len(typed["communes"]), 1, filled["products"], filled["allocated"],
                        filled["disbursed"])  # fmt: skip
    assert commune == (typed["xa"]["met"], 1, typed["xa"]["products"], typed["xa"]["products"], 2, "passed")
    with duckdb.connect(str(run_dir / "warehouse.duckdb"), read_only=True) as con:
        statuses = con.execute("select status, status_reason from audit.received_files order by file_name").fetchall()
        rejected_rows = con.execute("select count(*) from audit.rejected_rows").fetchone()[0]
    assert sorted(s for s, _ in statuses) == ["loaded"] * 2 + ["rejected"] * 7
    assert all("not filled in (chưa điền số liệu)" in reason for status, reason in statuses if status == "rejected")
    assert rejected_rows == 0


@pytest.mark.pipeline
def test_an_offices_workbooks_make_no_sample_pack(loop):
    """Without the sample mark on the covers (an office's files), no page says sample: the mark is read, not assumed."""
    _, _, run_dir = loop
    for province, month in (("06", "2023-12"), ("19", "2026-04")):
        html = run_dir / "reports" / "briefing" / province / month / f"bao-cao-giao-ban-{province}-{month}.html"
        assert "Dữ liệu mẫu" not in html.read_text(encoding="utf-8")
    with duckdb.connect(str(run_dir / "serving.duckdb"), read_only=True) as con:
        flags = con.execute("select distinct is_sample_data from marts.mart_province_briefing").fetchall()
    assert flags == [(False,)]


@pytest.mark.pipeline
def test_a_prefilled_template_carries_last_months_accepted_values_and_waits_for_its_period(loop, tmp_path, units):
    """--prefill: Ba Bể's accepted December (as typed) in its January template: marks, levels, the products still
    valid; December's plan targets stay in 2023. The period is left for the unit to choose, so a template sent back
    as it came is never read as January's; the districts that sent nothing get a template as blank as ever."""
    typed, _, run_dir = loop
    out = tmp_path / "templates"
    args = ["template", "--province", "06", "--period", "2024-01", "--out", str(out), "--prefill"]
    assert cli.main([*args, "--warehouse", str(run_dir / "warehouse.duckdb")]) == 0
    path = next(out.glob(f"*-{BA_BE}-*"))
    book = openpyxl.load_workbook(path)
    cover = book["ThongTinChung"]
    assert cover["A2"].value != "Dữ liệu mẫu — không phải số liệu chính thức"  # typed by an office, not sample data
    period = next(row[1] for row in cover.iter_rows() if row[0].value == "Kỳ báo cáo")
    assert period.value is None and not period.protection.locked
    with pytest.raises(WorkbookRejected, match="Kỳ báo cáo"):
        read_workbook(path, units)  # sent back untouched: not January's, not anyone's month

    form = Form(path)
    form.beside("ThongTinChung", "Kỳ báo cáo", "01/2024")
    form.save()
    result = read_workbook(path, units)
    marks: dict[str, set[int]] = {}
    for m in result.tables["commune_criterion_marks"]:
        marks.setdefault(m["commune_code"], set()).update([m["criterion_number"]] if m["is_met"] else [])
    assert marks == {code: met for code, (met, _) in typed["district"]["communes"].items()}
    levels = {r["commune_code"]: r["level_code"] for r in result.tables["commune_criteria"]}
    assert levels == {code: level for code, (_, level) in typed["district"]["communes"].items()}
    assert len(result.tables["ocop_products"]) == typed["district"]["products"]
    assert result.tables["plan_targets"] == []  # December's targets were 2023's
    pac_nam = next(out.glob("*-060-*"))  # sent back untouched in December: nothing to carry
    with pytest.raises(WorkbookRejected, match="not filled in"):
        read_workbook(pac_nam, units)


def test_a_template_of_a_unit_that_did_not_exist_is_refused_by_the_reader(templates, units, tmp_path):
    """A template is the month's: sent for another month (the cover's period changed), a unit that did not exist
    then is rejected whole, as for any workbook."""
    xa = templates["commune"][0]
    path = tmp_path / xa.name
    path.write_bytes(xa.read_bytes())
    book = openpyxl.load_workbook(path)
    for row in book["ThongTinChung"].iter_rows():
        if row[0].value == "Kỳ báo cáo":
            row[1].value = "04/2025"
    book.save(path)
    with pytest.raises(WorkbookRejected):
        read_workbook(path, units)
