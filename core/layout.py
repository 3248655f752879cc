"""Decree 30 page geometry and landmarks that both the OCR stage and the classifiers rely on."""
import re

NUMBER_ROW_SHARE = 0.3  # a row opening with a bare number is the number row only this high up

# "Nơi nhận" opening the recipients on a document's last page, folded, its marks read however badly. Its N
# may be misread ("Với nhận:", "Øi nhận:") or lost ("ơi nhận:"), or the whole first word ("Nhân:"): then nothing
# may follow it but signs, since "Với nhận thức ..." is prose.
RECIPIENTS = re.compile(r"^\W*(n\w{1,2}i\s*nh\w{1,2}n\b|\w{0,2}i\s*nh\w{1,2}n\W*$|nh\w{1,2}n\s*:\W*$)")
# The recipients listed under it, for when "Nơi nhận" itself was lost (a small line in bold italics): "- Như
# trên;", "- Như Điều 3;", "- Lưu: VT, TH.", folded, a speck of the dash possibly read as a sign ("ˆ Lưu").
FIRST_RECIPIENTS = re.compile(r"^\W*(\w\W+)?(nhu tren\b|nhu dieu \d|luu\W+vt\b)")


def opens_recipients(folded: str) -> bool:
    """Whether a folded line of the page's left half starts the recipients: "Nơi nhận", or, where that was
    not read, the first of them."""
    return bool(RECIPIENTS.match(folded) or FIRST_RECIPIENTS.match(folded))
