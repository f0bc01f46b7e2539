"""What each reporting unit is told about its workbook, in Vietnamese and by cell: `ntm-ocop feedback`.

The reader and the suites record their reasons in English for data engineers (``audit.rejected_files``,
``audit.rejected_rows``, ``audit.validation_results``). What a unit reads comes from one place, the catalogues
below: each English reason (a pattern) has its Vietnamese wording, its consequence and what to do. A reason no entry
covers still reads in Vietnamese (``FALLBACK``); ``tests/test_feedback.py`` shows the reader's reasons each have an
entry of their own, and ``tests/test_resubmission.py`` that a run's feedback holds no English word.

For a province and month: one workbook per unit with a problem,
``<reports>/feedback/<province>/<YYYY-MM>/phan-hoi-<unit code>-<YYYY-MM>.xlsx``, one row per problem (the file as
the unit named it, when it was received, sheet, row, column and the cell as Excel names it, the value found, what
was expected, the consequence, what to do); and the province's summary, ``tong-hop-phan-hoi-<province>-<YYYY-MM>.xlsx``,
one row per unit of the month: received or not, accepted / held back / rejected, its problems by kind, the file that
counts. A workbook whose rows have not changed is not written again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from ingestion.reference import AdminUnits

# --- the catalogue: an English reason's pattern -> (what is wrong, what to do), in the office's words ----------

WHOLE_FILE = "cả biểu bị từ chối, số liệu chưa được tiếp nhận"
ROW_REJECTED = "dòng này bị loại, các dòng khác vẫn được tiếp nhận"
HELD_BACK = "số liệu của đơn vị chưa được công bố"
WARNING = "đã công bố, có cảnh báo"
UNCHANGED = "không có thay đổi: số liệu vẫn như lần nhận trước"

# What a Vocabulary names (ingestion/values.py `what`), as the template's headers say it.
WHAT = {
    "level": "mức đạt chuẩn",
    "yes/no answer": "giá trị Có hoặc Không",
    "producer type": "loại hình chủ thể",
    "certificate status": "trạng thái sản phẩm",
    "OCOP product group": "nhóm sản phẩm OCOP",
    "fund source": "nguồn vốn",
    "plan target code": "mã chỉ tiêu kế hoạch",
    "district level": "mức đạt chuẩn của huyện",
    "dossier status": "tình trạng hồ sơ",
    "dossier type": "loại hồ sơ",
    "dossier stage": "giai đoạn hồ sơ",
    "issuing level": "cấp công nhận",
    "village level": "mức đạt chuẩn của thôn",
    "district total": "chỉ tiêu tổng hợp",
    "commune total": "chỉ tiêu tổng hợp",
}


@dataclass(frozen=True)
class Reason:
    pattern: str  # a regular expression over the English reason (named groups feed the wording)
    problem: str  # what is wrong, in Vietnamese; {value}, {cell} and the pattern's groups may appear
    action: str  # what to do


# Rows of a sheet (audit.rejected_rows): the first entry whose pattern matches is the one.
ROW_REASONS = (
    Reason(
        r"criterion mark .* is not one of",
        "ô đánh giá tiêu chí ghi '{value}'",
        "Sửa ô {cell} thành Đạt hoặc Chưa đạt rồi gửi lại.",
    ),
    Reason(
        r"is not a known (?P<what>[\w/ ]+?) \((?P<choices>.*)\)$",
        "'{value}' không phải {what} trong danh mục",
        "Chọn lại ô {cell} trong danh sách ({choices}) rồi gửi lại.",
    ),
    Reason(
        r"characters, more than the (?P<limit>\d+)",
        "nội dung ô quá dài (quá {limit} ký tự)",
        "Ghi ngắn gọn ở ô {cell} (tên hoặc ghi chú, tối đa {limit} ký tự) rồi gửi lại.",
    ),
    Reason(r"is not a 4-digit year", "'{value}' không phải một năm (4 chữ số)", "Ghi năm ở ô {cell}, ví dụ 2023."),
    Reason(r"is not a star rating", "'{value}' không phải số sao", "Ghi 3, 4 hoặc 5 ở ô {cell} rồi gửi lại."),
    Reason(
        r"is not a (real )?date|is not a date",
        "'{value}' không phải một ngày",
        "Ghi ngày ở ô {cell} dạng ngày/tháng/năm, ví dụ 15/03/2024.",
    ),
    Reason(
        r"is not a number|is not a whole number|is not a count",
        "'{value}' không phải một số",
        "Ghi số ở ô {cell} (dấu phẩy ngăn cách phần thập phân).",
    ),
    Reason(r"is negative|below zero|must not be negative", "'{value}' là số âm", "Ghi số không âm ở ô {cell}."),
    Reason(
        r"criterion (?P<n>\d+) is not a criterion of",
        "tiêu chí số {n} không thuộc bộ tiêu chí của tháng báo cáo",
        "Xóa dòng này hoặc sửa số thứ tự tiêu chí ở ô {cell}.",
    ),
    Reason(r"is written twice", "tiêu chí được ghi hai lần", "Giữ một dòng cho mỗi tiêu chí rồi gửi lại."),
    Reason(
        r"NTM (criteria|levels) apply to xã only",
        "phường, đặc khu không đánh giá tiêu chí nông thôn mới",
        "Để trống phần tiêu chí của biểu này.",
    ),
    Reason(
        r"commune code .* belongs to",
        "mã xã '{value}' thuộc đơn vị khác, không thuộc đơn vị báo cáo",
        "Sửa ô {cell} thành mã xã của đơn vị (xem danh sách trong ô) rồi gửi lại.",
    ),
    Reason(
        r"commune code .* (is not a 5-digit GSO code|names no commune)",
        "'{value}' không phải mã xã còn hiệu lực trong tháng báo cáo",
        "Sửa ô {cell} theo danh mục mã xã.",
    ),
    Reason(
        r"commune name .* matches (no|several) commune",
        "không xác định được xã '{value}'",
        "Ghi mã xã ở cột Mã xã của dòng này.",
    ),
    Reason(r"neither a commune code", "dòng không ghi mã xã và tên xã", "Ghi mã xã hoặc tên xã của dòng này."),
    Reason(
        r"is at level .* but '(?P<label>[^']+)' is empty",
        "xã đã đạt chuẩn nhưng chưa ghi {label}",
        "Ghi {label} ở ô {cell}.",
    ),
    Reason(
        r"is before the year of NTM",
        "năm ghi ở ô này sớm hơn năm đạt chuẩn nông thôn mới",
        "Kiểm tra lại các năm công nhận của dòng này.",
    ),
    Reason(r"after the reporting month", "năm công nhận sau tháng báo cáo", "Kiểm tra lại năm ở ô {cell}."),
    Reason(
        r"not loaded: the commune's status",
        "kết quả tiêu chí không được tiếp nhận vì mức đạt chuẩn của xã bị loại",
        "Sửa mức đạt chuẩn của xã (dưới bảng tiêu chí) rồi gửi lại.",
    ),
    Reason(r"(?P<what>.+) is empty", "ô bắt buộc còn trống", "Điền ô {cell} rồi gửi lại."),
    Reason(
        r"the sheet was not loaded",
        "biểu không đọc được nên chưa được tiếp nhận",
        "Giữ nguyên dòng tiêu đề của biểu theo mẫu rồi gửi lại.",
    ),
)

# Whole files (audit.received_files.status_reason of a rejected file).
FILE_REASONS = (
    Reason(r"not filled in", "mẫu gửi lại chưa điền số liệu", "Điền số liệu của tháng vào mẫu rồi gửi lại."),
    Reason(
        r"required sheet\(s\) missing: (?P<sheets>[^(]+)",
        "thiếu biểu bắt buộc: {sheets}",
        "Dùng mẫu biểu do Văn phòng Điều phối gửi, đủ các biểu, rồi gửi lại.",
    ),
    Reason(
        r"Kỳ báo cáo",
        "Kỳ báo cáo ở trang ThongTinChung thiếu hoặc không đúng dạng tháng/năm",
        "Chọn Kỳ báo cáo (ví dụ 12/2023) ở trang ThongTinChung rồi gửi lại.",
    ),
    Reason(
        r"is reported by each (?P<level>\w+) on template",
        "mẫu biểu không đúng với tháng báo cáo",
        "Dùng mẫu của tháng này (từ 07/2025 mỗi xã tự báo cáo theo mẫu 2026.1) rồi gửi lại.",
    ),
    Reason(
        r"names no \w+ valid in (?P<month>\d\d/\d{4}) \(the code was: (?P<spans>[^)]*)\)",
        "mã đơn vị ở trang ThongTinChung không thuộc đơn vị nào còn hiệu lực trong tháng {month} (mã này là của "
        "{spans})",
        "Kiểm tra Mã tỉnh, mã đơn vị và Kỳ báo cáo ở trang ThongTinChung: ghi mã của đơn vị còn hiệu lực trong tháng "
        "báo cáo (từ 07/2025 là mã sau sắp xếp).",
    ),
    Reason(
        r"is not a \w+ code of any official list since 2010",
        "mã đơn vị ở trang ThongTinChung không có trong danh mục đơn vị hành chính nào từ năm 2010",
        "Kiểm tra Mã tỉnh và mã đơn vị ở trang ThongTinChung theo danh mục đơn vị hành chính rồi gửi lại.",
    ),
    Reason(
        r"Mã (tỉnh|huyện|xã) .* (not|no longer|did not|before|after|was)",
        "mã đơn vị ở trang ThongTinChung không còn hiệu lực trong tháng báo cáo",
        "Kiểm tra Mã tỉnh, mã đơn vị và Kỳ báo cáo ở trang ThongTinChung.",
    ),
    Reason(
        r"Ngày lập",
        "Ngày lập ở trang ThongTinChung không hợp lệ",
        "Ghi ngày lập báo cáo (ngày/tháng/năm), không sau ngày gửi.",
    ),
    Reason(r"cover", "trang ThongTinChung thiếu hoặc mâu thuẫn", "Kiểm tra trang ThongTinChung theo mẫu rồi gửi lại."),
    Reason(r"encrypted|password", "tệp được đặt mật khẩu", "Gỡ mật khẩu của tệp rồi gửi lại."),
    Reason(r"MB, over the|rows, over the", "tệp quá lớn", "Chỉ gửi các biểu của mẫu báo cáo."),
    Reason(
        r"is not a workbook: it is",
        "tệp gửi đến không phải là bảng tính của mẫu báo cáo",
        "Gửi tệp bảng tính (.xlsx) của mẫu báo cáo, không gửi ảnh, tệp PDF hay văn bản.",
    ),
    Reason(
        r"damaged|not a workbook|cannot be read|empty|unreadable|Invalid|zip",
        "tệp không mở được như một bảng tính",
        "Lưu lại tệp bằng Excel (.xlsx) rồi gửi lại.",
    ),
    Reason(
        r"template \S+ is for reporting months",
        "phiên bản mẫu biểu không dùng cho tháng báo cáo",
        "Dùng mẫu biểu của tháng này rồi gửi lại.",
    ),
    Reason(r"sheets .* are both", "một biểu có hai trang tính", "Xóa trang tính thừa rồi gửi lại."),
    Reason(r"no header row", "biểu thiếu dòng tiêu đề theo mẫu", "Giữ nguyên dòng tiêu đề của biểu rồi gửi lại."),
)
FALLBACK = Reason(
    "",
    "số liệu ở đây không đọc được theo mẫu biểu",
    "Kiểm tra lại theo trang HuongDan rồi gửi lại; cần hỗ trợ, liên hệ Văn phòng Điều phối.",
)

# Validation checks (audit.validation_results) by suite: what a failed check means for the unit.
CHECK_WORDS = {
    "unit_totals": (
        "số tổng hợp không khớp với số chi tiết",
        "Đối chiếu lại số ở TongHop (hoặc dòng tổng) với các biểu chi tiết, sửa cho khớp rồi gửi lại.",
    ),
    "ocop_star_counts": (
        "số sản phẩm OCOP theo số sao ở TongHop không khớp với biểu sản phẩm OCOP",
        "Đối chiếu TongHop với danh sách sản phẩm, sửa cho khớp rồi gửi lại.",
    ),
    "commune_totals": ("số tổng hợp của xã không khớp với số chi tiết", "Đối chiếu TongHop với các biểu chi tiết."),
    "plausibility": (
        "số liệu khác thường so với tháng trước",
        "Kiểm tra lại; nếu số liệu đúng, ghi lý do vào Ghi chú.",
    ),
    "reference_integrity": (
        "mã xã không có trong danh mục đơn vị hành chính của tháng",
        "Sửa mã xã theo danh mục rồi gửi lại.",
    ),
    "unit_consistency": (
        "số liệu mâu thuẫn trong cùng một biểu (một xã ghi hai lần với giá trị khác nhau…)",
        "Giữ một dòng cho mỗi xã, sửa cho thống nhất rồi gửi lại.",
    ),
    "internal_consistency": ("số liệu mâu thuẫn giữa các cột", "Kiểm tra lại các cột của dòng rồi gửi lại."),
}


def _wording(reasons: tuple[Reason, ...], reason: str, value: str | None, cell: str) -> tuple[Reason, str, str]:
    for entry in reasons:
        match = re.search(entry.pattern, reason)
        if match:
            groups = {
                k: (WHAT.get(g.strip(), g.strip()) if k == "what" else g.strip().replace("–today", "–nay"))
                for k, g in match.groupdict().items()
                if g
            }
            fields = {"value": value or "", "cell": cell or "này", **groups}
            return entry, _sentence(entry.problem.format(**fields)), entry.action.format(**fields)
    return FALLBACK, _sentence(FALLBACK.problem), FALLBACK.action


def cell_of(sheet: str | None, row: int | None, column_name: str | None) -> str:
    """The cell as Excel names it (C01_TieuChi!D7) from a rejection's sheet, 1-based row and column name "Label (D)"."""
    letter = re.search(r"\(([A-Z]{1,3})\)$", column_name or "")
    if sheet and row and letter:
        return f"{sheet}!{letter[1]}{row}"
    if sheet and row:
        return f"{sheet}!{row}:{row}"
    return sheet or ""


@dataclass(frozen=True)
class Problem:
    unit_code: str
    file_name: str
    received_at: str
    sheet: str
    row_number: int | None
    column: str
    cell: str
    value: str
    problem: str
    consequence: str
    action: str
    kind: str  # rejected_file | rejected_row | held_back | warning
    uncatalogued: bool = False  # the reason had no entry of its own (FALLBACK)
    source: str = ""  # what it was recorded as, for data engineers: the English reason, or suite.check_name


def problems(con: duckdb.DuckDBPyConnection, province_code: str, month: dt.date) -> list[Problem]:
    """Every problem of the province's units in the month: rejected files, rows of the files that count, failed
    checks of the unit-months (the province's coverage is the summary's, not a unit's)."""
    out: list[Problem] = []
    for name, received, code, reason in con.execute(
        "select file_name, received_at, reporting_unit_code, status_reason from audit.received_files "
        "where status = 'rejected' and province_code = ? and period_month = ? and reporting_unit_code is not null "
        "order by received_at, file_name",
        [province_code, month],
    ).fetchall():
        entry, what, action = _wording(FILE_REASONS, reason or "", None, "")
        out.append(
            Problem(
                code,
                name,
                f"{received:%d/%m/%Y %H:%M}",
                "",
                None,
                "",
                "",
                "",
                what,
                WHOLE_FILE,
                action,
                "rejected_file",
                entry is FALLBACK,
                reason or "",
            )
        )
    # a file sent again byte for byte: answered, so that the unit knows it arrived and that nothing changed
    for name, first_name, first, resent, code in con.execute(
        "select r.file_name, f.file_name, f.received_at, r.seen_at, f.reporting_unit_code from audit.resent_files r "
        "join audit.received_files f using (file_sha256) where f.province_code = ? and f.period_month = ? "
        "and f.reporting_unit_code is not null order by r.seen_at, r.file_name",
        [province_code, month],
    ).fetchall():
        out.append(
            Problem(
                code, name, f"{resent:%d/%m/%Y %H:%M}", "", None, "", "", "",
                f"Tệp này đã được nhận ngày {first:%d/%m/%Y %H:%M} (tên tệp khi đó: {first_name}); lần gửi lại "
                "giống hệt lần trước từng byte.",
                UNCHANGED,
                "Nếu cần sửa số liệu, sửa trong tệp rồi gửi lại; nếu muốn dùng lại một bản đã gửi trước đó, liên hệ "
                "Văn phòng Điều phối.",
                "resent", False, "resent_file",
            )
        )  # fmt: skip
    for name, received, code, sheet, row, column, value, reason in con.execute(
        """
        select f.file_name, f.received_at, f.reporting_unit_code, r.sheet, r.row_number, r.column_name, r.value,
               r.reason
        from audit.rejected_rows as r
        inner join audit.received_files as f using (file_sha256)
        where f.status = 'loaded' and f.province_code = ? and f.period_month = ?
        order by f.reporting_unit_code, r.sheet, r.row_number, r.column_name
        """,
        [province_code, month],
    ).fetchall():
        cell = cell_of(sheet, row, column)
        entry, what, action = _wording(ROW_REASONS, reason, value, cell)
        label = re.sub(r"\s*\([A-Z]{1,3}\)$", "", column or "")
        out.append(
            Problem(
                code,
                name,
                f"{received:%d/%m/%Y %H:%M}",
                sheet,
                row,
                label,
                cell,
                value or "",
                what,
                ROW_REJECTED,
                action,
                "rejected_row",
                entry is FALLBACK,
                reason,
            )
        )
    for code, suite, check, severity, details, name, received, total_sheet, total_row in con.execute(
        """
        with latest as (
            select *, row_number() over (
                partition by suite, check_name, reporting_unit_code, period_month order by checked_at desc) as n
            from audit.validation_results
            where province_code = ? and period_month = ? and reporting_unit_code is not null
        )
        select l.reporting_unit_code, l.suite, l.check_name, l.severity, l.details, f.file_name, f.received_at,
               t.sheet, t.row_number
        from latest as l
        left join audit.received_files as f
            on f.status = 'loaded' and f.reporting_unit_code = l.reporting_unit_code
            and f.period_month = l.period_month and f.province_code = l.province_code
        left join raw.unit_totals as t  -- the TongHop row a total check is about: its cell
            on t.file_sha256 = f.file_sha256 and t.source_table = 'TongHop'
            and l.check_name = t.indicator_code || '_match_' || f.reporting_unit_level || '_total'
        where l.n = 1 and not l.success
        order by 1, 2, 3
        """,
        [province_code, month],
    ).fetchall():
        what, action = CHECK_WORDS.get(suite, (FALLBACK.problem, FALLBACK.action))
        label = re.search(r"TongHop '([^']+)'", details or "")
        if label and total_row:  # a total of TongHop that the detail does not give: the cell to look at
            what = f"'{label[1]}' ở TongHop không khớp với số đếm từ các biểu chi tiết"
        kind = "held_back" if severity == "critical" else "warning"
        out.append(
            Problem(
                code,
                name or "",
                f"{received:%d/%m/%Y %H:%M}" if received else "",
                total_sheet or "",
                total_row,
                label[1] if label and total_row else "",
                cell_of(total_sheet, total_row, "(B)") if total_row else "",
                _vietnamese_figures(details or ""),
                _sentence(what + _units_named(details or "")),
                HELD_BACK if kind == "held_back" else WARNING,
                action,
                kind,
                suite not in CHECK_WORDS,
                f"{suite}.{check}",
            )
        )
    return out


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _units_named(details: str) -> str:
    """The communes a check names at the end of its details ("(01891 Xã Bành Trạch: ntm → not_yet)"), their levels
    in the template's words."""
    from ingestion.values import LEVELS

    named = re.search(r"\(([0-9]{5} [^)]+)\)\s*$", details)
    if not named:
        return ""
    text = re.sub(r"\b(not_yet|ntm|advanced|model|modern)\b", lambda m: LEVELS.labels[m[1]], named[1])
    return f" ({text})"


# A check's measures as a unit reads them: the exact names first, then by their prefix; others are not shown.
def record_feedback(con: duckdb.DuckDBPyConnection) -> int:
    """Every province-month's problems into audit.unit_feedback (replaced whole): what marts.mart_unit_feedback
    serves. Returns the rows written."""
    months = con.execute(
        "select distinct province_code, period_month from audit.received_files "
        "where province_code is not null and period_month is not null order by 1, 2"
    ).fetchall()
    rows = [
        (
            province,
            month,
            p.unit_code,
            p.file_name,
            p.received_at,
            p.sheet or None,
            p.row_number,
            p.column or None,
            p.cell or None,
            p.value or None,
            p.problem,
            p.consequence,
            p.action,
            p.kind,
            p.source,
            p.uncatalogued,
        )
        for province, month in months
        for p in problems(con, province, month)
    ]
    con.execute("begin")
    con.execute("delete from audit.unit_feedback")
    if rows:
        con.executemany(f"insert into audit.unit_feedback values ({', '.join('?' * 16)})", rows)
    con.execute("commit")
    return len(rows)


_FIGURE_WORDS = {
    "reported_star_sum": "3 sao + 4 sao + 5 sao ở TongHop",
    "reported_ocop_products": "'Số sản phẩm OCOP' ở TongHop",
    "communes_losing_level": "số xã giảm mức đạt chuẩn",
    "detail": "chi tiết",
    "reported": "đơn vị ghi",
}


def _vietnamese_figures(figures: str) -> str:
    """A check's figures ("detail_3_star = 31, reported_3_star = 32") as the unit reads them ("chi tiết 31; đơn vị
    ghi 32"): the words of the check's measure are the warehouse's, the numbers are the unit's."""
    parts = []
    for name, value in re.findall(r"(\w+) = (-?\d+(?:\.\d+)?)", figures):
        word = _FIGURE_WORDS.get(name) or next((vi for en, vi in _FIGURE_WORDS.items() if name.startswith(en)), None)
        if word:
            parts.append(f"{word}: {'không' if float(value) == 0 else _vn(value)}")  # a zero said in words
    return "; ".join(parts)


def _vn(value: str) -> str:
    """A number in Vietnamese notation (11.115,5); anything else as it is."""
    try:
        number = float(value)
    except ValueError:
        return value
    text = f"{number:,.2f}".rstrip("0").rstrip(".") if number != int(number) else f"{int(number):,}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@dataclass(frozen=True)
class UnitStatus:
    unit_code: str
    unit_name: str
    received: bool
    file_name: str
    received_at: str
    status: str  # đã tiếp nhận | chưa công bố | bị từ chối | chưa gửi
    rejected_rows: int
    warnings: int
    held_back: int


def summary(
    con: duckdb.DuckDBPyConnection, units: AdminUnits, province_code: str, month: dt.date, found: list[Problem]
) -> list[UnitStatus]:
    """One row per reporting unit of the province in the month, in the order of their codes."""
    from ingestion.template_workbook import reporting_units

    latest = {
        code: (name, received, status)
        for code, name, received, status in con.execute(
            """
            select reporting_unit_code, file_name, received_at, status from audit.received_files
            where province_code = ? and period_month = ? and status in ('loaded', 'rejected')
            qualify row_number() over (partition by reporting_unit_code
                                       order by status = 'loaded' desc, received_at desc) = 1
            """,
            [province_code, month],
        ).fetchall()
    }
    reference = units.at(month)
    listed = reporting_units(reference, province_code, month) if province_code in reference.provinces else []
    # a file naming a unit (or province) that did not exist in the month: its own row, after the month's units
    named = [(u.code, u.name) for u in listed]
    named += [
        (code, f"Mã {code} (không có trong danh mục của tháng)") for code in sorted(set(latest) - {c for c, _ in named})
    ]
    rows = []
    for code, unit_name in named:
        mine = [p for p in found if p.unit_code == code]
        name, received, status = latest.get(code, ("", None, None))
        held = sum(p.kind == "held_back" for p in mine)
        words = (
            "chưa gửi"
            if status is None
            else "bị từ chối"
            if status == "rejected"
            else "chưa công bố"
            if held
            else "đã tiếp nhận"
        )
        rows.append(
            UnitStatus(
                code,
                unit_name,
                status is not None,
                name,
                f"{received:%d/%m/%Y %H:%M}" if received else "",
                words,
                sum(p.kind == "rejected_row" for p in mine),
                sum(p.kind == "warning" for p in mine),
                held,
            )
        )
    return rows


# --- writing ---------------------------------------------------------------------------------------------------

PROBLEM_COLUMNS = (  # what a unit reads (Problem.kind, .uncatalogued and .source are the warehouse's)
    ("Tệp đã gửi", "file_name", 34),
    ("Thời điểm nhận", "received_at", 16),
    ("Biểu", "sheet", 16),
    ("Dòng", "row_number", 7),
    ("Cột", "column", 18),
    ("Ô", "cell", 18),
    ("Giá trị ghi", "value", 18),
    ("Vấn đề", "problem", 44),
    ("Hậu quả", "consequence", 30),
    ("Cần làm", "action", 48),
)
SUMMARY_COLUMNS = (
    ("Mã", "unit_code", 8),
    ("Đơn vị", "unit_name", 26),
    ("Tình trạng", "status", 14),
    ("Tệp được tính", "file_name", 34),
    ("Thời điểm nhận", "received_at", 16),
    ("Dòng bị loại", "rejected_rows", 10),
    ("Cảnh báo", "warnings", 10),
    ("Lỗi nghiêm trọng", "held_back", 12),
)


def _write_if_changed(path: Path, rows: list[dict], write) -> bool:
    """Write `path` unless the file there was made from the same rows (their hash, kept beside it)."""
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
    stamp = path.with_name(f".{path.name}.sha256")
    if path.exists() and stamp.exists() and stamp.read_text() == digest:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path)
    stamp.write_text(digest)
    return True


def _sheet(path: Path, title: str, subtitle: str, columns, rows: list[dict]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    base = {"font_name": "Times New Roman", "font_size": 11, "text_wrap": True, "valign": "top", "border": 1}
    header = book.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "align": "center", "valign": "vcenter"})
    cell = book.add_format(base)
    ws = book.add_worksheet("PhanHoi")
    ws.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 13, "font_name": "Times New Roman"}))
    ws.write_string(1, 0, subtitle, book.add_format({"italic": True, "font_name": "Times New Roman"}))
    for col, (label, _, width) in enumerate(columns):
        ws.write_string(3, col, label, header)
        ws.set_column(col, col, width)
    ws.set_row(3, 30)
    for r, row in enumerate(rows, start=4):
        # wrapped text: LibreOffice and Excel keep the height written, so the row is as tall as its longest cell
        lines = max(-(-len(str(row.get(key) or "")) // max(1, int(width * 1.1))) for _, key, width in columns)
        ws.set_row(r, 15 * max(1, lines))
        for col, (_, key, _) in enumerate(columns):
            value = row.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                ws.write_number(r, col, value, cell)
            elif value is None or value == "":
                ws.write_blank(r, col, None, cell)
            else:
                ws.write_string(r, col, str(value), cell)
    ws.freeze_panes(4, 0)
    ws.repeat_rows(3)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    book.close()


def _html(title: str, subtitle: str, rows: list[dict]) -> str:
    """The unit's feedback as a short page to paste into a mail: where, what, what to do."""
    from html import escape

    items = []
    for row in rows:
        where = row["cell"] or row["sheet"] or row["file_name"]
        said = "ghi" if row["kind"] in ("rejected_row", "rejected_file") else "số liệu"  # a cell's value, a check's
        found = f" ({said}: “{escape(row['value'])}”)" if row["value"] else ""
        items.append(
            f"<li><b>{escape(where)}</b>{found}: {escape(row['problem'])}. <i>{escape(row['consequence'])}.</i> "
            f"{escape(row['action'])}</li>"
        )
    files = sorted({row["file_name"] for row in rows if row["file_name"]})
    sent = f"<p>Tệp đã gửi: {escape(', '.join(files))}.</p>" if files else ""
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>' + escape(title) + "</title></head>"
        "<body style=\"font-family: 'Times New Roman', serif; max-width: 52em\">"
        f"<h3>{escape(title)}</h3><p>{escape(subtitle)}</p>{sent}<ol>{''.join(items)}</ol></body></html>\n"
    )


@dataclass
class Written:
    directory: Path
    units: list[Path]
    summary: Path
    rewritten: int


def write_feedback(
    con: duckdb.DuckDBPyConnection, units: AdminUnits, reports: Path, province_code: str, month: dt.date
) -> Written:
    """The feedback workbooks of a province's month (one per unit with a problem) and its summary."""
    found = problems(con, province_code, month)
    statuses = summary(con, units, province_code, month, found)
    names = {s.unit_code: s.unit_name for s in statuses}
    directory = reports / "feedback" / province_code / f"{month:%Y-%m}"
    written, rewritten = [], 0
    for code in sorted({p.unit_code for p in found}):
        rows = [asdict(p) for p in found if p.unit_code == code]
        path = directory / f"phan-hoi-{code}-{month:%Y-%m}.xlsx"
        title = f"PHẢN HỒI VỀ BÁO CÁO THÁNG {month:%m/%Y} - {names.get(code, code).upper()}"
        issues = [r for r in rows if r["kind"] != "resent"]
        subtitle = (
            f"{len(issues)} vấn đề cần xem; sửa theo cột Cần làm rồi gửi lại báo cáo của tháng {month:%m/%Y}."
            if issues
            else f"Đã nhận tệp gửi lại của tháng {month:%m/%Y}: không có thay đổi so với lần nhận trước."
        )

        def write(target: Path, title=title, subtitle=subtitle, rows=rows) -> None:
            _sheet(target, title, subtitle, PROBLEM_COLUMNS, rows)
            target.with_suffix(".html").write_text(_html(title, subtitle, rows), encoding="utf-8")  # for mail

        rewritten += _write_if_changed(path, rows, write)
        written.append(path)
    rows = [asdict(s) for s in statuses]
    path = directory / f"tong-hop-phan-hoi-{province_code}-{month:%Y-%m}.xlsx"
    sent = sum(s.received for s in statuses)
    title = f"TỔNG HỢP TIẾP NHẬN BÁO CÁO THÁNG {month:%m/%Y}"
    subtitle = f"{sent}/{len(statuses)} đơn vị đã gửi báo cáo." if sent else "Chưa có đơn vị nào gửi báo cáo."
    rewritten += _write_if_changed(path, rows, lambda p: _sheet(p, title, subtitle, SUMMARY_COLUMNS, rows))
    return Written(directory, written, path, rewritten)
