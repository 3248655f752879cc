"""Write a batch of synthetic scanned dossiers in every intake format, with ground truth."""
import dataclasses
import json
import random
from pathlib import Path

from PIL import Image

from sohoa.classifiers.doctypes import DECREE_30_TYPES, by_name
from sohoa.synth.content import DocumentSpec, make_document
from sohoa.synth.degrade import ScanDefects, apply_defects
from sohoa.synth.fonts import available_families
from sohoa.synth.render import DocumentRenderer

FORMATS = ("jpeg-folder", "pdf", "png-folder", "tiff-multipage", "tiff-folder")
COMMON_TYPES = ("Quyết định", "Công văn", "Tờ trình", "Kế hoạch", "Báo cáo", "Thông báo", "Giấy mời",
                "Biên bản", "Hướng dẫn", "Chỉ thị")


class TypeDeck:
    """The 29 types dealt in shuffled rounds, so that a batch of 29 documents or more has them all."""

    def __init__(self, rng: random.Random):
        self.rng, self.cards = rng, []

    def draw(self):
        if not self.cards:
            self.cards = list(DECREE_30_TYPES)
            self.rng.shuffle(self.cards)
        return self.cards.pop()


def dossier_documents(rng: random.Random, year: int, n_docs: int, deck: TypeDeck | None) -> list[DocumentSpec]:
    """Documents of a dossier: common types, or with a deck every type and some legal documents."""
    docs = []
    for i in range(n_docs):
        if deck and rng.random() < 0.08:  # a legal normative document: outside the 29, code 32
            docs.append(make_document(rng, year, other_name=rng.choice(("Thông tư", "Nghị định"))))
            continue
        doc_type = deck.draw() if deck else by_name(rng.choice(COMMON_TYPES))
        docs.append(make_document(rng, year, doc_type, long_body=(i == 0)))
    return docs


def render_dossier(rng: random.Random, docs: list[DocumentSpec], dpi: int, hard: bool):
    """Pages (degraded images), the ground truth of each document and of each page."""
    family = rng.choice(available_families())
    pages, truth_docs, truth_pages = [], [], []
    for ordinal, spec in enumerate(docs, 1):
        renderer = DocumentRenderer(spec, dpi, family, rng, hard)
        clean_pages = renderer.render()
        first = len(pages) + 1
        for image, text, kind in zip(clean_pages, renderer.page_texts(), renderer.page_kinds()):
            pages.append(apply_defects(image, dpi, ScanDefects.random(rng, hard), rng))
            truth_pages.append({"number": len(pages), "doc_ordinal": ordinal, "type_name": spec.type_name,
                                "kind": kind, "text": text})
        truth = {k: v for k, v in dataclasses.asdict(spec).items()
                 if k not in ("doc_type", "body_paragraphs", "bases", "signer_authority")}
        truth.update(doc_ordinal=ordinal, signer_position=spec.signer_position,
                     pages=list(range(first, len(pages) + 1)), font=family.name, dpi=dpi,
                     written_by_hand=renderer.pen is not None, received_stamp=renderer.received_stamp)
        if rng.random() < 0.15:  # a blank back side scanned with the document
            pages.append(apply_defects(Image.new("RGB", clean_pages[0].size, "white"), dpi,
                                       ScanDefects.random(rng, hard), rng))
            truth["pages"].append(len(pages))
            truth_pages.append({"number": len(pages), "doc_ordinal": ordinal, "type_name": spec.type_name,
                                "kind": "blank", "text": ""})
        truth_docs.append(truth)
    return pages, truth_docs, truth_pages


def write_dossier(batch_dir: Path, file_code: str, pages: list[Image.Image], dpi: int, fmt: str) -> str:
    if fmt == "pdf":
        path = batch_dir / f"{file_code}.pdf"
        pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=85)
    elif fmt == "tiff-multipage":
        path = batch_dir / f"{file_code}.tif"
        pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi),
                      compression="tiff_deflate")
    else:
        path = batch_dir / file_code
        path.mkdir(parents=True, exist_ok=True)
        ext, opts = {"jpeg-folder": ("jpg", {"quality": 88}), "png-folder": ("png", {}),
                     "tiff-folder": ("tif", {"compression": "tiff_lzw"})}[fmt]
        for n, page in enumerate(pages, 1):
            # Natural order must win over lexical order: 2 comes before 10.
            page.save(path / f"trang{n}.{ext}", dpi=(dpi, dpi), **opts)
    return path.name


def make_batch(batch_dir: Path, truth_path: Path, dossiers: int = 4, seed: int = 7,
               docs_per_dossier: tuple[int, int] = (2, 3), all_types: bool = False,
               hard: bool = False, year: int = 2024) -> dict:
    rng = random.Random(seed)
    batch_dir.mkdir(parents=True, exist_ok=True)
    truth = {"seed": seed, "dossiers": []}
    deck = TypeDeck(rng) if all_types else None
    for n in range(1, dossiers + 1):
        file_code = f"H49.64.33.{year}.{n:03d}"
        dpi = rng.choice((200, 300))
        docs = dossier_documents(rng, year, rng.randint(*docs_per_dossier), deck)
        pages, truth_docs, truth_pages = render_dossier(rng, docs, dpi, hard)
        fmt = FORMATS[(n - 1) % len(FORMATS)]
        source = write_dossier(batch_dir, file_code, pages, dpi, fmt)
        truth["dossiers"].append({"file_code": file_code, "source": source, "format": fmt, "dpi": dpi,
                                  "page_count": len(pages), "documents": truth_docs, "pages": truth_pages})
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
