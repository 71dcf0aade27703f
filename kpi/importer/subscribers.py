"""Subscriber lists of the digest through the importer: rules, comparison, writing and undo.

A subscriber is keyed by e-mail address (compared in lower case). The columns: `naam`,
`e-mail` (required), `centra` (area names, comma-separated; empty: the monitored area),
`kpis` (`alle`, codes or names, or empty for none), `werkplan` (ja/nee) and `actief`
(ja/nee; nee unsubscribes). A column the file does not have keeps a known subscriber's
stored value (a new one gets the default: all KPIs, no werkplan, active). Writing and undo are
kpi.digest.subscribers' versioning, as for actions; the page's form is a one-row import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from kpi import repository, schema
from kpi.digest import subscribers as store
from kpi.export import CONTROL_CHARACTERS
from kpi.importer import store as import_store
from kpi.importer.model import SUBSCRIBERS, ImportRefused
from kpi.importer.plan import ADDED, CHANGED, UNCHANGED, by_status, status_counts
from kpi.importer.rules import Rule, Validated, first_of, flag, run_rules, yes_no
from kpi.names import indicator_lookup, name_key

PREVIEW_COLUMNS = ["email", "name", "areas", "kpis", "werkplan", "active", "file", "row"]
CHANGED_COLUMNS = [*PREVIEW_COLUMNS, "fields"]
PREVIEW_HEADERS = {
    "email": "E-mail", "name": "Naam", "areas": "Centra", "kpis": "KPI's", "werkplan": "Werkplan",
    "active": "Actief", "fields": "Gewijzigd", "file": "Bestand", "row": "Rij",
}
FIELDS = {"naam": "name", "centra": "areas", "kpis": "kpis", "werkplan": "werkplan", "actief": "active"}
DUTCH_OF = {v: k for k, v in FIELDS.items()}
EMAIL_MAX = schema.subscribers.c.email.type.length
NAME_MAX = schema.subscribers.c.name.type.length
SUBSCRIBER_CHANGED = ("Deze abonnee is intussen gewijzigd door iemand anders; er is niets opgeslagen. "
                      "Bekijk de nieuwe stand en vul het formulier opnieuw in.")
# One address, no spaces, a dot in the domain: what an SMTP server can deliver to.
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")


def _list(text: str) -> list[str]:
    return [k.strip() for k in re.split(r"[,;]", str(text)) if k.strip()]


def validate_subscribers(frame: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, *,
                         file_order: dict[str, int]):
    """Check a subscriber list: a deliverable e-mail address (once), a name without control
    characters, known centres and KPIs, ja/nee flags, and something to follow."""
    f = frame.copy()
    f["email_key"] = f["e-mail"].str.strip().str.casefold()
    known_areas = {name_key(a): a for a in areas["name"]}
    f["centra_namen"] = f["centra"].map(lambda t: tuple(known_areas.get(name_key(a)) for a in _list(t)))
    f["centra_onbekend"] = f["centra"].map(lambda t: ", ".join(a for a in _list(t) if name_key(a) not in known_areas))
    lookup = indicator_lookup(indicators)
    f["kpis_alle"] = f["kpis"].str.strip().str.casefold() == store.ALL_KPIS
    f["kpi_codes"] = f["kpis"].map(lambda t: tuple(dict.fromkeys(lookup.get(name_key(k)) for k in _list(t))))
    f["kpi_onbekend"] = [
        "" if every else ", ".join(k for k in _list(t) if name_key(k) not in lookup)
        for t, every in zip(f["kpis"], f["kpis_alle"], strict=True)]
    f["werkplan_ja"] = f["werkplan"].map(flag)
    f["actief_ja"] = f["actief"].map(flag)
    follows_kpis = [("kpis" in absent) or every or bool(_list(t))
                    for t, every, absent in zip(f["kpis"], f["kpis_alle"], f["ontbreekt"], strict=True)]
    follows_plan = [("werkplan" in absent) or bool(flag)
                    for flag, absent in zip(f["werkplan_ja"], f["ontbreekt"], strict=True)]
    f["volgt_niets"] = ~(np.array(follows_kpis, dtype=bool) | np.array(follows_plan, dtype=bool))
    f["dubbel_van"] = first_of(f["email_key"], f["bestand"], f["rij"])
    known_area_list = ", ".join(areas["name"])
    known_kpis = ", ".join(indicators["code"])
    rules = [
        Rule("email_leeg", "e-mail", lambda s: s != "", lambda r: "Het e-mailadres is leeg.", column="e-mail"),
        Rule("email_te_lang", "e-mail", lambda s: s.str.len() <= EMAIL_MAX,
             lambda r: f"Het e-mailadres is langer dan {EMAIL_MAX} tekens.", column="e-mail"),
        Rule("email_ongeldig", "e-mail",
             lambda s: (s == "") | s.map(lambda v: bool(_EMAIL.match(v.strip()))).astype(bool),
             lambda r: f"'{r['e-mail'][:60]}' is geen geldig e-mailadres (bijvoorbeeld naam@assen.nl).",
             column="e-mail"),
        Rule("email_dubbel", "e-mail", lambda s: s == "",
             lambda r: f"Het e-mailadres {r['e-mail']} komt dubbel voor; staat ook in {r['dubbel_van']}.",
             column="dubbel_van"),
        Rule("naam_te_lang", "naam", lambda s: s.str.len() <= NAME_MAX,
             lambda r: f"De naam is langer dan {NAME_MAX} tekens.", column="naam"),
        Rule("naam_stuurteken", "naam",
             lambda s: ~s.str.contains(CONTROL_CHARACTERS.pattern, regex=True).astype(bool),
             lambda r: "De naam bevat een onzichtbaar stuurteken; typ hem opnieuw.", column="naam"),
        Rule("centra_onbekend", "centra", lambda s: s == "",
             lambda r: f"Onbekend centrum '{r['centra_onbekend']}'. Bekende gebieden: {known_area_list}.",
             column="centra_onbekend"),
        Rule("kpi_onbekend", "kpis", lambda s: s == "",
             lambda r: f"Onbekende KPI '{r['kpi_onbekend']}'. Gebruik 'alle' of een of meer van: {known_kpis}.",
             column="kpi_onbekend"),
        Rule("werkplan_ongeldig", "werkplan", lambda f: (f["werkplan"] == "") | f["werkplan_ja"].notna(),
             lambda r: f"'{r['werkplan']}' is geen ja of nee."),
        Rule("actief_ongeldig", "actief", lambda f: (f["actief"] == "") | f["actief_ja"].notna(),
             lambda r: f"'{r['actief']}' is geen ja of nee."),
        Rule("volgt_niets", "kpis", lambda s: ~s,
             lambda r: "Deze abonnee volgt niets: vul bij 'kpis' alle of een of meer KPI's in, of zet "
                       "'werkplan' op ja.", column="volgt_niets"),
    ]
    problems = run_rules(f, rules, file_order)
    clean = pd.DataFrame({
        "email": f["email_key"], "name": f["naam"].str.strip(),
        "areas": [", ".join(a for a in names if a) for names in f["centra_namen"]],
        "kpis": [store.ALL_KPIS if every else ",".join(k for k in codes if k)
                 for codes, every in zip(f["kpi_codes"], f["kpis_alle"], strict=True)],
        "werkplan": f["werkplan_ja"].map(bool), "active": f["actief_ja"].map(lambda v: v is not False),
        "keep": [tuple(FIELDS[n] for n in absent if n in FIELDS) for absent in f["ontbreekt"]],
        "file": f["bestand"], "row": f["rij"],
    })
    return Validated(clean, problems, [])


COMPARED = ["name", "areas", "kpis", "werkplan", "active"]


@dataclass
class SubscriberPlan:
    """Validated subscribers with their status against the database and the version each replaces."""

    rows: pd.DataFrame

    def same_outcome(self, other: SubscriberPlan) -> bool:
        return (np.array_equal(self.rows["status_plan"].to_numpy(), other.rows["status_plan"].to_numpy())
                and np.array_equal(self.rows["old_id"].to_numpy(), other.rows["old_id"].to_numpy()))

    @property
    def writes(self) -> bool:
        return bool((self.rows["status_plan"] != UNCHANGED).any())


def plan_subscribers(conn: Connection, rows: pd.DataFrame) -> SubscriberPlan:
    """New, changed or unchanged per subscriber; absent columns take the stored value; a
    changed subscriber keeps the token of its unsubscribe link."""
    rows = rows.reset_index(drop=True).copy()
    current = store.load_subscribers(conn).set_index("email")
    status, old_id, tokens, fields = [], [], [], []
    for i, r in rows.iterrows():
        if r["email"] not in current.index:
            if "kpis" in r["keep"]:
                rows.at[i, "kpis"] = store.ALL_KPIS
            status.append(ADDED)
            old_id.append(-1)
            tokens.append(None)
            fields.append("")
            continue
        old = current.loc[r["email"]]
        for field in r["keep"]:
            rows.at[i, field] = old[field]
        differ = [c for c in COMPARED if rows.at[i, c] != old[c]]
        status.append(CHANGED if differ else UNCHANGED)
        old_id.append(int(old["id"]))
        tokens.append(old["token"])
        fields.append(", ".join(DUTCH_OF[c] for c in differ))
    return SubscriberPlan(rows.assign(status_plan=np.array(status, dtype=object),
                                      old_id=np.array(old_id, dtype="int64"), token=tokens, fields=fields))


def subscriber_frames(plan: SubscriberPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview's added, changed and unchanged frames."""
    rows = plan.rows
    shown = rows.assign(werkplan=rows["werkplan"].map(yes_no), active=rows["active"].map(yes_no),
                        row=rows["row"].astype(int))
    return by_status(shown, rows["status_plan"], PREVIEW_COLUMNS, CHANGED_COLUMNS)


def preview_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A subscriber preview frame with Dutch headers."""
    return frame.rename(columns=PREVIEW_HEADERS)


def check_versions(plan: SubscriberPlan, expected: dict[str, int]) -> None:
    """Refuse when a subscriber's current version is not the one a form was opened on."""
    for email, old in zip(plan.rows["email"], plan.rows["old_id"], strict=True):
        if email in expected and expected[email] != int(old):
            raise ImportRefused(SUBSCRIBER_CHANGED)


def write_subscribers(conn: Connection, plan: SubscriberPlan, meta: dict, user: str) -> int:
    """Create the batch and store a new version of each new or changed subscriber; the batch id."""
    rows = plan.rows
    now = repository.write_moment(conn)
    status = rows["status_plan"]
    batch = repository.create_batch(
        conn, SUBSCRIBERS, meta["filename"], user, sha256=meta["sha256"], created_at=now,
        **status_counts(status),
    )
    new = rows[status != UNCHANGED].copy()
    new["token"] = [t if isinstance(t, str) and t else store.new_token() for t in new["token"]]
    store.save_subscribers(conn, new, batch, now)
    repository.touch_data_version(conn)
    return batch


def undo_subscribers(conn: Connection, batch_id: int, now: dt.datetime, user: str) -> None:
    """Undo a subscriber batch: refuse while a later batch in force replaced one of its versions."""
    later = repository.later_batches(conn, schema.subscribers, batch_id)
    if later:
        import_store.refuse_later(batch_id, later)
    repository.undo_versions(conn, schema.subscribers, batch_id, now)
