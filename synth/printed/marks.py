"""What is put on a page after printing, drawn as images: the organ's seal, the received stamp, the
handwritten signature, digits written in by pen, and the box a signing service adds to a signed scan.
They carry no text layer, so the ground truth leaves them out, as it does on real scans (the
written-in digits are put back into the truth by the caller)."""
import io
import math
import random
import subprocess
from functools import cache

from PIL import Image, ImageDraw, ImageFont

RED = (200, 30, 40, 255)
BLUE = (25, 45, 150, 255)
# Digit strokes on a 0-1 box (x right, y down), as a quick hand writes them.
DIGITS = {
    "0": [[(0.5, 0), (0.1, 0.3), (0.15, 0.85), (0.5, 1), (0.85, 0.7), (0.85, 0.2), (0.5, 0)]],
    "1": [[(0.25, 0.25), (0.6, 0), (0.55, 1)]],
    "2": [[(0.1, 0.25), (0.45, 0), (0.85, 0.2), (0.7, 0.55), (0.05, 1), (0.95, 0.95)]],
    "3": [[(0.1, 0.1), (0.8, 0.05), (0.4, 0.45), (0.9, 0.65), (0.5, 1), (0.05, 0.85)]],
    "4": [[(0.6, 1), (0.65, 0), (0.05, 0.7), (0.95, 0.7)]],
    "5": [[(0.85, 0), (0.2, 0.05), (0.15, 0.45), (0.75, 0.45), (0.85, 0.8), (0.45, 1), (0.05, 0.85)]],
    "6": [[(0.75, 0), (0.2, 0.4), (0.15, 0.9), (0.55, 1), (0.85, 0.7), (0.5, 0.45), (0.2, 0.6)]],
    "7": [[(0.05, 0.05), (0.95, 0), (0.4, 1)]],
    "8": [[(0.5, 0.45), (0.15, 0.2), (0.5, 0), (0.85, 0.2), (0.15, 0.8), (0.5, 1), (0.85, 0.8), (0.5, 0.45)]],
    "9": [[(0.85, 0.35), (0.5, 0.5), (0.15, 0.3), (0.5, 0), (0.85, 0.25), (0.65, 1)]],
}


@cache
def font_file(family: str, bold: bool = False) -> str:
    pattern = f"{family}:{'bold' if bold else 'regular'}"
    return subprocess.run(["fc-match", "--format", "%{file}", pattern], capture_output=True, text=True,
                          check=True).stdout


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def handwritten(text: str, height_px: int, rng: random.Random, ink=BLUE) -> Image.Image:
    """Digits (and "/") written by pen: jittered strokes, slanted, uneven in size and baseline."""
    width = int(height_px * 0.75)
    image = Image.new("RGBA", (width * len(text) + height_px, int(height_px * 1.5)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    slant = rng.uniform(0.1, 0.3)
    x = height_px * 0.2
    for ch in text:
        size = height_px * rng.uniform(0.85, 1.15)
        top = height_px * 0.25 + rng.uniform(-0.1, 0.1) * height_px
        for stroke in DIGITS.get(ch, [[(0.9, 0), (0.1, 1)]]):
            points = [(x + (px + slant * (1 - py)) * size * 0.6 + rng.uniform(-1.5, 1.5),
                       top + py * size + rng.uniform(-1.5, 1.5)) for px, py in stroke]
            draw.line(points, fill=ink, width=max(2, height_px // 14), joint="curve")
        x += size * rng.uniform(0.6, 0.8)
    return image.crop((0, 0, int(x + height_px * 0.3), image.height))


def signature(width_px: int, rng: random.Random) -> Image.Image:
    """A signer's flourish: a looping curve and an underline."""
    height = width_px // 3
    image = Image.new("RGBA", (width_px, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = []
    loops = rng.randint(3, 6)
    for i in range(120):
        t = i / 119
        points.append((width_px * (0.05 + 0.8 * t + 0.05 * math.sin(t * loops * 2 * math.pi)),
                       height * (0.5 - 0.3 * math.cos(t * loops * 2 * math.pi) * (1 - t))))
    draw.line(points, fill=BLUE, width=max(2, width_px // 120))
    draw.line([(width_px * 0.1, height * 0.85), (width_px * 0.95, height * 0.7)], fill=BLUE, width=2)
    return image


def seal(diameter_px: int, organ: str, family: str, rng: random.Random, ink=RED) -> Image.Image:
    """A round seal: two rings, the organ's name around them and a star in the middle."""
    image = Image.new("RGBA", (diameter_px, diameter_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    r = diameter_px / 2
    line = max(3, diameter_px // 60)
    draw.ellipse([line, line, diameter_px - line, diameter_px - line], outline=ink, width=line)
    inner = r * 0.68
    draw.ellipse([r - inner, r - inner, r + inner, r + inner], outline=ink, width=max(2, line // 2))
    font = ImageFont.truetype(font_file(family, bold=True), int(diameter_px * 0.1))
    letters = list(organ.replace(" ", "  "))
    for i, ch in enumerate(letters):
        angle = math.pi * (0.8 + 1.4 * i / max(1, len(letters) - 1))
        glyph = Image.new("RGBA", (int(r * 0.3), int(r * 0.3)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=ink, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        cx, cy = r + r * 0.84 * math.cos(angle), r + r * 0.84 * math.sin(angle)
        image.alpha_composite(glyph, (int(cx - glyph.width / 2), int(cy - glyph.height / 2)))
    star = [(r + r * (0.35 if k % 2 == 0 else 0.14) * math.cos(-math.pi / 2 + k * math.pi / 5),
             r + r * (0.35 if k % 2 == 0 else 0.14) * math.sin(-math.pi / 2 + k * math.pi / 5)) for k in range(10)]
    draw.polygon(star, fill=ink)
    return image.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)


def received_stamp(height_px: int, date: str, family: str, rng: random.Random) -> Image.Image:
    """The registry's "ĐẾN" stamp of the receiving body, its number and date filled in by pen."""
    width = int(height_px * 2.6)
    image = Image.new("RGBA", (width, height_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ink = rng.choice((RED, BLUE))
    draw.rectangle([2, 2, width - 3, height_px - 3], outline=ink, width=3)
    small = ImageFont.truetype(font_file(family, bold=True), height_px // 7)
    big = ImageFont.truetype(font_file(family, bold=True), height_px // 3)
    draw.text((width / 2, height_px * 0.14), "VĂN PHÒNG ỦY BAN NHÂN DÂN", font=small, fill=ink, anchor="mm")
    draw.text((width * 0.18, height_px * 0.6), "ĐẾN", font=big, fill=ink, anchor="mm")
    draw.text((width * 0.38, height_px * 0.42), "Số: ......", font=small, fill=ink, anchor="lm")
    draw.text((width * 0.38, height_px * 0.72), f"Ngày: {date}", font=small, fill=ink, anchor="lm")
    return image.rotate(rng.uniform(-6, 6), expand=True, resample=Image.BICUBIC)


def signing_box(width_px: int, when: str, family: str) -> Image.Image:
    """The box a signing service stamps on page 1 of a signed scan: a logo and four lines."""
    height = width_px // 5
    image = Image.new("RGBA", (width_px, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    logo = ImageFont.truetype(font_file(family, bold=True), height // 2)
    draw.text((4, height * 0.45), "VGP", font=logo, fill=(200, 30, 40, 255), anchor="lm")
    small = ImageFont.truetype(font_file(family), height // 7)
    rows = ("Người ký: Cổng Thông tin điện tử", "Email: thongtin@chinhphu.vn", "Cơ quan: Văn phòng Chính phủ",
            f"Thời gian ký: {when} +07:00")
    for i, row in enumerate(rows):
        draw.text((width_px * 0.3, height * (0.15 + 0.2 * i)), row, font=small, fill=(40, 40, 40, 255), anchor="lm")
    return image
