"""A batch's quality: what it holds, what was flagged and why, and sampling QA, the estimate of the errors
nobody flagged (the share of a random sample of unflagged records a reviewer judged wrong, with its 95 %
Wilson interval)."""
import math
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sohoa.archive.search import SearchFilters, SearchRequest
from sohoa.core.errors import UsageError
from sohoa.pipeline.search import search_page
from sohoa.portal.models import QualitySample, SampledRecord
from sohoa.portal.review_service import correct
from sohoa.portal.services import backends

Z95 = 1.959964
PAGE = 1000
MAX_SAMPLE = 200


def wilson_interval(wrong: int, judged: int, z: float = Z95) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion: sound for small samples and for 0 or all wrong."""
    if judged == 0:
        return 0.0, 1.0
    share = wrong / judged
    centre = share + z * z / (2 * judged)
    spread = z * math.sqrt(share * (1 - share) / judged + z * z / (4 * judged * judged))
    scale = 1 + z * z / judged
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


def batch_records(user, batch: str, needs_review: bool | None = None) -> list[dict]:
    """Every record of the batch the user may see, dossier by dossier."""
    records, cursor = [], None
    while True:
        page = search_page(backends().index, SearchRequest(
            filters=SearchFilters(batch=batch, needs_review=needs_review), sort="dossier", size=PAGE, cursor=cursor,
            facets=False, viewer=user.viewer()))
        records += page["hits"]
        cursor = page["cursor"]
        if not cursor:
            return records


def reason_kind(reason: str) -> str:
    """What a review reason is about, without its particulars: "code_number unsure (0.70)" is
    "code_number unsure"; "same number, symbol and issuing body as X.1" is "same number, symbol and issuing body"."""
    kind = reason.split(":")[0].split("(")[0].split(" as ")[0].strip()
    return kind or reason


@dataclass
class Estimate:
    judged: int
    wrong: int
    low: float
    high: float

    def percent(self) -> tuple[float, float, float]:
        """The share judged wrong and its interval's bounds, in per cent."""
        share = self.wrong / self.judged if self.judged else 0.0
        return round(100 * share, 1), round(100 * self.low, 1), round(100 * self.high, 1)


def silent_errors(batch: str) -> Estimate:
    """Over every judged record of the batch's samples."""
    verdicts = SampledRecord.objects.filter(sample__batch=batch).exclude(verdict="")
    judged, wrong = verdicts.count(), verdicts.filter(verdict=SampledRecord.WRONG).count()
    return Estimate(judged, wrong, *wilson_interval(wrong, judged))


def batch_report(user, batch: str) -> dict:
    records = batch_records(user, batch)
    flagged = [r for r in records if r.get("needs_review")]
    reasons = Counter(reason_kind(reason) for r in flagged for reason in r.get("review_reasons", []))
    estimate = silent_errors(batch)
    return {"batch": batch, "documents": len(records), "dossiers": len({r["file_code"] for r in records}),
            "pages": sum(r.get("page_amount") or 0 for r in records), "flagged": len(flagged),
            "flagged_percent": round(100 * len(flagged) / len(records), 1) if records else 0.0,
            "reasons": reasons.most_common(), "samples": [sample_summary(s) for s in
                                                         QualitySample.objects.filter(batch=batch).order_by("-drawn")],
            "estimate": estimate, "estimate_percent": estimate.percent()}


def sample_summary(sample: QualitySample) -> dict:
    records = list(sample.records.all())
    unjudged = [r.doc_id for r in records if not r.verdict]
    return {"sample": sample, "size": len(records), "judged": len(records) - len(unjudged),
            "wrong": sum(r.verdict == SampledRecord.WRONG for r in records), "next": unjudged[0] if unjudged else None}


def draw_sample(user, batch: str, size: int) -> QualitySample:
    """size records drawn at random, without repeats, from the batch's unflagged records the user may see."""
    if not 1 <= size <= MAX_SAMPLE:
        raise UsageError(f"a sample is 1 to {MAX_SAMPLE} records")
    unflagged = [r["doc_id"] for r in batch_records(user, batch, needs_review=False)]
    if not unflagged:
        raise UsageError(f"batch {batch} has no unflagged records to sample")
    chosen = random.SystemRandom().sample(unflagged, min(size, len(unflagged)))
    with transaction.atomic():
        sample = QualitySample.objects.create(batch=batch, drawn_by=user, population=len(unflagged))
        SampledRecord.objects.bulk_create(SampledRecord(sample=sample, doc_id=doc_id) for doc_id in chosen)
    return sample


def judge(user, sampled: SampledRecord, right: bool, note: str) -> None:
    """A verdict on a sampled record; one judged wrong goes to the review queue, the note as its reason. A note
    says what is wrong: a record judged with one is judged wrong, however the form was sent."""
    note = note.strip()
    right = right and not note
    if sampled.verdict:
        raise UsageError(f"{sampled.doc_id} is already judged in this sample ({sampled.verdict})")
    if not right and not note:
        raise UsageError("say what is wrong with the record")
    if not right:
        correct(user, sampled.doc_id, {}, f"sampling QA of batch {sampled.sample.batch}: {note}", needs_review=True)
    sampled.verdict = SampledRecord.RIGHT if right else SampledRecord.WRONG
    sampled.judged_by, sampled.judged, sampled.note = user, timezone.now(), note
    sampled.save()
