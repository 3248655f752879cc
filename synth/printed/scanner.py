"""How family B's pages come back from the scanner: in black and white at 200 dpi as the Government's
portal publishes them (seals and pen in black, no colour left to lift), as a grey photocopy with
toner streaks, or in colour on toned paper."""
import io
import random

import numpy as np
from PIL import Image, ImageFilter

MODES = ("bilevel", "bilevel", "photocopy", "colour")


def scan(page: Image.Image, mode: str, rng: random.Random) -> Image.Image:
    noise = np.random.default_rng(rng.randint(0, 2**31))
    page = page.rotate(rng.uniform(-0.9, 0.9), resample=Image.BICUBIC, fillcolor="white")
    if mode == "colour":
        tone = np.array([rng.randint(236, 250), rng.randint(230, 244), rng.randint(210, 232)], np.float32) / 255
        pixels = np.asarray(page, np.float32) * tone
        pixels += noise.normal(0, 4, pixels.shape[:2])[..., None]
        return jpeg(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), rng.choice((60, 75, 90)))
    grey = np.asarray(page.convert("L").filter(ImageFilter.GaussianBlur(0.6)), np.float32)
    if mode == "photocopy":
        streak = rng.randint(0, grey.shape[1] - 1)
        columns = np.exp(-((np.arange(grey.shape[1]) - streak) / (grey.shape[1] * 0.03)) ** 2)
        grey = grey * 1.15 - 20 + 60 * columns[None, :]
        grey += noise.normal(0, 6, grey.shape)
        specks = noise.random(grey.shape) < 0.0008
        grey[specks] = 40
        return jpeg(Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)), 60)
    grey += noise.normal(0, 18, grey.shape)
    black = grey < rng.randint(135, 175)
    black |= noise.random(grey.shape) < 0.0004  # dust
    return Image.fromarray(np.where(black, 0, 255).astype(np.uint8)).convert("1")


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))
