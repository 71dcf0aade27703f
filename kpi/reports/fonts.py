"""The one font of the briefing documents: DejaVu Sans (Debian fonts-dejavu-core).

The PDF embeds it; the deck names it on every run and is laid out from text measured in it.
DejaVu Sans is wider than the fonts an Office or LibreOffice installation falls back to
(Calibri, Arial, Liberation Sans, Carlito), so a reader without it gets narrower text that
still fits the boxes measured here: no overlap and no word broken either way.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from kpi.reports.errors import ReportError

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
FAMILY = "DejaVu"          # the PDF's family name (fpdf2)
DECK_FONT = "DejaVu Sans"  # the name the deck sets on every run


class FontMissing(ReportError):
    """No Unicode TrueType font found; the message is Dutch and user-facing."""


@functools.cache
def find_fonts() -> tuple[Path, Path]:
    """Paths of DejaVu Sans regular and bold (Debian fonts-dejavu-core), via fc-match as fallback."""
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    if shutil.which("fc-match"):
        found = []
        for pattern in ("DejaVu Sans:style=Book", "DejaVu Sans:style=Bold"):
            out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True)
            path = Path(out.stdout.strip())
            if path.suffix.lower() == ".ttf" and path.is_file() and "DejaVuSans" in path.name:
                found.append(path)
        if len(found) == 2:
            return found[0], found[1]
    raise FontMissing(
        "Het rapport kan niet worden gemaakt: het lettertype DejaVu Sans ontbreekt "
        "(installeer het Debian-pakket fonts-dejavu-core)."
    )


@functools.cache
def _pil_font(bold: bool, size_tenths: int):
    from PIL import ImageFont  # Pillow comes with python-pptx

    regular, heavy = find_fonts()
    # Measured at 10x the point size, for sub-point precision.
    return ImageFont.truetype(str(heavy if bold else regular), size_tenths)


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of `text` set in DejaVu Sans at `size_pt`, in points."""
    return _pil_font(bold, round(size_pt * 10)).getlength(text) / 10


def wrap(text: str, size_pt: float, width_pt: float, bold: bool = False) -> list[str]:
    """`text` broken into lines at spaces so that each fits `width_pt`; a word wider than the
    line stays whole on its own line (callers size columns so that none is)."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for word in para.split():
            candidate = f"{line} {word}" if line else word
            if not line or text_width_pt(candidate, size_pt, bold) <= width_pt:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def widest_word_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of the longest word of `text` (what a column must at least hold)."""
    return max((text_width_pt(w, size_pt, bold) for w in str(text).split()), default=0.0)


def column_widths(rows: list[list[str]], total: float, size_pt: float, padding: float,
                  heading_bold: bool = True, measure=None) -> list[float] | None:
    """Column widths (same unit as `total`, `measure(text, size, bold)` in that unit too) that
    hold every word whole: each column gets its widest word plus padding, the rest is shared
    in proportion to how much more each column's longest cell would like; a table whose cells
    all fit on one line is as narrow as its text. None: it cannot fit."""
    measure = measure or text_width_pt
    n = len(rows[0])
    minimum, wanted = [0.0] * n, [0.0] * n
    for i, row in enumerate(rows):
        bold = heading_bold and i == 0
        for c, cell in enumerate(row):
            words = str(cell).split()
            minimum[c] = max(minimum[c], max((measure(w, size_pt, bold) for w in words), default=0) + 2 * padding)
            wanted[c] = max(wanted[c], measure(str(cell), size_pt, bold) + 2 * padding)
    spare = total - sum(minimum)
    if spare < 0:
        return None
    extra = [max(w - m, 0.0) for w, m in zip(wanted, minimum)]
    if sum(extra) <= spare:
        # Everything fits on one line: the table is as narrow as its text (sum < total).
        return [m + e for m, e in zip(minimum, extra)]
    # Share the spare room by the square root of the wish: long notes do not starve short columns.
    weights = [e ** 0.5 for e in extra]
    return [m + spare * w / sum(weights) for m, w in zip(minimum, weights)]
