"""Every number of a briefing report is a number of the marts.

The numbers of the Word report's body and tables and of the HTML page are read back (Vietnamese notation: 1.234,5)
and each is matched to the published rows of its province and month, read here from the serving database
independently of the pack's own queries: the briefing marts' rows (the province's and its units'; the province's
of the month before and a year before, and their differences from the month's, for the comparisons), the criteria
bands, gaps and indicators, the funds, the restated history, the facts counted in the text (OCOP dossiers, the
advanced set), the checks' results. Besides them only the calendar (the month, its year, the publication date), the
identifiers the text names (criterion and indicator numbers, stars, groups, the years of a set's name) and a fund
table's "Cộng" rows, checked as the sums of the rows above them, may appear. The Word report and the page share
their sentences (one words module): each sentence of part I stands in the page, word for word.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from pathlib import Path

import duckdb

TOKEN = re.compile(r"\d[\d.,]*\d|\d")
VIETNAMESE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


# Identifiers and labels, not figures: taken out of the text before its numbers are read. A criterion named by
# number ("tiêu chí số 13 (…)", "; số 17 (…)"), an indicator code ("13.3": one digit after the dot, which a
# thousands group never has), stars, commune groups, a band's bounds ("đạt 15 - 18 tiêu chí", never "12,81 tiêu
# chí/xã"), a table's number ("Biểu 2."), the date the district-level OCOP ratings ended.
IDENTIFIERS = re.compile(
    r"(?:tiêu chí |; |, |^)số \d+(?= \(|[,.;:]|$)|\b\d+\.\d\b|\b[345] sao\b|nhóm \d\b|Biểu \d+\."
    r"|(?:[Đđ]ạt|[Dd]ưới) \d+(?: ?- ?\d+)? tiêu chí(?!/)|01/07/2025",
    re.M,
)


def numbers_in(text: str) -> list[tuple[str, float, int]]:
    """(as written, value, decimals) of every number: "1.234,5" is 1234.5; "13.3" (an indicator) and dates are
    their parts."""
    out = []
    for token in TOKEN.findall(text):
        if VIETNAMESE.fullmatch(token):
            decimals = len(token.split(",")[1]) if "," in token else 0
            out.append((token, float(token.replace(".", "").replace(",", ".")), decimals))
        else:
            out += [(part, float(part), 0) for part in re.split(r"[.,]", token) if part]
    return out


def _values(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> set[float]:
    values: set[float] = set()
    for row in con.execute(sql, params).fetchall():
        for value in row:
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, int | float | Decimal):
                values.add(float(value))
            elif isinstance(value, str):
                values |= {v for _, v, _ in numbers_in(value)}
            elif isinstance(value, dt.date):
                values |= {float(value.year), float(value.month), float(value.day)}
    return values


def published_numbers(serving: Path, province: str, month: dt.date) -> set[float]:
    key = [province, month]
    with duckdb.connect(str(serving), read_only=True) as con:
        queries = [
            ("select * from marts.mart_province_briefing where province_code = ? and period_month = ?", key),
            ("select * from marts.mart_district_briefing where province_code = ? and period_month = ?", key),
            ("select * from marts.mart_commune_briefing where province_code = ? and period_month = ?", key),
            ("select communes from marts.mart_criteria_bands where province_code = ? and period_month = ?", key),
            ("select * from marts.mart_criteria_gaps where geo_level = 'province' and province_code = ? "
             "and period_month = ?", key),
            ("select * from marts.mart_indicator_gaps where geo_level = 'province' and province_code = ? "
             "and period_month = ?", key),
            ("select * from marts.mart_fund_disbursement where geo_level = 'province' and province_code = ? "
             "and period_month = ?", key),
            ("select * from marts.mart_province_history where province_code = ? and period_month <= ?", key),
            ("select count(*) from marts.fct_ocop_dossier where province_code = ? and period_month = ? "
             "and is_evaluated and not is_failed group by grouping sets ((dossier_type, stars_proposed), "
             "(dossier_type))", key),
            ("select count(*) from (select commune_code, count_if(is_met) as met "
             "from marts.fct_commune_advanced_criteria where province_code = ? and period_month = ? group by all) "
             "m join marts.dim_criteria_band b on b.criteria_set_code = 'ntm-xa-nang-cao-2021-2025' "
             "and m.met between b.min_criteria and b.max_criteria group by b.band_code", key),
            ("select c.set_name_vi, c.criteria_in_set from marts.dim_criteria_set c", []),
            ("select published_at from publication", []),
            ("select extract(hour from published_at), extract(minute from published_at) from publication", []),
        ]  # fmt: skip
        has_results = con.execute(
            "select count(*) from information_schema.tables where table_name = 'validation_results'"
        ).fetchone()[0]
        if has_results:
            queries.append(("select details from validation_results where province_code = ? and period_month = ?", key))
        values: set[float] = set()
        for sql, params in queries:
            values |= _values(con, sql, params)
        # the comparison with the month before and the same month a year before: their rows, and each column's
        # difference from the month's own (a difference of two published figures)
        cursor = con.execute(
            "select * from marts.mart_province_briefing where province_code = ? and period_month in "
            "(?::date, ?::date - interval 1 month, ?::date - interval 12 month) order by period_month desc",
            [province, month, month, month],
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for earlier in rows[1:]:
            for column, then in earlier.items():
                now = rows[0].get(column)
                if isinstance(then, int | float | Decimal) and isinstance(now, int | float | Decimal):
                    if not isinstance(then, bool):
                        values |= {float(then), abs(float(now) - float(then))}
    return values | {float(month.year), float(month.month)}  # the month and its year


def matches(value: float, decimals: int, published: set[float]) -> bool:
    return any(abs(round(p, decimals) - value) < 10 ** -(decimals + 3) for p in published)


def docx_texts(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """The body's paragraphs and every table's rows of cell texts (headers and footers left out)."""
    import docx

    document = docx.Document(str(path))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


def page_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    """The page's text outside its tables, and its tables as rows of cell texts."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<img[^>]*>", " ", text, flags=re.S)
    tables = [
        [
            [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
        ]
        for table in re.findall(r"<table>(.*?)</table>", text, flags=re.S)
    ]
    outside = re.sub(r"<table>.*?</table>", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", outside)), tables


def check_report(directory: Path, serving: Path, province: str, month: dt.date) -> int:
    """Assert that every number of the report and the page is published; returns how many numbers were checked."""
    published = published_numbers(serving, province, month)
    paragraphs, tables = docx_texts(directory / f"bao-cao-{province}-{month:%Y-%m}.docx")
    page, page_tables = page_text(directory / f"bao-cao-giao-ban-{province}-{month:%Y-%m}.html")
    # the headings ("1. Xây dựng xã nông thôn mới") are numbered, not figures
    texts = [("report", p) for p in paragraphs if not re.match(r"\d+\. ", p)] + [("page", page)]
    # a table both show is the same table, cell for cell (written once: publishing/pack/tables.py); the page's
    # others are checked as the report's are
    in_report = {tuple(t[0]): t for t in tables}
    shared = [t for t in page_tables if tuple(t[0]) in in_report]
    assert len(shared) >= 2 and all(t == in_report[tuple(t[0])] for t in shared)
    for table in tables + [t for t in page_tables if tuple(t[0]) not in in_report]:
        headers = table[0]  # labels ("Xã đạt 19 tiêu chí"), not figures
        for row in table[1:]:
            if len(headers) > 1 and headers[1] == "Nguồn vốn" and row[1].startswith("Cộng kế hoạch năm"):
                year_rows = [r for r in table[1:] if r[0] == row[0] and not r[1].startswith("Cộng kế hoạch năm")]
                for column in (2, 3):
                    total = sum(numbers_in(r[column])[0][1] for r in year_rows)
                    assert abs(numbers_in(row[column])[0][1] - round(total, 1)) < 1e-6, (row, total)
                continue
            cells = row[1:] if headers[0] == "STT" else row  # a row's ordinal is no figure
            texts += [("report table", cell) for cell in cells]
    checked = 0
    unmatched = []
    for where, text in texts:
        for written, value, decimals in numbers_in(IDENTIFIERS.sub(" ", text)):
            checked += 1
            if not matches(value, decimals, published):
                at = max(text.find(written) - 60, 0)
                unmatched.append(f"{where}: {written!r} in {' '.join(text[at : at + 140].split())!r}")
    assert not unmatched, "numbers the marts do not hold:\n" + "\n".join(unmatched)
    # one source of sentences: each of part I's sentences stands in the page word for word
    flat_page = " ".join(page.split())  # the page outside its tables
    start = paragraphs.index("I. KẾT QUẢ THỰC HIỆN")
    end = paragraphs.index("II. TỒN TẠI, HẠN CHẾ")
    sentences = [p for p in paragraphs[start + 1 : end] if not re.match(r"\d+\. ", p)]
    assert sentences and all(" ".join(s.split()) in flat_page for s in sentences)
    return checked
