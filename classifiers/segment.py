"""Split a dossier's pages into documents.

A document starts at a first page (national header). A headerless page continues the current
document while that document is still open (no signature block seen yet) or when it carries a page
number; an appendix page ("PHỤ LỤC", "Kèm theo ...") after the signature belongs to it too.
Otherwise it is an "other" page (an attachment: a form, a table, a photo) grouped into a document of
its own, which goes to review. The dossier's cover and its table of contents are groups of their own,
never joined to a document. Blank pages stay with the document they were scanned with.
"""
from dataclasses import dataclass, field

from sohoa.classifiers.pages import PageFeatures, features
from sohoa.core.model import RecognizedPage


@dataclass
class PageGroup:
    has_header: bool
    pages: list[RecognizedPage] = field(default_factory=list)
    features: list[PageFeatures] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    closed: bool = False  # its signature block has been seen

    @property
    def kind(self) -> str:
        """"document", "cover", "toc" or "attachment" (pages without a Decree 30 header)."""
        if self.has_header:
            return "document"
        return next((c for c in self.classes if c in ("cover", "toc")), "attachment")

    def add(self, page: RecognizedPage, feats: PageFeatures, page_class: str) -> None:
        self.pages.append(page)
        self.features.append(feats)
        self.classes.append(page_class)
        self.closed = self.closed or feats.signature


def segment_dossier(pages: list[RecognizedPage]) -> list[PageGroup]:
    groups: list[PageGroup] = []
    for page in sorted(pages, key=lambda p: p.number):
        feats = features(page)
        current = groups[-1] if groups else None
        if feats.blank:
            if current is None:
                current = PageGroup(has_header=False)
                groups.append(current)
            current.add(page, feats, "blank")
        elif feats.is_first:
            groups.append(PageGroup(has_header=True))
            groups[-1].add(page, feats, "first")
        elif feats.dossier_page:
            groups.append(PageGroup(has_header=False))
            groups[-1].add(page, feats, feats.dossier_page)
        elif current is not None and current.has_header and feats.appendix:
            current.add(page, feats, "appendix")
        elif current is not None and current.has_header and (not current.closed or feats.page_number):
            current.add(page, feats, "continuation")
        else:
            if current is None or current.kind != "attachment":
                groups.append(PageGroup(has_header=False))
            groups[-1].add(page, feats, "other")
    return groups
