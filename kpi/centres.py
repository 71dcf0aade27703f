"""Several centres in one product (issue 21.1): which centres there are, and which one a URL
(`?gebied=<slug>`) or the command line (`--gebied SLUG`) means. Pure over the areas frame."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi.names import name_key, slug

CENTRE_COLUMNS = ["slug", "name", "kind", "peer_group", "illustrative"]


def centres(areas: pd.DataFrame, benchmark_area: str) -> pd.DataFrame:
    """The centres one can choose (every area except the benchmark area such as Nederland), in
    stored order, with the columns of CENTRE_COLUMNS."""
    frame = areas[areas["name"] != benchmark_area].copy()
    frame["illustrative"] = frame["illustrative"].astype(bool) if "illustrative" in frame else False
    frame["slug"] = frame["slug"].where(frame["slug"].notna(), frame["name"].map(slug))
    frame["peer_group"] = frame["peer_group"].fillna("")
    return frame[CENTRE_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class Choice:
    """The centre a request means: its name and slug, and the Dutch message when the asked-for
    slug was unknown (then the default centre is chosen)."""

    area: str
    slug: str
    message: str | None = None


def _find(centres: pd.DataFrame, wanted: str) -> pd.DataFrame:
    """The centre a slug or name means (exact slug, the slug of the text, or the name)."""
    by_name = centres["name"].map(name_key)
    for hits in (centres[centres["slug"] == wanted], centres[centres["slug"] == slug(wanted)],
                 centres[by_name == name_key(wanted)]):
        if not hits.empty:
            return hits.iloc[:1]
    return centres.iloc[0:0]


def resolve(centres: pd.DataFrame, entries: tuple[str, ...]) -> frozenset[str] | None:
    """The area names a setting's entries (names or slugs, KPI_VIEWER_AREAS) mean; None when the
    setting is empty (no limit). Entries that name no centre are left out."""
    if not entries:
        return None
    return frozenset(str(n) for e in entries if e.strip() for n in _find(centres, e.strip())["name"])


def visible(centres: pd.DataFrame, allowed: frozenset[str] | None) -> pd.DataFrame:
    """The centres one may see (all of them when `allowed` is None), in stored order."""
    return centres if allowed is None else centres[centres["name"].isin(allowed)].reset_index(drop=True)


def landing(centres: pd.DataFrame, default_area: str, allowed: frozenset[str] | None) -> str | None:
    """The centre shown without ?gebied=: the default centre (KPI_AREA) when one may see it, else
    the first centre one may see; None when one may see none."""
    if allowed is None or default_area in allowed:
        return default_area
    shown = visible(centres, allowed)
    return str(shown["name"].iloc[0]) if not shown.empty else None


def choose(centres: pd.DataFrame, asked: str | None, default_area: str,
           allowed: frozenset[str] | None = None) -> Choice:
    """The centre for `asked` (a slug; a name or a differently written slug is accepted too), or
    the landing centre (the default centre, setting KPI_AREA) with a message when there is no
    such centre or it is not one `allowed` (None: all) lets this session see. No centre to see at
    all: area '' and a message."""
    home = landing(centres, default_area, allowed)
    if home is None:
        return Choice("", "", "Er is hier geen centrum te bekijken (KPI_VIEWER_AREAS). Meld u aan als "
                              "redacteur van een centrum, of vraag de beheerder om toegang.")
    found = centres[centres["name"] == home]
    home_slug = str(found["slug"].iloc[0]) if not found.empty else slug(home)
    if asked is None or str(asked).strip() == "":
        return Choice(home, home_slug)
    wanted = str(asked).strip()
    hits = _find(centres, wanted)
    shown = wanted if len(wanted) <= 60 else wanted[:60] + "…"
    if not hits.empty and (allowed is None or str(hits["name"].iloc[0]) in allowed):
        return Choice(str(hits["name"].iloc[0]), str(hits["slug"].iloc[0]))
    seen = visible(centres, allowed)
    known = ", ".join(seen["slug"]) or "geen"
    if not hits.empty:
        return Choice(home, home_slug, f"Het gebied ‘{shown}’ is hier niet te bekijken; u ziet {home}. "
                                       f"Te bekijken: {known}.")
    return Choice(home, home_slug,
                  f"Het gebied ‘{shown}’ bestaat niet; u ziet {home}. Bekende gebieden: {known}.")


def address_slugs(centres: pd.DataFrame, default_area: str) -> dict[str, str]:
    """Area name -> the `gebied` value of its pages' addresses: its slug, and '' for the default
    centre (KPI_AREA), whose addresses carry no gebied (ui/centres.py keeps them that way, so a
    link without it lands there). `choose(centres, value or None, default_area)` gives the area back."""
    return {str(n): "" if n == default_area else str(s)
            for n, s in zip(centres["name"], centres["slug"], strict=True)}


def records(centres: pd.DataFrame) -> list[dict]:
    """The centres for `python -m kpi gebieden --json`: slug, name, kind, peer group."""
    return [{"slug": r.slug, "naam": r.name, "soort": r.kind, "werkgroep": r.peer_group or None,
             "illustratief": bool(r.illustrative)} for r in centres.itertuples()]
