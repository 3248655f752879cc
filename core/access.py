"""Who may see a record: the rule every query of the portal and its API carries inside it.

A viewer sees a record when their clearance covers the record's secrecy level (Law 117/2025: Mật,
Tối mật, Tuyệt mật) and, for a dossier of conditional (02) or restricted (03) access (Circular 05),
their unit owns the dossier or they hold an active grant for the record or its dossier.
"""
from dataclasses import dataclass

from sohoa.core.text import fold

OPEN, CONDITIONAL, RESTRICTED = "01", "02", "03"  # TT05 access modes
CLEARANCES = ("none", "mat", "toi-mat", "tuyet-mat")  # as the command line and the API name them, lowest first
CLEARANCE_NAMES = {"none": "Không", "mat": "Mật", "toi-mat": "Tối mật", "tuyet-mat": "Tuyệt mật"}
_SECRECY_LEVELS = {"": 0, "mat": 1, "toi mat": 2, "tuyet mat": 3}
UNKNOWN_SECRECY = len(CLEARANCES)  # a secrecy mark that is not one of the three: nobody's clearance covers it


def secrecy_level(secrecy: str | None) -> int:
    """0 for an open record, 1-3 for Mật, Tối mật, Tuyệt mật (with or without marks, any case)."""
    return _SECRECY_LEVELS.get(fold(secrecy or ""), UNKNOWN_SECRECY)


def clearance_level(clearance: str) -> int:
    return CLEARANCES.index(clearance)


def access_mode(record: dict) -> str:
    """The record's access mode; records stored before it was written down: restricted when secret."""
    return record.get("access_mode") or (RESTRICTED if record.get("secrecy") else OPEN)


@dataclass(frozen=True)
class Viewer:
    """The one who asks. grants: doc ids and dossier file codes the viewer holds an active grant for."""
    login: str
    clearance: int  # a clearance_level
    unit: str | None = None
    grants: frozenset[str] = frozenset()

    def may_see(self, record: dict) -> bool:
        """The same rule the indexes apply inside their queries, for one record at hand."""
        if secrecy_level(record.get("secrecy")) > self.clearance:
            return False
        return (access_mode(record) == OPEN or (self.unit is not None and record.get("unit") == self.unit)
                or record["doc_id"] in self.grants or record["file_code"] in self.grants)
