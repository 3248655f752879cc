"""Render a DocumentSpec as clean A4 page images in the Decree 30 layout (Phụ lục I)."""
import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageFont

from sohoa.synth.content import SENTENCES, DocumentSpec
from sohoa.synth.fonts import FontFamily, pen_font_file

A4_MM = (210.0, 297.0)
INK = (20, 20, 20)
RED = (205, 35, 45)
BLUE = (30, 50, 165)
PEN_INKS = (BLUE, (35, 35, 75))  # a blue ballpoint (lifted with the coloured ink) and a blue-black one
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30.0, 15.0, 20.0, 22.0
LEFT_COL = (14.0, 90.0)
RIGHT_COL = (92.0, 202.0)


class PageCanvas:
    def __init__(self, dpi: int, family: FontFamily):
        self.dpi = dpi
        self.family = family
        self.image = Image.new("RGB", (self.px(A4_MM[0]), self.px(A4_MM[1])), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[str] = []  # ground truth text, in reading order
        self._fonts: dict = {}

    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    def font(self, size_pt: float, style: str = "regular") -> ImageFont.FreeTypeFont:
        key = (size_pt, style)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(self.family.files[style], round(size_pt / 72 * self.dpi))
        return self._fonts[key]

    def width_mm(self, text: str, size_pt: float, style: str = "regular") -> float:
        return self.font(size_pt, style).getlength(text) / self.dpi * 25.4

    def text(self, text: str, y_mm: float, size_pt: float, style: str = "regular", *,
             x_mm: float | None = None, center: tuple[float, float] | None = None,
             color=INK, underline: float = 0.0) -> float:
        """Draw one line; returns the y (mm) below it. center=(x0, x1) centres it in that span."""
        width = self.width_mm(text, size_pt, style)
        if center is not None:
            x_mm = (center[0] + center[1] - width) / 2
        self.draw.text((self.px(x_mm), self.px(y_mm)), text, font=self.font(size_pt, style), fill=color)
        line_h = size_pt * 0.3528 * 1.35
        if underline:
            uy = self.px(y_mm + size_pt * 0.3528 * 1.25)
            uw = width * underline
            ux = x_mm + (width - uw) / 2
            self.draw.line([(self.px(ux), uy), (self.px(ux + uw), uy)], fill=color, width=max(1, self.dpi // 150))
            line_h += 1.2
        self.lines.append(text)
        return y_mm + line_h

    def wrap(self, text: str, width_mm: float, size_pt: float, style: str = "regular") -> list[str]:
        words, lines, current = text.split(), [], ""
        for word in words:
            candidate = f"{current} {word}".strip()
            if current and self.width_mm(candidate, size_pt, style) > width_mm:
                lines.append(current)
                current = word
            else:
                current = candidate
        return lines + ([current] if current else [])


class DocumentRenderer:
    """Lays a document out over as many pages as it needs."""

    def __init__(self, spec: DocumentSpec, dpi: int, family: FontFamily, rng: random.Random, hard: bool = False):
        self.spec, self.dpi, self.family, self.rng = spec, dpi, family, rng
        self.body_pt = rng.choice((13.0, 14.0))
        self.pages: list[PageCanvas] = []
        self.kinds: list[str] = []
        self.y = 0.0
        # Hard scans: number and day written by hand after signing, a received stamp, an appendix.
        self.pen = rng.choice(PEN_INKS) if hard and pen_font_file() and rng.random() < 0.3 else None
        self.received_stamp = hard and rng.random() < 0.3
        self.appendix = hard and spec.doc_type is not None and spec.doc_type.has_title and rng.random() < 0.25

    def new_page(self, kind: str | None = None) -> PageCanvas:
        page = PageCanvas(self.dpi, self.family)
        self.pages.append(page)
        self.kinds.append(kind or ("first" if len(self.pages) == 1 else "continuation"))
        if len(self.pages) > 1:
            page.text(str(len(self.pages)), 10.0, 13, center=(MARGIN_LEFT, A4_MM[0] - MARGIN_RIGHT))
        self.y = MARGIN_TOP if len(self.pages) == 1 else 22.0
        return page

    @property
    def page(self) -> PageCanvas:
        return self.pages[-1]

    def ensure_room(self, mm: float) -> None:
        if self.y + mm > A4_MM[1] - MARGIN_BOTTOM:
            self.new_page()

    def paragraph(self, text: str, size_pt: float, style: str = "regular", indent: float = 10.0) -> None:
        width = A4_MM[0] - MARGIN_LEFT - MARGIN_RIGHT
        lines = self.page.wrap(text, width - indent, size_pt, style)
        for i, line in enumerate(lines):
            self.ensure_room(size_pt * 0.3528 * 1.5)
            self.y = self.page.text(line, self.y, size_pt, style, x_mm=MARGIN_LEFT + (indent if i == 0 else 0))
        self.y += 1.5

    def render(self) -> list[Image.Image]:
        spec = self.spec
        page = self.new_page()
        header_pt = self.rng.choice((12.0, 13.0))
        # Left column: parent organ, issuing organ (bold, underlined), number, V/v subject.
        y_left = MARGIN_TOP - 6
        if spec.parent_organ:
            for line in page.wrap(spec.parent_organ, LEFT_COL[1] - LEFT_COL[0], header_pt):
                y_left = page.text(line, y_left, header_pt, center=LEFT_COL)
        organ_lines = page.wrap(spec.organ_name, LEFT_COL[1] - LEFT_COL[0], header_pt, "bold")
        for i, line in enumerate(organ_lines):
            last = i == len(organ_lines) - 1
            y_left = page.text(line, y_left, header_pt, "bold", center=LEFT_COL, underline=0.4 if last else 0)
        y_left += 1.5
        y_left = self.line_with_handwriting(page, ["Số: ", spec.code_number, f"/{spec.code_notation}"], y_left, 13,
                                            "regular", LEFT_COL)
        if spec.doc_type is not None and not spec.doc_type.has_title:
            for line in page.wrap(spec.subject, LEFT_COL[1] - LEFT_COL[0] - 6, 12):
                y_left = page.text(line, y_left, 12, center=LEFT_COL)
        stamps = [s for s in (spec.secrecy, spec.urgency) if s]
        for stamp in stamps:
            y_left = self.stamp_box(page, stamp, y_left + 2)
        # Right column: national motto, place and date.
        y_right = page.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", MARGIN_TOP - 6, 12, "bold", center=RIGHT_COL)
        y_right = page.text("Độc lập - Tự do - Hạnh phúc", y_right, 13, "bold", center=RIGHT_COL, underline=1.0)
        year, month, day = spec.issued_date.split("-")
        y_right = self.line_with_handwriting(page, [f"{spec.place}, ngày ", day, f" tháng {month} năm {year}"],
                                             y_right + 3, 13, "italic", RIGHT_COL)
        self.y = max(y_left, y_right) + 6
        content = (MARGIN_LEFT, A4_MM[0] - MARGIN_RIGHT)
        if spec.doc_type is None or spec.doc_type.has_title:
            self.y = page.text(spec.type_name.upper(), self.y, 14, "bold", center=content)
            subject_lines = page.wrap(spec.subject, 125, 14, "bold")
            for i, line in enumerate(subject_lines):
                last = i == len(subject_lines) - 1
                self.y = page.text(line, self.y, 14, "bold", center=content, underline=0.3 if last else 0)
            self.y += 4
            for basis in spec.bases:
                self.paragraph(basis, self.body_pt, "italic")
        else:
            self.y = page.text("Kính gửi: Các sở, ban, ngành thuộc tỉnh.", self.y + 2, 14, center=content) + 3
        for n, text in enumerate(spec.body_paragraphs, 1):
            prefix = f"Điều {n}. " if spec.type_name == "Quyết định" and n <= 3 else ""
            self.paragraph(prefix + text, self.body_pt)
        self.signature_block()
        if self.appendix:
            self.appendix_page()
        if self.received_stamp:
            self.stamp_received(self.pages[0])
        return [p.image for p in self.pages]

    def page_kinds(self) -> list[str]:
        """"first", "continuation" or "appendix" for each rendered page."""
        return list(self.kinds)

    def page_texts(self) -> list[str]:
        """The printed text of each rendered page, a line per line, in reading order (left header
        column before the right one)."""
        return ["\n".join(p.lines) for p in self.pages]

    def line_with_handwriting(self, page: PageCanvas, parts: list[str], y_mm: float, size_pt: float, style: str,
                              column: tuple[float, float]) -> float:
        """A centred line of printed parts, the middle one (a number or a day) written by hand when
        this document's number was filled in with a pen; the truth records the line as it reads."""
        if self.pen is None:
            return page.text("".join(parts), y_mm, size_pt, style, center=column)
        before, by_hand, after = parts
        gap = 2.5
        hand_mm = self.handwriting_width(page, by_hand, size_pt)
        width = page.width_mm(before, size_pt, style) + hand_mm + 2 * gap + page.width_mm(after, size_pt, style)
        x = (column[0] + column[1] - width) / 2
        page.draw.text((page.px(x), page.px(y_mm)), before, font=page.font(size_pt, style), fill=INK)
        x += page.width_mm(before, size_pt, style) + gap
        self.handwrite(page, by_hand, x, y_mm, size_pt)
        x += hand_mm + gap
        page.draw.text((page.px(x), page.px(y_mm)), after, font=page.font(size_pt, style), fill=INK)
        page.lines.append("".join(parts))
        return y_mm + size_pt * 0.3528 * 1.35

    def handwriting_width(self, page: PageCanvas, text: str, size_pt: float) -> float:
        font = ImageFont.truetype(pen_font_file(), round(size_pt * 1.3 / 72 * self.dpi))
        return font.getlength(text) / self.dpi * 25.4

    def handwrite(self, page: PageCanvas, text: str, x_mm: float, y_mm: float, size_pt: float) -> None:
        """Digits in a calligraphic face, each tilted and lifted a little, in pen ink."""
        font = ImageFont.truetype(pen_font_file(), round(size_pt * 1.3 / 72 * self.dpi))
        x = page.px(x_mm)
        for ch in text:
            glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
            ImageDraw.Draw(glyph).text((font.size // 2, font.size // 3), ch, font=font, fill=255)
            glyph = glyph.rotate(self.rng.uniform(-8, 8), resample=Image.BICUBIC)
            lift = self.rng.randint(-self.dpi // 50, self.dpi // 50) - font.size // 4
            page.image.paste(Image.new("RGB", glyph.size, self.pen), (x - font.size // 2, page.px(y_mm) + lift),
                             glyph)
            x += round(font.getlength(ch) * self.rng.uniform(0.95, 1.1))

    def stamp_received(self, page: PageCanvas) -> None:
        """The red "ĐẾN" stamp a registry puts on incoming documents, with its number and date written
        in; it overlaps the top of the left header column. Not part of the document's text."""
        w, h = page.px(44), page.px(20)
        layer = Image.new("RGB", (w, h), "white")
        draw = ImageDraw.Draw(layer)
        draw.rectangle([0, 0, w - 1, h - 1], outline=RED, width=max(2, self.dpi // 100))
        font = ImageFont.truetype(self.family.files["bold"], round(10 / 72 * self.dpi))
        small = ImageFont.truetype(self.family.files["regular"], round(9 / 72 * self.dpi))
        draw.text((page.px(3), page.px(1.5)), "ĐẾN", font=font, fill=RED)
        draw.text((page.px(3), page.px(7)), "Số: ..........", font=small, fill=RED)
        draw.text((page.px(3), page.px(12.5)), "Ngày: ........", font=small, fill=RED)
        pen = ImageFont.truetype(pen_font_file() or self.family.files["italic"], round(12 / 72 * self.dpi))
        draw.text((page.px(14), page.px(5.5)), str(self.rng.randint(10, 999)), font=pen, fill=BLUE)
        draw.text((page.px(16), page.px(11)), f"{self.rng.randint(1, 28)}/{self.rng.randint(1, 12)}", font=pen,
                  fill=BLUE)
        box = (page.px(self.rng.uniform(16, 40)), page.px(self.rng.uniform(4, 12)))
        region = page.image.crop((box[0], box[1], box[0] + w, box[1] + h))
        page.image.paste(ImageChops.multiply(region, layer), box)

    def appendix_page(self) -> None:
        """An appendix issued with the document: its own page, no header, part of the same document."""
        spec = self.spec
        page = self.new_page("appendix")
        content = (MARGIN_LEFT, A4_MM[0] - MARGIN_RIGHT)
        self.y = page.text("PHỤ LỤC", self.y, 14, "bold", center=content)
        year, month, day = spec.issued_date.split("-")
        reference = (f"(Kèm theo {spec.type_name} số {spec.code_number}/{spec.code_notation} ngày {day} tháng "
                     f"{month} năm {year})")
        for line in page.wrap(reference, 150, 13, "italic"):
            self.y = page.text(line, self.y, 13, "italic", center=content)
        self.y += 4
        for n in range(1, self.rng.randint(4, 8)):
            self.paragraph(f"{n}. " + self.rng.choice(SENTENCES), self.body_pt, indent=0)

    def stamp_box(self, page: PageCanvas, text: str, y_mm: float) -> float:
        size = 13
        width = page.width_mm(text, size, "bold") + 6
        x0 = (LEFT_COL[0] + LEFT_COL[1] - width) / 2
        page.draw.rectangle([page.px(x0), page.px(y_mm), page.px(x0 + width), page.px(y_mm + 8)],
                            outline=RED, width=max(2, self.dpi // 100))
        page.text(text, y_mm + 1.6, size, "bold", x_mm=x0 + 3, color=RED)
        return y_mm + 10

    def signature_block(self) -> None:
        spec = self.spec
        self.ensure_room(60)
        page, top = self.page, self.y + 4
        y = page.text("Nơi nhận:", top, 12, "bold italic", x_mm=MARGIN_LEFT)
        for recipient in ("- Như trên;", "- Lưu: VT."):
            y = page.text(recipient, y, 11, x_mm=MARGIN_LEFT)
        sign_col = (112.0, 192.0)
        y = top
        for line in spec.signer_authority:
            y = page.text(line, y, 13, "bold", center=sign_col)
        self.scribble(page, (sign_col[0] + sign_col[1]) / 2, y + 10)
        self.seal(page, (sign_col[0] + sign_col[1]) / 2 - 14, y + 8)
        page.text(spec.signer_name, y + 24, 14, "bold", center=sign_col)

    def scribble(self, page: PageCanvas, cx_mm: float, cy_mm: float) -> None:
        points, x = [], cx_mm - 15
        while x < cx_mm + 15:
            points.append((page.px(x), page.px(cy_mm + self.rng.uniform(-5, 5))))
            x += self.rng.uniform(2, 5)
        page.draw.line(points, fill=BLUE, width=max(2, self.dpi // 80), joint="curve")

    def seal(self, page: PageCanvas, cx_mm: float, cy_mm: float) -> None:
        """A round red seal with the organ name around its rim, blended like ink over the page."""
        size = page.px(38)
        layer = Image.new("RGB", (size, size), "white")
        draw = ImageDraw.Draw(layer)
        c, r = size / 2, size / 2 - 2
        width = max(2, self.dpi // 90)
        draw.ellipse([c - r, c - r, c + r, c + r], outline=RED, width=width)
        draw.ellipse([c - r * 0.68, c - r * 0.68, c + r * 0.68, c + r * 0.68], outline=RED, width=width)
        star = [(c + math.cos(math.radians(-90 + 36 * k)) * (r * 0.22 if k % 2 else r * 0.5),
                 c + math.sin(math.radians(-90 + 36 * k)) * (r * 0.22 if k % 2 else r * 0.5)) for k in range(10)]
        draw.polygon(star, fill=RED)
        font = ImageFont.truetype(self.family.files["bold"], max(8, round(size * 0.075)))
        text = f"* {self.spec.organ_name} *"
        step = min(300 / len(text), 13.0)
        for i, ch in enumerate(text):
            angle = -90 - step * (len(text) - 1) / 2 + step * i
            glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
            ImageDraw.Draw(glyph).text((font.size // 2, font.size // 2), ch, font=font, fill=255)
            glyph = glyph.rotate(-angle - 90, resample=Image.BICUBIC)
            gx = c + math.cos(math.radians(angle)) * r * 0.84 - glyph.width / 2
            gy = c + math.sin(math.radians(angle)) * r * 0.84 - glyph.height / 2
            layer.paste(Image.new("RGB", glyph.size, RED), (round(gx), round(gy)), glyph)
        box = (page.px(cx_mm) - size // 2, page.px(cy_mm) - size // 2)
        region = page.image.crop((box[0], box[1], box[0] + size, box[1] + size))
        page.image.paste(ImageChops.multiply(region, layer), box)
