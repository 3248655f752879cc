"""Family C's documents typed as an office typist types them (python-docx): the header as a two-column
table without borders, the organ's underline and the motto's as paragraph borders, a justified body
with first-line indents, the signature block as a table beside the recipients, and page numbers at the
top centre from the second page."""
import random

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from sohoa.synth.office.content import Document

CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def vn_date(place: str, iso: str, rng: random.Random) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    # Decree 30 pads days below 10 and months below 3 with a zero; typists do not always follow it.
    day_text = f"{day:02d}" if day < 10 and rng.random() < 0.8 else str(day)
    month_text = f"{month:02d}" if month < 3 else str(month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {year}"


def run_in(paragraph, text: str, size: float, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    return run


def para(container, text: str = "", size: float = 13, align=CENTER, bold=False, italic=False, indent_cm=0.0,
         after_pt=0.0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    form = paragraph.paragraph_format
    form.space_before, form.space_after, form.line_spacing = Pt(0), Pt(after_pt), 1.0
    if indent_cm:
        form.first_line_indent = Cm(indent_cm)
    if text:
        run_in(paragraph, text, size, bold, italic)
    return paragraph


def short_rule(container, width_cm: float, column_cm: float) -> None:
    """A rule under a centred line, as typists draw it: the bottom border of a narrowed paragraph of a
    point's height."""
    paragraph = para(container, " ", 1)
    side = Cm(max(0.0, (column_cm - width_cm) / 2))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def two_columns(word, left_cm: float, right_cm: float):
    """A one-row table of two borderless cells of fixed widths (the grid's widths are what LibreOffice reads)."""
    table = word.add_table(rows=1, cols=2)
    table.alignment, table.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    no_borders(table)
    for column, cell, width in zip(table.columns, table.rows[0].cells, (left_cm, right_cm)):
        column.width = cell.width = Cm(width)
    return [clear(cell) for cell in table.rows[0].cells]


def clear(cell):
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return cell


def page_number_header(section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def header(word, doc: Document, rng: random.Random, size: float, left_cm: float, right_cm: float) -> None:
    left, right = two_columns(word, left_cm, right_cm)
    for line in doc.parent_lines:
        para(left, line, size - 1)
    for line in doc.organ_lines:
        para(left, line, size - 1, bold=True)
    short_rule(left, rng.uniform(1.8, 3.2), left_cm)
    para(left, "", 6)
    number = f"Số: {doc.code_number}/{doc.code_notation}" if rng.random() < 0.8 else \
        f"Số: {doc.code_number} /{doc.code_notation}"
    para(left, number, size)
    if not doc.has_title:
        para(left, doc.subject, size - 1)
    para(right, MOTTO[0], 12, bold=True)
    para(right, MOTTO[1], 13, bold=True)
    short_rule(right, rng.uniform(5.2, 6.0), right_cm)
    para(right, "", 6)
    para(right, vn_date(doc.place, doc.issued_date, rng), size, italic=True)


def body(word, doc: Document, size: float, indent: float, rng: random.Random) -> None:
    after = rng.choice((3, 6))
    if doc.has_title:
        para(word, "", size)
        para(word, doc.type_name.upper(), size + 1, bold=True)
        para(word, doc.subject, size, bold=True, after_pt=0)
        if rng.random() < 0.5:
            short_rule(word, rng.uniform(3, 5), 16.0)
        para(word, "", size)
    else:
        para(word, "", size)
    if doc.type_name in ("Công văn", "Tờ trình"):
        para(word, f"Kính gửi: {rng.choice(('Các phòng, ban chuyên môn', 'Ủy ban nhân dân các xã, thị trấn'))}",
             size, after_pt=6)
    if doc.type_name == "Quyết định":
        para(word, doc.authority_line, size, bold=True, after_pt=after)
        for line in doc.considerations:
            para(word, line, size, JUSTIFY, italic=True, indent_cm=indent, after_pt=after)
        para(word, "QUYẾT ĐỊNH:", size, bold=True, after_pt=after)
    for n, sentence in enumerate(doc.sentences, 1):
        paragraph = para(word, "", size, JUSTIFY, indent_cm=indent, after_pt=after)
        if doc.numbered:
            run_in(paragraph, f"Điều {n}. " if doc.type_name == "Quyết định" else f"{n}. ", size, bold=True)
        run_in(paragraph, sentence, size)


def signature(word, doc: Document, size: float) -> None:
    """The recipients and the signature block side by side, kept on one page with the paragraph before them (a
    typist never leaves the signer's name alone on a page)."""
    left, right = two_columns(word, 7.5, 8.5)
    row = left._tc.getparent()
    row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    word.paragraphs[-1].paragraph_format.keep_with_next = True
    word.paragraphs[-2].paragraph_format.keep_with_next = True
    paragraph = para(left, "", 12, LEFT)
    run_in(paragraph, "Nơi nhận:", 12, bold=True, italic=True)
    for line in doc.recipients:
        para(left, line, 11, LEFT)
    for line in doc.authority:
        para(right, line, size, bold=True)
    for _ in range(4):
        para(right, "", size)
    para(right, doc.signer_name, size, bold=True)


def write_docx(doc: Document, font: str, path, rng: random.Random) -> None:
    word = WordDocument()
    style = word.styles["Normal"]
    style.font.name = font
    style.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    size = rng.choice((13, 13, 14))
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(rng.uniform(1.8, 2.5)), Cm(2.0)
    section.left_margin, section.right_margin = Cm(rng.uniform(2.8, 3.2)), Cm(rng.uniform(1.5, 2.0))
    section.header_distance = Cm(1.0)
    page_number_header(section)
    left_cm = rng.uniform(5.6, 6.6)
    header(word, doc, rng, size, left_cm, 16.0 - left_cm)
    for mark in (doc.secrecy, doc.urgency):
        if mark:
            para(word, mark, size, LEFT, bold=True)
    body(word, doc, size, rng.choice((1.0, 1.27)), rng)
    para(word, "", size)
    signature(word, doc, size)
    word.save(str(path))
