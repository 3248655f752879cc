"""Family B's pages as HTML and CSS, for Chromium to lay out and print: the header as two table
columns, organ headers of up to four lines, subjects with or without a rule under them, "V/v" under
the number of a công văn, lists and tables in the body, page numbers at the top centre, the
signature block with recipients beside it, and a dossier's cover, table of contents and attachments.
Marks drawn after printing (seal, stamps, signature, pen digits) are images, positioned over the text.
"""
import base64
import html
import random
from dataclasses import dataclass, field

from sohoa.synth.printed.content import Attachment, Document

FONTS = ("Noto Serif Display", "DejaVu Serif Condensed", "Liberation Sans", "Noto Sans")


@dataclass
class Sheet:
    """One HTML file to print, and what the truth needs to know of it."""
    html: str
    kind: str  # "document", "appendix", "cover", "toc" or "attachment"
    pen: dict = field(default_factory=dict)  # {"number": "15", "day": "05"} written in by hand


def img(data: bytes, style: str) -> str:
    return f'<img src="data:image/png;base64,{base64.b64encode(data).decode()}" style="{style}">'


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def page_css(font: str, size: str = "A4", numbered: bool = True) -> str:
    numbers = ("@page { @top-center { content: counter(page); font-size: 12pt; } } "
               "@page :first { @top-center { content: none; } }") if numbered else ""
    return f"""<style>
@page {{ size: {size}; margin: 18mm 18mm 18mm 28mm; }}
{numbers}
body {{ font-family: "{font}"; font-size: 13.5pt; line-height: 1.28; color: #111; margin: 0; }}
.head {{ width: 100%; border-collapse: collapse; }}
.head td {{ vertical-align: top; text-align: center; padding: 0; font-size: 12.5pt; white-space: nowrap; }}
.rule {{ border-top: 1px solid #111; margin: 2px auto 6px; }}
.centre {{ text-align: center; }}
.body p {{ text-align: justify; text-indent: 12mm; margin: 0 0 5px; }}
.bases p {{ font-style: italic; }}
.sig {{ width: 100%; border-collapse: collapse; margin-top: 14px; page-break-inside: avoid; }}
.sig td {{ vertical-align: top; }}
.recipients {{ font-size: 11pt; line-height: 1.2; }}
.block {{ text-align: center; font-weight: bold; position: relative; }}
.grid {{ border-collapse: collapse; width: 100%; font-size: 12pt; margin: 6px 0; }}
.grid td, .grid th {{ border: 1px solid #111; padding: 2px 5px; }}
.mark {{ position: absolute; }}
</style>"""


def header_cells(doc: Document, pen_number: bytes | None, pen_day: bytes | None, stamp: bytes | None,
                 rng: random.Random) -> str:
    left = "".join(f"<div>{esc(line)}</div>" for line in doc.parent_lines)
    left += "".join(f"<div><b>{esc(line)}</b></div>" for line in doc.organ_lines)
    left += '<div class="rule" style="width: 35%"></div>'
    number = img(pen_number, "height: 1.3em; vertical-align: -0.35em") + "&nbsp;&nbsp;" if pen_number else \
        esc(doc.code_number)
    left += f"<div>Số: {number}/{esc(doc.code_notation)}</div>"
    if doc.type_name == "Công văn":
        left += f'<div style="font-size: 12pt; padding: 0 6mm; white-space: normal">{esc(doc.subject)}</div>'
    year, month, day = doc.issued_date.split("-")
    day_text = img(pen_day, "height: 1.2em; vertical-align: -0.3em") + "&nbsp;" if pen_day else day
    date = f"{esc(doc.place)}, ngày {day_text} tháng {int(month)} năm {year}"
    stamp_html = img(stamp, f"position: absolute; left: {rng.randint(5, 40)}%; top: -0.9em; height: 24mm; "
                            "opacity: 0.85") if stamp else ""
    right = ("<div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></div><div><b>Độc lập - Tự do - Hạnh phúc</b></div>"
             '<div class="rule" style="width: 52%"></div>'
             f'<div style="font-style: italic; margin-top: 4px; position: relative">{date}{stamp_html}</div>')
    return (f'<table class="head"><tr><td style="width: 42%">{left}</td>'
            f'<td style="width: 58%; position: relative">{right}</td></tr></table>')


def marks_above(doc: Document) -> str:
    marks = [m for m in (doc.secrecy, doc.urgency) if m]
    return "".join(f'<div style="display: inline-block; border: 2px solid #111; padding: 0 6px; margin: 4px 14mm; '
                   f'font-weight: bold">{esc(m)}</div>' for m in marks)


def title_block(doc: Document, rule: bool) -> str:
    if doc.type_name == "Công văn":
        return '<div style="height: 10px"></div>'
    lines = "".join(f'<div style="white-space: nowrap">{esc(line)}</div>' for line in doc.subject_lines)
    under = '<div class="rule" style="width: 30%"></div>' if rule else '<div style="height: 8px"></div>'
    authority = ""
    if doc.type_name == "Quyết định":
        authority = f'<div class="centre" style="font-weight: bold; margin: 6px 0">{esc(authority_line(doc))}</div>'
    return (f'<div class="centre" style="font-weight: bold; margin-top: 14px; font-size: 14pt">'
            f"{esc(doc.type_name.upper())}</div>"
            f'<div class="centre" style="font-weight: bold; padding: 0 10mm">{lines}</div>{under}{authority}')


def authority_line(doc: Document) -> str:
    """The issuing authority under a decision's subject: the head's title and the organ."""
    if doc.code_notation.endswith("-TTg"):
        return "THỦ TƯỚNG CHÍNH PHỦ"
    return doc.organ_name if doc.organ_name.startswith("ỦY BAN") else f"{doc.head} {doc.organ_name}"


def body(doc: Document, rng: random.Random) -> str:
    parts = []
    if doc.bases:
        parts.append('<div class="bases">' + "".join(f"<p>{esc(b)}</p>" for b in doc.bases) + "</div>")
        parts.append('<div class="centre" style="font-weight: bold; margin: 8px 0">QUYẾT ĐỊNH:</div>')
    elif doc.type_name == "Công văn":
        parts.append(f'<div class="centre" style="margin: 6px 0">Kính gửi: {esc(recipient(rng))}</div>')
    for n, paragraph in enumerate(doc.paragraphs, 1):
        lead = f"<b>Điều {n}.</b> " if doc.bases else ""
        parts.append(f"<p>{lead}{esc(paragraph)}</p>")
        if n == 1 and doc.items:
            parts.append("".join(f"<p>{k}. {esc(item)}</p>" for k, item in enumerate(doc.items, 1)))
        if n == 1 and doc.table_rows:
            parts.append(table(doc.table_rows, rng))
    return '<div class="body">' + "".join(parts) + "</div>"


def recipient(rng: random.Random) -> str:
    return rng.choice(("Ủy ban nhân dân các huyện, thành phố", "Các sở, ban, ngành thuộc tỉnh",
                       "Bộ Tài nguyên và Môi trường"))


def table(rows: int, rng: random.Random) -> str:
    head = "<tr><th>STT</th><th>Đơn vị</th><th>Số lượng</th><th>Ghi chú</th></tr>"
    units = ("Xã Quang Sơn", "Phường Bắc Sơn", "Xã Yên Sơn", "Phường Tân Bình", "Xã Đông Sơn", "Xã Gia Thủy")
    cells = "".join(f"<tr><td>{i}</td><td>{units[i % len(units)]}</td><td>{rng.randint(2, 900)}</td><td></td></tr>"
                    for i in range(1, rows + 1))
    return f'<table class="grid">{head}{cells}</table>'


def signature_block(doc: Document, seal: bytes, scribble: bytes) -> str:
    recipients = ("<b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT, TH.")
    lines = "".join(f"<div>{esc(line)}</div>" for line in doc.authority)
    # The seal sits over the left part of the position lines and the signature, as it is stamped.
    return (f'<table class="sig"><tr><td class="recipients" style="width: 48%">{recipients}</td>'
            f'<td class="block" style="width: 52%">{lines}'
            f'{img(seal, "position: absolute; left: -6mm; top: 0.6em; width: 36mm; opacity: 0.9")}'
            f'{img(scribble, "display: block; margin: 2mm auto; width: 40mm")}'
            f'<div style="margin-top: 8mm">{esc(doc.signer_name)}</div></td></tr></table>')


def document_sheet(doc: Document, font: str, marks: dict, rng: random.Random) -> Sheet:
    """The document's pages up to its signature. marks: PNG bytes of "seal", "signature", and maybe
    "pen_number", "pen_day", "stamp", "signing_box"."""
    box = img(marks["signing_box"], "display: block; width: 85mm; margin: 0 auto 4mm") \
        if "signing_box" in marks else ""
    rule = rng.random() < 0.6
    content = (box + header_cells(doc, marks.get("pen_number"), marks.get("pen_day"), marks.get("stamp"), rng)
               + marks_above(doc) + title_block(doc, rule) + body(doc, rng)
               + signature_block(doc, marks["seal"], marks["signature"]))
    pen = {k: v for k, v in (("number", doc.code_number if "pen_number" in marks else None),
                             ("day", doc.issued_date[-2:] if "pen_day" in marks else None)) if v}
    return Sheet(f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{page_css(font)}</head>'
                 f"<body>{content}</body></html>", "document", pen)


def appendix_sheet(doc: Document, font: str, rng: random.Random) -> Sheet:
    """An A3 landscape appendix: a wide table of the decision's figures."""
    rows = "".join(f"<tr><td>{i}</td><td>Khu vực {i}</td>" + "".join(f"<td>{rng.randint(10, 9999)}</td>"
                                                                       for _ in range(8)) + "</tr>"
                   for i in range(1, 16))
    heads = "".join(f"<th>Năm {2025 + k}</th>" for k in range(8))
    content = (f'<div class="centre"><b>Phụ lục</b></div><div class="centre"><b>CHỈ TIÊU PHÂN BỔ THEO KHU VỰC</b>'
               f'</div><div class="centre"><i>(Kèm theo Quyết định số {esc(doc.code_number)}/{esc(doc.code_notation)})'
               f'</i></div><table class="grid"><tr><th>STT</th><th>Khu vực</th>{heads}</tr>{rows}</table>')
    return Sheet(f'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
                 f'{page_css(font, "A3 landscape", numbered=False)}</head><body>{content}</body></html>', "appendix")


def cover_sheet(title: str, file_code: str, start: str, end: str, sheets: int, retention: str, organ: str,
                font: str) -> Sheet:
    """The dossier cover (bìa hồ sơ) as archives print it."""
    content = (f'<div class="centre"><b>{esc(organ)}</b></div><div style="height: 30mm"></div>'
               f'<div style="text-align: right">Mã hồ sơ: {esc(file_code)}</div><div style="height: 20mm"></div>'
               f'<div class="centre" style="font-size: 26pt; font-weight: bold">HỒ SƠ</div>'
               f'<div class="centre" style="font-size: 16pt; font-weight: bold; padding: 6mm 12mm">{esc(title)}</div>'
               f'<div style="height: 40mm"></div><div class="centre">Từ ngày {esc(start)} đến ngày {esc(end)}</div>'
               f'<div class="centre">Gồm {sheets} tờ</div>'
               f'<div class="centre">Thời hạn bảo quản: {esc(retention)}</div>')
    return Sheet(f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{page_css(font, numbered=False)}'
                 f"</head><body>{content}</body></html>", "cover")


def toc_sheet(rows: list[tuple[str, str, str, str, int]], font: str) -> Sheet:
    """The table of contents (mục lục văn bản): number and symbol, date, author, summary, first sheet."""
    cells = "".join(f'<tr><td>{i}</td><td style="white-space: nowrap">{esc(code)}</td><td>{esc(date)}</td>'
                    f"<td>{esc(author)}</td>"
                    f"<td>{esc(summary)}</td><td>{sheet}</td><td></td></tr>"
                    for i, (code, date, author, summary, sheet) in enumerate(rows, 1))
    content = ('<div class="centre" style="font-size: 15pt"><b>MỤC LỤC VĂN BẢN</b></div>'
               '<table class="grid" style="font-size: 11pt"><tr><th>STT</th><th>Số, ký hiệu</th><th>Ngày tháng</th>'
               f"<th>Tác giả</th><th>Trích yếu nội dung</th><th>Tờ số</th><th>Ghi chú</th></tr>{cells}</table>")
    return Sheet(f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{page_css(font, numbered=False)}'
                 f"</head><body>{content}</body></html>", "toc")


def attachment_sheet(attachment: Attachment, font: str, rng: random.Random) -> Sheet:
    """A page without a Decree 30 header: a table, a photo or map, or a blank form."""
    if attachment.kind == "photo":
        inner = ('<div style="height: 150mm; margin: 8mm 0; background: repeating-linear-gradient(45deg, #999, '
                 '#999 6px, #666 6px, #666 12px)"></div><div class="centre"><i>Ảnh chụp ngày 12/3 tại thực địa</i>'
                 "</div>")
    elif attachment.kind == "form":
        inner = "".join(f"<p>{label}: ......................................................</p>"
                        for label in ("Họ và tên", "Địa chỉ", "Số điện thoại", "Ý kiến góp ý", "Đề xuất"))
    else:
        inner = table(rng.randint(8, 14), rng)
    content = f'<div class="centre" style="font-size: 14pt; margin-bottom: 6mm"><b>{esc(attachment.title)}</b></div>'
    return Sheet(f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{page_css(font, numbered=False)}'
                 f'</head><body>{content}<div class="body">{inner}</div></body></html>', "attachment")
