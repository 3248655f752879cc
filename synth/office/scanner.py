"""How family C's pages come back from an office's multifunction printer: grey at 300 dpi with the lamp's
uneven light and a paper tone, saved as a PDF of JPEG pages; black and white at 300 dpi with the scanner's
own adaptive threshold, as a Group 4 TIFF; or in colour at 200 dpi with the fold of a letter across it, as
a folder of PNG files. Pages punched for a ring binder show the holes; every page sits a little askew."""
import random

import cv2
import numpy as np
from PIL import Image

MODES = ("grey", "bilevel", "colour")
DPI = {"grey": 300, "bilevel": 300, "colour": 200}


def scan(page: Image.Image, mode: str, rng: random.Random, punched: bool) -> Image.Image:
    noise = np.random.default_rng(rng.randint(0, 2**31))
    pixels = np.asarray(page.convert("RGB"), np.float32)
    height, width = pixels.shape[:2]
    if punched:
        for y in (0.35, 0.65):
            cv2.circle(pixels, (int(width * 0.04), int(height * y)), int(width * 0.014), (60, 60, 60), -1)
    pixels = tilt(pixels, rng.uniform(-1.4, 1.4), rng.randint(-12, 12))
    if mode == "colour":
        fold = np.exp(-((np.arange(height) - height * rng.uniform(0.3, 0.4)) / (height * 0.006)) ** 2)
        pixels = pixels * np.array([0.97, 0.95, 0.9], np.float32) * (1 - 0.25 * fold)[:, None, None]
        pixels += noise.normal(0, 3, pixels.shape[:2])[..., None]
        return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    grey = cv2.GaussianBlur(pixels.mean(axis=2), (0, 0), 0.7)
    light = 1 - 0.08 * np.linspace(0, 1, width)[None, :] ** 2 - 0.06 * np.linspace(-1, 1, height)[:, None] ** 2
    grey = grey * light + noise.normal(0, 5, grey.shape)
    if mode == "grey":
        return Image.fromarray(grey.clip(0, 255).astype(np.uint8))
    local = cv2.blur(grey, (51, 51))
    black = grey < local - rng.randint(18, 30)
    return Image.fromarray(np.where(black, 0, 255).astype(np.uint8)).convert("1")


def tilt(pixels: np.ndarray, degrees: float, shift: int) -> np.ndarray:
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    matrix[1, 2] += shift
    return cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=(250, 250, 250))
