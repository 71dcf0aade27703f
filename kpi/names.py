"""Names as users write them: one key for matching a theme, role, area, fund, status or
indicator name in a file or form against the stored one.

"Event-coördinator", "event coordinator" and "EVENT–COORDINATOR" are the same role; an area
"Assen  binnenstad" is "Assen Binnenstad". The stored spelling is what is shown; the key is only
for comparing.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

# Hyphens and dashes as users type them (-, ‐, ‑, ‒, –, —, −), the underscore and runs of white
# space all separate words the same way.
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212]+")


def name_key(text: object) -> str:
    """The matching key of a name: no accents, case-folded, one space between words."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain).strip().casefold()


def indicator_lookup(indicators: pd.DataFrame) -> dict[str, str]:
    """Matching key of each indicator's code and name -> its code."""
    lookup = {name_key(code): code for code in indicators["code"]}
    return lookup | {name_key(name): code for code, name in zip(indicators["code"], indicators["name"], strict=True)}


def slug(name: object) -> str:
    """An area's name as it appears in a URL and on the command line: 'Assen binnenstad' ->
    'assen-binnenstad' (no accents, lower case, words joined by '-')."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "gebied"
