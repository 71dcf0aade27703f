"""A centre's own werkplan themes and roles through the importer (issue 21.3): a themes file
(themas: letter, naam, omschrijving, bron) and a roles file (rollen: rol, organisatie, soort,
volgorde, thema's, omschrijving, bron), each row for the centre in `gebied` or, without that
column, the centre chosen on the page or with --gebied.

Themes and roles are reference data, not versioned: an import adds the ones a centre does not
have yet, and undo deletes what its batch added, refused while an action (or, for themes, a role)
still refers to them. A row that would change a stored theme or role is refused with the stored
value in the message: changing a centre's vocabulary under its actions is a decision, not an import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import repository, schema
from kpi.importer.actions import centre_of
from kpi.importer.model import ROLES, THEMES, ImportRefused, Problem
from kpi.importer.plan import ADDED, UNCHANGED
from kpi.importer.rules import Rule, Validated, run_rules
from kpi.names import name_key

PREVIEW_COLUMNS = ["area", "key", "name", "detail", "file", "row"]
PREVIEW_HEADERS = {"area": "Gebied", "key": "Letter", "name": "Naam", "detail": "Omschrijving", "file": "Bestand",
                   "row": "Rij"}
ROLE_KINDS = ("rol", "orgaan")
NAME_MAX = schema.themes.c.name.type.length
ROLE_MAX = schema.roles.c.name.type.length
BODY_MAX = schema.roles.c.body.type.length


def _letters(text: str) -> list[str]:
    return [t.strip().upper() for t in re.split(r"[,;\s]+", text) if t.strip()]


def _areas_frame(areas: pd.DataFrame, default_area: str) -> pd.DataFrame:
    return areas if not areas.empty else pd.DataFrame({"name": [default_area], "id": [None], "slug": [""]})


def _first_seen(keys: list[str], rows: pd.Series) -> list[str]:
    """'rij 3' where a key was seen before, else ''."""
    first: dict[str, int] = {}
    out = []
    for key, row in zip(keys, rows, strict=True):
        out.append(f"rij {first[key]}" if key in first else "")
        first.setdefault(key, int(row))
    return out


def _stored_themes(conn: Connection) -> pd.DataFrame:
    t, a = schema.themes, schema.areas
    return pd.read_sql(sa.select(a.c.name.label("area"), t.c.letter, t.c.name, t.c.description)
                       .join(a, a.c.id == t.c.area_id), conn)


def validate_themes(frame: pd.DataFrame, areas: pd.DataFrame, *, default_area: str, file_order: dict[str, int],
                    conn: Connection) -> Validated:
    """Check a themes file: a known centre, one letter (A-Z) once per centre, a name (once per
    centre, at most 200 characters) and a source."""
    f = frame.copy()
    areas = _areas_frame(areas, default_area)
    known_areas = ", ".join(areas["name"])
    f["gebied_naam"] = f["gebied"].map(lambda g: centre_of(areas, g, default_area))
    f["letter_hoofd"] = f["letter"].str.strip().str.upper()
    f["dubbel_letter"] = _first_seen([f"{a}\x00{x}" if x else f"leeg{i}" for i, (a, x) in
                                      enumerate(zip(f["gebied_naam"].fillna(""), f["letter_hoofd"], strict=True))],
                                     f["rij"])
    f["dubbel_naam"] = _first_seen([f"{a}\x00{name_key(x)}" if x else f"leeg{i}" for i, (a, x) in
                                    enumerate(zip(f["gebied_naam"].fillna(""), f["naam"], strict=True))], f["rij"])
    rules = [
        Rule("gebied_onbekend", "gebied", lambda f: f["gebied_naam"].notna(),
             lambda r: f"Onbekend gebied '{r['gebied']}'. Bekende gebieden: {known_areas}."),
        Rule("letter_ongeldig", "letter", lambda s: s.str.fullmatch(r"[A-Z]"),
             lambda r: f"'{r['letter']}' is geen themaletter; gebruik één letter (A-Z).", column="letter_hoofd"),
        Rule("naam_leeg", "naam", lambda s: s != "", lambda r: "De naam van het thema is leeg.", column="naam"),
        Rule("naam_te_lang", "naam", lambda s: s.str.len() <= NAME_MAX,
             lambda r: f"De naam van het thema is langer dan {NAME_MAX} tekens.", column="naam"),
        Rule("bron_leeg", "bron", lambda s: s != "",
             lambda r: "De bron is leeg; vul de bron in (of geef één bron op voor het hele bestand).", column="bron"),
        Rule("letter_dubbel", "letter", lambda s: s == "",
             lambda r: f"Thema {r['letter_hoofd']} komt dubbel voor; staat ook in {r['dubbel_letter']}.",
             column="dubbel_letter"),
        Rule("naam_dubbel", "naam", lambda s: s == "",
             lambda r: f"Het thema '{r['naam']}' komt dubbel voor; staat ook in {r['dubbel_naam']}.",
             column="dubbel_naam"),
    ]
    problems = run_rules(f, rules, file_order)
    clean = pd.DataFrame({"area": f["gebied_naam"], "key": f["letter_hoofd"], "name": f["naam"],
                          "detail": f["omschrijving"], "source": f["bron"], "themes": [()] * len(f),
                          "body": "", "kind": "", "order": 0, "file": f["bestand"], "row": f["rij"]})
    return Validated(clean, problems, [])


def validate_roles(frame: pd.DataFrame, areas: pd.DataFrame, *, default_area: str, file_order: dict[str, int],
                   conn: Connection) -> Validated:
    """Check a roles file: a known centre, a role name once per centre, soort rol or orgaan, a whole
    number as volgorde, theme letters the centre has (stored or in no file: import the themes first)."""
    f = frame.copy()
    areas = _areas_frame(areas, default_area)
    known_areas = ", ".join(areas["name"])
    f["gebied_naam"] = f["gebied"].map(lambda g: centre_of(areas, g, default_area))
    themes = _stored_themes(conn)
    own = {a: set(part["letter"]) for a, part in themes.groupby("area")}
    f["thema_letters"] = f["themas"].map(_letters)
    f["thema_onbekend"] = [", ".join(x for x in letters if x not in own.get(a, set()))
                           for letters, a in zip(f["thema_letters"], f["gebied_naam"], strict=True)]
    f["soort_code"] = f["soort"].map(lambda s: name_key(s) if s else "rol")
    f["volgorde_getal"] = pd.to_numeric(f["volgorde"].where(f["volgorde"] != "", "0"), errors="coerce")
    f["dubbel_rol"] = _first_seen([f"{a}\x00{name_key(x)}" if x else f"leeg{i}" for i, (a, x) in
                                   enumerate(zip(f["gebied_naam"].fillna(""), f["rol"], strict=True))], f["rij"])

    def known_letters(area) -> str:
        letters = sorted(own.get(area, set()))
        return ", ".join(letters) if letters else "nog geen (importeer eerst de thema's van dit centrum)"

    rules = [
        Rule("gebied_onbekend", "gebied", lambda f: f["gebied_naam"].notna(),
             lambda r: f"Onbekend gebied '{r['gebied']}'. Bekende gebieden: {known_areas}."),
        Rule("rol_leeg", "rol", lambda s: s != "", lambda r: "De naam van de rol is leeg.", column="rol"),
        Rule("rol_te_lang", "rol", lambda s: s.str.len() <= ROLE_MAX,
             lambda r: f"De naam van de rol is langer dan {ROLE_MAX} tekens.", column="rol"),
        Rule("organisatie_te_lang", "organisatie", lambda s: s.str.len() <= BODY_MAX,
             lambda r: f"De organisatie is langer dan {BODY_MAX} tekens.", column="organisatie"),
        Rule("soort_onbekend", "soort", lambda s: s.isin(ROLE_KINDS),
             lambda r: f"Onbekende soort '{r['soort']}'. Gebruik: rol of orgaan.", column="soort_code"),
        Rule("volgorde_ongeldig", "volgorde", lambda s: s.notna() & (s % 1 == 0),
             lambda r: f"'{r['volgorde']}' is geen heel getal (bijvoorbeeld 3).", column="volgorde_getal"),
        Rule("thema_onbekend", "themas", lambda s: s == "",
             lambda r: (f"Onbekend thema '{r['thema_onbekend']}' voor {r['gebied_naam']}. Thema's van dit centrum: "
                        f"{known_letters(r['gebied_naam'])}."), column="thema_onbekend"),
        Rule("bron_leeg", "bron", lambda s: s != "",
             lambda r: "De bron is leeg; vul de bron in (of geef één bron op voor het hele bestand).", column="bron"),
        Rule("rol_dubbel", "rol", lambda s: s == "",
             lambda r: f"De rol '{r['rol']}' komt dubbel voor; staat ook in {r['dubbel_rol']}.", column="dubbel_rol"),
    ]
    problems = run_rules(f, rules, file_order)
    clean = pd.DataFrame({"area": f["gebied_naam"], "key": f["rol"], "name": f["rol"], "detail": f["omschrijving"],
                          "source": f["bron"], "themes": [tuple(dict.fromkeys(x)) for x in f["thema_letters"]],
                          "body": f["organisatie"], "kind": f["soort_code"],
                          "order": f["volgorde_getal"].fillna(0).astype(int), "file": f["bestand"], "row": f["rij"]})
    return Validated(clean, problems, [])


@dataclass
class BasisPlan:
    """Validated themes or roles with their status against the database (new or unchanged)."""

    kind: str
    rows: pd.DataFrame
    problems: list[Problem]

    def same_outcome(self, other: BasisPlan) -> bool:
        return np.array_equal(self.rows["status_plan"].to_numpy(), other.rows["status_plan"].to_numpy())

    @property
    def writes(self) -> bool:
        return bool((self.rows["status_plan"] == ADDED).any())


def _stored_roles(conn: Connection) -> pd.DataFrame:
    r, rt, a = schema.roles, schema.role_themes, schema.areas
    roles = pd.read_sql(sa.select(r.c.id, a.c.name.label("area"), r.c.name, r.c.body, r.c.kind, r.c.sort_order,
                                  r.c.description).join(a, a.c.id == r.c.area_id), conn)
    pairs = pd.read_sql(sa.select(rt.c.role_id, rt.c.theme_letter), conn)
    by_role = pairs.groupby("role_id")["theme_letter"].agg(lambda s: tuple(sorted(s))).to_dict()
    roles["themes"] = [by_role.get(i, ()) for i in roles["id"]]
    return roles


def plan_basis(conn: Connection, kind: str, rows: pd.DataFrame) -> BasisPlan:
    """Classify each row as new or unchanged; a row that differs from the stored theme or role
    of the same centre and key is a problem (see the module docstring)."""
    rows = rows.reset_index(drop=True).copy()
    problems: list[Problem] = []
    status = []
    if kind == THEMES:
        stored = {(r.area, r.letter): r for r in _stored_themes(conn).itertuples()}
        names = {(r.area, name_key(r.name)): r.letter for r in stored.values()}
    else:
        stored = {(r.area, name_key(r.name)): r for r in _stored_roles(conn).itertuples()}
    for r in rows.itertuples():
        key = (r.area, r.key) if kind == THEMES else (r.area, name_key(r.key))
        old = stored.get(key)
        if old is None:
            if kind == THEMES and (other := names.get((r.area, name_key(r.name)))) is not None:
                problems.append(Problem(r.file, int(r.row), "naam", (
                    f"{r.area} heeft het thema '{r.name}' al, onder letter {other}; er is niets opgeslagen.")))
            status.append(ADDED)
            continue
        if kind == THEMES:
            differs = (old.name, old.description) != (r.name, r.detail)
            what = f"Thema {r.key} van {r.area} bestaat al als '{old.name}'"
        else:
            differs = ((old.body, old.kind, int(old.sort_order), old.description, tuple(sorted(old.themes)))
                       != (r.body, r.kind, int(r.order), r.detail, tuple(sorted(r.themes))))
            what = f"De rol '{old.name}' van {r.area} bestaat al, met andere gegevens"
        if differs:
            problems.append(Problem(r.file, int(r.row), None, (
                f"{what}; een bestaand{' thema' if kind == THEMES else 'e rol'} wijzigen kan niet met een import "
                "(alleen toevoegen). Er is niets opgeslagen.")))
        status.append(UNCHANGED)
    return BasisPlan(kind, rows.assign(status_plan=np.array(status, dtype=object)), problems)


def basis_frames(plan: BasisPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview's added, changed (always empty) and unchanged frames."""
    rows = plan.rows.assign(detail=[d if plan.kind == THEMES else
                                    "; ".join(x for x in (b, f"thema's {', '.join(t)}" if t else "") if x)
                                    for d, b, t in zip(plan.rows["detail"], plan.rows["body"], plan.rows["themes"],
                                                       strict=True)])
    shown = rows[PREVIEW_COLUMNS].assign(row=rows["row"].astype(int))
    status = rows["status_plan"]
    return (shown.loc[status == ADDED].reset_index(drop=True), shown.iloc[0:0].reset_index(drop=True),
            shown.loc[status == UNCHANGED].reset_index(drop=True))


def preview_table(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A themes or roles preview frame with Dutch headers."""
    headers = PREVIEW_HEADERS if kind == THEMES else {**PREVIEW_HEADERS, "key": "Rol", "name": "Naam",
                                                      "detail": "Organisatie en thema's"}
    out = frame.rename(columns=headers)
    return out.drop(columns=["Naam"]) if kind == ROLES else out


def write_basis(conn: Connection, plan: BasisPlan, meta: dict, user: str) -> int:
    """Create the batch and insert the new themes or roles (with their themes) of each centre."""
    rows = plan.rows
    now = repository.write_moment(conn)
    new = rows[rows["status_plan"] == ADDED]
    batch = repository.create_batch(conn, plan.kind, meta["filename"], user, sha256=meta["sha256"], created_at=now,
                                    rows_total=len(rows), rows_added=len(new), rows_unchanged=len(rows) - len(new))
    ids = repository.area_ids(conn)
    if plan.kind == THEMES:
        conn.execute(sa.insert(schema.themes), [
            dict(area_id=ids[r.area], letter=r.key, name=r.name, description=r.detail, source=r.source, batch_id=batch)
            for r in new.itertuples()])
    else:
        for r in new.itertuples():
            role_id = conn.execute(sa.insert(schema.roles).values(
                area_id=ids[r.area], name=r.name, body=r.body, kind=r.kind, sort_order=int(r.order),
                description=r.detail, source=r.source, batch_id=batch)).inserted_primary_key[0]
            if r.themes:
                conn.execute(sa.insert(schema.role_themes), [
                    dict(role_id=role_id, area_id=ids[r.area], theme_letter=t, source=r.source) for t in r.themes])
    repository.touch_data_version(conn)
    return batch


def undo_basis(conn: Connection, batch_id: int, now: dt.datetime, user: str) -> None:
    """Delete the themes or roles a batch added; refused (Dutch) while an action or role refers to them."""
    t, r, rt, ac, b = schema.themes, schema.roles, schema.role_themes, schema.actions, schema.import_batches
    kind = conn.execute(sa.select(b.c.kind).where(b.c.id == batch_id)).scalar()
    if kind == THEMES:
        used = sa.select(ac.c.batch_id).join(t, (t.c.area_id == ac.c.area_id) & (t.c.letter == ac.c.theme_letter))
        by_roles = sa.select(r.c.batch_id).join(rt, rt.c.role_id == r.c.id).join(
            t, (t.c.area_id == rt.c.area_id) & (t.c.letter == rt.c.theme_letter))
        users = sorted({x for x in conn.execute(used.where(t.c.batch_id == batch_id)).scalars()}
                       | {x for x in conn.execute(by_roles.where(t.c.batch_id == batch_id)).scalars()},
                       key=lambda x: (x is None, x or 0))
    else:
        used = sa.select(ac.c.batch_id).join(r, r.c.id == ac.c.role_id).where(r.c.batch_id == batch_id)
        users = sorted(set(conn.execute(used).scalars()), key=lambda x: (x is None, x or 0))
    if users:
        undone = set(conn.execute(sa.select(b.c.id).where(b.c.id.in_([x for x in users if x is not None]),
                                                           b.c.undone_at.is_not(None))).scalars())
        live = [x for x in users if x not in undone]
        if live:
            named = ", ".join("de basisgegevens" if x is None else f"importbatch {x}" for x in live)
            raise ImportRefused(f"Importbatch {batch_id} kan niet ongedaan worden gemaakt: acties of rollen uit "
                                f"{named} gebruiken wat hij toevoegde. Maak die eerst ongedaan.")
        raise ImportRefused(f"Importbatch {batch_id} kan niet ongedaan worden gemaakt: de geschiedenis van acties "
                            "(ook van ongedaan gemaakte imports) verwijst naar wat hij toevoegde.")
    if kind == THEMES:
        conn.execute(sa.delete(t).where(t.c.batch_id == batch_id))
    else:
        ids = sa.select(r.c.id).where(r.c.batch_id == batch_id)
        conn.execute(sa.delete(rt).where(rt.c.role_id.in_(ids)))
        conn.execute(sa.delete(r).where(r.c.batch_id == batch_id))
