"""Import of yearly figures and revised targets from CSV and Excel files: one engine for
the import page and `python -m kpi import`.

`prepare` reads, validates and compares the files with the database and returns a
Preview (nothing is written); `apply` saves a preview as one import batch in one
transaction; `undo` takes a batch back. `prepare_rows` does the
same for rows typed into a form (the Doelen page), so there is one write path per kind of
data. Layouts: tidy (one row per figure), wide (one column per year), targets (doelen) and
the werkplan's action lists (acties, kpi.importer.actions), the digest's subscriber lists
(abonnees, kpi.importer.subscribers) and the regiegroep's duiding (duiding, kpi.importer.duiding);
the README's "Importformaten" describes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi import repository, schema
from kpi.access import Access, refusal
from kpi.export import CONTROL_CHARACTERS
from kpi.importer import actions as action_import
from kpi.importer import store
from kpi.importer.areas import batch_area_names
from kpi.importer.kinds import KINDS, Checking, Plan
from kpi.importer.layouts import extract
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
    Preview,
    Problem,
)
from kpi.importer.plan import agreement_lines
from kpi.importer.reading import Limits, Sheet, read_sheet
from kpi.settings import Settings

__all__ = ["ACTIONS", "AREAS", "DUIDING", "OBSERVATIONS", "ROLES", "SUBSCRIBERS", "TARGETS", "THEMES", "ImportRefused", "Preview", "Problem", "apply", "check_user", "prepare",
           "prepare_rows", "undo", "undoable"]

# The longest name the history can record (import_batches.created_by and undone_by).
MAX_USER_LENGTH = schema.import_batches.c.created_by.type.length


def check_user(user: str) -> str:
    """The user name as it will be recorded; ImportRefused (Dutch) when it cannot be stored."""
    if len(user) > MAX_USER_LENGTH:
        raise ImportRefused(f"De naam is te lang ({len(user)} tekens); de grens is {MAX_USER_LENGTH} tekens. "
                            "Er is niets opgeslagen.")
    if CONTROL_CHARACTERS.search(user):
        raise ImportRefused("De naam bevat een onzichtbaar stuurteken; typ hem opnieuw. Er is niets opgeslagen.")
    return user


@dataclass
class _Pending:
    """What apply needs from prepare: the validated rows, the plan shown, the batch details."""

    kind: str
    rows: pd.DataFrame
    plan: Plan
    filename: str
    sha256: str
    today: dt.date
    expected_versions: dict | None = None
    # Rows typed into a form (prepare_rows): messages name the form, not a row number.
    form: bool = False
    # The data version read just before the plan read the database (repository.data_version):
    # apply reuses the plan while the version is still this one, and makes it again otherwise.
    data_version: str = ""


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
        areas = pd.read_sql(sa.select(a.c.name, a.c.id, a.c.slug).order_by(a.c.id), conn)
    return indicators, areas


def prepare(engine: Engine, files: list[tuple[str, bytes]], settings: Settings, *,
            default_source: str | None = None, create_areas: bool = False,
            today: dt.date | None = None, reader: Callable | None = None) -> Preview:
    """Read, validate and compare (name, bytes) files with the database; writes nothing.

    `default_source` is the source for figures without one (wide files, --bron);
    `create_areas` allows areas that are not known yet; `today` decides what is "future";
    `reader` reads one file instead of read_sheet (the Importeren page passes one that caches
    by the file's SHA-256, so that a rerun does not parse the upload again).
    """
    names = [name for name, _ in files]
    if not files:
        return Preview([], OBSERVATIONS, [Problem("", None, None, "Er is geen bestand gekozen.")])
    problems: list[Problem] = []
    seen: set[str] = set()
    sheets = []
    for name, data in files:
        if name in seen:
            problems.append(Problem(name, None, None, "Dit bestand is twee keer gekozen."))
            continue
        seen.add(name)
        sheet, found = (reader or read_sheet)(name, data, Limits.of(settings))
        problems += found
        if sheet is not None:
            sheets.append(sheet)
    return _prepare_sheets(engine, names, sheets, problems, _sha256(files), default_source=default_source,
                           create_areas=create_areas, today=today or dt.date.today(), max_euro=settings.max_euro,
                           default_area=settings.area)


def prepare_rows(engine: Engine, name: str, rows: pd.DataFrame, *,
                 expected_versions: dict[tuple[str, str], int] | None = None,
                 today: dt.date | None = None, default_area: str = "") -> Preview:
    """Like `prepare`, for rows typed into a form instead of a file: `rows` has a file's
    headers as columns (numbers as numbers, dates as dates, None for empty), so the same
    reading of columns, rules, comparison, batch and undo apply.

    `expected_versions` maps (indicator, area) to the target version the form was opened
    on (for an action: code to the id of the action version shown); `apply` refuses
    ("intussen gewijzigd") when the stored version is another by then.
    """
    # As a CSV reader would: text stripped, empty cells None.
    cells = rows.map(lambda v: v.strip() if isinstance(v, str) else v).astype(object)
    cells = cells.where(cells.notna(), None)
    sheet = Sheet(file=name, header_row=1, headers=[str(c) for c in rows.columns],
                  header_values=list(rows.columns),
                  cells=cells.set_axis(range(len(rows.columns)), axis=1).set_axis(range(2, len(rows) + 2)),
                  default_decimal=",")
    digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()
    return _prepare_sheets(engine, [name], [sheet], [], digest, default_source=None, create_areas=False,
                           today=today or dt.date.today(), expected_versions=expected_versions, form=True,
                           default_area=default_area)


def _prepare_sheets(engine: Engine, names: list[str], sheets: list[Sheet], problems: list[Problem],
                    sha256: str, *, default_source: str | None, create_areas: bool, today: dt.date,
                    expected_versions: dict | None = None, max_euro: float = action_import.MAX_EURO,
                    form: bool = False, default_area: str = "") -> Preview:
    extracted = []
    for sheet in sheets:
        ex = extract(sheet, default_source)
        problems += ex.problems
        extracted.append((sheet.file, ex))
    codes = [ex.kind for _, ex in extracted]
    kind = KINDS[codes[0] if codes and len(set(codes)) == 1 else OBSERVATIONS]
    if len(set(codes)) > 1:
        problems += [Problem(name, None, None, KINDS[ex.kind].not_mixed) for name, ex in extracted
                     if KINDS[ex.kind].not_mixed]
    frames = [ex.frame for _, ex in extracted if ex.frame is not None]
    if problems or not frames:
        return Preview(names, kind.code, problems)
    frame = pd.concat(frames, ignore_index=True)
    indicators, areas = _reference(engine)
    with engine.connect() as conn:
        checking = Checking(conn, indicators, areas, {name: i for i, name in enumerate(names)}, create_areas,
                            today, max_euro, default_area)
        checked = kind.check(frame, checking)
        if checked.problems:
            return Preview(names, kind.code, checked.problems)
        # Before the plan's reads: a write committed after this changes the version, so apply
        # never takes a plan for current that was made on older data.
        version = repository.data_version(conn)
        plan = kind.plan(conn, checked.frame, today)
        refused, asked = kind.compare(conn, plan)
        if refused:
            return Preview(names, kind.code, refused)
    added, changed, unchanged = kind.frames(plan)
    pending = _Pending(kind.code, checked.frame, plan, ", ".join(names), sha256, today, expected_versions, form,
                       version)
    return Preview(names, kind.code, [], added, changed, unchanged, new_areas=checked.new_areas, questions=asked,
                   agreements=agreement_lines(getattr(plan, "agreements", None)), _plan=pending)


def _row_areas(rows: pd.DataFrame, form: bool) -> list[tuple[str, int | None, str | None]]:
    """(file, row, area) of validated rows (an action's area is its centre's); area None for kinds
    without one (subscribers), row None for a form's row (the form is named instead)."""
    area = rows["area"] if "area" in rows.columns else pd.Series(None, index=rows.index, dtype=object)
    file = rows["file"] if "file" in rows.columns else pd.Series("", index=rows.index, dtype=object)
    row = rows["row"] if "row" in rows.columns and not form else pd.Series(None, index=rows.index, dtype=object)
    return [(str(f), None if pd.isna(r) else int(r), None if pd.isna(a) else str(a))
            for f, r, a in zip(file, row, area, strict=True)]


def _batch_areas(conn, batch_id: int) -> list[tuple[str, int | None, str | None]]:
    """The areas whose data an import batch wrote or replaced; None for a batch of a kind without
    areas (subscribers), which kpi.access counts as the default centre's."""
    a = schema.areas
    found: set[str] = set()
    for table in (schema.observations, schema.targets, schema.duiding, schema.actions, schema.themes, schema.roles):
        where = table.c.batch_id == batch_id
        if "superseded_by_batch_id" in table.c:
            where = where | (table.c.superseded_by_batch_id == batch_id)
        found.update(conn.execute(sa.select(a.c.name).distinct().join(table, table.c.area_id == a.c.id)
                                  .where(where)).scalars())
    kind = conn.execute(sa.select(schema.import_batches.c.kind)
                        .where(schema.import_batches.c.id == batch_id)).scalar()
    if kind == AREAS:
        found.update(batch_area_names(conn, batch_id))
    has_areas = kind in (OBSERVATIONS, TARGETS, DUIDING, ACTIONS, THEMES, ROLES, AREAS)
    return [("", None, name) for name in sorted(found)] + ([] if has_areas else [("", None, None)])


def apply(engine: Engine, preview: Preview, user: str, confirmed: bool = False, *,
          access: Access | None = None) -> int | None:
    """Save a preview as one import batch in one transaction; the batch id, or None when
    nothing changes. Inside the transaction, under the write lock, it plans again when anything
    was written since the preview read the database (the data version changed; otherwise the
    preview's plan still holds), and refuses (ImportRefused) when that changes what the preview
    showed, when a form's stored version changed since it was opened, and when the preview asked
    a plausibility question that was not `confirmed`.

    `access` is the editor who writes with the centres they may edit (kpi.access): a row of
    another centre refuses the whole import. Every page and the CLI pass it; None (seed, tests,
    a subscriber's own unsubscribe link) writes without that check."""
    check_user(user)
    if preview.problems:
        raise ImportRefused("Er zijn problemen gevonden in de bestanden; er is niets opgeslagen.")
    if preview.questions and not confirmed:
        n = len(preview.questions)
        raise ImportRefused(
            f"{n} {'cijfer wijkt' if n == 1 else 'cijfers wijken'} ongebruikelijk veel af van het vorige cijfer "
            "(zie het voorbeeld). Bevestig dat de cijfers kloppen (op de opdrachtregel: --bevestig); er is "
            "niets opgeslagen.")
    pending: _Pending | None = preview._plan
    if pending is None:
        raise ImportRefused("Dit voorbeeld kan niet worden opgeslagen; lees de bestanden opnieuw in.")
    if access is not None and (reason := refusal(access, _row_areas(pending.rows, pending.form))):
        raise ImportRefused(reason)
    kind = KINDS[pending.kind]
    meta = dict(filename=pending.filename, sha256=pending.sha256)
    from_form = pending.expected_versions is not None and kind.check_versions is not None
    concurrent = kind.changed_since_form if from_form else store.CONCURRENT
    try:
        with engine.begin() as conn:
            # Under the write lock: when nothing was written since the preview read the database,
            # the preview's plan is the plan (no second read of every series); else plan again.
            version = repository.lock_data_version(conn)
            same = bool(version) and version == pending.data_version
            fresh = pending.plan if same else kind.plan(conn, pending.rows, pending.today)
            if from_form:
                kind.check_versions(fresh, pending.expected_versions)
            if not fresh.writes:
                return None
            if not fresh.same_outcome(pending.plan):
                raise ImportRefused(concurrent)
            confirmed_rows = {(q.file, q.row): q.message for q in preview.questions}
            return kind.write(conn, fresh, meta, user, confirmed_rows)
    except sa.exc.IntegrityError as exc:
        # Another writer stored the same key or version first (a race the re-plan cannot see).
        raise ImportRefused(concurrent) from exc


def undoable(batches: pd.DataFrame) -> pd.Series:
    """Which batches (repository.load_batches) undo may be asked for; see store.undoable."""
    return store.undoable(batches)


def undo(engine: Engine, batch_id: int, user: str, *, access: Access | None = None) -> None:
    """Take an import batch back in one transaction (how: kpi.importer.store); raises
    ImportRefused with a Dutch reason when that is not possible, or when `access` (as in
    `apply`) may not edit a centre whose data the batch wrote."""
    check_user(user)
    try:
        with engine.begin() as conn:
            if access is not None and (reason := refusal(access, _batch_areas(conn, batch_id),
                                                         f"importbatch {batch_id}")):
                raise ImportRefused(reason)
            store.undo_batch(conn, batch_id, user, {code: k.undo for code, k in KINDS.items()})
    except sa.exc.IntegrityError as exc:
        raise ImportRefused(store.CONCURRENT) from exc
