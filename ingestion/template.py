"""The workbook templates, declared once: sheets, their columns and label aliases, what is required, and
the raw tables they fill. The reader (ingestion/reader/) finds sheets and header columns from these
declarations, the sample writer writes the template's sheet names and first labels, and the raw tables'
DDL (ingestion/warehouse.py, versioned by ingestion/schema.py) is the templates' ``raw_tables``.

The contract in words is ../shared/spec/district-workbook.md. A template is chosen by the cover's
``Phiên bản biểu mẫu``, else by the reporting month (``template_for``).

Adding a sheet to a template: declare it here (its columns, their parsers, its raw table). A sheet of
plain columns is then read from its declaration; one with rules across columns names the function that reads it
(``rule``, in the subject's module of ``ingestion/reader/``). Then write it in the sample, and add its staging and
fact models with their tests (docs/adding-a-sheet.md walks through one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingestion.text import fold


@dataclass(frozen=True)
class Column:
    """A header column: its key in the reader, the labels offices write (the first is the template's)."""

    key: str
    labels: tuple[str, ...]
    required: bool = False  # the header row is the row holding every required column's label
    # For a sheet read from its declaration alone (no rule of its own, Sheet.rule): the cell's
    # value for the raw column named `key` (a ValueError rejects the row, naming the cell); None: the text.
    parser: Callable[[Any], Any] | None = None

    @property
    def label(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str  # as the template names it; found without case, diacritics, spaces, _, - and .
    required: bool
    columns: tuple[Column, ...] = ()
    aliases: tuple[str, ...] = ()  # other names offices give the sheet
    table: str | None = None  # the raw table its detail rows go to
    # The rule that reads its rows: "<module>.<function>" of the package ingestion.reader (e.g.
    # "ocop.read_certificates"), one module per subject; None: read from the declaration alone (reader/declared.py).
    rule: str | None = None
    # The columns `ntm-ocop template` fills before the unit does (the district's xã in B01, the criteria of C01, the
    # plan codes): a row with values only there holds no figures and is not reported (ingestion/reader/figures.py).
    prefilled: tuple[str, ...] = ()
    header_rows: int = 1  # B01: the criteria numbered on a second header row
    # label/value rows beside the table: B07's above it (label in A, value in B), C01's below it (label in the
    # Tiêu chí column, value in the next)
    label_rows: tuple[Column, ...] = ()

    def labels(self) -> dict[str, tuple[str, ...]]:
        return {c.key: c.labels for c in self.columns}

    def required_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.required]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


# The sheets `ntm-ocop template` adds for the person filling it: read by nobody, ignored without a note.
GUIDE_SHEET = "HuongDan"  # how to fill the workbook, in Vietnamese
LISTS_SHEET = "DanhMuc"  # hidden: the lists the dropdowns offer
TEMPLATE_OWN_SHEETS = (GUIDE_SHEET, LISTS_SHEET)

LINEAGE = {"file_sha256": "VARCHAR NOT NULL", "sheet": "VARCHAR NOT NULL", "row_number": "INTEGER NOT NULL"}
# Every detail row carries its workbook's scope: the province, the reporting unit (the district up to 06/2025, the
# commune from 07/2025: the partition that loads it) and the month. district_code is null in the commune era.
SCOPE = {
    "province_code": "VARCHAR NOT NULL",
    "district_code": "VARCHAR",
    "reporting_unit_code": "VARCHAR NOT NULL",
    "period_month": "DATE NOT NULL",
}


@dataclass(frozen=True)
class Template:
    version: str
    valid_from: dt.date  # the first reporting month written to it
    valid_to: dt.date | None  # the last (None: still in force)
    sheets: tuple[Sheet, ...]
    raw_tables: dict[str, dict[str, str]] = field(default_factory=dict)  # raw.<table> -> column -> DuckDB type
    criteria: range = range(0)  # the criteria numbered under B01's "Tiêu chí" (2024.1; 2026.1 numbers them in rows)
    reporting_level: str = "district"  # who sends it: the cover names this unit (Mã huyện | Mã xã)

    def sheet(self, key: str) -> Sheet:
        return next(s for s in self.sheets if s.key == key)

    def covers(self, month: dt.date) -> bool:
        return self.valid_from <= month and (self.valid_to is None or month <= self.valid_to)

    def sheet_key(self, name: str) -> str | None:
        """Which of the template's sheets a sheet name is (None: not the template's)."""
        folded = fold(name)
        return next((s.key for s in self.sheets if folded in {fold(n) for n in s.names()}), None)


STT = Column("stt", ("STT", "TT"))
# The rules shared by a district's sheet and a commune's (ingestion/reader/<module>.py: <function>).
INDICATORS, VILLAGES, CERTIFICATES = "villages.read_indicators", "villages.read_villages", "ocop.read_certificates"
FUNDS, TARGETS, TOTALS = "funds.read_positions", "funds.read_targets", "totals.read_totals"
# The cover's labels every template shares (label in column A, value in column B); each adds its reporting unit.
COVER_PROVINCE = (Column("province_code", ("Mã tỉnh",), required=True),)
COVER_PERIOD = Column("period", ("Kỳ báo cáo",), required=True)
COVER_PROVINCE_NAME = Column("province_name", ("Tỉnh", "Tên tỉnh"))
COVER_TAIL = (
    Column("report_date", ("Ngày lập",)),
    Column("prepared_by", ("Người lập",)),
    Column("template_version", ("Phiên bản biểu mẫu",)),
)
COMMUNE_CODE = Column("commune_code", ("Mã xã",))
COMMUNE_NAME = Column("commune_name", ("Tên xã",))

CRITERIA_2021_2025 = range(1, 20)

# The raw tables, one per kind of row, shared by every template (a template fills the columns it has).
RAW_TABLES: dict[str, dict[str, str]] = {
    "raw.workbook_covers": {
        **LINEAGE,
        **SCOPE,
        # the unit that sent the workbook (reporting_unit_code, in SCOPE): a district (template 2024.1) or a
        # commune (template 2026.1, from 07/2025)
        "reporting_unit_level": "VARCHAR NOT NULL",
        "commune_code": "VARCHAR",  # template 2026.1: the reporting commune
        "commune_group": "INTEGER",  # template 2026.1: Nhóm xã 1 | 2 | 3 (Decision 51/2025), if written
        "file_name": "VARCHAR",
        "report_date": "DATE",
        "province_name_written": "VARCHAR",
        "district_name_written": "VARCHAR",
        "commune_name_written": "VARCHAR",
        "prepared_by": "VARCHAR",
        "template_version": "VARCHAR",
        "received_at": "TIMESTAMP",
        "is_sample": "BOOLEAN",  # the cover carries values.SAMPLE_MARK: made by the sample generator, not an office
        # the template the workbook was read as, and the keys of its sheets found in the file (comma-separated, in
        # the template's order): an optional sheet absent is "not reported", never zero
        "template_read": "VARCHAR",
        "sheets_read": "VARCHAR",
    },
    "raw.commune_criteria": {
        **LINEAGE,
        **SCOPE,
        "commune_code": "VARCHAR NOT NULL",
        "commune_name_written": "VARCHAR",
        "criteria_met_reported": "INTEGER",
        "level_code": "VARCHAR NOT NULL",
        "year_ntm": "INTEGER",
        "year_advanced": "INTEGER",
        "year_model": "INTEGER",
        "year_modern": "INTEGER",  # template 2026.1: Năm đạt NTM hiện đại
        "decision_number": "VARCHAR",  # template 2026.1: Số quyết định công nhận
        "maintains_reported": "BOOLEAN",
        "note": "VARCHAR",
    },
    # B01's numbered criterion columns, unpivoted on read: one row per commune x criterion, whatever the
    # criteria set (which set a month reports against is data: dbt_project/seeds/criteria_sets.csv).
    "raw.commune_criterion_marks": {
        **LINEAGE,
        **SCOPE,
        "commune_code": "VARCHAR NOT NULL",
        "criterion_number": "INTEGER NOT NULL",
        "is_met": "BOOLEAN NOT NULL",
        # the row of the commune's record in raw.commune_criteria (B01: this row; C01: its Mức đạt chuẩn row)
        "commune_row_number": "INTEGER NOT NULL",
        "indicators_met": "INTEGER",  # template 2026.1's C01: Số chỉ tiêu đạt, Tổng số chỉ tiêu
        "indicators_total": "INTEGER",
    },
    "raw.commune_indicators": {
        **LINEAGE,
        **SCOPE,
        "commune_code": "VARCHAR NOT NULL",
        "indicator_code": "VARCHAR NOT NULL",
        "value_number": "DOUBLE",
        "value_text": "VARCHAR",
        "unit": "VARCHAR",
        "is_met": "BOOLEAN",
    },
    "raw.villages": {
        **LINEAGE,
        **SCOPE,
        "commune_code": "VARCHAR NOT NULL",
        "village_name": "VARCHAR NOT NULL",
        "village_key": "VARCHAR NOT NULL",
        # ntm | model; template 2024.2 adds model_residential_area, mountain_ntm (counted on their own, not nested)
        "level_code": "VARCHAR NOT NULL",
        "year_recognised": "INTEGER",
    },
    "raw.ocop_products": {
        **LINEAGE,
        **SCOPE,
        "product_code": "VARCHAR",
        "product_name": "VARCHAR NOT NULL",
        "producer_name": "VARCHAR NOT NULL",
        "product_key": "VARCHAR NOT NULL",
        "producer_type": "VARCHAR",
        "commune_code": "VARCHAR",
        "group_code": "VARCHAR",
        "stars": "INTEGER NOT NULL",
        "score": "DOUBLE",
        "decision_number": "VARCHAR",
        "decision_date": "DATE NOT NULL",
        "expiry_date": "DATE NOT NULL",
        "expiry_defaulted": "BOOLEAN NOT NULL",
        "export_market": "VARCHAR",
        "status_code": "VARCHAR NOT NULL",
        "issuing_level": "VARCHAR",  # template 2026.1's Cấp công nhận: district | province | central
    },
    "raw.fund_positions": {
        **LINEAGE,
        **SCOPE,
        "fund_source_code": "VARCHAR NOT NULL",
        "plan_year": "INTEGER NOT NULL",
        "allocated_mil_vnd": "DOUBLE",
        "disbursed_mil_vnd": "DOUBLE",
        "disbursement_pct_reported": "DOUBLE",
    },
    "raw.plan_targets": {
        **LINEAGE,
        **SCOPE,
        "target_code": "VARCHAR NOT NULL",
        "plan_year": "INTEGER NOT NULL",
        "planned_value": "DOUBLE",
    },
    "raw.unit_totals": {
        **LINEAGE,
        **SCOPE,
        # the reporting unit's own totals: TongHop | B01 (totals row) | B05 (totals row); a commune's TongHop
        # (template 2026.1) has the indicators of values.COMMUNE_TOTALS
        "source_table": "VARCHAR NOT NULL",
        "indicator_code": "VARCHAR NOT NULL",
        "label_written": "VARCHAR",
        "reported_value": "DOUBLE",
    },
}

# Template 2024.2's optional sheets (../shared/spec/district-workbook.md, "Template 2024.2").
RAW_TABLES_2024_2: dict[str, dict[str, str]] = {
    # B07_Huyen: the district's own status, one row per workbook (its label/value rows)
    "raw.district_status": {
        **LINEAGE,
        **SCOPE,
        "level_code": "VARCHAR NOT NULL",  # values.DISTRICT_LEVELS: not_yet | ntm | advanced | model | completed
        "year_recognised": "INTEGER",
        "decision_number": "VARCHAR",
        "maintains_reported": "BOOLEAN",  # still meets the district criteria set
        "target_year": "INTEGER",  # Năm phấn đấu đạt chuẩn: a district not yet recognised
        "dossier_status": "VARCHAR",  # values.DOSSIER_STATUSES: under_appraisal | none
    },
    # B07_Huyen's table: the criteria of the district set in force (criteria_sets.csv, unit_level district)
    "raw.district_criterion_marks": {
        **LINEAGE,
        **SCOPE,
        "criteria_set_code": "VARCHAR NOT NULL",
        "criterion_number": "INTEGER NOT NULL",
        "is_met": "BOOLEAN NOT NULL",
    },
    # B08_OCOP_DanhGia: one row per product dossier of the year (every stage before, at and after a certificate)
    "raw.ocop_dossiers": {
        **LINEAGE,
        **SCOPE,
        "product_name": "VARCHAR NOT NULL",
        "producer_name": "VARCHAR NOT NULL",
        "product_key": "VARCHAR NOT NULL",  # as raw.ocop_products: one product across years and sheets
        "producer_key": "VARCHAR NOT NULL",
        "commune_code": "VARCHAR",
        "round_number": "INTEGER NOT NULL",  # Đợt: the evaluation round within the year
        "dossier_type": "VARCHAR NOT NULL",  # new | reevaluation
        "stage_code": "VARCHAR NOT NULL",  # values.DOSSIER_STAGES
        "score": "DOUBLE",
        "stars_proposed": "INTEGER",
    },
    # B01N_TieuChiNangCao: one row per commune x criterion of the advanced set (criteria_sets.csv, commune_advanced)
    "raw.advanced_criterion_marks": {
        **LINEAGE,
        **SCOPE,
        "commune_code": "VARCHAR NOT NULL",
        "criteria_set_code": "VARCHAR NOT NULL",
        "criterion_number": "INTEGER NOT NULL",
        "is_met": "BOOLEAN NOT NULL",
    },
}

TEMPLATE_2024_1 = Template(
    version="2024.1",
    valid_from=dt.date(2010, 1, 1),
    valid_to=dt.date(2025, 6, 1),
    criteria=CRITERIA_2021_2025,
    sheets=(
        Sheet(
            "cover",
            "ThongTinChung",
            required=True,
            aliases=("Thông tin chung",),
            # Label in column A, value in column B.
            columns=(
                *COVER_PROVINCE,
                Column("district_code", ("Mã huyện",), required=True),
                COVER_PERIOD,
                COVER_PROVINCE_NAME,
                Column("district_name", ("Huyện", "Tên huyện")),
                *COVER_TAIL,
            ),
            table="workbook_covers",
        ),
        Sheet(
            "b01",
            "B01_TieuChiXa",
            required=True,
            columns=(
                STT,
                COMMUNE_CODE,
                Column("commune_name", ("Tên xã",), required=True),
                Column("criteria", ("Tiêu chí",), required=True),  # merged over the numbered criteria
                Column("criteria_met", ("Số tiêu chí đạt",), required=True),
                Column("level", ("Mức đạt chuẩn",), required=True),
                Column("year_ntm", ("Năm đạt chuẩn NTM",)),
                Column("year_advanced", ("Năm đạt NTM nâng cao", "Năm đạt chuẩn NTM nâng cao")),
                Column("year_model", ("Năm đạt NTM kiểu mẫu", "Năm đạt chuẩn NTM kiểu mẫu")),
                Column("maintains", ("Duy trì",)),
                Column("note", ("Ghi chú",)),
            ),
            table="commune_criteria",
            rule="criteria.read_commune_columns",
            prefilled=("stt", "commune_code", "commune_name"),
            header_rows=2,
        ),
        Sheet(
            "b02",
            "B02_ChiTieu",
            required=False,
            columns=(
                COMMUNE_CODE,
                COMMUNE_NAME,
                Column("indicator", ("Mã chỉ tiêu", "Chỉ tiêu"), required=True),
                Column("value", ("Giá trị",), required=True),
                Column("unit", ("Đơn vị", "Đơn vị tính")),
                Column("met", ("Đạt", "Đánh giá")),
            ),
            table="commune_indicators",
            rule=INDICATORS,
        ),
        Sheet(
            "b03",
            "B03_ThonBan",
            required=False,
            columns=(
                STT,
                COMMUNE_CODE,
                COMMUNE_NAME,
                Column("village", ("Tên thôn/bản", "Tên thôn", "Thôn/bản"), required=True),
                Column("level", ("Mức đạt chuẩn",), required=True),
                Column("year", ("Năm công nhận",)),
            ),
            table="villages",
            rule=VILLAGES,
        ),
        Sheet(
            "b04",
            "B04_OCOP",
            required=True,
            columns=(
                STT,
                Column("product_code", ("Mã sản phẩm",)),
                Column("product_name", ("Tên sản phẩm",), required=True),
                Column("producer_name", ("Chủ thể", "Tên chủ thể"), required=True),
                Column("producer_type", ("Loại hình chủ thể",)),
                COMMUNE_CODE,
                COMMUNE_NAME,
                Column("group", ("Nhóm sản phẩm",)),
                Column("stars", ("Số sao", "Hạng sao"), required=True),
                Column("score", ("Điểm",)),
                Column("decision_number", ("Số quyết định",)),
                Column("decision_date", ("Ngày quyết định",), required=True),
                Column("expiry_date", ("Ngày hết hạn",)),
                Column("export_market", ("Thị trường xuất khẩu",)),
                Column("status", ("Trạng thái",)),
            ),
            table="ocop_products",
            rule=CERTIFICATES,
        ),
        Sheet(
            "b05",
            "B05_NguonVon",
            required=True,
            columns=(
                STT,
                Column("source", ("Nguồn vốn",), required=True),
                Column("plan_year", ("Năm kế hoạch",), required=True),
                Column("allocated", ("Kế hoạch vốn giao", "Kế hoạch vốn"), required=True),
                Column("disbursed", ("Giải ngân lũy kế", "Giải ngân"), required=True),
                Column("rate", ("Tỷ lệ giải ngân", "Tỷ lệ giải ngân (%)")),
            ),
            table="fund_positions",
            rule=FUNDS,
        ),
        Sheet(
            "b06",
            "B06_KeHoach",
            required=False,
            columns=(
                Column("target", ("Chỉ tiêu", "Mã chỉ tiêu"), required=True),
                Column("planned", ("Kế hoạch năm", "Kế hoạch"), required=True),
                Column("description", ("Nội dung chỉ tiêu", "Nội dung")),  # what the code counts, for reading only
            ),
            table="plan_targets",
            rule=TARGETS,
            prefilled=("target", "description"),
        ),
        # Label in column A, value in column B; the labels are the vocabulary values.DISTRICT_TOTALS.
        Sheet("totals", "TongHop", required=True, table="unit_totals", rule=TOTALS),
    ),
    raw_tables=RAW_TABLES,
)


# Template 2024.2's B07_Huyen: label/value rows (label in column A, value in column B) above its criteria table.
B07_STATUS = (
    Column("level", ("Mức đạt chuẩn huyện", "Mức đạt chuẩn"), required=True),
    Column("year_recognised", ("Năm công nhận",)),
    Column("decision_number", ("Số quyết định", "Số quyết định công nhận")),
    Column("maintains", ("Duy trì",)),
    Column("target_year", ("Năm phấn đấu đạt chuẩn",)),
    Column("dossier_status", ("Tình trạng hồ sơ",)),
)

# Template 2024.2 = 2024.1 plus three optional sheets and new codes in B03 (levels) and B06 (targets). A 2024.1
# workbook stays valid: it is read as 2024.1, and what it lacks is "not reported" (null), never zero.
_NEW_IN_2024_2 = {
    "b01n": Sheet(
        "b01n",
        "B01N_TieuChiNangCao",
        required=False,
        columns=(
            COMMUNE_CODE,
            Column("commune_name", ("Tên xã",), required=True),
            Column("criterion", ("Tiêu chí",), required=True),
            Column("met", ("Đạt",), required=True),
        ),
        table="advanced_criterion_marks",
        rule="criteria.read_advanced_marks",
    ),
    "b07": Sheet(
        "b07",
        "B07_Huyen",
        required=False,
        columns=(
            Column("criterion", ("Tiêu chí huyện",), required=True),
            Column("criterion_name", ("Tên tiêu chí",)),
            Column("met", ("Đạt",), required=True),
        ),
        table="district_status",
        rule="criteria.read_district_status",
        prefilled=("criterion", "criterion_name"),
        label_rows=B07_STATUS,
    ),
    "b08": Sheet(
        "b08",
        "B08_OCOP_DanhGia",
        required=False,
        columns=(
            STT,
            Column("product_name", ("Tên sản phẩm",), required=True),
            Column("producer_name", ("Chủ thể", "Tên chủ thể"), required=True),
            COMMUNE_CODE,
            COMMUNE_NAME,
            Column("round", ("Đợt", "Đợt đánh giá"), required=True),
            Column("dossier_type", ("Loại", "Loại hồ sơ"), required=True),
            Column("stage", ("Giai đoạn",), required=True),
            Column("score", ("Điểm",)),
            Column("stars_proposed", ("Số sao đề xuất",)),
        ),
        table="ocop_dossiers",
        rule="ocop.read_dossiers",
    ),
}


def _with_2024_2_sheets(sheets: tuple[Sheet, ...]) -> tuple[Sheet, ...]:
    """2024.1's sheets with B01N after B01 and B07, B08 before TongHop (the order the sample writes)."""
    out: list[Sheet] = []
    for sheet in sheets:
        if sheet.key == "totals":
            out += [_NEW_IN_2024_2["b07"], _NEW_IN_2024_2["b08"]]
        out.append(sheet)
        if sheet.key == "b01":
            out.append(_NEW_IN_2024_2["b01n"])
    return tuple(out)


TEMPLATE_2024_2 = Template(
    version="2024.2",
    valid_from=TEMPLATE_2024_1.valid_from,
    valid_to=TEMPLATE_2024_1.valid_to,
    criteria=CRITERIA_2021_2025,
    sheets=_with_2024_2_sheets(TEMPLATE_2024_1.sheets),
    raw_tables={**RAW_TABLES, **RAW_TABLES_2024_2},
)


def _own_rows(sheet_key: str) -> tuple[Column, ...]:
    """A sheet of template 2024.1 without its commune columns: in a commune's workbook the rows are its own."""
    return tuple(c for c in TEMPLATE_2024_1.sheet(sheet_key).columns if c.key not in ("commune_code", "commune_name"))


# The label/value rows below C01's criteria (label in the Tiêu chí column, value in the column after it): the
# commune's status, a row of raw.commune_criteria.
C01_STATUS = (
    Column("level", ("Mức đạt chuẩn",), required=True),
    Column("year_ntm", ("Năm đạt chuẩn NTM", "Năm đạt NTM")),
    Column("year_modern", ("Năm đạt NTM hiện đại", "Năm đạt chuẩn NTM hiện đại")),
    Column("year_advanced", ("Năm đạt NTM nâng cao", "Năm đạt chuẩn NTM nâng cao")),
    Column("year_model", ("Năm đạt NTM kiểu mẫu", "Năm đạt chuẩn NTM kiểu mẫu")),
    Column("decision_number", ("Số quyết định công nhận",)),
    Column("maintains", ("Duy trì",)),
)

# The commune workbook, from reporting month 07/2025: ../shared/spec/commune-workbook.md. Same machinery, same
# raw tables; C01 is long (one row per criterion of the set in force, then label/value rows).
TEMPLATE_2026_1 = Template(
    version="2026.1",
    valid_from=dt.date(2025, 7, 1),
    valid_to=None,
    reporting_level="commune",
    sheets=(
        Sheet(
            "cover",
            "ThongTinChung",
            required=True,
            aliases=("Thông tin chung",),
            columns=(
                *COVER_PROVINCE,
                Column("commune_code", ("Mã xã",), required=True),
                COVER_PERIOD,
                COVER_PROVINCE_NAME,
                Column("commune_name", ("Xã", "Tên xã")),
                Column("commune_group", ("Nhóm xã",)),
                *COVER_TAIL,
            ),
            table="workbook_covers",
        ),
        Sheet(
            "c01",
            "C01_TieuChi",
            required=True,
            columns=(
                Column("criterion", ("Tiêu chí",), required=True),
                Column("criterion_name", ("Tên tiêu chí",)),
                Column("met", ("Đạt",), required=True),
                Column("indicators_met", ("Số chỉ tiêu đạt",)),
                Column("indicators_total", ("Tổng số chỉ tiêu",)),
                Column("note", ("Ghi chú",)),
            ),
            table="commune_criterion_marks",
            rule="criteria.read_commune_rows",
            prefilled=("criterion", "criterion_name"),
            label_rows=C01_STATUS,
        ),
        # As B02 and B03, the rows being the reporting commune's (no Mã xã / Tên xã columns)
        Sheet("c02", "C02_ChiTieu", False, _own_rows("b02"), table="commune_indicators", rule=INDICATORS),
        Sheet("c03", "C03_ThonBan", False, _own_rows("b03"), table="villages", rule=VILLAGES),
        Sheet(
            "c04",
            "C04_OCOP",
            required=True,
            columns=(
                *TEMPLATE_2024_1.sheet("b04").columns,
                Column("issuing_level", ("Cấp công nhận",)),
            ),
            table="ocop_products",
            rule=CERTIFICATES,
        ),
        Sheet(
            "c05",
            "C05_NguonVon",
            True,
            TEMPLATE_2024_1.sheet("b05").columns,
            table="fund_positions",
            rule=FUNDS,
        ),
        Sheet(
            "c06",
            "C06_KeHoach",
            False,
            TEMPLATE_2024_1.sheet("b06").columns,
            table="plan_targets",
            rule=TARGETS,
            prefilled=("target", "description"),
        ),
        # Label in column A, value in column B; the labels are the vocabulary values.COMMUNE_TOTALS.
        Sheet("totals", "TongHop", required=True, table="unit_totals", rule=TOTALS),
    ),
    raw_tables=RAW_TABLES,
)

# A workbook names its template on the cover; one that does not is read as the latest template of its month (for
# a district month 2024.2, a superset of 2024.1 whose added sheets are optional).
TEMPLATES = (TEMPLATE_2024_1, TEMPLATE_2024_2, TEMPLATE_2026_1)


def template_for(version_written: str | None, month: dt.date) -> Template:
    """The template a workbook was written to: the cover's `Phiên bản biểu mẫu`, else the one of its month.

    A version this warehouse does not know is read as its month's template (the reader notes it): later
    versions of a template add optional sheets, which that reading ignores and notes.
    """
    for template in TEMPLATES:
        if version_written and template.version == version_written.strip():
            if not template.covers(month):
                until = f"{template.valid_to:%m/%Y}" if template.valid_to else "today"
                raise ValueError(
                    f"template {template.version} is for reporting months {template.valid_from:%m/%Y}–{until}, "
                    f"not {month:%m/%Y}"
                )
            return template
    for template in reversed(TEMPLATES):
        if template.covers(month):
            return template
    raise ValueError(f"no template of this warehouse covers the reporting month {month:%m/%Y}")


def raw_tables() -> dict[str, dict[str, str]]:
    """The raw tables of every template (one table serves the templates that share it)."""
    tables: dict[str, dict[str, str]] = {}
    for template in TEMPLATES:
        for name, columns in template.raw_tables.items():
            if name in tables and tables[name] != columns:
                raise ValueError(f"templates declare {name} differently: give the new layout a table of its own")
            tables[name] = columns
    return tables
