"""Action lists of the werkplan through the importer: rules, comparison, writing and undo.

An action is keyed by its code. It is *changed* when any field differs from the current
version, or when the current version is illustrative (a real action list replaces the demo
one, as real figures replace illustrative ones). A column the file does not have (say
`budget`) keeps the stored value of a known real action; a column that is there but empty
clears it. A real row that replaces an illustrative action inherits nothing from it: a
demo budget, link or note must never reappear under a real action. Writing and undo are `kpi.werkplan.store`'s versioning: a new version per
changed action, the old one superseded by the batch; undo withdraws the batch's versions
and brings back the ones it replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import formatting as fmt
from kpi import repository, schema, werkplan
from kpi.importer import store
from kpi.importer.layouts import ACTION_FIELDS
from kpi.importer.model import ACTIONS, ImportRefused
from kpi.importer.parsing import EMPTY, NOT_A_NUMBER, OTHER_DECIMAL, none_if_missing, parse_dates, parse_years
from kpi.importer.plan import ADDED, CHANGED, UNCHANGED, by_status, status_counts
from kpi.importer.rules import Rule, Validated, decimal_hint, first_of, run_rules
from kpi.names import indicator_lookup, name_key
from kpi.periods import DAY
from kpi.werkplan import store as wp_store
from kpi.werkplan import tables as wp_tables

# Columns of the preview frames of an action list (Preview.added / changed / unchanged).
ACTION_PREVIEW_COLUMNS = ["code", "title", "theme", "status", "file", "row"]
ACTION_CHANGED_COLUMNS = [*ACTION_PREVIEW_COLUMNS, "old_status", "old_illustrative", "fields"]
ACTION_PREVIEW_HEADERS = {
    "code": "Code", "title": "Actie", "theme": "Thema", "status": "Status", "old_status": "Status was",
    "old_illustrative": "Was illustratief", "fields": "Gewijzigd", "file": "Bestand", "row": "Rij",
}
# File field -> stored field (kpi.werkplan.store.WRITE_COLUMNS).
FIELD_OF = {
    "code": "code", "titel": "title", "thema": "theme", "eigenaar": "owner", "rol": "role", "jaar": "year",
    "start": "start", "deadline": "due", "status": "status", "budget": "budget", "besteed": "spent",
    "fonds": "fund", "kpis": "kpis", "toelichting": "note", "bron": "source",
}
DUTCH_OF = {v: k for k, v in FIELD_OF.items()}
# A stored field as the preview names it when it changed (issue 19.16: "KPI's", not "kpis").
FIELD_WORDS = {
    "title": "titel", "theme": "thema", "owner": "eigenaar", "role": "rol", "year": "jaar", "start": "start",
    "due": "deadline", "status": "status", "budget": "budget", "spent": "besteed", "fund": "fonds",
    "kpis": "KPI's", "note": "toelichting", "source": "bron",
}
CODE_MAX = schema.actions.c.code.type.length
TITLE_MAX = schema.actions.c.title.type.length
OWNER_MAX = schema.actions.c.owner.type.length
FUND_MAX = schema.actions.c.fund.type.length
ACTION_CHANGED = (
    "Deze actie is intussen gewijzigd door iemand anders; er is niets opgeslagen. "
    "Bekijk de nieuwe stand en vul het formulier opnieuw in."
)


def _kpi_list(text: str) -> list[str]:
    return [k.strip() for k in re.split(r"[,;]", text) if k.strip()]


def _fund(text: str) -> str:
    """A fund as stored: Assen's funds (kpi.werkplan.FUNDS) by their code, any other as written
    (funds are data per centre: a centre names its own)."""
    key = name_key(text)
    for code, label in werkplan.FUNDS.items():
        if key in (name_key(code), name_key(label)):
            return code
    return text.strip()


def centre_of(areas: pd.DataFrame, text: str, default: str) -> str | None:
    """The area name a row's `gebied` cell names (its name or slug, any case); `default` for an
    empty cell; None for an unknown one."""
    if not text:
        return default
    key = name_key(text)
    for row in areas.itertuples():
        if key in (name_key(row.name), name_key(getattr(row, "slug", "") or "")):
            return row.name
    return None


def _letters(letters: list[str]) -> str:
    """'A-F' for contiguous letters, else 'A, C, R'."""
    if not letters:
        return "(geen)"
    if len(letters) > 2 and [ord(c) for c in letters] == list(range(ord(letters[0]), ord(letters[-1]) + 1)):
        return f"{letters[0]}-{letters[-1]}"
    return ", ".join(letters)


# The largest amount an action's budget or spending may have, in euros (setting KPI_MAX_EURO):
# a city-centre programme counts in thousands to millions; a 308-digit "budget" is a typo or an
# attack, and the database column holds at most 12 digits before the comma.
MAX_EURO = 100_000_000


def _amount_rules(field: str, label: str, max_euro: float = MAX_EURO) -> list:
    status, number = f"{field}_status", f"{field}_getal"
    return [
        Rule(f"{field}_te_groot", field, lambda s: ~(s.abs() > max_euro),
             lambda r: (f"{label} '{_shown(r[field])}' is groter dan het maximum van "
                        f"{fmt.euro(max_euro)} (instelling KPI_MAX_EURO)."), column=number),
        Rule(f"{field}_geen_getal", field, lambda s: s != NOT_A_NUMBER,
             lambda r: f"'{r[field]}' is geen bedrag in euro's (bijvoorbeeld 12.500 of € 12.500).", column=status),
        Rule(f"{field}_decimaalteken", field, lambda s: s != OTHER_DECIMAL,
             lambda r: f"'{r[field]}' {decimal_hint(r)}.", column=status),
        Rule(f"{field}_negatief", field, lambda s: ~(s < 0), lambda r: f"{label} '{r[field]}' is negatief.",
             column=number),
    ]


def _date_rule(field: str):
    return Rule(f"{field}_ongeldig", field,
                lambda f: (f[f"{field}_tekst"] == "") | (f[f"{field}_precisie"] == DAY),
                lambda r: f"'{r[f'{field}_tekst']}' is geen geldige datum; gebruik een dag (1-3-2027 of 2027-03-01).")


def _shown(text) -> str:
    """A cell as the message quotes it: at most 40 characters (a 308-digit number is not repeated whole)."""
    text = str(text)
    return text if len(text) <= 40 else text[:37] + "…"


def validate_actions(frame: pd.DataFrame, indicators: pd.DataFrame, themes: pd.DataFrame, roles: pd.DataFrame,
                     *, file_order: dict[str, int], max_euro: float = MAX_EURO, areas: pd.DataFrame | None = None,
                     default_area: str = ""):
    """Check an action list: a known centre (the `gebied` column, else `default_area`), a code
    (once per centre), title, a theme and role of that centre, a known status, plain years, real
    dates with start not after the deadline, amounts in euros, a fund name that fits, known KPI
    codes and a source. `themes` and `roles` are every centre's, with the column `area` (name).
    The clean frame has kpi.werkplan.store.WRITE_COLUMNS and `area` (name) and `area_id`."""
    f = frame.copy()
    if "gebied" not in f:
        f["gebied"] = ""
    areas = areas if areas is not None else pd.DataFrame({"name": [default_area], "id": [None]})
    f["gebied_naam"] = f["gebied"].map(lambda g: centre_of(areas, g, default_area))
    own_themes = {name: part for name, part in themes.groupby("area")} if "area" in themes else {default_area: themes}
    own_roles = {name: part for name, part in roles.groupby("area")} if "area" in roles else {default_area: roles}
    empty_themes, empty_roles = themes.iloc[0:0], roles.iloc[0:0]

    def theme_of(t: str, area) -> str | None:
        return werkplan.resolve_theme(own_themes.get(area, empty_themes), t) if t and area else None

    def role_of(r: str, area) -> str | None:
        names = {name_key(n): n for n in own_roles.get(area, empty_roles)["name"]}
        return names.get(name_key(r)) if r and area else None

    f["thema_letter"] = [theme_of(t, a) for t, a in zip(f["thema"], f["gebied_naam"], strict=True)]
    f["status_code"] = f["status"].map(lambda s: werkplan.resolve_status(s) if s else None)
    f["rol_naam"] = [role_of(r, a) for r, a in zip(f["rol"], f["gebied_naam"], strict=True)]
    f["fonds_code"] = f["fonds"].map(lambda v: _fund(v) if v else None)
    f["jaar_getal"] = parse_years(f["jaar"])
    for field in ("start", "deadline"):
        f[f"{field}_datum"], f[f"{field}_precisie"] = parse_dates(f[field])
        f.loc[f[f"{field}_tekst"] == "", [f"{field}_datum", f"{field}_precisie"]] = None
    lookup = indicator_lookup(indicators)
    f["kpi_codes"] = f["kpis"].map(lambda t: tuple(dict.fromkeys(lookup.get(name_key(k)) for k in _kpi_list(t))))
    f["kpi_onbekend"] = f["kpis"].map(lambda t: ", ".join(k for k in _kpi_list(t) if name_key(k) not in lookup))
    start = pd.to_datetime(f["start_datum"].where(f["start_precisie"] == DAY))
    due = pd.to_datetime(f["deadline_datum"].where(f["deadline_precisie"] == DAY))
    f["na_deadline"] = (start > due).fillna(False).astype(bool)
    known_statuses = ", ".join(s.code for s in werkplan.ACTION_STATUSES)
    known_kpis = ", ".join(indicators["code"])
    several = f["gebied_naam"].dropna().nunique() > 1 or (f["gebied"] != "").any()

    def known_themes(area: str) -> str:
        own = own_themes.get(area, empty_themes)
        letters = _letters(sorted(own["letter"]))
        names = ", ".join(own["letter"] + " " + own["name"]) or "nog geen thema's (importeer eerst de thema's)"
        return f"Gebruik de letter {letters} of de naam{f' ({area})' if several else ''}: {names}"

    def known_roles(area: str) -> str:
        names = ", ".join(own_roles.get(area, empty_roles)["name"]) or "nog geen (importeer eerst de rollen)"
        return f"Bekende rollen{f' ({area})' if several else ''}: {names}"

    # The same code in two centres is two actions; the same code twice for one centre is a mistake.
    keys = pd.Series([f"{a}\x00{c}" if c else "" for a, c in zip(f["gebied_naam"].fillna(""), f["code"], strict=True)],
                     index=f.index, dtype=object)
    f["dubbel_van"] = first_of(keys, f["bestand"], f["rij"])
    known_areas = ", ".join(areas["name"])

    rules = [
        Rule("gebied_onbekend", "gebied", lambda f: f["gebied_naam"].notna(),
             lambda r: f"Onbekend gebied '{r['gebied']}'. Bekende gebieden: {known_areas}."),
        Rule("code_leeg", "code", lambda s: s != "", lambda r: "De code is leeg.", column="code"),
        Rule("code_te_lang", "code", lambda s: s.str.len() <= CODE_MAX,
             lambda r: f"De code is langer dan {CODE_MAX} tekens.", column="code"),
        Rule("titel_leeg", "titel", lambda s: s != "", lambda r: "De titel is leeg.", column="titel"),
        Rule("titel_te_lang", "titel", lambda s: s.str.len() <= TITLE_MAX,
             lambda r: f"De titel is langer dan {TITLE_MAX} tekens.", column="titel"),
        Rule("thema_leeg", "thema", lambda s: s != "", lambda r: "Het thema is leeg.", column="thema"),
        Rule("thema_onbekend", "thema", lambda f: (f["thema"] == "") | f["thema_letter"].notna(),
             lambda r: f"Onbekend thema '{r['thema']}'. {known_themes(r['gebied_naam'])}."),
        Rule("eigenaar_te_lang", "eigenaar", lambda s: s.str.len() <= OWNER_MAX,
             lambda r: f"De eigenaar is langer dan {OWNER_MAX} tekens.", column="eigenaar"),
        Rule("rol_onbekend", "rol", lambda f: (f["rol"] == "") | f["rol_naam"].notna(),
             lambda r: f"Onbekende rol '{r['rol']}'. {known_roles(r['gebied_naam'])}."),
        Rule("jaar_ongeldig", "jaar", lambda f: (f["jaar"] == "") | f["jaar_getal"].notna(),
             lambda r: f"'{r['jaar']}' is geen jaartal (bijvoorbeeld 2026)."),
        _date_rule("start"),
        _date_rule("deadline"),
        Rule("start_na_deadline", "start", lambda s: ~s,
             lambda r: (f"De start {r['start_tekst']} ligt na de deadline {r['deadline_tekst']}."), column="na_deadline"),
        Rule("status_leeg", "status", lambda s: s != "", lambda r: "De status is leeg.", column="status"),
        Rule("status_onbekend", "status", lambda f: (f["status"] == "") | f["status_code"].notna(),
             lambda r: f"Onbekende status '{r['status']}'. Gebruik: {known_statuses}."),
        *_amount_rules("budget", "Het budget", max_euro),
        *_amount_rules("besteed", "Het bestede bedrag", max_euro),
        Rule("fonds_te_lang", "fonds", lambda s: s.str.len() <= FUND_MAX,
             lambda r: f"De naam van het fonds is langer dan {FUND_MAX} tekens.", column="fonds"),
        Rule("kpi_onbekend", "kpis", lambda s: s == "",
             lambda r: f"Onbekende KPI '{r['kpi_onbekend']}'. Bekende KPI's: {known_kpis}.", column="kpi_onbekend"),
        Rule("bron_leeg", "bron", lambda s: s != "",
             lambda r: "De bron is leeg; vul de bron in (of geef één bron op voor het hele bestand).", column="bron"),
        Rule("dubbel", "code", lambda s: s == "",
             lambda r: f"De actie {r['code']} komt dubbel voor; staat ook in {r['dubbel_van']}.", column="dubbel_van"),
    ]
    problems = run_rules(f, rules, file_order)

    def amount(field: str) -> pd.Series:
        return f[f"{field}_getal"].where(f[f"{field}_status"] != EMPTY).astype(float)

    clean = pd.DataFrame({
        "code": f["code"], "title": f["titel"], "theme": f["thema_letter"],
        "owner": f["eigenaar"], "role": f["rol_naam"],
        "year": [None if pd.isna(y) else int(y) for y in f["jaar_getal"]],
        "start": f["start_datum"], "due": f["deadline_datum"], "status": f["status_code"],
        "budget": amount("budget"), "spent": amount("besteed"), "fund": f["fonds_code"],
        "kpis": [tuple(k for k in ks if k) for ks in f["kpi_codes"]], "note": f["toelichting"],
        "source": f["bron"], "illustrative": False,
        "area": f["gebied_naam"],
        "area_id": f["gebied_naam"].map(dict(zip(areas["name"], areas["id"]))),
        "keep": [tuple(FIELD_OF[n] for n in absent) for absent in f["ontbreekt"]],
        "file": f["bestand"], "row": f["rij"],
    })
    return Validated(clean, problems, [])


# ---- comparing with what is stored ----------------------------------------------------------

def _comparable(field: str, value):
    """One field's value in a form that compares equal however it was read or stored."""
    if field == "kpis":
        return tuple(sorted(value or ()))
    if (value := none_if_missing(value)) is None:
        return None
    if field in ("start", "due"):
        return pd.Timestamp(value).date()
    if field in ("budget", "spent"):
        return round(float(value), 2)
    if field == "year":
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


COMPARED = [c for c in wp_store.WRITE_COLUMNS if c not in ("code", "illustrative")]


@dataclass
class ActionPlan:
    """Validated actions with their status against the database and the version each replaces."""

    rows: pd.DataFrame

    def same_outcome(self, other: ActionPlan) -> bool:
        return (
            np.array_equal(self.rows["status_plan"].to_numpy(), other.rows["status_plan"].to_numpy())
            and np.array_equal(self.rows["old_id"].to_numpy(), other.rows["old_id"].to_numpy())
        )

    @property
    def writes(self) -> bool:
        return bool((self.rows["status_plan"] != UNCHANGED).any())


def plan_actions(conn: Connection, rows: pd.DataFrame) -> ActionPlan:
    """Classify each validated action as new, changed or unchanged against its current version;
    fields the file had no column for take the current version's value, unless that version is
    illustrative (then they stay empty)."""
    rows = rows.reset_index(drop=True).copy()
    current = {area: wp_store.load_actions(conn, area).set_index("code") for area in rows["area"].unique()}
    status, old_id, old_status, old_ill, fields = [], [], [], [], []
    for i, r in rows.iterrows():
        if r["code"] not in current[r["area"]].index:
            status.append(ADDED)
            old_id.append(-1)
            old_status.append(None)
            old_ill.append(None)
            fields.append("")
            continue
        old = current[r["area"]].loc[r["code"]]
        if not old["illustrative"]:
            for field in r["keep"]:
                rows.at[i, field] = old[field]
        differ = [c for c in COMPARED if _comparable(c, rows.at[i, c]) != _comparable(c, old[c])]
        changed = bool(differ) or bool(old["illustrative"])
        status.append(CHANGED if changed else UNCHANGED)
        old_id.append(int(old["id"]))
        old_status.append(old["status"] if changed else None)
        old_ill.append(bool(old["illustrative"]) if changed else None)
        fields.append(", ".join(FIELD_WORDS.get(c, DUTCH_OF[c]) for c in differ))
    out = rows.assign(status_plan=np.array(status, dtype=object), old_id=np.array(old_id, dtype="int64"),
                      old_status=old_status, old_illustrative=old_ill, fields=fields)
    return ActionPlan(out)


def action_frames(plan: ActionPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview's added, changed and unchanged frames (status in words)."""
    rows = plan.rows
    shown = pd.DataFrame({
        "code": rows["code"], "title": rows["title"], "theme": rows["theme"],
        "status": rows["status"].map(werkplan.status_label),
        "file": rows["file"], "row": rows["row"].astype(int),
        "old_status": [None if s is None else werkplan.status_label(s) for s in rows["old_status"]],
        "old_illustrative": rows["old_illustrative"], "fields": rows["fields"],
    })
    return by_status(shown, rows["status_plan"], ACTION_PREVIEW_COLUMNS, ACTION_CHANGED_COLUMNS)


def preview_table(frame: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """An action list's preview frame with Dutch headers (illustrative as ja/nee); with `themes`
    (wp_store.load_themes) the theme as the werkplan names it ('A compact & compleet', issue 19)."""
    out = frame.copy()
    if themes is not None and "theme" in out:
        labels = wp_tables.theme_labels(themes)
        out["theme"] = [labels.get(t, t) for t in out["theme"]]
    if "old_illustrative" in out:
        out["old_illustrative"] = out["old_illustrative"].map(lambda v: "ja" if v else "nee")
    return out.rename(columns=ACTION_PREVIEW_HEADERS)


def check_action_versions(plan: ActionPlan, expected: dict[str, int]) -> None:
    """Refuse when an action's current version is not the one a form was opened on."""
    for code, old in zip(plan.rows["code"], plan.rows["old_id"], strict=True):
        if code in expected and expected[code] != int(old):
            raise ImportRefused(ACTION_CHANGED)


def write_actions(conn: Connection, plan: ActionPlan, meta: dict, user: str) -> int:
    """Create the batch and store a new version of each new or changed action; the batch id."""
    rows = plan.rows
    now = repository.write_moment(conn)
    status = rows["status_plan"]
    batch = repository.create_batch(
        conn, ACTIONS, meta["filename"], user, sha256=meta["sha256"], created_at=now,
        **status_counts(status),
    )
    wp_store.save_actions(conn, rows[status != UNCHANGED], batch, now)
    repository.touch_data_version(conn)
    return batch


def undo_actions(conn: Connection, batch_id: int, now: dt.datetime, user: str) -> None:
    """Undo an action batch: refuse while a later batch in force replaced one of its versions."""
    later = repository.later_batches(conn, schema.actions, batch_id)
    if later:
        store.refuse_later(batch_id, later)
    wp_store.undo_actions(conn, batch_id, now)


def file_fields() -> list[str]:
    """The action list's column names, in the contract's order (for the README and forms)."""
    return list(ACTION_FIELDS)


def reference(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every centre's themes and roles with the centre's name as `area`, for validating an action list."""
    t, r, a = schema.themes, schema.roles, schema.areas
    themes = pd.read_sql(sa.select(t.c.letter, t.c.name, a.c.name.label("area")).join(a, a.c.id == t.c.area_id)
                         .order_by(a.c.id, t.c.letter), conn)
    roles = pd.read_sql(sa.select(r.c.name, a.c.name.label("area")).join(a, a.c.id == r.c.area_id)
                        .order_by(a.c.id, r.c.sort_order, r.c.name), conn)
    return themes, roles
