"""One value from several independent readings of the same digits, with how far to trust it.

The number and the day are read up to three ways: the page's OCR (Vietnamese model), the header row
again with pen ink kept (English model), and the written-in gap alone as digits by both models. The
gap's two readings count as one source when they agree; when they differ, one of them may still back
a value, or both dissent. The value is the one most sources gave; it is certain only when two sources
give it and none dissents.
"""
from collections import Counter
from dataclasses import dataclass

AGREED_CONFIDENCE = 0.97  # two independent readings gave the same digits
DISAGREED_CONFIDENCE = 0.5
UNCONFIRMED_CONFIDENCE = 0.7  # one reading, and another that found nothing to compare


@dataclass
class Reconciled:
    value: str | None
    support: int  # sources that gave the value
    dissent: bool  # some source gave something else

    def confidence(self, alone: float) -> float:
        """alone: the confidence of the value's own reading when no other reading exists."""
        if self.value is None:
            return 0.0
        if self.dissent:
            return DISAGREED_CONFIDENCE
        return AGREED_CONFIDENCE if self.support >= 2 else alone


def reconcile(readings: list[str | None], gap: list[str], same=lambda a, b: a == b) -> Reconciled:
    """readings: one value per whole-line source (None: it found none), best reader first; gap: the
    digits-only readings of the written-in gap (empty strings: nothing read)."""
    sources = [r for r in readings if r is not None]
    gap = [g for g in gap if g]
    gap_agrees = len(gap) >= 2 and all(same(g, gap[0]) for g in gap)
    if gap_agrees:
        sources.insert(0, gap[0])  # a clean cut of the digits alone, read twice alike: the best source
    elif not sources and gap:
        return Reconciled(gap[0], 1, len(gap) > 1)  # the first gap reader is the digit model
    if not sources:
        return Reconciled(None, 0, False)
    counts = Counter()
    for value in sources:
        key = next((k for k in counts if same(k, value)), value)
        counts[key] += 1
    value, support = max(counts.items(), key=lambda kv: kv[1])  # ties: the earlier, better source
    dissent = any(not same(s, value) for s in sources)
    if gap and not gap_agrees:  # one of the two gap readings may still back the value
        backed = any(same(g, value) for g in gap)
        support, dissent = support + backed, dissent or not backed
    return Reconciled(value, support, dissent)


def same_number(a: str, b: str) -> bool:
    """Digits of one number, leading zeros aside ("05" and "5")."""
    return a.lstrip("0") == b.lstrip("0")
