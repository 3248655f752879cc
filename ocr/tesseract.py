"""Tesseract through its command line, one single-threaded process per call."""
import os
import shutil
import subprocess

import cv2
import numpy as np

from ocr.engine import Line, PageText, Word
from pipeline.text import nfc


PAGE_SEGMENTATION = {"page": "3", "block": "6", "line": "7"}  # Tesseract --psm: automatic, one block, one line


class OcrError(RuntimeError):
    pass


class TesseractEngine:
    name = "tesseract"

    def __init__(self, language: str = "vie", timeout_s: float = 300.0):
        if shutil.which("tesseract") is None:
            raise OcrError("tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)")
        self.language = language
        self.timeout_s = timeout_s
        # Multithreaded Tesseract is several times slower per page on small machines: parallelism
        # comes from running one process per core instead.
        self._env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def version(self) -> str:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, env=self._env)
        return (out.stdout or out.stderr).splitlines()[0].strip()

    def recognize(self, image: np.ndarray, dpi: int, layout: str = "page", digits_only: bool = False) -> PageText:
        ok, encoded = cv2.imencode(".pgm" if image.ndim == 2 else ".ppm", image)
        if not ok:
            raise OcrError("could not encode the page for Tesseract")
        psm = PAGE_SEGMENTATION[layout]
        cmd = ["tesseract", "stdin", "stdout", "-l", self.language, "--psm", psm,
               "--dpi", str(int(dpi))]
        if digits_only:
            cmd += ["-c", "tessedit_char_whitelist=0123456789"]
        cmd.append("tsv")
        try:
            done = subprocess.run(cmd, input=encoded.tobytes(), capture_output=True,
                                  timeout=self.timeout_s, env=self._env)
        except subprocess.TimeoutExpired as exc:
            raise OcrError(f"Tesseract took longer than {self.timeout_s:.0f} s") from exc
        if done.returncode != 0:
            raise OcrError(f"Tesseract failed: {done.stderr.decode(errors='replace').strip()[:300]}")
        return parse_tsv(done.stdout.decode("utf-8", errors="replace"), image.shape[1], image.shape[0])


def parse_tsv(tsv: str, width: int, height: int) -> PageText:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = nfc(cols[11])
        if not text:
            continue
        left, top, w, h = (int(v) for v in cols[6:10])
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        lines.setdefault(key, []).append(Word(text, (left, top, left + w, top + h), max(0.0, float(cols[10]))))
    return PageText(width, height, [Line(words) for words in lines.values()])
