"""Recognition on real government scans, against their hand-made ground truth.

    python -m bench.real_scans OUT_DIR [--corpus DIR] [--no-baseline]

The corpus (default `../shared/corpora/real-scans`) holds scanned decisions and `truth.json`. Its
files are split in two fixed halves: the tuning half may be looked at while changing the code, the
held-out half only through this report. `sohoa ingest` runs on a copy of all of them; raw Tesseract
reads the same pages for comparison: its text as it gives it, its pages through sohoa's extraction.
The CER of page 1 matches lines one to one (bench.scores), so reading order does not count. Writes
OUT_DIR/results.json and OUT_DIR/report.md.
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

from sohoa.core.settings import Settings
from sohoa.core.text import nfc, one_tone_placement
from sohoa.pipeline.analysis import analyse_dossier
from sohoa.synth.evaluate import SUBJECT_CER_MAX

from bench.accuracy import record_of
from bench.baselines import dossiers, raw_tesseract
from bench.recognition import ingest
from bench.scores import TextScore, score_page

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "real-scans"
TUNING = ("970", "981", "985", "999", "1009")  # by decision number; the other files are held out
FIELDS = ("type_name", "code", "issued_date", "organ_name", "subject", "signer_position", "signer_name")
KEY_FLAGS = {"code": ("code_number", "code_notation"), "issued_date": ("issued_date",),
             "type_name": ("type_name",), "organ_name": ("organ_name",)}
TARGETS = {"type_name": 0.95, "code": 1.0, "issued_date": 0.95, "organ_name": 0.93, "subject": 0.90,
           "signer_name": 0.93, "cer_below_raw_tesseract": 0.40}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-baseline", action="store_true", help="Leave raw Tesseract out.")
    args = parser.parse_args()
    if not (args.corpus / "truth.json").is_file():
        raise SystemExit(f"no truth.json in {args.corpus}")
    results = run(args.corpus, args.out, baseline=not args.no_baseline)
    print(json.dumps({half: results[half]["sohoa"] for half in ("tuning", "held_out", "all")},
                     ensure_ascii=False, indent=1))
    print(f"report: {args.out / 'report.md'}", file=sys.stderr)


def run(corpus: Path, out: Path, baseline: bool = True) -> dict:
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    batch = out / "batch"
    shutil.rmtree(batch, ignore_errors=True)
    batch.mkdir(parents=True)
    for item in truth:
        shutil.copyfile(corpus / item["file"], batch / item["file"])
    records, run_info = ingest(batch, out / "sohoa-home")
    systems = {"sohoa": first_records(records)}
    first_pages = {stem(item): (corpus / f"{stem(item)}_p1.txt").read_text(encoding="utf-8") for item in truth}
    texts = {"sohoa": {r["file_code"]: r["pages"][0].get("text", "") for r in records if r["doc_ordinal"] == 1}}
    if baseline:
        settings = Settings.from_env()
        raw_pages, _ = raw_tesseract(dossiers(batch, settings.max_page_pixels), settings.workers)
        raw_records = [record_of(doc, extra) for code, pages in raw_pages.items()
                       for doc, extra in analyse_dossier(code, pages, settings.review_threshold)]
        systems["tesseract"] = first_records(raw_records)
        texts["tesseract"] = {code: pages[0].text.text for code, pages in raw_pages.items()}
    results = {"corpus": str(corpus.name), "files": len(truth), "pages": sum(t["pages"] for t in truth),
               "tuning": {}, "held_out": {}, "all": {},
               "ingest": {"seconds": round(run_info["seconds"], 1), "returncode": run_info["returncode"]},
               "documents_found": {r["file_code"]: sum(1 for x in records if x["file_code"] == r["file_code"])
                                   for r in records}}
    halves = {"tuning": [t for t in truth if t["code_number"] in TUNING],
              "held_out": [t for t in truth if t["code_number"] not in TUNING], "all": truth}
    for half, items in halves.items():
        for name, by_code in systems.items():
            results[half][name] = scores(items, by_code, texts[name], first_pages)
    results["misses"] = {name: misses(truth, by_code) for name, by_code in systems.items()}
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "report.md").write_text(report(results), encoding="utf-8")
    return results


def stem(item: dict) -> str:
    return item["file"].removesuffix(".pdf")


def first_records(records: list[dict]) -> dict[str, dict]:
    """The record of each file's first document, by file code (the file's stem)."""
    return {r["file_code"]: r for r in records if r["pages"][0]["number"] == 1}


def same(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return one_tone_placement(nfc(a)).casefold() == one_tone_placement(nfc(b)).casefold()


def verdicts(item: dict, record: dict | None) -> dict[str, bool]:
    """Each field right or not, for one file."""
    if record is None:
        return {field: False for field in FIELDS}
    subject_score = score_page(item["subject"] or "", " ".join((record.get("subject") or "").split()))
    return {
        "type_name": same(record.get("type_name"), item["type_name"]),
        "code": same(record.get("code_number"), item["code_number"])
        and same(record.get("code_notation"), item["code_notation"]),
        "issued_date": record.get("issued_date") == item["issued_date"],
        "organ_name": same(record.get("organ_name"), item["organ_name"]),
        "subject": bool(record.get("subject")) and subject_score.cer <= SUBJECT_CER_MAX,
        "signer_position": same(record.get("signer_position"), item["signer_position"]),
        "signer_name": same(record.get("signer_name"), item["signer_name"]),
    }


def flagged(record: dict, fields: tuple[str, ...]) -> bool:
    return any(reason.startswith(fields) for reason in record.get("review_reasons", []))


def scores(items: list[dict], by_code: dict[str, dict], texts: dict[str, str], first_pages: dict[str, str]) -> dict:
    right = {field: 0 for field in FIELDS}
    silent, flagged_code, text = 0, 0, TextScore(0, 0, 0, 0, 0)
    for item in items:
        record = by_code.get(stem(item))
        found = verdicts(item, record)
        for field in FIELDS:
            right[field] += found[field]
        if record is not None:
            wrong_keys = [f for f in KEY_FLAGS if not found[f] and record.get(KEY_FLAGS[f][0]) is not None]
            silent += any(not flagged(record, KEY_FLAGS[f]) for f in wrong_keys)
            flagged_code += not found["code"] and flagged(record, KEY_FLAGS["code"])
        text += score_page(first_pages[stem(item)], texts.get(stem(item), ""))
    count = len(items) or 1
    accuracy = {field: round(right[field] / count, 3) for field in FIELDS}
    return {"files": len(items), "accuracy": accuracy,
            "code_right_or_flagged": round((right["code"] + flagged_code) / count, 3),
            "silent_key_errors": silent, "page1_cer": round(text.cer, 4), "page1_word_f1": round(text.word_f1, 4)}


def misses(truth: list[dict], by_code: dict[str, dict]) -> list[str]:
    """Each wrong field of each file: what was found against what is printed."""
    found = []
    for item in truth:
        record = by_code.get(stem(item)) or {}
        for field, right in verdicts(item, record or None).items():
            if right:
                continue
            if field == "code":
                got = f"{record.get('code_number')}/{record.get('code_notation')}"
                want = f"{item['code_number']}/{item['code_notation']}"
            else:
                got, want = record.get(field), item.get(field)
            flag = " (flagged)" if record and flagged(record, KEY_FLAGS.get(field, (field,))) else ""
            half = "tuning" if item["code_number"] in TUNING else "held out"
            found.append(f"{stem(item)} [{half}] {field}: {got!r}, printed {want!r}{flag}")
    return found


def report(results: dict) -> str:
    systems = list(results["all"])
    head = "| field | " + " | ".join(f"{half} ({results[half]['sohoa']['files']}): {name}"
                                       for half in ("tuning", "held_out", "all") for name in systems) + " |"
    lines = [f"# Real scans: {results['files']} files, {results['pages']} pages", "",
             f"Tuning half: decisions {', '.join(TUNING)}; the others are held out. Raw Tesseract's pages go "
             "through sohoa's own extraction.", "", head, "|" + "---|" * (1 + 3 * len(systems))]
    rows = [(field, lambda s, f=field: f"{s['accuracy'][f]:.0%}") for field in FIELDS]
    rows += [("number + notation right or flagged", lambda s: f"{s['code_right_or_flagged']:.0%}"),
             ("key fields wrong and unflagged", lambda s: str(s["silent_key_errors"])),
             ("page 1 CER", lambda s: f"{s['page1_cer']:.3f}"),
             ("page 1 word F1", lambda s: f"{s['page1_word_f1']:.3f}")]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(results[half][name]) for half in ("tuning", "held_out", "all")
                                                   for name in systems) + " |")
    lines += ["", f"Ingest: {results['ingest']['seconds']} s for {results['pages']} pages.", "", "## Misses", ""]
    for name, found in results["misses"].items():
        lines += [f"### {name}", ""] + [f"- {line}" for line in found] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
