"""`sohoa audit report`: one document for auditors, read from the audit log itself (not the index).

Sections: the audit log's own integrity; fixity by dossier (the last check of each, and dossiers
never checked); PDF/A validation by dossier; the agency's signatures by dossier and those the last check
found failing; event counts by type and month; problems found and objects repaired.
"""
import csv
import datetime as dt
import html
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sohoa.archive.catalogue import archived_file_codes
from sohoa.archive.premis import (FAILURE, FIXITY_CHECK, NOT_PERFORMED, RECOVERY, SIGNATURE_GENERATION, SUCCESS,
                                  VALIDATION)
from sohoa.core.keys import is_version_manifest_key
from sohoa.pipeline.backends import Backends


@dataclass
class AuditSummary:
    log_entries: int
    chain_problems: list[str]
    last_fixity: dict[str, dict] = field(default_factory=dict)  # file code -> last fixity check event
    never_checked: list[str] = field(default_factory=list)
    validation: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # file code -> outcomes
    signed: Counter = field(default_factory=Counter)  # file code -> documents the agency signed
    renewals: Counter = field(default_factory=Counter)  # file code -> versions adding timestamps
    counts: Counter = field(default_factory=Counter)  # (month, event type) -> events
    problems: list[dict] = field(default_factory=list)  # failed fixity checks
    repairs: list[dict] = field(default_factory=list)


def summarise(backends: Backends) -> AuditSummary:
    chain = backends.audit.verify()
    summary = AuditSummary(chain.entries, [p.line() for p in chain.problems])
    for entry in backends.audit.entries():
        event = entry["event"]
        summary.counts[(event["time"][:7], event["type"])] += 1
        file_code = event.get("file_code")
        if event["type"] == FIXITY_CHECK:
            if file_code:
                summary.last_fixity[file_code] = event
            if event["outcome"] == FAILURE:
                summary.problems.append(event)
        elif event["type"] == VALIDATION and file_code:
            summary.validation[file_code][event["outcome"]] += 1
        elif event["type"] == RECOVERY:
            summary.repairs.append(event)
        elif event["type"] == SIGNATURE_GENERATION and file_code:
            renewal = any(is_version_manifest_key(key) for key, _ in event.get("objects", []))
            (summary.renewals if renewal else summary.signed)[file_code] += 1
    summary.never_checked = [fc for fc in archived_file_codes(backends.store) if fc not in summary.last_fixity]
    return summary


def failing_signatures(event: dict) -> list[str]:
    """The signatures a fixity check found failing, as its detail names them."""
    parts = event["detail"].split("; ")
    return [part[part.index("signature not valid"):] for part in parts if "signature not valid" in part]


def audit_report(backends: Backends, fmt: str) -> str:
    summary = summarise(backends)
    return render_html(summary) if fmt == "html" else render_csv(summary)


CSV_COLUMNS = ["section", "file_code", "period", "event_type", "outcome", "count", "time", "detail"]


def render_csv(s: AuditSummary) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["audit log", "", "", "", FAILURE if s.chain_problems else SUCCESS, s.log_entries, "",
                     "; ".join(s.chain_problems) or "chain and checkpoints intact"])
    for fc, event in sorted(s.last_fixity.items()):
        writer.writerow(["fixity", fc, "", FIXITY_CHECK, event["outcome"], "", event["time"], event["detail"]])
    for fc in s.never_checked:
        writer.writerow(["fixity", fc, "", FIXITY_CHECK, NOT_PERFORMED, "", "", "never checked"])
    for fc, outcomes in sorted(s.validation.items()):
        for outcome, count in sorted(outcomes.items()):
            writer.writerow(["validation", fc, "", VALIDATION, outcome, count, "", "PDF/A-2b"])
    for fc in sorted(set(s.signed) | {fc for fc, e in s.last_fixity.items() if failing_signatures(e)}):
        failing = failing_signatures(s.last_fixity[fc]) if fc in s.last_fixity else []
        writer.writerow(["signatures", fc, "", SIGNATURE_GENERATION, FAILURE if failing else SUCCESS, s.signed[fc],
                         "", ("; ".join(failing) or "none failing at the last check")
                         + (f"; timestamps renewed {s.renewals[fc]} time(s)" if s.renewals[fc] else "")])
    for (month, event_type), count in sorted(s.counts.items()):
        writer.writerow(["events", "", month, event_type, "", count, "", ""])
    for section, events in (("problem", s.problems), ("repair", s.repairs)):
        for e in events:
            writer.writerow([section, e.get("file_code") or "", "", e["type"], e["outcome"], "", e["time"],
                             e["detail"]])
    return out.getvalue()


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body or '<tr><td colspan=99>—</td></tr>'}</tbody></table>"


def render_html(s: AuditSummary) -> str:
    months = sorted({m for m, _ in s.counts})
    types = sorted({t for _, t in s.counts})
    failed = sum(1 for e in s.last_fixity.values() if e["outcome"] == FAILURE)
    invalid = sum(1 for o in s.validation.values() if o[FAILURE])
    failing = {fc: found for fc, e in s.last_fixity.items() if (found := failing_signatures(e))}
    sections = [
        ("Nhật ký kiểm toán — audit log",
         f"<p>{s.log_entries} events; " + (
             "<b class=bad>chain broken</b>: " + "; ".join(map(html.escape, s.chain_problems)) if s.chain_problems
             else "hash chain and checkpoints <b class=ok>intact</b>") + "</p>"),
        ("Kiểm tra toàn vẹn theo hồ sơ — fixity by dossier",
         f"<p>{len(s.last_fixity)} dossiers checked, {failed} with problems at their last check, "
         f"{len(s.never_checked)} never checked.</p>" +
         _table(["dossier", "last check", "outcome", "detail"],
                [[fc, e["time"], e["outcome"], e["detail"]] for fc, e in sorted(s.last_fixity.items())]
                + [[fc, "—", "never checked", ""] for fc in s.never_checked])),
        ("Kiểm tra PDF/A — validation",
         f"<p>{len(s.validation)} dossiers, {invalid} with a PDF/A-2b failure.</p>" +
         _table(["dossier", SUCCESS, FAILURE, NOT_PERFORMED],
                [[fc, o[SUCCESS], o[FAILURE], o[NOT_PERFORMED]] for fc, o in sorted(s.validation.items())])),
        ("Chữ ký số — signatures",
         f"<p>{sum(s.signed.values())} documents signed by the agency in {len(s.signed)} dossiers; "
         f"{len(failing)} dossiers with a signature that failed at their last check.</p>" +
         _table(["dossier", "documents signed by the agency", "timestamp renewals", "failing at the last check"],
                [[fc, s.signed[fc], s.renewals[fc], "; ".join(failing.get(fc, [])) or "—"]
                 for fc in sorted(set(s.signed) | set(failing))])),
        ("Sự kiện theo loại và tháng — events by type and month",
         _table(["event type", *months, "total"],
                [[t, *(s.counts[(m, t)] for m in months), sum(s.counts[(m, t)] for m in months)] for t in types])),
        ("Sự cố phát hiện — problems found",
         _table(["time", "dossier", "detail"],
                [[e["time"], e.get("file_code") or "", e["detail"]] for e in s.problems])),
        ("Khôi phục — repairs",
         _table(["time", "dossier", "outcome", "detail"],
                [[e["time"], e.get("file_code") or "", e["outcome"], e["detail"]] for e in s.repairs])),
    ]
    body = "".join(f"<h2>{html.escape(title)}</h2>{content}" for title, content in sections)
    made = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Báo cáo kiểm toán lưu trữ</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:75em}}table{{border-collapse:collapse;margin:.5em 0 1.5em}}
td,th{{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}}th{{background:#eee}}
.bad{{color:#b00}}.ok{{color:#070}}</style></head><body>
<h1>Báo cáo kiểm toán lưu trữ — archive audit report</h1><p>Made {made} by sohoa.</p>{body}</body></html>
"""
