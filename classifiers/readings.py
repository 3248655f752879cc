"""One value from several independent readings of the same digits, with how far to trust it.

The number and the day are read up to three ways: the page's OCR (Vietnamese model), the header row
again with pen ink kept (English model), and the written-in gap alone as digits by both models. The
gap's two readings count as one source when they agree; when they differ, one of them may still back
a value, or both dissent. The value is the one most sources gave; it is certain only when two sources
give it and none dissents.
"""
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
    digits-only readings of the written-in gap (empty strings: nothing read), the digit model first."""
    sources = [r for r in readings if r is not None]
    gap = [g for g in gap if g]
    gap_agrees = len(gap) >= 2 and all(same(g, gap[0]) for g in gap)
    if gap_agrees:
        sources.insert(0, gap[0])  # a clean cut of the digits alone, read twice alike: the best source
        gap = []
    if not sources:
        return Reconciled(gap[0], 1, len(gap) > 1) if gap else Reconciled(None, 0, False)
    candidates: list[str] = []
    for value in sources:
        if not any(same(c, value) for c in candidates):
            candidates.append(value)

    def backing(value: str) -> tuple[int, bool, int]:
        """(sources and single gap readings that gave it, the digit model's gap reading among them,
        earlier source first)."""
        votes = sum(same(s, value) for s in sources) + sum(same(g, value) for g in gap)
        return votes, bool(gap) and same(gap[0], value), -candidates.index(value)

    value = max(candidates, key=backing)
    dissent = any(not same(s, value) for s in sources) or (bool(gap) and not any(same(g, value) for g in gap))
    return Reconciled(value, backing(value)[0], dissent)


def same_number(a: str, b: str) -> bool:
    """Digits of one number, leading zeros aside ("05" and "5")."""
    return a.lstrip("0") == b.lstrip("0")
