"""Writing an import and undoing it; the caller runs each inside one transaction.

Undo keeps the history reproducible "as known on" any moment:

- the rows the batch wrote (and copies of them restored by undoing later batches, which
  carry this batch's id) are superseded: superseded_at = now, superseded_by_batch_id stays
  NULL, meaning "withdrawn", not "replaced by another batch";
- every row the batch had superseded (superseded_by_batch_id = the batch) comes back as a
  new current row: a copy with recorded_at = now and the original area, indicator,
  peildatum, precision, value, source, note, illustrative flag and batch_id. The original
  keeps its own [recorded_at, superseded_at) interval, so an as-of query for a moment
  while the batch was current still shows the batch's figures;
- an illustrative figure is not brought back when a real figure of the same area,
  indicator and calendar year is current by then (real replaces illustrative);
- undo is refused when a row of the batch was since replaced by a batch that is still in
  force: that later batch has to be undone first.

Targets have versions instead of superseding: undoing a targets batch adds, for each
target it changed, a new version that copies the version before the batch (values, source,
valid_from, reason and batch_id; created_at = now, created_by = who undid it). A target the
batch created from nothing has no earlier version to copy; its versions from this batch on
are deleted, so for such a target the as-of history before the undo is not kept (the batch
row itself, with undone_at, stays).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import formatting as fmt
from kpi import repository, schema
from kpi.importer.model import (
    ACTIONS,
    AREAS,
    DUIDING,
    OBSERVATIONS,
    ROLES,
    SUBSCRIBERS,
    TARGETS,
    THEMES,
    ImportRefused,
)
from kpi.importer.parsing import per_distinct
from kpi.importer.plan import CHANGED, UNCHANGED, ObservationPlan, TargetPlan, status_counts

CHUNK = 5000
CONCURRENT = (
    "De gegevens zijn intussen gewijzigd door iemand anders; er is niets opgeslagen. "
    "Lees het bestand opnieuw in en bekijk het nieuwe voorbeeld."
)
TARGET_CHANGED = (
    "Dit doel is intussen gewijzigd door iemand anders; er is niets opgeslagen. "
    "Bekijk de nieuwe versie en vul het formulier opnieuw in."
)


def check_target_versions(plan: TargetPlan, expected: dict[tuple[str, str], int]) -> None:
    """Refuse when a target's stored version is not the one a form was opened on."""
    for r in plan.rows.itertuples():
        want = expected.get((r.indicator, r.area))
        have = None if pd.isna(r.old_version) else int(r.old_version)
        if want is not None and have != want:
            raise ImportRefused(
                f"Dit doel is intussen gewijzigd: het formulier toonde versie {want}, opgeslagen is nu versie "
                f"{have if have is not None else 'geen'}. Er is niets opgeslagen; bekijk de nieuwe versie en "
                "vul het formulier opnieuw in."
            )


def bulk_insert(conn: Connection, table: sa.Table, frame: pd.DataFrame, constants: dict | None = None) -> None:
    """Insert every row of the frame (columns named as the table's), plus `constants` (the same
    value in every row), in one statement.

    On SQLite the insert construct is compiled once by SQLAlchemy and its SQL passed to the
    driver's executemany, each value converted by its column type's own bind processor
    (once per distinct value), so the stored text is exactly what a Core insert stores.
    SQLAlchemy's per-row parameter handling would otherwise cost about twice the insert
    itself for 100.000 rows (see bench/bench_import.py). On PostgreSQL (psycopg) the rows go
    in with COPY in the caller's transaction: an executemany of 100.000 rows took 20-28 s
    there, COPY 4-12 s, most of it the foreign-key checks PostgreSQL runs per row either way
    (bench: schaal). Other databases get the ordinary Core executemany with a list of dicts.
    """
    constants = constants or {}
    if frame.empty:
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy_rows(conn, table, frame, constants)
        return
    if conn.dialect.name != "sqlite":
        conn.execute(sa.insert(table), [row | constants for row in frame.to_dict("records")])
        return
    compiled = sa.insert(table).compile(dialect=conn.dialect, column_keys=[*frame.columns, *constants])
    columns = []
    for name in compiled.positiontup:
        process = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if name in constants:
            value = constants[name]
            columns.append(itertools.repeat(process(value) if process else value, len(frame)))
            continue
        values = frame[name]
        if process is not None:
            values = per_distinct(values, process)
        columns.append(values.tolist())
    conn.exec_driver_sql(compiled.string, list(zip(*columns)))


def _copy_rows(conn: Connection, table: sa.Table, frame: pd.DataFrame, constants: dict) -> None:
    """COPY the frame's rows into the table through psycopg: the values travel apart from the SQL,
    which names only the table and its columns (quoted as SQLAlchemy quotes them); NaN and None
    become NULL, as in a Core insert."""
    quote = conn.dialect.identifier_preparer
    names = ", ".join(quote.quote(table.c[n].name) for n in [*frame.columns, *constants])
    statement = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    columns = []
    for name in frame.columns:
        values = frame[name].astype(object).where(frame[name].notna(), None).tolist()
        if isinstance(table.c[name].type, sa.Integer) and frame[name].dtype.kind == "f":
            # An id column with NULLs arrives as floats (3.0); COPY wants the integer's text.
            values = [None if v is None else int(v) for v in values]
        columns.append(values)
    extra = tuple(constants.values())
    with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in zip(*columns):
            copy.write_row(row + extra)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _supersede(conn: Connection, ids: list[int], now: dt.datetime, by_batch: int | None) -> None:
    """Mark current rows superseded; refuse when one was already superseded meanwhile."""
    o = schema.observations
    done = 0
    for chunk in _chunks(ids):
        res = conn.execute(
            sa.update(o)
            .where(o.c.id.in_(chunk), o.c.superseded_at.is_(None))
            .values(superseded_at=now, superseded_by_batch_id=by_batch)
        )
        done += res.rowcount
    if done != len(ids):
        raise ImportRefused(CONCURRENT)


def _area_ids(conn: Connection, names: list[str], filename: str) -> dict[str, int]:
    """Area name -> id, creating the areas that do not exist yet."""
    ids = repository.area_ids(conn)
    new = [n for n in names if n not in ids]
    if new:
        conn.execute(
            sa.insert(schema.areas),
            repository.area_rows(conn, new, description=f"Toegevoegd bij import van {filename}"),
        )
        ids = repository.area_ids(conn)
    return ids


def _start_batch(conn: Connection, kind: str, rows: pd.DataFrame, meta: dict, user: str):
    """(now, area name -> id with new areas created, the new batch id) for a write."""
    now = repository.write_moment(conn)
    ids = _area_ids(conn, sorted(rows["area"].unique()), meta["filename"])
    batch = repository.create_batch(conn, kind, meta["filename"], user, sha256=meta["sha256"],
                                    created_at=now, **status_counts(rows["status"]))
    return now, ids, batch


def write_observations(conn: Connection, plan: ObservationPlan, meta: dict, user: str,
                       confirmed: dict[tuple[str, int], str] | None = None) -> int:
    """Create the batch, supersede the replaced rows and insert the new ones; the batch id.
    `confirmed`: (file, row) -> the plausibility warning the editor confirmed for that figure."""
    rows = plan.rows
    now, ids, batch = _start_batch(conn, OBSERVATIONS, rows, meta, user)
    _supersede(conn, plan.supersede_ids.tolist(), now, batch)
    new = rows[rows["status"] != UNCHANGED]
    frame = pd.DataFrame({
        "area_id": per_distinct(new["area"], ids.__getitem__).astype("int64"),
        "indicator_code": new["indicator"],
        "peildatum": new["day"],
        "precision": new["precision"],
        "value": new["value"].astype(float),
        "source": new["source"],
        "note": new["note"],
        "plausibility": [(confirmed or {}).get((f, int(r)), "") for f, r in zip(new["file"].tolist(),
                                                                                   new["row"].tolist())],
    })
    # In the order of the unique index, SQLite appends to its B-tree instead of inserting
    # all over it: about half the insert time for 100.000 rows.
    day = per_distinct(frame["peildatum"], dt.date.toordinal).astype("int64")
    frame = frame.iloc[np.lexsort((frame["precision"].to_numpy(dtype=object), day,
                                   frame["indicator_code"].to_numpy(dtype=object), frame["area_id"].to_numpy()))]
    bulk_insert(conn, schema.observations, frame,
                constants={"illustrative": False, "batch_id": batch, "recorded_at": now})
    repository.touch_data_version(conn)
    return batch


def _none(v):
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else v


def write_targets(conn: Connection, plan: TargetPlan, meta: dict, user: str) -> int:
    """Create the batch and insert a new version for each new or changed target; the batch id."""
    rows = plan.rows
    now, ids, batch = _start_batch(conn, TARGETS, rows, meta, user)
    agreement_ids = write_agreements(conn, plan.agreements, batch, now)
    new = rows[rows["status"] != UNCHANGED]
    if new.empty:
        repository.touch_data_version(conn)
        return batch
    conn.execute(sa.insert(schema.targets), [
        dict(
            indicator_code=r.indicator, area_id=ids[r.area], version=int(r.version),
            agreement_id=None if _none(r.agreement) is None else agreement_ids[r.agreement],
            baseline_value=_none(r.baseline_value),
            baseline_year=None if _none(r.baseline_year) is None else int(r.baseline_year),
            target_value=_none(r.target_value),
            target_year=None if _none(r.target_year) is None else int(r.target_year),
            horizon_year=None if _none(r.horizon_year) is None else int(r.horizon_year),
            baseline_benchmark=_none(r.baseline_benchmark),
            comparison=r.comparison, source=r.source, valid_from=r.valid_from, reason=r.reason,
            created_at=now, created_by=user, batch_id=batch,
        )
        for r in new.itertuples()
    ])
    repository.touch_data_version(conn)
    return batch


def _current_agreement_ids(conn: Connection) -> dict[str, int]:
    g = schema.agreements
    return dict(conn.execute(sa.select(g.c.name, g.c.id).where(g.c.superseded_at.is_(None))).all())


def write_agreements(conn: Connection, agreements: pd.DataFrame, batch: int, now: dt.datetime) -> dict[str, int]:
    """Store the new and changed agreements of a plan (a change supersedes the current version);
    returns name -> id of every current agreement."""
    g = schema.agreements
    todo = agreements[agreements["status"] != UNCHANGED] if not agreements.empty else agreements
    if not todo.empty:
        current = _current_agreement_ids(conn)
        changed = [current[n] for n in todo.loc[todo["status"] == CHANGED, "agreement"]]
        if changed:
            res = conn.execute(sa.update(g).where(g.c.id.in_(changed), g.c.superseded_at.is_(None))
                               .values(superseded_at=now, superseded_by_batch_id=batch))
            if res.rowcount != len(changed):
                raise ImportRefused(CONCURRENT)
        conn.execute(sa.insert(g), [
            dict(name=r.agreement, agreement_date=r.agreement_date, parties=r.parties or "",
                 source=r.agreement_source or "", end_date=_none(r.agreement_end), batch_id=batch, recorded_at=now)
            for r in todo.itertuples()
        ])
    return _current_agreement_ids(conn)


def undo_agreements(conn: Connection, batch_id: int, now: dt.datetime) -> None:
    """Take back the agreement versions of a targets batch: withdraw them and bring back the
    versions they replaced; refused while a later batch changed them again, or while a target
    of another batch still belongs to an agreement the batch created."""
    g, t = schema.agreements, schema.targets
    later = repository.later_batches(conn, g, batch_id)
    if later:
        refuse_later(batch_id, later)
    own = conn.execute(sa.select(g.c.id, g.c.name).where(g.c.batch_id == batch_id, g.c.superseded_at.is_(None))).all()
    restore = conn.execute(sa.select(g).where(g.c.superseded_by_batch_id == batch_id)).mappings().all()
    created = {name for _, name in own} - {r["name"] for r in restore}
    if created:
        all_ids = sa.select(g.c.id).where(g.c.name.in_(sorted(created)))
        users = conn.execute(
            sa.select(t.c.indicator_code, t.c.batch_id).where(t.c.agreement_id.in_(all_ids),
                                                                t.c.batch_id.is_distinct_from(batch_id))
        ).first()
        if users is not None:
            raise ImportRefused(
                f"Importbatch {batch_id} kan niet ongedaan worden gemaakt: een akkoord uit die batch "
                f"({', '.join(sorted(created))}) heeft nog het doel voor {users.indicator_code} uit een andere "
                "importbatch. Maak die eerst ongedaan.")
    if own:
        conn.execute(sa.update(g).where(g.c.id.in_([i for i, _ in own])).values(superseded_at=now))
    if restore:
        conn.execute(sa.insert(g), [
            dict(name=r["name"], agreement_date=r["agreement_date"], parties=r["parties"], source=r["source"],
                 end_date=r["end_date"], batch_id=r["batch_id"], recorded_at=now) for r in restore])


def _batch_label(batch_id: int, filename: str) -> str:
    return f"importbatch {batch_id} ({filename})"


def is_seed_batch(kind: str, created_by: str) -> bool:
    """True for the start data (reference figures, targets, demo series), which undo refuses."""
    # The seed records its reference targets as a 'doelen' batch by user "seed".
    # The werkplan's own actions are an 'acties' batch by "seed" too.
    return kind not in (OBSERVATIONS, TARGETS, ACTIONS, SUBSCRIBERS, DUIDING, THEMES, ROLES, AREAS) or created_by == "seed"


def undoable(batches: pd.DataFrame) -> pd.Series:
    """Per batch (repository.load_batches): True when undo may be tried (an import, not undone).

    Undo can still refuse one of them when a later import replaced its values; the reason
    comes with the refusal."""
    seed = [is_seed_batch(k, u) for k, u in zip(batches["kind"], batches["created_by"])]
    return batches["undone_at"].isna() & ~pd.Series(seed, index=batches.index, dtype=bool)


def undo_batch(conn: Connection, batch_id: int, user: str,
               undo_rows: Mapping[str, Callable[[Connection, int, dt.datetime, str], None]]) -> None:
    """Undo one import batch (see the module docstring); raises ImportRefused with the reason.
    `undo_rows` takes back the rows of a batch of each kind (kpi.importer.kinds)."""
    b = schema.import_batches
    batch = conn.execute(sa.select(b).where(b.c.id == batch_id)).mappings().first()
    if batch is None:
        raise ImportRefused(f"Importbatch {batch_id} bestaat niet.")
    if batch["undone_at"] is not None:
        raise ImportRefused(
            f"Importbatch {batch_id} is al ongedaan gemaakt op {fmt.timestamp(batch['undone_at'])}"
            f" door {batch['undone_by'] or 'onbekend'}."
        )
    if is_seed_batch(batch["kind"], batch["created_by"]):
        hint = " Verwijder demowaarden met `python -m kpi demo --remove`." if batch["kind"] == "demo" else ""
        raise ImportRefused(
            f"Importbatch {batch_id} bevat de basisgegevens ({batch['kind']}) en kan niet ongedaan "
            f"worden gemaakt.{hint}"
        )
    now = repository.write_moment(conn)
    undo_rows[batch["kind"]](conn, batch_id, now, user)
    res = conn.execute(
        sa.update(b).where(b.c.id == batch_id, b.c.undone_at.is_(None)).values(undone_at=now, undone_by=user)
    )
    if res.rowcount != 1:
        raise ImportRefused(CONCURRENT)
    repository.touch_data_version(conn)


def refuse_later(batch_id: int, later: list[tuple[int, str]]) -> None:
    names = ", ".join(_batch_label(i, f) for i, f in later)
    first = later[0][0]
    raise ImportRefused(
        f"Importbatch {batch_id} kan niet ongedaan worden gemaakt: waarden ervan zijn later vervangen "
        f"door {names}. Maak eerst importbatch {first} ongedaan."
    )


def undo_observations(conn: Connection, batch_id: int, now: dt.datetime, user: str) -> None:
    """Take back the figures of a batch, restoring what they replaced."""
    o, b = schema.observations, schema.import_batches
    later = conn.execute(
        sa.select(b.c.id, b.c.filename)
        .where(b.c.id.in_(
            sa.select(o.c.superseded_by_batch_id).where(o.c.batch_id == batch_id, o.c.superseded_by_batch_id.is_not(None))
        ), b.c.undone_at.is_(None), b.c.id != batch_id)
        .order_by(b.c.id.desc())
    ).all()
    if later:
        refuse_later(batch_id, [(i, f) for i, f in later])
    withdraw = conn.execute(
        sa.select(o.c.id).where(o.c.batch_id == batch_id, o.c.superseded_at.is_(None))
    ).scalars().all()
    cols = [o.c.id, o.c.area_id, o.c.indicator_code, o.c.peildatum, o.c.precision, o.c.value, o.c.source,
            o.c.note, o.c.illustrative, o.c.batch_id, o.c.plausibility]
    restore = pd.DataFrame(
        conn.execute(sa.select(*cols).where(o.c.superseded_by_batch_id == batch_id)).mappings().all(),
        columns=[c.name for c in cols],
    )
    if not restore.empty:
        restore = _without_occupied(conn, batch_id, restore, set(withdraw))
    _supersede(conn, list(withdraw), now, None)
    if not restore.empty:
        bulk_insert(conn, schema.observations, restore.drop(columns="id").assign(
            illustrative=restore["illustrative"].astype(bool),
            batch_id=[None if pd.isna(v) else int(v) for v in restore["batch_id"]],
        ), constants={"recorded_at": now})


def _without_occupied(conn: Connection, batch_id: int, restore: pd.DataFrame, withdrawn: set[int]) -> pd.DataFrame:
    """Drop illustrative rows a real figure of the same year now replaces; refuse on a taken key."""
    # Its own current-rows query, not repository.load_observations: it needs area ids and batch files.
    o, b, a = schema.observations, schema.import_batches, schema.areas
    others = pd.DataFrame(
        conn.execute(
            sa.select(o.c.id, o.c.area_id, o.c.indicator_code, o.c.peildatum, o.c.precision, o.c.illustrative,
                      o.c.batch_id, b.c.filename, a.c.name)
            .join(a, a.c.id == o.c.area_id)
            .outerjoin(b, b.c.id == o.c.batch_id)
            .where(o.c.superseded_at.is_(None),
                   o.c.area_id.in_(sorted(set(restore["area_id"].tolist()))),
                   o.c.indicator_code.in_(sorted(set(restore["indicator_code"].tolist()))))
        ).mappings().all(),
        columns=["id", "area_id", "indicator_code", "peildatum", "precision", "illustrative", "batch_id",
                 "filename", "name"],
    )
    others = others[~others["id"].isin(withdrawn)]
    if others.empty:
        return restore
    series = ["area_id", "indicator_code"]
    restore = restore.assign(_jaar=per_distinct(restore["peildatum"], lambda d: d.year))
    others = others.assign(_jaar=per_distinct(others["peildatum"], lambda d: d.year))
    real_years = others.loc[~others["illustrative"].astype(bool), [*series, "_jaar"]].drop_duplicates()
    year_taken = restore.merge(real_years, how="left", on=[*series, "_jaar"], indicator=True)["_merge"] == "both"
    restore = restore[~(year_taken.to_numpy() & restore["illustrative"].astype(bool).to_numpy())]
    taken = restore.merge(others, on=[*series, "peildatum", "precision"], suffixes=("", "_nu"))
    if not taken.empty:
        t = taken.iloc[0]
        raise ImportRefused(
            f"Importbatch {batch_id} kan niet ongedaan worden gemaakt: {t['name']} / {t['indicator_code']} / "
            f"{fmt.peildatum(t['peildatum'], t['precision'])} heeft inmiddels een waarde uit "
            f"{_batch_label(int(t['batch_id_nu']), t['filename'])}. Maak eerst importbatch {int(t['batch_id_nu'])} ongedaan."
        )
    return restore.drop(columns="_jaar")


def undo_targets(conn: Connection, batch_id: int, now: dt.datetime, user: str) -> None:
    """Take back the target versions of a batch (a new version restores the one before)."""
    t, b = schema.targets, schema.import_batches
    rows = pd.DataFrame(conn.execute(sa.select(t)).mappings().all(), columns=[c.name for c in t.c])
    copies = []
    for (indicator, area_id), versions in rows.groupby(["indicator_code", "area_id"]):
        if not (versions["batch_id"] == batch_id).any():
            continue
        versions = versions.sort_values("version")
        newest = versions.iloc[-1]
        if _none(newest["batch_id"]) is None:
            raise ImportRefused(
                f"Importbatch {batch_id} kan niet ongedaan worden gemaakt: het doel voor {indicator} is daarna "
                f"herzien (versie {int(newest['version'])}, door {newest['created_by'] or 'onbekend'}). "
                "Leg zo nodig een nieuwe doelversie vast."
            )
        if newest["batch_id"] != batch_id:
            later = conn.execute(sa.select(b.c.id, b.c.filename).where(b.c.id == int(newest["batch_id"]))).one()
            refuse_later(batch_id, [(later.id, later.filename)])
        first_own = int(versions.loc[versions["batch_id"] == batch_id, "version"].min())
        before = versions[versions["version"] < first_own]
        if before.empty:
            conn.execute(sa.delete(t).where(t.c.indicator_code == indicator, t.c.area_id == int(area_id),
                                            t.c.version >= first_own))
            continue
        prev = before.iloc[-1]
        copies.append(dict(
            indicator_code=indicator, area_id=int(area_id), version=int(newest["version"]) + 1,
            agreement_id=None if _none(prev["agreement_id"]) is None else int(prev["agreement_id"]),
            baseline_value=_none(prev["baseline_value"]),
            baseline_year=None if _none(prev["baseline_year"]) is None else int(prev["baseline_year"]),
            target_value=_none(prev["target_value"]),
            target_year=None if _none(prev["target_year"]) is None else int(prev["target_year"]),
            horizon_year=None if _none(prev["horizon_year"]) is None else int(prev["horizon_year"]),
            baseline_benchmark=_none(prev["baseline_benchmark"]),
            comparison=prev["comparison"], source=prev["source"], valid_from=prev["valid_from"],
            reason=prev["reason"], created_at=now, created_by=user,
            batch_id=None if _none(prev["batch_id"]) is None else int(prev["batch_id"]),
        ))
    if copies:
        conn.execute(sa.insert(t), copies)
    undo_agreements(conn, batch_id, now)
