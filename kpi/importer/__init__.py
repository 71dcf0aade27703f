"""Import of yearly figures and revised targets from CSV and Excel files: one engine for
the import page and `python -m kpi import`.

`prepare` reads, validates and compares the files with the database and returns a
Preview (nothing is written); `apply` saves a preview as one import batch in one
transaction; `undo` takes a batch back. Layouts: tidy (one row per figure), wide (one
column per year) and targets (doelen); see docs/import.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi import schema
from kpi.importer import store
from kpi.importer.layouts import extract
from kpi.importer.model import OBSERVATIONS, TARGETS, ImportRefused, Preview, Problem
from kpi.importer.plan import (
    ObservationPlan,
    TargetPlan,
    observation_frames,
    plan_observations,
    plan_targets,
    same_year_conflicts,
    target_frames,
)
from kpi.importer.reading import read_sheet
from kpi.settings import Settings

__all__ = ["ImportRefused", "Preview", "Problem", "apply", "prepare", "undo"]


@dataclass
class _Pending:
    """What apply needs from prepare: the validated rows, the plan shown, the batch details."""

    kind: str
    rows: pd.DataFrame
    plan: ObservationPlan | TargetPlan
    filename: str
    sha256: str
    today: dt.date


def _sha256(files: list[tuple[str, bytes]]) -> str:
    """The file's SHA-256; for several files, the SHA-256 of their digests in order."""
    digests = [hashlib.sha256(data).hexdigest() for _, data in files]
    return digests[0] if len(digests) == 1 else hashlib.sha256("".join(digests).encode()).hexdigest()


def _reference(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    i, a = schema.indicators, schema.areas
    with engine.connect() as conn:
        indicators = pd.read_sql(
            sa.select(i.c.code, i.c.name, i.c.unit, i.c.direction).order_by(i.c.sort_order, i.c.code), conn
        )
        areas = pd.read_sql(sa.select(a.c.name).order_by(a.c.id), conn)
    return indicators, areas


def prepare(engine: Engine, files: list[tuple[str, bytes]], settings: Settings, *,
            default_source: str | None = None, create_areas: bool = False,
            today: dt.date | None = None) -> Preview:
    """Read, validate and compare (name, bytes) files with the database; writes nothing.

    `default_source` is the source for figures without one (wide files, --bron);
    `create_areas` allows areas that are not known yet; `today` decides what is "future".
    """
    # pandera takes most of a second to import; only prepare needs it, the CLI's status does not.
    from kpi.importer.validation import validate_observations, validate_targets

    today = today or dt.date.today()
    names = [name for name, _ in files]
    if not files:
        return Preview([], OBSERVATIONS, [Problem("", None, None, "Er is geen bestand gekozen.")])
    problems: list[Problem] = []
    seen: set[str] = set()
    extracted = []
    for name, data in files:
        if name in seen:
            problems.append(Problem(name, None, None, "Dit bestand is twee keer gekozen."))
            continue
        seen.add(name)
        sheet, found = read_sheet(name, data, settings.max_upload_mb)
        problems += found
        if sheet is not None:
            ex = extract(sheet, default_source)
            problems += ex.problems
            extracted.append((name, ex))
    kinds = [ex.kind for _, ex in extracted]
    kind = TARGETS if kinds and all(k == TARGETS for k in kinds) else OBSERVATIONS
    if len(set(kinds)) > 1:
        for name, ex in extracted:
            if ex.kind == TARGETS:
                problems.append(Problem(name, None, None, "Dit is een doelenbestand; doelen en cijfers kunnen "
                                        "niet samen worden ingelezen. Importeer het apart."))
    frames = [ex.frame for _, ex in extracted if ex.frame is not None]
    if problems or not frames:
        return Preview(names, kind, problems)
    frame = pd.concat(frames, ignore_index=True)
    file_order = {name: i for i, name in enumerate(names)}
    indicators, areas = _reference(engine)
    if kind == OBSERVATIONS:
        checked = validate_observations(frame, indicators, areas, create_areas=create_areas, today=today,
                                        file_order=file_order)
    else:
        checked = validate_targets(frame, indicators, areas, create_areas=create_areas, file_order=file_order)
    if checked.problems:
        return Preview(names, kind, checked.problems)
    with engine.connect() as conn:
        if kind == OBSERVATIONS:
            plan = plan_observations(conn, checked.frame)
            if conflicts := same_year_conflicts(conn, plan):
                return Preview(names, kind, conflicts)
            added, changed, unchanged = observation_frames(plan)
        else:
            plan = plan_targets(conn, checked.frame, today)
            added, changed, unchanged = target_frames(plan)
    pending = _Pending(kind, checked.frame, plan, ", ".join(names), _sha256(files), today)
    return Preview(names, kind, [], added, changed, unchanged, new_areas=checked.new_areas, _plan=pending)


def apply(engine: Engine, preview: Preview, user: str) -> int | None:
    """Save a preview as one import batch in one transaction; the batch id, or None when
    nothing changes. Re-plans inside the transaction and refuses (ImportRefused) when the
    database changed since the preview was made."""
    if preview.problems:
        raise ImportRefused("Er zijn problemen gevonden in de bestanden; er is niets opgeslagen.")
    pending: _Pending | None = preview._plan
    if pending is None:
        raise ImportRefused("Dit voorbeeld kan niet worden opgeslagen; lees de bestanden opnieuw in.")
    meta = dict(filename=pending.filename, sha256=pending.sha256)
    try:
        with engine.begin() as conn:
            if pending.kind == OBSERVATIONS:
                fresh = plan_observations(conn, pending.rows)
            else:
                fresh = plan_targets(conn, pending.rows, pending.today)
            if not fresh.writes:
                return None
            if not fresh.same_outcome(pending.plan):
                raise ImportRefused(store.CONCURRENT)
            if pending.kind == OBSERVATIONS:
                return store.write_observations(conn, fresh, meta, user)
            return store.write_targets(conn, fresh, meta, user)
    except sa.exc.IntegrityError as exc:
        raise ImportRefused(store.CONCURRENT) from exc


def undo(engine: Engine, batch_id: int, user: str) -> None:
    """Take an import batch back in one transaction (how: kpi.importer.store); raises
    ImportRefused with a Dutch reason when that is not possible."""
    try:
        with engine.begin() as conn:
            store.undo_batch(conn, batch_id, user)
    except sa.exc.IntegrityError as exc:
        raise ImportRefused(store.CONCURRENT) from exc
