"""The regiegroep's duiding through the importer (issue 20): rules, comparison, writing and undo.

A duiding is keyed by (gebied, indicator, periode). The columns: `gebied`, `indicator` (code or
name), `periode` (a briefing period: year and quarter, '2026-K4'), `oorzaak`, `effect` (on the
goal), `bijsturing` (what is done or proposed), `auteur` (all required) and `datum` (the day it
was written; empty: the day of the import). A row whose texts and author equal the stored ones
is unchanged. Writing and undo are kpi.briefing.store's versioning, as for subscribers; the KPI
page's form is a one-row import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from kpi import formatting as fmt
from kpi import repository, schema
from kpi.briefing import store
from kpi.briefing.period import HINT, parse_period
from kpi.export import CONTROL_CHARACTERS
from kpi.importer import store as import_store
from kpi.importer.model import DUIDING, ImportRefused
from kpi.importer.parsing import parse_dates
from kpi.importer.plan import ADDED, CHANGED, UNCHANGED, status_counts
from kpi.importer.rules import Rule, Validated, first_of, run_rules
from kpi.names import indicator_lookup, name_key
from kpi.periods import DAY

TEXT_MAX = 4000  # characters per text field: a paragraph or three, not a report
AUTHOR_MAX = schema.duiding.c.author.type.length
TEXTS = {"oorzaak": "De oorzaak", "effect": "Het effect op het doel", "bijsturing": "De bijsturing"}
COMPARED = ["cause", "effect", "bijsturing", "author"]
DUTCH_OF = {"cause": "oorzaak", "effect": "effect", "bijsturing": "bijsturing", "author": "auteur"}
PREVIEW_COLUMNS = ["area", "indicator", "period", "cause", "effect", "bijsturing", "author", "written_on", "file", "row"]
CHANGED_COLUMNS = [*PREVIEW_COLUMNS, "fields"]
PREVIEW_HEADERS = {
    "area": "Gebied", "indicator": "KPI", "period": "Periode", "cause": "Oorzaak", "effect": "Effect",
    "bijsturing": "Bijsturing", "author": "Auteur", "written_on": "Datum", "fields": "Gewijzigd",
    "file": "Bestand", "row": "Rij",
}
DUIDING_CHANGED = ("Deze duiding is intussen gewijzigd door iemand anders; er is niets opgeslagen. "
                   "Bekijk de nieuwe tekst en vul het formulier opnieuw in.")


def _text_rules(field: str, label: str) -> list[Rule]:
    return [
        Rule(f"{field}_leeg", field, lambda s: s.str.strip() != "",
             lambda r, label=label: f"{label} is leeg; de regiegroep schrijft oorzaak, effect en bijsturing.",
             column=field),
        Rule(f"{field}_te_lang", field, lambda s: s.str.len() <= TEXT_MAX,
             lambda r, label=label: f"{label} is langer dan {TEXT_MAX} tekens; maak de tekst korter.", column=field),
        Rule(f"{field}_stuurteken", field,
             lambda s: ~s.str.contains(CONTROL_CHARACTERS.pattern, regex=True).astype(bool),
             lambda r, label=label: f"{label} bevat een onzichtbaar stuurteken; typ de tekst opnieuw.", column=field),
    ]


def validate_duiding(frame: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, *,
                     file_order: dict[str, int], today: dt.date) -> Validated:
    """Check a duiding file: a known area and KPI, a readable period, the three texts, an author,
    a real date not in the future, and each (area, KPI, period) once."""
    f = frame.copy()
    known_areas = {name_key(a): a for a in areas["name"]}
    f["gebied_naam"] = f["gebied"].map(lambda t: known_areas.get(name_key(t)))
    lookup = indicator_lookup(indicators)
    f["indicator_code"] = f["indicator"].map(lambda t: lookup.get(name_key(t)))
    f["periode_code"] = f["periode"].map(parse_period)
    given = f["datum_cel"].map(lambda v: v is not None and not (isinstance(v, float) and np.isnan(v)) and v != "")
    days, precision = parse_dates(f["datum_cel"].where(given, None))
    f["datum_dag"] = [d if p == DAY else None for d, p in zip(days, precision, strict=True)]
    f["datum_fout"] = given.astype(bool) & f["datum_dag"].isna()
    f["datum_toekomst"] = [d is not None and d > today for d in f["datum_dag"]]
    keys = pd.Series(list(zip(f["gebied_naam"], f["indicator_code"], f["periode_code"], strict=True)), index=f.index)
    f["dubbel_van"] = first_of(keys, f["bestand"], f["rij"])
    known_area_list = ", ".join(areas["name"])
    known_kpis = ", ".join(indicators["code"])
    rules = [
        Rule("gebied_onbekend", "gebied", lambda f: f["gebied_naam"].notna(),
             lambda r: (f"Onbekend gebied '{r['gebied'][:60]}'. Bekende gebieden: {known_area_list}."
                        if r["gebied"] else f"Het gebied is leeg. Bekende gebieden: {known_area_list}.")),
        Rule("indicator_onbekend", "indicator", lambda f: f["indicator_code"].notna(),
             lambda r: (f"Onbekende KPI '{r['indicator'][:60]}'. Gebruik een van: {known_kpis}."
                        if r["indicator"] else f"De KPI is leeg. Gebruik een van: {known_kpis}.")),
        Rule("periode_ongeldig", "periode", lambda f: f["periode_code"].notna(),
             lambda r: (f"'{r['periode'][:40]}' is geen briefingperiode; {HINT}." if r["periode"]
                        else f"De periode is leeg; {HINT}.")),
        *[rule for field, label in TEXTS.items() for rule in _text_rules(field, label)],
        Rule("auteur_leeg", "auteur", lambda s: s.str.strip() != "",
             lambda r: "De auteur is leeg; vul in wie de duiding schreef (namens de regiegroep).", column="auteur"),
        Rule("auteur_te_lang", "auteur", lambda s: s.str.len() <= AUTHOR_MAX,
             lambda r: f"De auteur is langer dan {AUTHOR_MAX} tekens.", column="auteur"),
        Rule("auteur_stuurteken", "auteur",
             lambda s: ~s.str.contains(CONTROL_CHARACTERS.pattern, regex=True).astype(bool),
             lambda r: "De auteur bevat een onzichtbaar stuurteken; typ de naam opnieuw.", column="auteur"),
        Rule("datum_ongeldig", "datum", lambda s: ~s,
             lambda r: f"'{r['datum'][:40]}' is geen geldige datum; gebruik een dag (1-3-2027 of 2027-03-01).",
             column="datum_fout"),
        Rule("datum_toekomst", "datum", lambda s: ~s,
             lambda r: f"De datum {fmt.peildatum(r['datum_dag'], DAY)} ligt in de toekomst.", column="datum_toekomst"),
        Rule("duiding_dubbel", "indicator", lambda s: s == "",
             lambda r: (f"De duiding voor {r['indicator_code']} in {r['periode_code']} komt dubbel voor; "
                        f"staat ook in {r['dubbel_van']}."), column="dubbel_van"),
    ]
    problems = run_rules(f, rules, file_order)
    clean = pd.DataFrame({
        "area": f["gebied_naam"], "indicator": f["indicator_code"], "period": f["periode_code"],
        "cause": f["oorzaak"].str.strip(), "effect": f["effect"].str.strip(),
        "bijsturing": f["bijsturing"].str.strip(), "author": f["auteur"].str.strip(),
        "written_on": [d if d is not None else today for d in f["datum_dag"]],
        "file": f["bestand"], "row": f["rij"],
    })
    return Validated(clean, problems, [])


@dataclass
class DuidingPlan:
    """Validated duiding rows with their status against the database and the version each replaces."""

    rows: pd.DataFrame

    def same_outcome(self, other: DuidingPlan) -> bool:
        return (np.array_equal(self.rows["status_plan"].to_numpy(), other.rows["status_plan"].to_numpy())
                and np.array_equal(self.rows["old_id"].to_numpy(), other.rows["old_id"].to_numpy()))

    @property
    def writes(self) -> bool:
        return bool((self.rows["status_plan"] != UNCHANGED).any())


def plan_duiding(conn: Connection, rows: pd.DataFrame) -> DuidingPlan:
    """New, changed or unchanged per (area, indicator, period): changed when a text or the author differs."""
    rows = rows.reset_index(drop=True).copy()
    current = store.load_duiding(conn)
    current = current.set_index(["area", "indicator", "period"]) if not current.empty else None
    status, old_id, fields = [], [], []
    for r in rows.to_dict("records"):
        key = (r["area"], r["indicator"], r["period"])
        if current is None or key not in current.index:
            status.append(ADDED)
            old_id.append(-1)
            fields.append("")
            continue
        old = current.loc[key]
        differ = [c for c in COMPARED if r[c] != old[c]]
        status.append(CHANGED if differ else UNCHANGED)
        old_id.append(int(old["id"]))
        fields.append(", ".join(DUTCH_OF[c] for c in differ))
    return DuidingPlan(rows.assign(status_plan=np.array(status, dtype=object),
                                   old_id=np.array(old_id, dtype="int64"), fields=fields))


def duiding_frames(plan: DuidingPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview's added, changed and unchanged frames."""
    rows = plan.rows.assign(row=plan.rows["row"].astype(int))
    status = rows["status_plan"]
    return (rows.loc[status == ADDED, PREVIEW_COLUMNS].reset_index(drop=True),
            rows.loc[status == CHANGED, CHANGED_COLUMNS].reset_index(drop=True),
            rows.loc[status == UNCHANGED, PREVIEW_COLUMNS].reset_index(drop=True))


def preview_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A duiding preview frame with Dutch headers."""
    return frame.rename(columns=PREVIEW_HEADERS)


def key_of(area: str, indicator: str, period: str) -> tuple[str, str, str]:
    """The key a form's expected version is given under."""
    return (area, indicator, period)


def check_versions(plan: DuidingPlan, expected: dict[tuple[str, str, str], int]) -> None:
    """Refuse when a duiding's current version is not the one a form was opened on (-1: none)."""
    for r in plan.rows.to_dict("records"):
        want = expected.get(key_of(r["area"], r["indicator"], r["period"]))
        if want is not None and want != int(r["old_id"]):
            raise ImportRefused(DUIDING_CHANGED)


def write_duiding(conn: Connection, plan: DuidingPlan, meta: dict, user: str) -> int:
    """Create the batch and store a new version of each new or changed duiding; the batch id."""
    rows = plan.rows
    now = repository.write_moment(conn)
    status = rows["status_plan"]
    batch = repository.create_batch(
        conn, DUIDING, meta["filename"], user, sha256=meta["sha256"], created_at=now,
        **status_counts(status),
    )
    store.save_duiding(conn, rows[status != UNCHANGED], batch, now)
    repository.touch_data_version(conn)
    return batch


def undo_duiding(conn: Connection, batch_id: int, now: dt.datetime, user: str) -> None:
    """Undo a duiding batch: refuse while a later batch in force replaced one of its versions."""
    later = repository.later_batches(conn, schema.duiding, batch_id)
    if later:
        import_store.refuse_later(batch_id, later)
    repository.undo_versions(conn, schema.duiding, batch_id, now)
