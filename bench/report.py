"""The recognition benchmark's report: PNG charts, a Markdown page and an HTML page of the same."""
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

FIELD_LABELS = {"type_name": "type", "code": "number + notation", "issued_date": "issued date",
                "organ_name": "issuing body", "subject": "subject (CER ≤ 0.1)", "signer_name": "signer name",
                "secrecy": "secrecy", "urgency": "urgency"}
FIELD_TARGETS = {"type_name": "page_type", "code": "code", "issued_date": "issued_date",
                 "organ_name": "organ_name", "subject": "subject", "signer_name": "signer_name",
                 "secrecy": "secrecy", "urgency": "urgency"}
ENGINE_LABELS = {"sohoa": "sohoa", "tesseract": "raw Tesseract", "tesseract_columns": "raw Tesseract,\ncolumns split",
                 "ocrmypdf": "OCRmyPDF"}
COLOURS = {"sohoa": "#1f6f8b", "tesseract": "#c8553d", "tesseract_columns": "#e09f7d", "ocrmypdf": "#8e8e8e",
           "limit": "#588157"}


def write_report(results: dict, targets: dict, out: Path) -> None:
    charts = out / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    confusion_chart(results["page_types"]["sohoa"], charts / "page_types.png")
    field_chart(results["fields"], targets, charts / "fields.png")
    text_chart(results["text"], charts / "text.png")
    throughput_chart(results["throughput"], charts / "throughput.png")
    sections = report_sections(results, targets)
    (out / "report.md").write_text(markdown(sections), encoding="utf-8")
    (out / "report.html").write_text(page_html(sections), encoding="utf-8")


def confusion_chart(confusion: dict, path: Path) -> None:
    labels, matrix = confusion["labels"], confusion["matrix"]
    size = max(6, 0.38 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("found")
    ax.set_ylabel("true")
    peak = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, value, ha="center", va="center", fontsize=7,
                        color="white" if value > peak / 2 else "black")
    ax.set_title(f"Page type, accuracy {confusion['accuracy']:.1%}")
    save(fig, path)


def field_chart(fields: dict, targets: dict, path: Path) -> None:
    names = list(FIELD_LABELS)
    fig, ax = plt.subplots(figsize=(10, 5))
    width = 0.38
    for k, engine in enumerate(("sohoa", "tesseract")):
        values = [fields[engine]["accuracy"][n] for n in names]
        label = "sohoa" if engine == "sohoa" else "raw Tesseract + sohoa's extraction"
        ax.bar([i + (k - 0.5) * width for i in range(len(names))], values, width, label=label,
               color=COLOURS[engine])
    for i, name in enumerate(names):
        ax.hlines(targets[FIELD_TARGETS[name]], i - 0.45, i + 0.45, colors="black", linestyles="dashed")
    ax.set_xticks(range(len(names)), [FIELD_LABELS[n] for n in names], rotation=20)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("documents right")
    ax.set_title("Per-field accuracy (dashes: targets)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
    save(fig, path)


def text_chart(text: dict, path: Path) -> None:
    engines = list(text)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, metric, title in ((axes[0], "cer", "Character error rate (lower is better)"),
                              (axes[1], "word_f1", "Bag-of-words F1 (higher is better)")):
        values = [text[e][metric] for e in engines]
        bars = ax.bar([ENGINE_LABELS[e] for e in engines], values, color=[COLOURS[e] for e in engines])
        ax.bar_label(bars, [f"{v:.3f}" for v in values])
        ax.set_title(title)
    save(fig, path)


def throughput_chart(throughput: dict, path: Path) -> None:
    bars = [("sohoa ingest\n(whole chain)", throughput["sohoa_pages_per_min"], COLOURS["sohoa"]),
            ("Tesseract-only limit", throughput["tesseract_limit_pages_per_min"], COLOURS["limit"])]
    if "ocrmypdf_pages_per_min" in throughput:
        bars.append((f"OCRmyPDF --jobs {throughput['cores']}", throughput["ocrmypdf_pages_per_min"],
                     COLOURS["ocrmypdf"]))
    fig, ax = plt.subplots(figsize=(7, 4))
    drawn = ax.bar([b[0] for b in bars], [b[1] for b in bars], color=[b[2] for b in bars])
    ax.bar_label(drawn, [f"{b[1]:.1f}" for b in bars])
    ax.set_ylabel("pages per minute")
    ax.set_title(f"Throughput on {throughput['cores']} cores, {throughput['pages']} pages")
    save(fig, path)


def save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report_sections(results: dict, targets: dict) -> list[tuple[str, list[list[str]], str | None]]:
    """(title, table rows with a header row, chart file or None) for each part of the report."""
    corpus, text, fields, speed = results["corpus"], results["text"], results["fields"], results["throughput"]
    sections = [("Corpus", [["", ""], ["generator", results["family"]],
                            ["dossiers / documents / pages", f"{corpus['dossiers']} / "
                                       f"{corpus['documents']} / {corpus['pages']}"],
                            ["page kinds", ", ".join(f"{k} {v}" for k, v in corpus["page_kinds"].items())],
                            ["document types", str(corpus["types"])], ["fonts", ", ".join(corpus["fonts"])],
                            ["resolutions (dpi)", ", ".join(map(str, corpus["dpi"]))],
                            ["formats", ", ".join(corpus["formats"])],
                            ["machine", f"{results['machine']['cores']} cores, {results['machine']['tesseract']}"]],
                 None)]
    rows = [["engine", "CER", "median page CER", "worst page CER", "word F1"]]
    rows += [[ENGINE_LABELS[e].replace("\n", " "), f"{s['cer']:.4f}", f"{s['page_cer_median']:.4f}", f"{s['page_cer_worst']:.4f}",
              f"{s['word_f1']:.4f}"] for e, s in text.items()]
    sections.append(("Text (pages with text)", rows, "charts/text.png"))
    rows = [["field", "sohoa", "raw Tesseract + extraction", "target"]]
    rows += [[FIELD_LABELS[n], f"{fields['sohoa']['accuracy'][n]:.1%}", f"{fields['tesseract']['accuracy'][n]:.1%}",
              f"≥ {targets[FIELD_TARGETS[n]]:.0%}"] for n in FIELD_LABELS]
    rows += [[name.replace("_", " "), f"{fields['sohoa'][name]:.3f}", f"{fields['tesseract'][name]:.3f}", target]
             for name, target in (("boundary_precision", f"≥ {targets['boundary_precision']}"),
                                  ("boundary_recall", f"≥ {targets['boundary_recall']}"),
                                  ("silent_error_rate", f"≤ {targets['silent_error_rate_max']:.0%}"),
                                  ("needs_review_rate", ""))]
    pages = fields["sohoa"]["dossier_pages"]
    rows.append(["covers and tables of contents found (right / found / true)",
                 f"{pages['right']} / {pages['found']} / {pages['true']}", "", ""])
    sections.append(("Documents and fields", rows, "charts/fields.png"))
    types = results["page_types"]
    sections.append(("Page types", [["system", "accuracy"], ["sohoa", f"{types['sohoa']['accuracy']:.1%}"],
                                    ["raw Tesseract + classification", f"{types['tesseract']['accuracy']:.1%}"]],
                     "charts/page_types.png"))
    rows = [["", "value"], ["sohoa ingest, pages/minute", f"{speed['sohoa_pages_per_min']}"],
            ["Tesseract-only limit, pages/minute", f"{speed['tesseract_limit_pages_per_min']} "
                                                   f"({speed['tesseract_seconds_single_thread']} s single-thread ÷ "
                                                   f"{speed['cores']} cores)"],
            ["ratio to the limit", f"{speed['ratio_to_tesseract_limit']} (target ≥ "
                                   f"{targets['throughput_ratio_to_tesseract_limit']})"]]
    if "flow_seconds" in speed:
        rows.append(["the flow alone (the command less Prefect's start and stop), ratio to the limit",
                     f"{speed['flow_ratio_to_tesseract_limit']} ({speed['flow_seconds']} s of "
                     f"{speed['sohoa_seconds']} s)"])
    if "cpu_seconds" in speed:
        parts = ", ".join(f"{part} {used}" for part, used in speed["cpu_seconds"].items())
        rows.append(["CPU seconds of the command's processes (sampled), and the cores' time left idle",
                     f"{parts}; idle {speed['idle_core_seconds']} s"])
    if "ocrmypdf_pages_per_min" in speed:
        rows += [[f"OCRmyPDF {speed['ocrmypdf_options']}, pages/minute", f"{speed['ocrmypdf_pages_per_min']}"],
                 ["sohoa ÷ OCRmyPDF", f"{speed['sohoa_vs_ocrmypdf']}"]]
    if results["memory"]:
        memory = results["memory"]
        rows.append([f"peak RSS, {memory['pages']}-page dossier (all processes)",
                     f"{memory['peak_rss_mb']} MB (target < {targets['peak_rss_mb_max']} MB), "
                     f"{memory['pages_per_min']} pages/minute"])
    sections.append(("Throughput and memory", rows, "charts/throughput.png"))
    misses = [["target missed"]] + [[m] for m in results["misses"]] if results["misses"] else [["every target met"]]
    sections.append(("Targets", misses, None))
    sections.append(("How it is measured", METHOD, None))
    return sections


METHOD = [
    ["", "how"],
    ["text normalisation", "NFC; one tone placement (final oa/oe/uy carry the mark on the first vowel: hòa, "
                           "thúy, khỏe); whitespace collapsed; empty lines dropped"],
    ["reading order", "lines are matched one to one, closest first, before counting character edits: the order "
                      "of lines does not count (the header is two columns), the order within a line does; "
                      "unmatched lines count in full"],
    ["CER", "character edits ÷ characters of the truth, summed over all pages with text (blank backs left out)"],
    ["word F1", "multiset of case-folded words, order ignored"],
    ["page type", "the type of the document a page was put in, against the type of the document it belongs to"],
    ["fields", "a document counts when its first page starts a found document; values compared after NFC and "
               "case folding; number + notation counts when both are right"],
    ["silent error", "a document with a wrong type, number, notation or date that is not flagged needs_review"],
    ["Tesseract-only limit", "sum of single-thread Tesseract (`vie`, automatic page segmentation, the engine sohoa "
                             "uses, model already loaded) seconds on the same raw pages ÷ cores"],
    ["sohoa throughput", "wall time of `sohoa ingest` on the corpus, including start-up, PDF/A and storage"],
    ["peak RSS", "largest sum of resident memory over sohoa's process tree, sampled every 0.25 s"],
]


def markdown(sections) -> str:
    parts = ["# sohoa recognition benchmark\n"]
    for title, rows, chart in sections:
        parts.append(f"\n## {title}\n")
        parts.append("| " + " | ".join(rows[0]) + " |")
        parts.append("|" + "---|" * len(rows[0]))
        parts += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        if chart:
            parts.append(f"\n![{title}]({chart})")
    return "\n".join(parts) + "\n\nRaw numbers: `results.json`.\n"


def page_html(sections) -> str:
    body = ["<h1>sohoa recognition benchmark</h1>"]
    for title, rows, chart in sections:
        body.append(f"<h2>{html.escape(title)}</h2><table>")
        body.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in rows[0]) + "</tr>")
        body += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:]]
        body.append("</table>")
        if chart:
            body.append(f'<img src="{html.escape(chart)}" alt="{html.escape(title)}">')
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;"
             "text-align:left}th{background:#eef3f6}img{max-width:100%;margin:1em 0}")
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sohoa recognition benchmark"
            f"</title><style>{style}</style></head><body>{''.join(body)}"
            f"<p>Raw numbers: <code>results.json</code>.</p></body></html>\n")
