"""Font files with full Vietnamese coverage, found through fontconfig."""
import functools
import subprocess
from dataclasses import dataclass

# Families whose Debian packages cover Vietnamese: fonts-liberation2, fonts-dejavu-core,
# fonts-noto-core, fonts-texgyre.
FAMILIES = ("Liberation Serif", "DejaVu Serif", "Noto Serif", "TeX Gyre Termes")
STYLES = ("regular", "bold", "italic", "bold italic")


@dataclass(frozen=True)
class FontFamily:
    name: str
    files: dict  # style -> path


@functools.cache
def available_families() -> tuple[FontFamily, ...]:
    listing = subprocess.run(["fc-list", "--format", "%{family[0]}|%{style[0]}|%{file}\n"],
                             capture_output=True, text=True, check=True).stdout
    found: dict[str, dict[str, str]] = {}
    for row in listing.splitlines():
        family, style, path = (row.split("|") + ["", ""])[:3]
        style = style.lower().replace("oblique", "italic").replace("book", "regular")
        if family in FAMILIES and style in STYLES and not path.endswith(".pfb"):
            found.setdefault(family, {}).setdefault(style, path)
    families = tuple(FontFamily(f, found[f]) for f in FAMILIES
                     if f in found and all(s in found[f] for s in STYLES))
    if not families:
        raise RuntimeError("no font with Vietnamese glyphs found: install fonts-liberation2 "
                           "fonts-dejavu-core fonts-noto-core fonts-texgyre")
    return families


@functools.cache
def pen_font_file() -> str | None:
    """A calligraphic face for numbers written by hand after signing (URW's Z003, which comes with
    Ghostscript's fonts), or None."""
    found = subprocess.run(["fc-match", "--format", "%{family[0]}|%{file}", "Z003"], capture_output=True,
                           text=True).stdout
    family, _, path = found.partition("|")
    return path if family == "Z003" and not path.endswith(".pfb") else None
