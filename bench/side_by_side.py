"""The recognition benchmarks side by side: each generator family and the real scans, sohoa beside raw
Tesseract (its pages through the same extraction), against the targets, saying which corpora the
recognition was tuned on and which are held out.

    python -m bench.side_by_side OUT --family a=/tmp/bench-a --family b=/tmp/bench-b --family c=/tmp/bench-c \
        --real /tmp/real

Each folder is the OUT of an earlier `bench.recognition` or `bench.real_scans` run (its results.json).
Writes OUT/side_by_side.md and prints it.
"""
import argparse
import json
from pathlib import Path

from bench.recognition import FAMILIES

# (row, the key in a family's fields or text, the key in the real scans' figures, target)
FIELDS = (
    ("type", "type_name", "type_name", "≥ 95 %"),
    ("number + symbol", "code", "code", ""),
    ("issued date", "issued_date", "issued_date", "≥ 95 %"),
    ("organ", "organ_name", "organ_name", "≥ 93 %"),
    ("subject (CER ≤ 0.1)", "subject", "subject", "≥ 90 %"),
    ("signer name", "signer_name", "signer_name", "≥ 93 %"),
    ("signer position", "signer_position", "signer_position", ""),
)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def family_column(results: dict) -> dict[str, tuple[str, str]]:
    fields, text = results["fields"], results["text"]
    sohoa, raw = fields["sohoa"], fields.get("tesseract", {})
    column = {"page CER": (f"{text['sohoa']['cer']:.4f}", f"{text['tesseract']['cer']:.4f}")}
    for row, key, _, _ in FIELDS:
        column[row] = (percent(sohoa["accuracy"].get(key)), percent(raw.get("accuracy", {}).get(key)))
    column["boundaries P / R"] = (f"{sohoa['boundary_precision']:.3f} / {sohoa['boundary_recall']:.3f}",
                                  f"{raw['boundary_precision']:.3f} / {raw['boundary_recall']:.3f}" if raw else "–")
    column["wrong and unflagged (key fields)"] = tuple(
        f"{round(f['silent_error_rate'] * f['documents'])} of {f['documents']}" if f else "–" for f in (sohoa, raw))
    column["needs review"] = (percent(sohoa["needs_review_rate"]), percent(raw.get("needs_review_rate")))
    throughput = results.get("throughput")
    column["throughput ÷ Tesseract limit"] = (f"{throughput['ratio_to_tesseract_limit']:.2f} (flow alone "
                                              f"{throughput['flow_ratio_to_tesseract_limit']:.2f})"
                                              if throughput else "–", "–")
    return column


def real_column(figures: dict) -> dict[str, tuple[str, str]]:
    sohoa, raw = figures["sohoa"], figures["tesseract"]
    column = {"page CER": (f"{sohoa['page1_cer']:.4f} (page 1)", f"{raw['page1_cer']:.4f} (page 1)")}
    for row, _, key, _ in FIELDS:
        column[row] = (percent(sohoa["accuracy"].get(key)), percent(raw["accuracy"].get(key)))
    column["number + symbol"] = tuple(f"{percent(f['accuracy']['code'])} ({percent(f['code_right_or_flagged'])} "
                                      "right or flagged)" for f in (sohoa, raw))
    column["wrong and unflagged (key fields)"] = tuple(f"{f['silent_key_errors']} of {f['files']}"
                                                       for f in (sohoa, raw))
    return column


ROWS = ("page CER", *(row for row, *_ in FIELDS), "boundaries P / R", "wrong and unflagged (key fields)",
        "needs review", "throughput ÷ Tesseract limit")
# The targets of the recognition issue, on the real scans and the held-out family; bench.recognition's report
# holds the generator's own, stricter ones.
TARGETS = {"page CER": "40 % below raw", "boundaries P / R": "≥ 0.97", "wrong and unflagged (key fields)": "0",
           "throughput ÷ Tesseract limit": "≥ 1.0", **{row: target for row, _, _, target in FIELDS}}


def table(columns: list[tuple[str, dict[str, tuple[str, str]]]]) -> str:
    head = "| | " + " | ".join(f"{name}: sohoa | raw" for name, _ in columns) + " | target |"
    rule = "|---|" + "---|---|" * len(columns) + "---|"
    lines = [head, rule]
    for row in ROWS:
        cells = [cell for _, column in columns for cell in column.get(row, ("–", "–"))]
        lines.append(f"| {row} | " + " | ".join(cells) + f" | {TARGETS.get(row, '')} |")
    return "\n".join(lines)


def side_by_side(families: dict[str, Path], real: Path | None) -> str:
    columns, corpora = [], []
    for name, folder in families.items():
        results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        if not results["family"].startswith(f"{name.upper()}:"):
            raise SystemExit(f"{folder} holds a run of family {results['family'][:1]}, not {name.upper()}")
        corpus = results["corpus"]
        columns.append((f"family {name.upper()}", family_column(results)))
        # Said as the benchmark says it today: whether a family is tuned on may have changed since the run.
        corpora.append(f"- family {FAMILIES[name]}; {results['mode']} corpus, {corpus['documents']} documents, "
                       f"{corpus['pages']} pages")
    if real is not None:
        results = json.loads((real / "results.json").read_text(encoding="utf-8"))
        columns += [("real scans, tuning half", real_column(results["tuning"])),
                    ("real scans, held-out half", real_column(results["held_out"]))]
        corpora.append(f"- real scans: {results['files']} decisions, {results['pages']} pages; the tuning half was "
                       "looked at while changing the code, the held-out half only for a regression a change caused "
                       "(see the README)")
    return "\n".join(["# Recognition, side by side", "", *corpora, "", table(columns), "",
                      "raw: Tesseract alone on the same pages (its pages through sohoa's extraction for the fields). "
                      "Wrong and unflagged: documents with a wrong type, number, symbol or date not sent to review. "
                      "Throughput: the whole `sohoa ingest` (and the flow alone, without Prefect's start and stop) "
                      "against single-thread Tesseract on the raw pages, divided by the cores."]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--family", action="append", default=[], metavar="NAME=DIR",
                        help="a family's bench.recognition output folder")
    parser.add_argument("--real", type=Path, help="bench.real_scans output folder")
    args = parser.parse_args()
    families = dict((name, Path(folder)) for name, _, folder in (f.partition("=") for f in args.family))
    report = side_by_side(families, args.real)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "side_by_side.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
