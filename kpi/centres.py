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


def choose(centres: pd.DataFrame, asked: str | None, default_area: str) -> Choice:
    """The centre for `asked` (a slug; a name or a differently written slug is accepted too), or
    the default centre (setting KPI_AREA) with a message when there is no such centre."""
    default = centres[centres["name"] == default_area]
    default_slug = str(default["slug"].iloc[0]) if not default.empty else slug(default_area)
    if asked is None or str(asked).strip() == "":
        return Choice(default_area, default_slug)
    wanted = str(asked).strip()
    by_name = centres["name"].map(name_key)
    for hits in (centres[centres["slug"] == wanted], centres[centres["slug"] == slug(wanted)],
                 centres[by_name == name_key(wanted)]):
        if not hits.empty:
            return Choice(str(hits["name"].iloc[0]), str(hits["slug"].iloc[0]))
    known = ", ".join(centres["slug"]) or "geen"
    shown = wanted if len(wanted) <= 60 else wanted[:60] + "…"
    return Choice(default_area, default_slug,
                  f"Het gebied ‘{shown}’ bestaat niet; u ziet {default_area}. Bekende gebieden: {known}.")


def records(centres: pd.DataFrame) -> list[dict]:
    """The centres for `python -m kpi gebieden --json`: slug, name, kind, peer group."""
    return [{"slug": r.slug, "naam": r.name, "soort": r.kind, "werkgroep": r.peer_group or None,
             "illustratief": bool(r.illustrative)} for r in centres.itertuples()]
