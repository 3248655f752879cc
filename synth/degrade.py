"""Scanner artefacts: paper tone, uneven light, skew, dark borders, blur, noise, JPEG loss."""
import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


@dataclass
class ScanDefects:
    skew_deg: float = 0.0
    border_mm: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    paper_tone: tuple[int, int, int] = (255, 255, 255)
    light_falloff: float = 0.0
    jpeg_quality: int | None = None

    @classmethod
    def random(cls, rng: random.Random, hard: bool = False) -> "ScanDefects":
        scale = 1.5 if hard else 1.0
        return cls(
            skew_deg=rng.uniform(-2.0, 2.0) * scale,
            border_mm=rng.choice((0.0, 0.0, 4.0, 8.0)) * scale,
            blur=rng.choice((0.0, 0.4, 0.7)) * scale,
            noise=rng.uniform(2.0, 7.0) * scale,
            paper_tone=(rng.randint(238, 252), rng.randint(234, 248), rng.randint(222, 240)),
            light_falloff=rng.uniform(0.0, 0.12) * scale,
            jpeg_quality=rng.choice((55, 70, 85)),
        )


def apply_defects(page: Image.Image, dpi: int, defects: ScanDefects, rng: random.Random) -> Image.Image:
    noise_rng = np.random.default_rng(rng.randint(0, 2**31))
    arr = np.asarray(page, dtype=np.float32)
    shade = np.array(defects.paper_tone, dtype=np.float32) / 255.0
    if defects.light_falloff:
        h, w = arr.shape[:2]
        cx, cy = rng.uniform(0, 1), rng.uniform(0, 1)
        xs = (np.linspace(0, 1, w, dtype=np.float32) - cx) ** 2
        ys = (np.linspace(0, 1, h, dtype=np.float32) - cy) ** 2
        light = 1.0 - defects.light_falloff * np.sqrt(xs[None, :] + ys[:, None])
        arr *= light[..., None]
    arr *= shade
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if defects.skew_deg:
        img = img.rotate(defects.skew_deg, resample=Image.BICUBIC, expand=False, fillcolor=(35, 35, 35))
    if defects.border_mm:
        border = round(defects.border_mm / 25.4 * dpi)
        framed = Image.new("RGB", (img.width + border, img.height + border // 2), (28, 28, 30))
        framed.paste(img, (rng.randint(0, border), rng.randint(0, border // 2)))
        img = framed
    if defects.blur:
        img = img.filter(ImageFilter.GaussianBlur(defects.blur * dpi / 200))
    if defects.noise:
        noisy = np.asarray(img, dtype=np.float32)
        noisy += (noise_rng.standard_normal(noisy.shape[:2], dtype=np.float32) * defects.noise)[..., None]
        img = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    if defects.jpeg_quality:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=defects.jpeg_quality)
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return img
