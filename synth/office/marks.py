"""What hands and rubber stamps put on family C's printed pages, drawn on the page image where the printed
text says they go: the signature between the position and the name, the seal over the signature's left
part, the received stamp ("ĐẾN") and a leader's written instruction (bút phê) near the top. None of them
is printed text, so the ground truth leaves them out, as it does for real scans."""
import math
import random
import subprocess
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SEAL_RED = (215, 35, 55)
STAMP_VIOLET = (95, 40, 150)
PEN_BLUE = (20, 40, 160)
INSTRUCTIONS = ("Chuyển VP tham mưu", "Giao P.TCKH xử lý", "Đ/c Hùng chủ trì, báo cáo", "Lưu hồ sơ")


@cache
def face(pattern: str) -> str:
    return subprocess.run(["fc-match", "--format", "%{file}", pattern], capture_output=True, text=True,
                          check=True).stdout


def ink(page: Image.Image, mask: Image.Image, colour: tuple, at: tuple[int, int], rng: random.Random,
        strength: float = 0.85) -> None:
    """Multiply the page by the ink colour where mask is set: ink lets the print beneath show through."""
    box = (at[0], at[1], at[0] + mask.width, at[1] + mask.height)
    region = np.asarray(page.crop(box), np.float32)
    alpha = np.asarray(mask, np.float32)[..., None] / 255 * strength
    alpha *= np.random.default_rng(rng.randint(0, 2**31)).uniform(0.55, 1.0, alpha.shape[:2])[..., None]
    tint = np.array(colour, np.float32) / 255
    mixed = region * (1 - alpha) + region * tint * alpha
    page.paste(Image.fromarray(mixed.clip(0, 255).astype(np.uint8)), box[:2])


def seal(diameter: int, organ: str, rng: random.Random) -> Image.Image:
    mask = Image.new("L", (diameter, diameter), 0)
    draw = ImageDraw.Draw(mask)
    rim = max(2, diameter // 60)
    draw.ellipse((rim, rim, diameter - rim, diameter - rim), outline=255, width=rim * 2)
    inner = int(diameter * 0.3)
    draw.ellipse((inner, inner, diameter - inner, diameter - inner), outline=255, width=rim)
    size = max(8, diameter // 11)
    font = ImageFont.truetype(face("Arimo:bold"), size)
    radius = diameter / 2 - rim * 3 - size * 0.6
    text = organ.upper()
    span = min(math.pi * 1.6, len(text) * size * 0.62 / radius)
    for n, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (n + 0.5) / len(text)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), char, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = diameter / 2 + radius * math.cos(angle) - size
        y = diameter / 2 + radius * math.sin(angle) - size
        mask.paste(255, (int(x), int(y)), glyph)
    star = [(diameter / 2 + diameter * (0.12 if k % 2 == 0 else 0.05) * math.cos(math.pi * k / 5 - math.pi / 2),
             diameter / 2 + diameter * (0.12 if k % 2 == 0 else 0.05) * math.sin(math.pi * k / 5 - math.pi / 2))
            for k in range(10)]
    draw.polygon(star, fill=255)
    return mask.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)


def signature(width: int, rng: random.Random) -> Image.Image:
    height = width // 3
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    steps = 160
    waves = [(rng.uniform(2, 9), rng.uniform(0, 6.3), rng.uniform(0.1, 0.35)) for _ in range(3)]
    points = []
    for k in range(steps):
        t = k / (steps - 1)
        y = 0.5 + sum(a * math.sin(f * math.pi * t + p) for f, p, a in waves) / 2
        points.append((width * (0.05 + 0.9 * t), height * min(0.95, max(0.05, y))))
    draw.line(points, fill=255, width=max(2, width // 120), joint="curve")
    draw.line([(width * 0.1, height * 0.8), (width * 0.9, height * rng.uniform(0.55, 0.9))], fill=255,
              width=max(2, width // 150))
    return mask


def received_stamp(width: int, year: int, rng: random.Random) -> Image.Image:
    height = int(width * 0.55)
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle((2, 2, width - 3, height - 3), outline=255, width=max(2, width // 80))
    size = height // 6
    font, big = ImageFont.truetype(face("Arimo"), size), ImageFont.truetype(face("Arimo:bold"), int(size * 1.5))
    draw.text((width * 0.06, height * 0.06), "ĐẾN", fill=255, font=big)
    draw.text((width * 0.45, height * 0.12), f"Số: {rng.randint(10, 999)}", fill=255, font=font)
    draw.text((width * 0.06, height * 0.45), f"Ngày: ...../...../{year}", fill=255, font=font)
    draw.text((width * 0.06, height * 0.7), "Chuyển:", fill=255, font=font)
    return mask.rotate(rng.uniform(-6, 6), resample=Image.BICUBIC, expand=True)


def handwriting(text: str, height: int, rng: random.Random) -> Image.Image:
    # An italic with every Vietnamese mark: the calligraphic faces here (URW's Z003) lack ể, ử, ơ and ư.
    font = ImageFont.truetype(face("FreeSerif:italic"), height)
    width = int(font.getlength(text)) + height
    mask = Image.new("L", (width, height * 2), 0)
    ImageDraw.Draw(mask).text((height // 2, height // 3), text, fill=255, font=font)
    return mask.rotate(rng.uniform(-8, 3), resample=Image.BICUBIC, expand=True)


def instruction(height: int, rng: random.Random) -> Image.Image:
    return handwriting(rng.choice(INSTRUCTIONS), height, rng)
