"""The symbol of a number ("QĐ-UBND", "2024/TT-SKHĐT") respelled from evidence read elsewhere on the page.

Decree 30 builds a symbol from the type's abbreviation and the issuing body's initials, joined by a
hyphen. OCR drops the stroke of Đ ("QD", "SKHDT"), loses the hyphen ("CCVTLTVP") or confuses I and L.
Each part is checked against the abbreviation of the type printed in the title and the initials of
the organ name printed above the number; a part is changed only when exactly one of those spellings
explains it. Nothing is filled in that was not read.
"""
import re
from dataclasses import dataclass

from sohoa.classifiers.doctypes import BY_ABBREVIATION
from sohoa.core.text import fold, nfc

CONNECTIVES = {"va", "-", ","}  # left out of initials: Sở Kế hoạch và Đầu tư -> SKHĐT
# Folded letters OCR takes for each other; "it": a T whose bar broke off in a display face ("SINMT" for STNMT).
LOOKALIKES = {frozenset("il"), frozenset("l1"), frozenset("i1"), frozenset("o0"), frozenset("it")}
OTHER_ABBREVIATIONS = ("TT", "NĐ", "TTLT", "L", "PL", "LCT")  # Thông tư, Nghị định, … (types outside the 29)
# Organs whose symbols use a customary abbreviation, not their initials.
CUSTOMARY = {"thu tuong": "TTg", "thanh tra": "TTr"}


def initial(word: str) -> str:
    """A word's initial as symbols spell it: marks dropped except the stroke of Đ."""
    first = nfc(word)[0]
    return "Đ" if first in "Đđ" else fold(first).upper()


def organ_initials(organ: str | None) -> list[str]:
    """Initials of every leading run of at least two words of the organ name: ỦY BAN NHÂN DÂN TỈNH …
    gives UB, UBN, UBND, UBNDT, …; the symbol names the organ by one of them, or by a customary
    abbreviation (TTg for THỦ TƯỚNG CHÍNH PHỦ)."""
    words = [w for w in re.split(r"[\s,]+", organ or "") if w and fold(w) not in CONNECTIVES and w[0].isalpha()]
    letters = "".join(initial(w) for w in words)
    customary = [abbreviation for start, abbreviation in CUSTOMARY.items() if fold(organ or "").startswith(start)]
    return customary + [letters[:n] for n in range(2, len(letters) + 1)]


def type_spellings(type_abbreviation: str | None) -> list[str]:
    """The title's type abbreviation, or, with no title to go by, every type abbreviation."""
    return [type_abbreviation] if type_abbreviation else list(BY_ABBREVIATION) + list(OTHER_ABBREVIATIONS)


def close_enough(read: str, known: str, any_length: bool = False) -> bool:
    """Same folded letters, one of them read twice ("QĐĐ"), or, for a long organ abbreviation (any_length: one
    the page names outright), one known look-alike swapped."""
    a, b = fold(read), fold(known)
    if a == b or any(a[i] == a[i + 1] and a[:i] + a[i + 1:] == b for i in range(len(a) - 1)):
        return True
    if len(a) != len(b) or (len(a) < 5 and not any_length):
        return False
    diffs = [frozenset((x, y)) for x, y in zip(a, b) if x != y]
    return len(diffs) == 1 and diffs[0] in LOOKALIKES


def unglued(part: str, types: list[str], organs: list[str]) -> str | None:
    """A part that is two abbreviations run together, its hyphen lost: the type's and the organ's
    (TTSKHĐT), or the organ's and a unit's (CCVTLTVP, a letter's symbol)."""
    folded = fold(part)
    splits = {f"{t}-{o}" for t in types for o in organs if fold(t) + fold(o) == folded}
    if len(splits) == 1:
        return splits.pop()
    longest = next((o for o in sorted(organs, key=len, reverse=True) if folded.startswith(fold(o))), "")
    unit = part[len(longest):]
    return f"{longest}-{unit}" if len(longest) >= 3 and 2 <= len(unit) <= 4 and unit.isupper() else None


def respell_part(part: str, types: list[str], organs: list[str], glued: bool) -> str:
    """A part of a symbol as the page's evidence spells it; a short one only a look-alike off the title's own
    type or the organ's customary abbreviation ("TIr" under "TỜ TRÌNH" is TTr: a T whose bar broke)."""
    spellings = types + organs
    if part in spellings:
        return part
    matches = {s for s in spellings if close_enough(part, s)}
    named_outright = (types if len(types) == 1 else []) + [o for o in organs if o in CUSTOMARY.values()]
    matches = matches or {s for s in named_outright if close_enough(part, s, any_length=True)}
    if len(matches) == 1:
        return matches.pop()
    return (glued and unglued(part, types, organs)) or part


def abbreviations(notation: str) -> list[str]:
    """The abbreviations of a symbol, in order, parted at its hyphens, slashes and a dot read for a hyphen
    ("TTr.DNV"); its year left out."""
    return [p for p in re.split(r"[-/.]", notation) if p and not p.isdigit()]


@dataclass(frozen=True)
class SymbolEvidence:
    """What the page says a symbol should be made of: the type abbreviation of its title (None when it
    has none: a letter, or a title not read) and the organ name printed above the number."""
    type_abbreviation: str | None
    organ: str | None

    def respell(self, notation: str | None) -> str | None:
        if not notation:
            return notation
        types, organs = type_spellings(self.type_abbreviation), organ_initials(self.organ)
        glued = "-" not in notation  # every symbol joins its abbreviations with a hyphen
        return "".join(p if p in "-/" or p.isdigit() or not re.fullmatch(r"[A-Za-zĐđ0-9]+", p)
                       else respell_part(p, types, organs, glued) for p in re.split(r"([-/])", notation))

    def names_another_organ(self, notation: str) -> bool:
        """Whether the symbol holds abbreviations besides the type's and none is the organ's: then the organ
        read above the number is not the one that issued the document (a line of its name was lost, a
        stamp's word read into it)."""
        organs, types = organ_initials(self.organ), type_spellings(None)
        parts = [p for p in abbreviations(notation) if p not in types]
        return bool(parts) and not any(close_enough(part, organ) for part in parts for organ in organs)

    def opens_with_the_organ(self, notation: str) -> bool:
        """Whether the symbol's first abbreviation is the organ's, as a công văn's is ("SGDĐT-TH")."""
        first = next(iter(abbreviations(notation)), "")
        return any(close_enough(first, organ) for organ in organ_initials(self.organ))

    def explains(self, notation: str) -> bool:
        """Every abbreviation of the symbol is the title's type or the organ's initials."""
        known = set(type_spellings(self.type_abbreviation)) | set(organ_initials(self.organ))
        parts = [p for p in re.split(r"[-/]", notation) if p and not p.isdigit()]
        return bool(parts) and all(p in known for p in parts)
