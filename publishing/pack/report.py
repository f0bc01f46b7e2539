"""The briefing report (báo cáo) an office edits, signs and hands out: a Word document laid out as Decree
30/2020/NĐ-CP prescribes for administrative documents.

- The header: the governing and issuing bodies, Quốc hiệu and Tiêu ngữ, "Số: …/BC-VPĐP" left for the office's
  register, the place and date line left to fill, the title "BÁO CÁO" and its trích yếu.
- The body: I. Kết quả thực hiện (the sentences of the words module, the page's own: no second copy), II. Tồn tại,
  hạn chế and III. Nhiệm vụ trọng tâm tháng tới, pre-filled only with what the data says and marked as suggestions,
  with a marked place for the office to write.
- "Nơi nhận" and the signature block; the figures tables and charts as a Phụ lục on landscape pages.
- Times New Roman 14 pt body, A4 with the decree's margins (top and bottom 2 cm, left 3 cm, right 1,5 cm), page
  numbers at the top centre from the second page.

The bodies, place, number suffix, signer and recipients come from `report_settings.toml` beside this module,
overridden by `bao-cao.toml` in the data folder (per province or for all).
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publishing.pack.data import PackData
from publishing.pack.tables import figure_tables
from publishing.pack.words import (
    CHART_TITLES,
    CHECK_LABELS_VI,
    SAMPLE_NOTICE,
    SEVERITY_VI,
    STATUS_VI,
    next_tasks,
    sections,
    shortcomings,
)

DEFAULTS = Path(__file__).with_name("report_settings.toml")
OFFICE_SETTINGS = "bao-cao.toml"  # in the data folder
ROMAN = ("I", "II", "III", "IV")
FONT = "Times New Roman"


@dataclass(frozen=True)
class ReportSettings:
    parent_body: str
    issuing_body: str
    number_suffix: str
    place: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: not a valid settings file ({error})") from error


def report_settings(data: PackData, office_file: Path | None = None) -> ReportSettings:
    """The report's settings for the pack's province: the shipped defaults, then the office's file if there is one
    ([default], then [province."<code>"]). An unknown key names the file and the key."""
    known = {f for f in ReportSettings.__dataclass_fields__}
    merged: dict[str, Any] = {}
    for path in [DEFAULTS] + ([office_file] if office_file and office_file.exists() else []):
        document = _read(path)
        for part in (document.get("default", {}), document.get("province", {}).get(data.province_code, {})):
            unknown = sorted(set(part) - known)
            if unknown:
                raise ValueError(f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(known))})")
            merged.update(part)
    short = data.province_name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    units = _reporters(data)

    def fill(text: str) -> str:
        return text.replace("{PROVINCE}", short.upper()).replace("{province}", short).replace("{units}", units)

    return ReportSettings(
        **{k: fill(v) for k, v in merged.items() if k != "recipients"},
        recipients=tuple(fill(r) for r in merged["recipients"]),
    )


def report_fingerprint(settings: ReportSettings) -> str:
    """What of the settings the report shows: a pack is rewritten when the office changes them."""
    return repr(settings)


def render_docx(data: PackData, path: Path, settings: ReportSettings) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    doc.core_properties.title = _trich_yeu(data)
    doc.core_properties.language = "vi-VN"
    doc.core_properties.author = settings.issuing_body.title()

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.header_distance = section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True  # the first page shows no number (Decree 30)

    def run(paragraph, text: str, *, bold=False, italic=False, size=None, color=None):
        r = paragraph.add_run(text)
        if bold:  # set only when on: an explicit "off" is an element per run (a table's cells are thousands)
            r.bold = True
        if italic:
            r.italic = True
        if size:
            r.font.size = Pt(size)
        if color:
            r.font.color.rgb = RGBColor.from_string(color)
        return r

    def para(container, text: str = "", *, align=None, bold=False, italic=False, size=None, indent=True,
             before=0, after=6):  # fmt: skip
        p = container.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
        p.paragraph_format.first_line_indent = Cm(1.0) if indent and align is None else None
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
        if text:
            run(p, text, bold=bold, italic=italic, size=size)
        return p

    def rule(cell_paragraph_container, width_cm: float, cell_width_cm: float):
        """The short line under the issuing body and the Tiêu ngữ: a bottom border, indented to its length."""
        p = cell_paragraph_container.add_paragraph()
        side = Cm(max(cell_width_cm - width_cm, 0) / 2)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
        p.paragraph_format.space_after = Pt(4)
        p.paragraph_format.line_spacing = Pt(2)
        border = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            bottom.set(qn(f"w:{key}"), value)
        border.append(bottom)
        p._p.get_or_add_pPr().append(border)

    def no_borders(table):
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:val"), "nil")
            borders.append(element)
        table._tbl.tblPr.append(borders)

    def page_number(paragraph):
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
            r = paragraph.add_run()
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == "PAGE":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = "PAGE"
            else:
                element = OxmlElement("w:t")
                element.text = text
            r._r.append(element)

    # Headers: the page number (from page 2); a sample-data report says so on every page, the first included.
    for header, numbered in ((section.header, True), (section.first_page_header, False)):
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if numbered:
            page_number(p)
        if data.is_sample:
            notice = header.add_paragraph() if numbered else p
            notice.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run(notice, SAMPLE_NOTICE, bold=True, size=10, color="9C2A00")
    if data.is_sample:
        for footer in (section.footer, section.first_page_footer):
            p = footer.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run(p, SAMPLE_NOTICE, bold=True, size=10, color="9C2A00")

    # The header block: bodies and number on the left, Quốc hiệu, Tiêu ngữ and date on the right.
    left_cm, right_cm = 6.8, 9.7
    top = doc.add_table(rows=1, cols=2)
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    top.autofit = False
    no_borders(top)
    left, right = top.rows[0].cells
    for column, cell, width in ((top.columns[0], left, left_cm), (top.columns[1], right, right_cm)):
        column.width = cell.width = Cm(width)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    p = left.paragraphs[0]
    p.alignment = centre
    p.paragraph_format.space_after = Pt(0)
    run(p, settings.parent_body, size=12)
    para(left, settings.issuing_body, align=centre, bold=True, size=12, after=0)
    rule(left, 2.5, left_cm)
    para(left, f"Số:       /{settings.number_suffix}", align=centre, size=13, after=0)
    p = right.paragraphs[0]
    p.alignment = centre
    p.paragraph_format.space_after = Pt(0)
    run(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    para(right, "Độc lập - Tự do - Hạnh phúc", align=centre, bold=True, size=13, after=0)
    rule(right, 5.6, right_cm)
    para(right, f"{settings.place}, ngày     tháng     năm", align=centre, italic=True, size=13, after=0)

    para(doc, "BÁO CÁO", align=centre, bold=True, size=14, before=18, after=0)
    para(doc, _trich_yeu(data), align=centre, bold=True, size=14, after=0)
    rule(doc, 4.0, 16.5)
    if data.is_sample:
        para(doc, SAMPLE_NOTICE, align=centre, bold=True, size=12).runs[0].font.color.rgb = RGBColor(0x9C, 0x2A, 0)

    month = f"tháng {data.period_month.month} năm {data.period_month.year}"
    status = data.figures.get("validation_status") or "passed"
    published = f"{data.published_at:%d/%m/%Y}" if data.published_at else None
    para(
        doc,
        f"Văn phòng Điều phối nông thôn mới tỉnh báo cáo kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới "
        f"và Chương trình OCOP {month} như sau (số liệu tổng hợp từ báo cáo của {_reporters(data)}"
        + (f", công bố ngày {published}" if published else "")
        + f"; kiểm tra số liệu: {STATUS_VI.get(status, status)}):",
    )

    def heading(text: str):
        para(doc, text, bold=True, indent=False, before=6).paragraph_format.keep_with_next = True

    heading(f"{ROMAN[0]}. KẾT QUẢ THỰC HIỆN")
    for number, part in enumerate(sections(data), start=1):
        para(doc, f"{number}. {part.title}", bold=True, before=3).paragraph_format.keep_with_next = True
        for sentence in part.sentences:
            para(doc, sentence)

    def suggested(title: str, sentences: list[str], placeholder: str):
        heading(title)
        note = para(doc, "(Gợi ý từ số liệu; Văn phòng Điều phối xem lại, bổ sung trước khi ban hành.)", italic=True,
                    size=13)  # fmt: skip
        note.paragraph_format.keep_with_next = True
        for sentence in sentences:
            para(doc, f"- {sentence}")
        place = para(doc)
        run(place, placeholder, italic=True).font.highlight_color = WD_COLOR_INDEX.YELLOW

    suggested(f"{ROMAN[1]}. TỒN TẠI, HẠN CHẾ", shortcomings(data),
              "[Văn phòng Điều phối viết tiếp: tồn tại, hạn chế và nguyên nhân.]")  # fmt: skip
    suggested(f"{ROMAN[2]}. NHIỆM VỤ TRỌNG TÂM THÁNG TỚI", next_tasks(data),
              "[Văn phòng Điều phối viết tiếp: nhiệm vụ, giải pháp và đề xuất, kiến nghị.]")  # fmt: skip
    para(doc, "Trên đây là báo cáo kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới và Chương trình OCOP "
              f"{month} của Văn phòng Điều phối nông thôn mới tỉnh./.")  # fmt: skip

    # Nơi nhận (left, 12 pt bold italic heading, 11 pt list) and the signature block (right).
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    no_borders(sign)
    sign.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the signature stays with "Nơi nhận"
    recipients, signer = sign.rows[0].cells
    for column, cell, width in ((sign.columns[0], recipients, 7.5), (sign.columns[1], signer, 9.0)):
        column.width = cell.width = Cm(width)
    p = recipients.paragraphs[0]
    run(p, "Nơi nhận:", bold=True, italic=True, size=12)
    p.paragraph_format.space_after = Pt(0)
    for i, name in enumerate(settings.recipients):
        para(recipients, f"- {name}{'.' if i == len(settings.recipients) - 1 else ';'}", align=WD_ALIGN_PARAGRAPH.LEFT,
             size=11, after=0)  # fmt: skip
    p = signer.paragraphs[0]
    p.alignment = centre
    run(p, settings.signer_title, bold=True, size=14)
    para(signer, "(Ký, ghi rõ họ tên và đóng dấu)", align=centre, italic=True, size=12, after=60)
    para(signer, settings.signer_name or " ", align=centre, bold=True, size=14)

    # Phụ lục: landscape pages, the tables in the province's order of its units, a total row, then the charts.
    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    appendix.orientation = WD_ORIENT.LANDSCAPE
    appendix.page_width, appendix.page_height = Cm(29.7), Cm(21.0)
    appendix.top_margin, appendix.bottom_margin = Cm(3.0), Cm(1.5)  # bound on the long side, as the portrait pages
    appendix.left_margin = appendix.right_margin = Cm(2.0)
    appendix.different_first_page_header_footer = False
    para(doc, "PHỤ LỤC", align=centre, bold=True, after=0)
    para(doc, f"Số liệu {_trich_yeu(data)[0].lower()}{_trich_yeu(data)[1:]}", align=centre, italic=True, size=13)
    para(doc, f"(Kèm theo Báo cáo số       /{settings.number_suffix} của {settings.issuing_body.title()})",
         align=centre, italic=True, size=13)  # fmt: skip

    def table(title: str, headers: list[str], rows: list[list[str]], bold_rows: set[int] = frozenset(),
              widths: list[float] | None = None, numeric_from: int = 2):  # fmt: skip
        para(doc, title, bold=True, indent=False, size=13, before=6).paragraph_format.keep_with_next = True
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(t.rows[0].cells, headers, strict=True):
            cell.paragraphs[0].alignment = centre
            run(cell.paragraphs[0], text, bold=True, size=10)
        header_row = t.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeated on every page the table runs onto
        repeat.set(qn("w:val"), "true")
        header_row.append(repeat)
        for i, values in enumerate(rows):
            cells = t.add_row().cells
            for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
                p = cell.paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if j >= numeric_from else WD_ALIGN_PARAGRAPH.LEFT
                run(p, text, bold=i in bold_rows, size=10)
        for row in t.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.space_after = Pt(0)
                cell.paragraphs[0].paragraph_format.first_line_indent = None
        if widths:  # LibreOffice reads the grid, Word the cells: both are set
            t.autofit = False
            for column, width in zip(t.columns, widths, strict=True):
                column.width = Cm(width)
            for row in t.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
        return t

    for t in figure_tables(data):
        table(t.title, t.headers, t.rows, t.bold_rows, t.widths, t.numeric_from)
    for name, png in data.charts.items():
        para(doc, CHART_TITLES[name], bold=True, indent=False, size=13, before=6).paragraph_format.keep_with_next = True
        doc.add_picture(io.BytesIO(png), width=Cm(16.0))
        doc.paragraphs[-1].alignment = centre
    if data.warnings:
        rows = [
            [str(i), w["district_name"], CHECK_LABELS_VI.get(w["check_name"], w["check_name"]),
             SEVERITY_VI.get(w["severity"], w["severity"])]
            for i, w in enumerate(data.warnings, start=1)
        ]  # fmt: skip
        table("Cảnh báo khi kiểm tra số liệu", ["STT", "Đơn vị", "Nội dung", "Mức độ"], rows, set(),
              [1.2, 6.0, 15.0, 3.5], numeric_from=9)  # fmt: skip
    doc.save(str(path))
    return path


def _trich_yeu(data: PackData) -> str:
    return (
        "Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới và Chương trình OCOP "
        f"tháng {data.period_month.month} năm {data.period_month.year}"
    )


def _reporters(data: PackData) -> str:
    """Who reports the month, as the report names them ({units} in the settings)."""
    return "các huyện, thành phố" if data.unit_level == "district" else "các xã, phường"
