"""The template declaration drives the reader, the sample writer and the raw tables (ingestion/template.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import openpyxl
import pytest

from ingestion import reader, schema, template, values, warehouse
from ingestion.template import TEMPLATE_2024_1, TEMPLATE_2024_2, TEMPLATE_2026_1, Column, Sheet, template_for


def test_a_template_is_chosen_by_its_version_else_by_the_month():
    assert template_for("2024.1", dt.date(2023, 12, 1)) is TEMPLATE_2024_1
    assert template_for("2024.2", dt.date(2023, 12, 1)) is TEMPLATE_2024_2
    # no version, or one this warehouse does not know: the month's latest template (2024.2, a superset of 2024.1)
    assert template_for(None, dt.date(2023, 12, 1)) is TEMPLATE_2024_2
    assert template_for("2099.9", dt.date(2023, 12, 1)) is TEMPLATE_2024_2
    assert template_for(None, dt.date(2025, 7, 1)) is TEMPLATE_2026_1  # communes report from 07/2025
    assert template_for("2026.1", dt.date(2026, 3, 1)) is TEMPLATE_2026_1
    with pytest.raises(ValueError, match=r"template 2024\.1 is for reporting months 01/2010–06/2025, not 03/2026"):
        template_for("2024.1", dt.date(2026, 3, 1))
    with pytest.raises(ValueError, match=r"template 2026\.1 is for reporting months 07/2025–today, not 12/2023"):
        template_for("2026.1", dt.date(2023, 12, 1))


def test_an_unknown_version_is_read_as_the_months_template_with_a_note(make_workbook, units):
    def version(book):
        for row in book["ThongTinChung"].iter_rows():
            if row[0].value == "Phiên bản biểu mẫu":
                row[1].value = "2024.7"

    result = reader.read_workbook(make_workbook(version), units)
    assert result.cover.template_version == "2024.7"
    assert any("'2024.7' is not a template this warehouse knows; read as template 2024.2" in n for n in result.notes)


def test_the_sample_writes_the_declared_sheets_and_labels(make_workbook):
    book = openpyxl.load_workbook(make_workbook(), read_only=True)
    assert book.sheetnames == [s.name for s in TEMPLATE_2024_1.sheets]
    b04 = [c for c in next(book["B04_OCOP"].iter_rows(min_row=3, max_row=3, values_only=True)) if c]
    assert b04 == [c.label for c in TEMPLATE_2024_1.sheet("b04").columns]


# A worked example (docs/adding-a-sheet.md): a sheet of plain columns needs its declaration and nothing else in
# Python; the reader reads it from the declaration and its raw table joins the warehouse's versioned schema.
B09 = Sheet(
    "b09",
    "B09_NhaVanHoa",
    required=False,
    columns=(
        Column("commune_code", ("Mã xã",)),
        Column("commune_name", ("Tên xã",)),
        Column("halls_total", ("Số nhà văn hóa",), required=True, parser=values.parse_int),
        Column("halls_meeting_standard", ("Số nhà văn hóa đạt chuẩn",), parser=values.parse_int),
    ),
    table="culture_halls",
)
B09_TABLE = {
    "raw.culture_halls": {
        **template.LINEAGE,
        **template.SCOPE,
        "commune_code": "VARCHAR NOT NULL",
        "halls_total": "INTEGER NOT NULL",
        "halls_meeting_standard": "INTEGER",
    }
}


@pytest.fixture
def template_with_b09(monkeypatch):
    extended = dataclasses.replace(
        TEMPLATE_2024_1,
        version="2024.9",
        sheets=(*TEMPLATE_2024_1.sheets, B09),
        raw_tables={**TEMPLATE_2024_1.raw_tables, **B09_TABLE},
    )
    monkeypatch.setattr(template, "TEMPLATES", (TEMPLATE_2024_1, extended))
    return extended


def with_b09(book):
    for row in book["ThongTinChung"].iter_rows():
        if row[0].value == "Phiên bản biểu mẫu":
            row[1].value = "2024.9"
    sheet = book.create_sheet("B09 - Nhà văn hóa")
    sheet.append(["BIỂU 09: NHÀ VĂN HÓA XÃ"])
    sheet.append(["Mã xã", "Tên xã", "Số nhà văn hóa", "Số nhà văn hóa đạt chuẩn"])
    sheet.append(["01858", "Xã Bằng Thành", 9, "7"])
    sheet.append([None, "Nhạn Môn", "chín", 3])  # not a number: the row is rejected, naming the cell
    sheet.append([None, "Tổng cộng", 9, 7])


def test_a_new_sheet_of_plain_columns_is_read_from_its_declaration(template_with_b09, make_workbook, units):
    result = reader.read_workbook(make_workbook(with_b09, district_code="060"), units)
    assert result.tables["culture_halls"] == [
        {
            "commune_code": "01858",
            "halls_total": 9,
            "halls_meeting_standard": 7,
            "sheet": "B09 - Nhà văn hóa",
            "row_number": 3,
        }
    ]
    [rejection] = [r for r in result.rejections if r.sheet == "B09 - Nhà văn hóa"]
    assert (rejection.row_number, rejection.column_name, rejection.value) == (4, "Số nhà văn hóa (C)", "chín")


def test_a_new_raw_table_changes_the_raw_schema_version(template_with_b09, tmp_path):
    tables = {**template.raw_tables(), **{k: v for k, v in warehouse.TABLES.items() if not k.startswith("raw.")}}
    assert "raw.culture_halls" in tables
    assert schema.raw_version(tables) != schema.raw_version(warehouse.TABLES)  # the next run rebuilds raw


def test_every_sheet_is_read_by_the_rule_its_declaration_names():
    from ingestion.reader.declared import read_declared
    from ingestion.reader.workbook import rule_of

    rules = {spec.rule for t in template.TEMPLATES for spec in t.sheets if spec.key != "cover"}
    assert None not in rules  # every production sheet has rules of its own (the declared reader is for new ones)
    for t in template.TEMPLATES:
        for spec in t.sheets:
            if spec.key != "cover":
                assert rule_of(spec).__name__ == spec.rule.rpartition(".")[2], spec.name
    assert rule_of(B09) is read_declared
    with pytest.raises(LookupError, match=re.escape("sheet B09_NhaVanHoa: its rule 'ocop.read_halls'")):
        rule_of(dataclasses.replace(B09, rule="ocop.read_halls"))
