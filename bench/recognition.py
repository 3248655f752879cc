"""Recognition quality and throughput of the whole chain, against ground truth and baselines.

    python -m bench.recognition OUT_DIR [--mode small|full] [--no-ocrmypdf] [--rss-pages N]

Generates a hard synthetic corpus (or reuses OUT_DIR/corpus), runs `sohoa ingest` on it, runs raw
Tesseract and OCRmyPDF on the same pages, and writes OUT_DIR/results.json, report.md, report.html
and charts/*.png. The small mode (a few dossiers) runs in the test suite with loose floors; the
full mode gives the figures for the record.
"""
import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

from sohoa.classifiers.layout import reading_text
from sohoa.core.settings import Settings
from sohoa.ocr.tesseract import TesseractEngine
from sohoa.pipeline.analysis import analyse_dossier
from sohoa.synth.batch import make_batch
from sohoa.synth.evaluate import evaluate, same
from sohoa.synth.office.batch import make_batch as make_office_batch
from sohoa.synth.printed.batch import make_batch as make_printed_batch

from bench.accuracy import record_of
from bench.baselines import dossiers, ocrmypdf, ocrmypdf_command, raw_tesseract
from bench.report import write_report
from bench.scores import TextScore, score_page

ROOT = Path(__file__).resolve().parents[1]
MODES = {
    "small": {"dossiers": 4, "seed": 404, "docs_per_dossier": (1, 3), "rss_pages": 0},  # the ingest's own peak
    "full": {"dossiers": 30, "seed": 2026, "docs_per_dossier": (1, 4), "rss_pages": 500},
}
# Family A is the generator the recognition was first tuned on. Family B (HTML printed by Chromium, other fonts,
# layouts and scanners) was written apart from it and held out until its misses were studied and fixed: it is
# tuned on now. Family C (documents typed in an office suite and printed by LibreOffice, marks put by hand,
# an office scanner) is held out: its misses are reported, not used to change the recognition (one exception,
# its first report's organs: the lexicon turned a correctly read "ĐA KHOA TỈNH" into "ĐA HÒA BÌNH").
FAMILIES = {"a": "A: the project's own generator (tuned on)",
            "b": "B: HTML layouts printed by Chromium, scanned bilevel, grey or in colour (tuned on since its "
                 "first report)",
            "c": "C: office documents printed by LibreOffice, signed, sealed and stamped, scanned by an office "
                 "scanner (held out; one lexicon fix came from its first report)"}
TARGETS = {  # what the chain must reach on the full corpus
    "page_cer_max": 0.05, "cer_below_raw_tesseract": 0.40, "page_type": 0.98, "code": 0.98,
    "issued_date": 0.98, "organ_name": 0.95, "signer_name": 0.95, "subject": 0.92, "secrecy": 0.98,
    "urgency": 0.98, "boundary_precision": 0.98, "boundary_recall": 0.98, "silent_error_rate_max": 0.02,
    "throughput_ratio_to_tesseract_limit": 1.0, "peak_rss_mb_max": 1536,  # one machine as fast as Tesseract alone
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--mode", choices=MODES, default="full")
    parser.add_argument("--family", choices=FAMILIES, default="a", help="Which generator makes the corpus.")
    parser.add_argument("--no-ocrmypdf", action="store_true", help="Leave the OCRmyPDF baseline out.")
    parser.add_argument("--rss-pages", type=int, help="Pages of the memory-test dossier (0: none).")
    args = parser.parse_args()
    results = run(args.out, args.mode, not args.no_ocrmypdf, args.rss_pages, args.family)
    summary = {"text": results["text"], "page_type": results["page_types"]["sohoa"]["accuracy"],
               "fields": {k: v for k, v in results["fields"]["sohoa"].items() if k != "mismatches"},
               "throughput": results["throughput"], "memory": results["memory"], "misses": results["misses"]}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"report: {args.out / 'report.html'}", file=sys.stderr)


def run(out: Path, mode: str, with_ocrmypdf: bool = True, rss_pages: int | None = None, family: str = "a") -> dict:
    params = MODES[mode]
    settings = Settings.from_env()
    truth = corpus(out / "corpus", params, family)
    sources = dossiers(out / "corpus" / "batch", settings.max_page_pixels)
    page_count = sum(len(s.pages) for s in sources)

    sohoa_records, sohoa_run = ingest(out / "corpus" / "batch", out / "sohoa-home")
    raw_pages, tesseract_seconds = raw_tesseract(sources, settings.workers)
    raw_records = [record_of(doc, extra) for source in sources
                   for doc, extra in analyse_dossier(source.file_code, raw_pages[source.file_code],
                                                     settings.review_threshold)]

    raw_by_page = {(code, p.number): p.text for code, pages in raw_pages.items() for p in pages}
    texts = {"sohoa": sohoa_page_texts(sohoa_records),
             "tesseract": {key: text.text for key, text in raw_by_page.items()},
             # the same words with sohoa's column split: what cleanup and second readings add on their own
             "tesseract_columns": {key: reading_text(text) for key, text in raw_by_page.items()}}
    throughput = {"pages": page_count, "cores": settings.workers,
                  "sohoa_seconds": round(sohoa_run["seconds"], 1),
                  "first_run_on_the_home_seconds": sohoa_run["first_run_seconds"],
                  "sohoa_pages_per_min": round(page_count / sohoa_run["seconds"] * 60, 1),
                  "tesseract_seconds_single_thread": round(sum(tesseract_seconds), 1),
                  "tesseract_limit_pages_per_min": round(page_count / (sum(tesseract_seconds) / settings.workers)
                                                         * 60, 1)}
    throughput["ratio_to_tesseract_limit"] = round(
        throughput["sohoa_pages_per_min"] / throughput["tesseract_limit_pages_per_min"], 3)
    throughput["cpu_seconds"] = sohoa_run["cpu_seconds"]
    throughput["idle_core_seconds"] = round(settings.workers * sohoa_run["seconds"] - sohoa_run["cpu_seconds_total"], 1)
    if sohoa_run["flow_seconds"]:
        throughput["flow_seconds"] = round(sohoa_run["flow_seconds"], 1)
        throughput["flow_ratio_to_tesseract_limit"] = round(
            sum(tesseract_seconds) / settings.workers / sohoa_run["flow_seconds"], 3)
    if with_ocrmypdf and ocrmypdf_command():
        ocr_texts, ocr_seconds, options = ocrmypdf(sources, settings.workers, out / "ocrmypdf")
        texts["ocrmypdf"] = {(code, n): text for code, pages in ocr_texts.items() for n, text in enumerate(pages, 1)}
        throughput.update(ocrmypdf_seconds=round(ocr_seconds, 1), ocrmypdf_options=" ".join(options),
                          ocrmypdf_pages_per_min=round(page_count / ocr_seconds * 60, 1))
        throughput["sohoa_vs_ocrmypdf"] = round(throughput["sohoa_pages_per_min"]
                                                / throughput["ocrmypdf_pages_per_min"], 3)

    if rss_pages is None:
        rss_pages = params["rss_pages"] if family == "a" else 0  # the memory test repeats family A's JPEG pages
    results = {
        "mode": mode, "family": FAMILIES[family], "corpus": describe_corpus(truth),
        "machine": {"cores": settings.workers, "python": platform.python_version(),
                    "tesseract": TesseractEngine().version()},
        "text": {engine: text_scores(truth, by_page) for engine, by_page in texts.items()},
        "page_types": page_type_confusion(truth, {"sohoa": sohoa_records, "tesseract": raw_records}),
        "fields": {"sohoa": field_scores(truth, sohoa_records), "tesseract": field_scores(truth, raw_records)},
        "throughput": throughput,
        "memory": memory_test(out, truth, rss_pages) if rss_pages else {},
        "sohoa_ingest": {"peak_rss_mb": sohoa_run["peak_rss_mb"], "returncode": sohoa_run["returncode"]},
    }
    results["misses"] = misses(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    write_report(results, TARGETS, out)
    return results


def corpus(folder: Path, params: dict, family: str = "a") -> dict:
    truth_path = folder / "truth.json"
    if truth_path.exists():
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth.get("seed") == params["seed"] and len(truth["dossiers"]) == params["dossiers"] \
                and truth.get("family", "A") == family.upper():
            return truth
        shutil.rmtree(folder)
    if family == "b":
        return make_printed_batch(folder / "batch", truth_path, dossiers=params["dossiers"], seed=params["seed"])
    if family == "c":
        return make_office_batch(folder / "batch", truth_path, dossiers=params["dossiers"], seed=params["seed"])
    return make_batch(folder / "batch", truth_path, dossiers=params["dossiers"], seed=params["seed"],
                      docs_per_dossier=params["docs_per_dossier"], all_types=True, hard=True)


def describe_corpus(truth: dict) -> dict:
    pages = [p for d in truth["dossiers"] for p in d["pages"]]
    docs = [doc for d in truth["dossiers"] for doc in d["documents"]]
    return {"dossiers": len(truth["dossiers"]), "pages": len(pages), "documents": len(docs),
            "page_kinds": dict(Counter(p["kind"] for p in pages)),
            "types": len({doc["type_name"] for doc in docs}), "fonts": sorted({doc["font"] for doc in docs}),
            "dpi": sorted({d["dpi"] for d in truth["dossiers"]}),
            "formats": sorted({d["format"] for d in truth["dossiers"]})}


def ingest(batch: Path, home: Path, sample_s: float = 0.25) -> tuple[list[dict], dict]:
    """`sohoa ingest` of a copy of the batch in a new home (a quarantine moves dossiers out of the
    batch it ingests; the corpus stays whole): its records, wall seconds and peak RSS of its process tree.
    The home has run once before, on an empty batch, as on a machine in service: the first run on a machine
    also creates Prefect's database, seconds that are timed apart (first_run_seconds)."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    batch = Path(shutil.copytree(batch, home / batch.name))
    env = {**os.environ, "SOHOA_HOME": str(home), "PREFECT_HOME": str(home / "prefect")}
    (home / "empty-batch").mkdir()
    started = time.perf_counter()
    with open(home / "first-run.log", "wb") as log:
        first = subprocess.run([sys.executable, "-m", "sohoa.cli", "ingest", str(home / "empty-batch")], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    if first.returncode != 0:
        raise SystemExit(f"sohoa ingest of an empty batch failed; see {home / 'first-run.log'}")
    first_run_seconds = round(time.perf_counter() - started, 1)
    with open(home / "ingest.log", "wb") as log:
        started, reaped_before = time.perf_counter(), reaped_cpu_seconds()
        process = psutil.Popen([sys.executable, "-m", "sohoa.cli", "ingest", str(batch), "--json"], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT)
        peak, cpu = 0, {}
        while process.poll() is None:
            peak = max(peak, sample_tree(process, cpu))
            time.sleep(sample_s)
        seconds = time.perf_counter() - started
        used = reaped_cpu_seconds() - reaped_before  # its whole tree's, every process waited for by its parent
    exported = subprocess.run([sys.executable, "-m", "sohoa.cli", "export", "--format", "jsonl"], cwd=ROOT,
                              env=env, capture_output=True, text=True, check=True).stdout
    records = [json.loads(line) for line in exported.splitlines()]
    by_part = Counter()
    for part, spent in cpu.values():
        by_part[part] += spent
    return records, {"seconds": seconds, "flow_seconds": flow_seconds(home / "ingest.log"),
                     "first_run_seconds": first_run_seconds, "peak_rss_mb": round(peak / 2**20),
                     "cpu_seconds": {part: round(spent, 1) for part, spent in by_part.most_common()},
                     "cpu_seconds_total": used,
                     "returncode": process.returncode}


def flow_seconds(log: Path) -> float | None:
    """The batch's own time, from the summary `sohoa ingest --json` prints last: the command's time less
    the start and stop of Prefect's embedded server."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    summary = next((line for line in reversed(lines) if line.startswith('{"batch"')), None)
    return json.loads(summary)["elapsed_s"] if summary else None


def reaped_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sample_tree(process: psutil.Process, cpu: dict[int, tuple[str, float]]) -> int:
    """The RSS of the process and its descendants now; each one's part of the run and CPU seconds so far
    noted in cpu, by pid (the last fraction of a second before a process ends goes unseen)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
            times = member.cpu_times()
            part = cpu[member.pid][0] if member.pid in cpu else run_part(member, process)
            cpu[member.pid] = (part, times.user + times.system)
        except psutil.Error:
            pass
    return total


def run_part(member: psutil.Process, command: psutil.Process) -> str:
    """What a process of `sohoa ingest`'s tree does."""
    if member.pid == command.pid:
        return "command (flow, archiving)"
    line = " ".join(member.cmdline())
    if "spawn_main" in line:
        return "OCR workers"
    if "sohoa.pipeline.probe" in line:
        return "intake probes"
    if "prefect.server" in line:
        return "Prefect API"
    return "other" if "java" not in line else "veraPDF"


def sohoa_page_texts(records: list[dict]) -> dict[tuple[str, int], str]:
    return {(r["file_code"], p["number"]): p.get("text", "") for r in records for p in r["pages"]}


def text_scores(truth: dict, by_page: dict[tuple[str, int], str]) -> dict:
    """CER and word F1 over the pages that carry text (blank backs left out)."""
    total, per_page = TextScore(0, 0, 0, 0, 0), []
    for dossier in truth["dossiers"]:
        for page in dossier["pages"]:
            if page["kind"] == "blank":
                continue
            score = score_page(page["text"], by_page.get((dossier["file_code"], page["number"]), ""))
            total += score
            per_page.append(score.cer)
    per_page.sort()
    return {"cer": round(total.cer, 4), "word_f1": round(total.word_f1, 4),
            "page_cer_median": round(per_page[len(per_page) // 2], 4), "page_cer_worst": round(per_page[-1], 4),
            "pages": len(per_page)}


def page_type_confusion(truth: dict, systems: dict[str, list[dict]]) -> dict:
    """Each page's document type as found (the type of the record holding it) against the truth."""
    result = {}
    for name, records in systems.items():
        found = {(r["file_code"], p["number"]): r.get("type_name") or "?" for r in records for p in r["pages"]}
        pairs = [(page["type_name"] or "?", found.get((d["file_code"], page["number"]), "?"))
                 for d in truth["dossiers"] for page in d["pages"]]
        labels = sorted({t for t, _ in pairs}) + sorted({f for _, f in pairs} - {t for t, _ in pairs})
        matrix = [[sum(1 for t, f in pairs if t == row and f == col) for col in labels] for row in labels]
        result[name] = {"accuracy": round(sum(t == f for t, f in pairs) / len(pairs), 4), "labels": labels,
                        "matrix": matrix}
    return result


def field_scores(truth: dict, records: list[dict]) -> dict:
    report = evaluate(truth, records)
    accuracy = {k: round(v, 4) for k, v in report["accuracy"].items()}
    accuracy["code"] = round(code_accuracy(truth, records), 4)
    return {"accuracy": accuracy, "boundary_precision": round(report["boundary_precision"], 4),
            "boundary_recall": round(report["boundary_recall"], 4),
            "silent_error_rate": round(report["silent_error_rate"], 4),
            "needs_review_rate": round(report["needs_review_rate"], 4), "documents": report["documents"],
            "dossier_pages": report["dossier_pages"],
            "mismatches": report["mismatches"]}


def code_accuracy(truth: dict, records: list[dict]) -> float:
    """Share of documents whose number and notation are both right."""
    found = {(r["file_code"], r["pages"][0]["number"]): r for r in records}
    docs = [(d["file_code"], doc) for d in truth["dossiers"] for doc in d["documents"]]
    right = 0
    for file_code, doc in docs:
        record = found.get((file_code, doc["pages"][0]))
        right += bool(record) and same(record.get("code_number"), doc.get("code_number")) \
            and same(record.get("code_notation"), doc.get("code_notation"))
    return right / len(docs)


def memory_test(out: Path, truth: dict, pages: int) -> dict:
    """Peak RSS of `sohoa ingest` on one dossier of `pages` pages (the corpus's images repeated)."""
    images = sorted((out / "corpus" / "batch" / truth["dossiers"][0]["source"]).glob("*.jpg"))
    if not images:
        raise SystemExit("the corpus's first dossier must be a folder of JPEG pages")
    batch = out / "memory" / "batch"
    shutil.rmtree(out / "memory", ignore_errors=True)
    dossier = batch / f"H49.64.33.2024.{pages:03d}"
    dossier.mkdir(parents=True)
    for n in range(1, pages + 1):
        shutil.copyfile(images[(n - 1) % len(images)], dossier / f"trang{n}.jpg")
    records, run_info = ingest(batch, out / "memory" / "home")
    return {"pages": pages, "peak_rss_mb": run_info["peak_rss_mb"], "seconds": round(run_info["seconds"], 1),
            "pages_per_min": round(pages / run_info["seconds"] * 60, 1), "documents": len(records),
            "returncode": run_info["returncode"]}


def misses(results: dict) -> list[str]:
    """Every target the run did not reach, as a sentence."""
    found = []
    fields = results["fields"]["sohoa"]
    text = results["text"]
    checks = [
        ("page CER", text["sohoa"]["cer"], "<=", TARGETS["page_cer_max"]),
        ("page type", results["page_types"]["sohoa"]["accuracy"], ">=", TARGETS["page_type"]),
        ("code number + notation", fields["accuracy"]["code"], ">=", TARGETS["code"]),
        ("boundary precision", fields["boundary_precision"], ">=", TARGETS["boundary_precision"]),
        ("boundary recall", fields["boundary_recall"], ">=", TARGETS["boundary_recall"]),
        ("silent errors", fields["silent_error_rate"], "<=", TARGETS["silent_error_rate_max"]),
        ("throughput / Tesseract-only limit", results["throughput"]["ratio_to_tesseract_limit"], ">=",
         TARGETS["throughput_ratio_to_tesseract_limit"]),
    ]
    checks += [(name, fields["accuracy"][name], ">=", TARGETS[name])
               for name in ("issued_date", "organ_name", "signer_name", "subject", "secrecy", "urgency")]
    raw_cer = text["tesseract"]["cer"]
    if raw_cer:
        checks.append(("CER reduction against raw Tesseract", 1 - text["sohoa"]["cer"] / raw_cer, ">=",
                       TARGETS["cer_below_raw_tesseract"]))
    if "ocrmypdf_pages_per_min" in results["throughput"]:
        checks.append(("speed against OCRmyPDF", results["throughput"]["sohoa_vs_ocrmypdf"], ">=", 1.0))
    if results["memory"]:
        checks.append((f"peak RSS MB, {results['memory']['pages']}-page dossier", results["memory"]["peak_rss_mb"],
                       "<=", TARGETS["peak_rss_mb_max"]))
    for name, value, op, target in checks:
        if not (value >= target if op == ">=" else value <= target):
            found.append(f"{name}: {value:g} (target {op} {target:g})")
    return found


if __name__ == "__main__":
    main()
