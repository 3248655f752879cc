"""What a generator family knows of a document's Decree 30 header and signature, and the ground truth it
writes for it, in the form synth.evaluate and the benchmarks read. Each family adds what its own layouts
need (families B and C)."""
from dataclasses import dataclass


@dataclass(kw_only=True)
class TypedDocument:
    type_name: str
    type_code: str
    code_number: str
    code_notation: str
    place: str
    issued_date: str
    parent_lines: list[str]
    organ_lines: list[str]
    subject: str
    authority: list[str]  # authority lines, the position last
    head: str  # the organ head's title ("GIÁM ĐỐC"), for a decision's line of authority
    signer_name: str
    secrecy: str | None = None
    urgency: str | None = None

    @property
    def organ_name(self) -> str:
        return " ".join(self.organ_lines)

    @property
    def parent_organ(self) -> str | None:
        return " ".join(self.parent_lines) or None

    @property
    def signer_position(self) -> str:
        return self.authority[-1]

    def truth(self, ordinal: int, pages: list[int], font: str, **marks: bool) -> dict:
        """The document's ground truth; marks: what was put on its pages by hand or stamp, as the family names
        them."""
        return {"doc_ordinal": ordinal, "kind": "document", "type_name": self.type_name,
                "type_code": self.type_code, "code_number": self.code_number, "code_notation": self.code_notation,
                "issued_date": self.issued_date, "place": self.place, "organ_name": self.organ_name,
                "parent_organ": self.parent_organ, "subject": self.subject, "signer_name": self.signer_name,
                "signer_position": self.signer_position, "signing_authority": " ".join(self.authority[:-1]) or None,
                "secrecy": self.secrecy, "urgency": self.urgency, "pages": pages, "font": font, **marks}
