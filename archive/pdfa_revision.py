"""A corrected PDF/A: the same scan, with the corrected values in its invisible text layer and its title; or
a document's PDF/A put together again from pages of the dossier's PDF/As, when its pages change.

The words a correction replaces are found in the text layer (a value read across lines and columns is
found too, whatever the spaces between its words) and rewritten in place, each word keeping the width it
had over the image, so that search, copy and selection in any reader give the corrected value. A value
the text layer never held (nothing was read) is laid over the top margin of the first page.
"""
import datetime as dt
import io
import re
from dataclasses import dataclass

import pikepdf
from pikepdf import Operator

from sohoa.archive.pdfa import pdf_date


@dataclass(frozen=True)
class TextChange:
    """Replace the first match of `pattern` (a regular expression over the words of the text) with `new`; with
    `last`, the last match, looking from the last page back (a signature block's values are printed at the end,
    where the body may name the same title before them)."""
    pattern: str
    new: str
    last: bool = False


def _match(change: TextChange, text: str) -> re.Match | None:
    matches = list(re.finditer(change.pattern, text, flags=re.IGNORECASE))
    return (matches[-1] if change.last else matches[0]) if matches else None


def literal(value: str) -> str:
    """A pattern matching the value as printed: any run of spaces or line breaks between its words, and not
    inside a longer word or number."""
    words = [re.escape(w) for w in value.split()]
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)" if words else r"(?!)"


def replace_once(text: str, change: TextChange) -> str | None:
    """The text with the change made, or None when the pattern is not in it."""
    match = _match(change, text)
    return None if match is None else text[:match.start()] + change.new + text[match.end():]


def _decode(operand) -> str:
    return bytes(operand).decode("utf-16-be", errors="replace")


def _encode(text: str) -> pikepdf.String:
    return pikepdf.String(text.encode("utf-16-be"))


def _rewrite_words(words: list[str], change: TextChange) -> list[str] | None:
    """The page's words (each with the space that follows it) after the change, as many as before: the
    new text is spread over the words the old value covered."""
    tokens = [w.strip() for w in words]
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    match = _match(change, " ".join(tokens))
    if match is None:
        return None
    first = max(i for i, s in enumerate(starts) if s <= match.start())
    last = max(i for i, s in enumerate(starts) if s < max(match.end(), match.start() + 1))
    prefix = tokens[first][:match.start() - starts[first]]
    suffix = tokens[last][match.end() - starts[last]:]
    pieces = (prefix + change.new + suffix).split()
    slots = last - first + 1
    if len(pieces) > slots:
        pieces = pieces[:slots - 1] + [" ".join(pieces[slots - 1:])]
    pieces += [""] * (slots - len(pieces))
    revised = list(words)
    for offset, piece in enumerate(pieces):
        word = words[first + offset]
        revised[first + offset] = piece + word[len(word.rstrip()):] if piece else ""
    return revised


def _revise_page(pdf: pikepdf.Pdf, page: pikepdf.Page, changes: list[TextChange], pending: set[int]) -> None:
    instructions = list(pikepdf.parse_content_stream(page))
    shows = [i for i, ins in enumerate(instructions) if str(ins.operator) == "Tj"]
    words = [_decode(instructions[i].operands[0]) for i in shows]
    changed = False
    for n, change in enumerate(changes):
        if n not in pending:
            continue
        revised = _rewrite_words(words, change)
        if revised is None:
            continue
        pending.discard(n)
        for i, old, new in zip(shows, words, revised):
            if old != new:
                _set_word(instructions, i, old, new)
        words, changed = revised, True
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _set_word(instructions: list, show: int, old: str, new: str) -> None:
    """The word's string, and its horizontal scaling so that it spans the width the old word did."""
    instructions[show] = pikepdf.ContentStreamInstruction([_encode(new)], Operator("Tj"))
    scale = next((i for i in range(show - 1, -1, -1) if str(instructions[i].operator) == "Tz"), None)
    if scale is not None and new.strip():
        stretch = float(instructions[scale].operands[0]) * max(len(old.rstrip()), 1) / len(new.rstrip())
        instructions[scale] = pikepdf.ContentStreamInstruction([round(stretch, 2)], Operator("Tz"))


def _margin_note(pdf: pikepdf.Pdf, values: list[str]) -> None:
    """Values the text layer never held, in invisible text over the first page's top margin."""
    page = pdf.pages[0]
    top = float(page.MediaBox[3])
    ops = ["BT", "3 Tr"]
    for n, value in enumerate(values):
        ops.append(f"/F1 8 Tf 100 Tz 1 0 0 1 36 {top - 20 - n * 10:.2f} Tm "
                   f"<{value.encode('utf-16-be').hex().upper()}> Tj")
    ops.append("ET")
    page.contents_add(pdf.make_stream("\n".join(ops).encode("ascii")), prepend=False)


def revise_pdfa(data: bytes, changes: list[TextChange], title: str, modified: dt.datetime) -> bytes:
    """The PDF/A with the changes made in its text layer; the new value of a change found on no page is laid
    over the first page. The title and modification date follow; everything else stays."""
    pdf = pikepdf.open(io.BytesIO(data))
    forward = {n for n, change in enumerate(changes) if not change.last}
    backward = set(range(len(changes))) - forward
    for pending, pages in ((forward, list(pdf.pages)), (backward, list(reversed(pdf.pages)))):
        for page in pages:
            if pending:
                _revise_page(pdf, page, changes, pending)
    missing = [changes[n].new for n in sorted(forward | backward)]
    if missing:
        _margin_note(pdf, missing)
    return _saved(pdf, title, modified)


def assemble_pdfa(pages: list[tuple[bytes, int]], title: str, modified: dt.datetime) -> bytes:
    """A PDF/A of the pages given, in order, each (a PDF/A written by archive.pdfa, the page's index in it): the
    first one's document catalogue (output intent, language, metadata) holds them, each page with its scan and
    text layer as they were."""
    shell = pikepdf.open(io.BytesIO(pages[0][0]))
    sources: dict[int, pikepdf.Pdf] = {}
    for data, _ in pages:
        if id(data) not in sources:
            sources[id(data)] = pikepdf.open(io.BytesIO(data))
    del shell.pages[:]
    for data, index in pages:
        shell.pages.append(sources[id(data)].pages[index])
    return _saved(shell, title, modified)


def _saved(pdf: pikepdf.Pdf, title: str, modified: dt.datetime) -> bytes:
    stamp = modified.isoformat(timespec="seconds")
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/ModDate"] = pikepdf.String(pdf_date(modified))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["xmp:ModifyDate"] = stamp
        meta["xmp:MetadataDate"] = stamp
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()
