"""Centres and their peer groups through the importer (issue 21): rules, comparison, writing, undo.

A gebieden file has one row per centre: `slug` and `naam` (required), `soort`, `werkgroep`
(alias `vergelijkingsgroep`: the peer group the Vergelijken page compares with; empty: none),
`illustratief` (ja/nee: a fictional demo centre) and `toelichting`. A row whose slug and name are
both new adds a centre; a row of a known centre (same slug, same name) changes its other fields;
a column the file does not have keeps the stored value. A slug is never renamed (it is in every
shared URL, ?gebied=), nor a name (settings and files name centres by it): such a row is refused.

Areas are not versioned; `area_changes` records per batch what each row did and what the area
was before, so that undo restores it, or deletes a centre the batch added while nothing refers
to it yet. A later batch that changed the same centre has to be undone first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import repository, schema
from kpi.export import CONTROL_CHARACTERS
from kpi.importer import store as import_store
from kpi.importer.model import AREAS, ImportRefused
from kpi.importer.plan import ADDED, CHANGED, UNCHANGED, by_status, status_counts
from kpi.importer.rules import Rule, Validated, first_of, flag, run_rules, yes_no
from kpi.names import name_key, slug

PREVIEW_COLUMNS = ["slug", "area", "kind", "peer_group", "illustrative", "description", "file", "row"]
CHANGED_COLUMNS = [*PREVIEW_COLUMNS, "fields"]
PREVIEW_HEADERS = {
    "slug": "Slug", "area": "Naam", "kind": "Soort", "peer_group": "Werkgroep", "illustrative": "Illustratief",
    "description": "Toelichting", "fields": "Gewijzigd", "file": "Bestand", "row": "Rij",
}
FIELDS = {"soort": "kind", "werkgroep": "peer_group", "illustratief": "illustrative", "toelichting": "description"}
DUTCH_OF = {v: k for k, v in FIELDS.items()}
COMPARED = ["kind", "peer_group", "illustrative", "description"]
NAME_MAX = schema.areas.c.name.type.length
SLUG_MAX = schema.areas.c.slug.type.length
KIND_MAX = schema.areas.c.kind.type.length
GROUP_MAX = schema.areas.c.peer_group.type.length
DEFAULT_KIND = "binnenstad"
# Tables whose rows refer to an area: a centre added by a batch is only deleted on undo when none do.
REFERRING = ("observations", "targets", "events", "duiding", "briefings")


def stored_areas(conn: Connection) -> pd.DataFrame:
    """The stored areas: id, name, slug, kind, description, peer_group, illustrative."""
    a = schema.areas
    frame = pd.read_sql(sa.select(a.c.id, a.c.name, a.c.slug, a.c.kind, a.c.description, a.c.peer_group,
                                  a.c.illustrative).order_by(a.c.id), conn)
    frame["slug"] = frame["slug"].where(frame["slug"].notna(), frame["name"].map(slug))
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame


def validate_areas(frame: pd.DataFrame, conn: Connection, *, file_order: dict[str, int]) -> Validated:
    """Check a gebieden file: a valid slug and a name, each once; a known slug keeps its name and a
    known name its slug (renaming is refused); short enough kind and werkgroep; ja/nee."""
    f = frame.copy()
    stored = stored_areas(conn)
    name_of_slug = dict(zip(stored["slug"], stored["name"], strict=True))
    slug_of_name = {name_key(n): s for n, s in zip(stored["name"], stored["slug"], strict=True)}
    f["slug"] = f["slug"].str.strip()
    f["naam"] = f["naam"].str.strip()
    f["naam_van_slug"] = f["slug"].map(lambda s: name_of_slug.get(s, ""))
    f["slug_van_naam"] = f["naam"].map(lambda n: slug_of_name.get(name_key(n), ""))
    f["illustratief_ja"] = f["illustratief"].map(flag)
    f["slug_dubbel"] = first_of(f["slug"], f["bestand"], f["rij"])
    f["naam_dubbel"] = first_of(f["naam"].map(name_key), f["bestand"], f["rij"])
    rules = [
        Rule("slug_leeg", "slug", lambda s: s != "", lambda r: "De slug is leeg; geef elk gebied een slug "
             "(kleine letters, cijfers en '-', bijvoorbeeld emmen-centrum).", column="slug"),
        Rule("slug_ongeldig", "slug", lambda s: (s == "") | (s == s.map(slug)) & (s.str.len() <= SLUG_MAX),
             lambda r: f"'{r['slug'][:60]}' is geen geldige slug: alleen kleine letters, cijfers en '-', hoogstens "
                       f"{SLUG_MAX} tekens (bijvoorbeeld {slug(r['naam'] or 'Emmen centrum')}).", column="slug"),
        Rule("slug_dubbel", "slug", lambda s: s == "",
             lambda r: f"De slug {r['slug']} komt dubbel voor; staat ook in {r['slug_dubbel']}.", column="slug_dubbel"),
        Rule("naam_leeg", "naam", lambda s: s != "", lambda r: "De naam is leeg.", column="naam"),
        Rule("naam_te_lang", "naam", lambda s: s.str.len() <= NAME_MAX,
             lambda r: f"De naam is langer dan {NAME_MAX} tekens.", column="naam"),
        Rule("naam_stuurteken", "naam",
             lambda s: ~s.str.contains(CONTROL_CHARACTERS.pattern, regex=True).astype(bool),
             lambda r: "De naam bevat een onzichtbaar stuurteken; typ hem opnieuw.", column="naam"),
        Rule("naam_dubbel", "naam", lambda s: s == "",
             lambda r: f"Het gebied {r['naam']} komt dubbel voor; staat ook in {r['naam_dubbel']}.",
             column="naam_dubbel"),
        Rule("slug_hernoemd", "slug",
             lambda f: (f["slug_van_naam"] == "") | (f["slug_van_naam"] == f["slug"]),
             lambda r: f"Het gebied {r['naam']} heeft de slug {r['slug_van_naam']}; een slug wijzigen kan niet "
                       f"(hij staat in gedeelde adressen, ?gebied=). Gebruik {r['slug_van_naam']}."),
        Rule("naam_hernoemd", "naam",
             lambda f: (f["naam_van_slug"] == "") | (f["naam_van_slug"].map(name_key) == f["naam"].map(name_key)),
             lambda r: f"De slug {r['slug']} hoort bij het gebied {r['naam_van_slug']}; een naam wijzigen kan "
                       "hier niet (instellingen en bestanden noemen gebieden bij naam)."),
        Rule("soort_te_lang", "soort", lambda s: s.str.strip().str.len() <= KIND_MAX,
             lambda r: f"De soort is langer dan {KIND_MAX} tekens (bijvoorbeeld binnenstad).", column="soort"),
        Rule("werkgroep_te_lang", "werkgroep", lambda s: s.str.strip().str.len() <= GROUP_MAX,
             lambda r: f"De werkgroep is langer dan {GROUP_MAX} tekens.", column="werkgroep"),
        Rule("werkgroep_stuurteken", "werkgroep",
             lambda s: ~s.str.contains(CONTROL_CHARACTERS.pattern, regex=True).astype(bool),
             lambda r: "De werkgroep bevat een onzichtbaar stuurteken; typ hem opnieuw.", column="werkgroep"),
        Rule("illustratief_ongeldig", "illustratief",
             lambda f: (f["illustratief"].str.strip() == "") | f["illustratief_ja"].notna(),
             lambda r: f"'{r['illustratief']}' is geen ja of nee."),
    ]
    problems = run_rules(f, rules, file_order)
    clean = pd.DataFrame({
        "slug": f["slug"], "area": [name_of_slug.get(s) or n for s, n in zip(f["slug"], f["naam"], strict=True)],
        "kind": f["soort"].str.strip(), "peer_group": f["werkgroep"].str.strip(),
        "illustrative": f["illustratief_ja"], "description": f["toelichting"].str.strip(),
        # Absent columns, and empty cells of soort, illustratief and toelichting, keep the stored value
        # (an empty werkgroep means: in no werkgroep).
        "keep": [tuple(FIELDS[n] for n in absent if n in FIELDS)
                 + tuple(field for field, empty in (("kind", k == ""), ("illustrative", i is None),
                                                    ("description", d == "")) if empty)
                 for absent, k, i, d in zip(f["ontbreekt"], f["soort"].str.strip(), f["illustratief_ja"],
                                            f["toelichting"].str.strip(), strict=True)],
        "file": f["bestand"], "row": f["rij"],
    })
    return Validated(clean, problems, [])


@dataclass
class AreaPlan:
    """Validated centres with their status against the database and the area each changes."""

    rows: pd.DataFrame

    def same_outcome(self, other: AreaPlan) -> bool:
        return (np.array_equal(self.rows["status_plan"].to_numpy(), other.rows["status_plan"].to_numpy())
                and np.array_equal(self.rows["area_id"].to_numpy(), other.rows["area_id"].to_numpy()))

    @property
    def writes(self) -> bool:
        return bool((self.rows["status_plan"] != UNCHANGED).any())


def plan_areas(conn: Connection, rows: pd.DataFrame) -> AreaPlan:
    """New, changed or unchanged per centre; absent columns and an empty kind keep the stored value."""
    rows = rows.reset_index(drop=True).copy()
    current = stored_areas(conn).set_index("slug")
    status, ids, fields = [], [], []
    for i, r in rows.iterrows():
        if r["slug"] not in current.index:  # a new centre: a binnenstad, real, unless the file says otherwise
            rows.at[i, "kind"] = r["kind"] or DEFAULT_KIND
            rows.at[i, "illustrative"] = bool(r["illustrative"]) if r["illustrative"] is not None else False
            status.append(ADDED)
            ids.append(-1)
            fields.append("")
            continue
        old = current.loc[r["slug"]]
        for field in r["keep"]:
            rows.at[i, field] = old[field]
        rows.at[i, "illustrative"] = bool(rows.at[i, "illustrative"])
        differ = [c for c in COMPARED if rows.at[i, c] != old[c]]
        status.append(CHANGED if differ else UNCHANGED)
        ids.append(int(old["id"]))
        fields.append(", ".join(DUTCH_OF[c] for c in differ))
    return AreaPlan(rows.assign(status_plan=np.array(status, dtype=object),
                                area_id=np.array(ids, dtype="int64"), fields=fields))


def area_frames(plan: AreaPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview's added, changed and unchanged frames."""
    rows = plan.rows
    shown = rows.assign(illustrative=rows["illustrative"].map(yes_no), row=rows["row"].astype(int))
    return by_status(shown, rows["status_plan"], PREVIEW_COLUMNS, CHANGED_COLUMNS)


def preview_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A gebieden preview frame with Dutch headers."""
    return frame.rename(columns=PREVIEW_HEADERS)


def write_areas(conn: Connection, plan: AreaPlan, meta: dict, user: str) -> int:
    """Create the batch, add the new centres and change the changed ones, recording each area's
    former values for undo; the batch id."""
    rows = plan.rows
    a, c = schema.areas, schema.area_changes
    now = repository.write_moment(conn)
    status = rows["status_plan"]
    batch = repository.create_batch(
        conn, AREAS, meta["filename"], user, sha256=meta["sha256"], created_at=now,
        **status_counts(status),
    )
    current = stored_areas(conn).set_index("id")
    for r in rows[status != UNCHANGED].itertuples():
        values = dict(kind=r.kind, description=r.description, peer_group=r.peer_group,
                      illustrative=bool(r.illustrative))
        if r.status_plan == ADDED:
            area_id = conn.execute(sa.insert(a).values(name=r.area, slug=r.slug, **values)).inserted_primary_key[0]
            conn.execute(sa.insert(c).values(batch_id=batch, area_id=int(area_id), change="nieuw"))
        else:
            old = current.loc[r.area_id]
            conn.execute(sa.insert(c).values(
                batch_id=batch, area_id=int(r.area_id), change="gewijzigd", old_kind=old["kind"],
                old_description=old["description"], old_peer_group=old["peer_group"],
                old_illustrative=bool(old["illustrative"])))
            conn.execute(sa.update(a).where(a.c.id == int(r.area_id)).values(**values))
    repository.touch_data_version(conn)
    return batch


def batch_area_names(conn: Connection, batch_id: int) -> list[str]:
    """The names of the centres a gebieden batch added or changed (for the editor check on undo)."""
    a, c = schema.areas, schema.area_changes
    return sorted(conn.execute(sa.select(a.c.name).distinct().join(c, c.c.area_id == a.c.id)
                               .where(c.c.batch_id == batch_id)).scalars())


def undo_areas(conn: Connection, batch_id: int, now: dt.datetime, user: str) -> None:
    """Undo a gebieden batch: restore the changed centres, delete the added ones. Refused while a
    later batch in force changed one of them, or while data refers to an added centre."""
    a, c, b = schema.areas, schema.area_changes, schema.import_batches
    changes = conn.execute(sa.select(c).where(c.c.batch_id == batch_id).order_by(c.c.id.desc())).mappings().all()
    ids = [int(ch["area_id"]) for ch in changes]
    later = conn.execute(
        sa.select(b.c.id, b.c.filename).distinct().join(c, c.c.batch_id == b.c.id)
        .where(c.c.area_id.in_(ids), c.c.batch_id > batch_id, b.c.undone_at.is_(None))
        .order_by(b.c.id.desc())).all()
    if later:
        import_store.refuse_later(batch_id, [(int(i), str(f)) for i, f in later])
    for ch in changes:
        area_id = int(ch["area_id"])
        if ch["change"] == "gewijzigd":
            conn.execute(sa.update(a).where(a.c.id == area_id).values(
                kind=ch["old_kind"], description=ch["old_description"], peer_group=ch["old_peer_group"],
                illustrative=bool(ch["old_illustrative"])))
            continue
        used = [name for name in REFERRING if conn.execute(
            sa.select(sa.func.count()).select_from(schema.metadata.tables[name])
            .where(schema.metadata.tables[name].c.area_id == area_id)).scalar()]
        if used:
            name = conn.execute(sa.select(a.c.name).where(a.c.id == area_id)).scalar()
            raise ImportRefused(f"Importbatch {batch_id} kan niet ongedaan worden gemaakt: het gebied {name}, "
                                "dat deze batch toevoegde, heeft intussen cijfers, doelen, duiding of gebeurtenissen. "
                                "Maak die eerst ongedaan.")
        conn.execute(sa.delete(a).where(a.c.id == area_id))
