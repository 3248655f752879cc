"""Accuracy of the recognition chain on a generated batch, against its ground truth.

    python -m bench.accuracy GENERATED_DIR [--cache DIR]

GENERATED_DIR is what `sohoa generate` wrote (batch/ and truth.json). Recognised pages are cached
in --cache, so a second run re-checks classification and extraction in seconds.
"""
import argparse
import json
import time
from pathlib import Path

from sohoa.core.model import Rejection
from sohoa.core.settings import Settings
from sohoa.pipeline.analysis import analyse_dossier
from sohoa.pipeline.intake import dossier_paths, read_dossier
from sohoa.pipeline.recognize import PagePool
from sohoa.synth.evaluate import evaluate


def record_of(doc, extra) -> dict:
    return {"doc_id": doc.doc_id, "file_code": doc.file_code, "needs_review": doc.needs_review,
            "review_reasons": doc.review_reasons,
            "pages": [{"number": p.number} for p in doc.pages], **extra,
            **{name: value.value for name, value in doc.fields.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generated", type=Path)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings.from_env()
    cache = args.cache or args.generated / "ocr-cache"
    truth = json.loads((args.generated / "truth.json").read_text(encoding="utf-8"))
    records, pages_total, started = [], 0, time.monotonic()
    with PagePool(settings) as pool:
        for path in dossier_paths(args.generated / "batch")[0]:
            source = read_dossier(path, settings.max_page_pixels)
            if isinstance(source, Rejection):
                raise SystemExit(source.message())
            folder = cache / source.file_code
            folder.mkdir(parents=True, exist_ok=True)
            pages, failure = pool.recognize([(ref, folder) for ref in source.pages])
            if failure:
                raise SystemExit(f"{source.file_code}: {failure}")
            pages_total += len(pages)
            for doc, extra in analyse_dossier(source.file_code, pages, settings.review_threshold):
                records.append(record_of(doc, extra))
    report = evaluate(truth, records)
    report["pages"] = pages_total
    report["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
