"""The import at scale (issue 21: 100.000 daily rows into a database of 100 centres), on SQLite and
PostgreSQL: the stored series are read once per import (the plan, the same-year check, the
plausibility check and the save share them), the save plans again only when something was written
since the preview, the bulk write stores what a Core insert stores, and the plausibility check
over all series at once asks exactly what the check per series asked."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import events, importer, repository, schema, units
from kpi import formatting as fmt
from kpi.importer import plausibility
from kpi.importer.model import Problem
from kpi.importer.plan import ADDED, CHANGED, UNCHANGED
from kpi.importer.store import bulk_insert
from tests.support.importdata import SETTINGS, csv

TODAY = dt.date(2026, 11, 22)
A = "Assen binnenstad"
HEADER = "gebied;indicator;peildatum;waarde;bron\n"
# Reads of the stored figures (not the UPDATE that supersedes them, not the insert).
READS_SERIES = re.compile(r"^\s*SELECT\b.*\bFROM observations\b", re.IGNORECASE | re.DOTALL)


def _daily_file(days: int = 40, start: dt.date = dt.date(2026, 1, 1)) -> bytes:
    """Daily counts of banen from `start`; the count of a day is the same in every file."""
    dates = [start + dt.timedelta(k) for k in range(days)]
    return csv(HEADER + "\n".join(f"{A};banen;{d.day}-{d.month}-{d.year};{4000 + d.toordinal() % 100};Telling"
                                  for d in dates))


class _SeriesReads:
    """Counts the statements that read the observations table, on one engine."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if READS_SERIES.match(statement):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


def test_an_import_reads_the_stored_series_once(engine):
    """Plan, same-year check, plausibility check and save: one read of the stored figures (it was
    four: 1-2 s each for 100.000 daily rows on PostgreSQL)."""
    importer.apply(engine, importer.prepare(engine, [("jan.csv", _daily_file(20))], SETTINGS, today=TODAY), "t")
    with _SeriesReads(engine) as reads:
        preview = importer.prepare(engine, [("feb.csv", _daily_file(40, dt.date(2026, 1, 15)))], SETTINGS,
                                   today=TODAY)
        assert preview.ok, [str(p) for p in preview.problems]
        assert (len(preview.added), len(preview.unchanged)) == (34, 6)
        assert importer.apply(engine, preview, "tester") is not None
    assert reads.count == 1, reads.statements
    stored = repository.load_observations(engine, area=A, indicator="banen")
    assert (stored["peildatum"].dt.year == 2026).sum() == 54


def test_a_write_after_the_preview_makes_the_save_plan_again(engine):
    """Anything written between preview and save (here an event: another kind of data) changes the
    data version; the save then reads the series again instead of trusting the preview's plan."""
    preview = importer.prepare(engine, [("feb.csv", _daily_file(10))], SETTINGS, today=TODAY)
    events.add_event(engine, dt.date(2026, 1, 5), "Opening garage")
    with _SeriesReads(engine) as reads:
        batch = importer.apply(engine, preview, "tester")
    assert batch is not None and reads.count == 1, reads.statements


def test_a_figure_stored_after_the_preview_is_still_refused(engine):
    """The guarantee the reuse must keep: another import of the same figure between preview and
    save refuses the save ('intussen gewijzigd'), and nothing of it is stored."""
    stale = importer.prepare(engine, [("a.csv", _daily_file(5))], SETTINGS, today=TODAY)
    other = csv(HEADER + f"{A};banen;3-1-2026;3.999;Andere telling")
    importer.apply(engine, importer.prepare(engine, [("b.csv", other)], SETTINGS, today=TODAY), "ander")
    state = repository.load_observations(engine)
    with pytest.raises(importer.ImportRefused, match="intussen gewijzigd door iemand anders"):
        importer.apply(engine, stale, "tester")
    pd.testing.assert_frame_equal(repository.load_observations(engine), state)


def test_a_save_without_anything_to_write_leaves_the_version_alone(engine):
    importer.apply(engine, importer.prepare(engine, [("a.csv", _daily_file(5))], SETTINGS, today=TODAY), "t")
    before = repository.data_version(engine)
    again = importer.prepare(engine, [("a.csv", _daily_file(5))], SETTINGS, today=TODAY)
    assert importer.apply(engine, again, "tester") is None
    assert repository.data_version(engine) == before


AWKWARD = ["", "tab\there", 'quote " and \\N and back\\slash', "regel\nnieuw\r\neinde", "café ∑ 😀", "\\."]


def test_the_bulk_write_stores_what_a_core_insert_stores(engine):
    """COPY on PostgreSQL, the driver's executemany on SQLite: text with tabs, newlines, quotes,
    backslashes and COPY's own markers, NULLs, exact floats and booleans come back as a Core insert
    of the same values stores them."""
    o = schema.observations
    with engine.begin() as conn:
        area = repository.area_ids(conn)[A]
        batch = repository.create_batch(conn, "observaties", "t.csv", "t")
        now = repository.utcnow()
        values = [0.1 + 0.2, 1e-300, -0.0, 123456789.123456789, 5.0, 2.5]

        def columns(first: dt.date) -> dict[str, list]:
            return {
                "area_id": [area] * len(AWKWARD), "indicator_code": ["banen"] * len(AWKWARD),
                "peildatum": [first + dt.timedelta(k) for k in range(len(AWKWARD))],
                "precision": ["dag"] * len(AWKWARD), "value": values, "source": AWKWARD[::-1], "note": AWKWARD,
                "illustrative": [k % 2 == 0 for k in range(len(AWKWARD))],
                # With NULLs pandas holds the ids as floats (3.0, NaN), as undo's restored rows have them.
                "batch_id": [None if k % 2 else batch for k in range(len(AWKWARD))],
                "plausibility": AWKWARD,
            }

        fast_frame = pd.DataFrame(columns(dt.date(2001, 1, 1)))
        assert fast_frame["batch_id"].dtype.kind == "f"
        bulk_insert(conn, o, fast_frame, constants={"recorded_at": now})
        core = columns(dt.date(2002, 1, 1))
        conn.execute(sa.insert(o), [dict(zip(core, row, strict=True)) | {"recorded_at": now}
                                    for row in zip(*core.values(), strict=True)])
    cols = [o.c.value, o.c.source, o.c.note, o.c.illustrative, o.c.batch_id, o.c.plausibility, o.c.recorded_at,
            o.c.superseded_at, o.c.superseded_by_batch_id]
    with engine.connect() as conn:
        def stored(year: int) -> list[tuple]:
            return [tuple(r) for r in conn.execute(
                sa.select(*cols).where(o.c.peildatum.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
                .order_by(o.c.peildatum))]

        fast, core = stored(2001), stored(2002)
    assert len(fast) == len(AWKWARD) and fast == core
    assert [r[2] for r in fast] == AWKWARD and [r[0] for r in fast] == values
    assert [r[4] for r in fast] == [batch, None, batch, None, batch, None]


# -- the plausibility check over all series at once, against the check per series ---------------
def _per_series_questions(rows: pd.DataFrame, stored: pd.DataFrame, jumps: dict) -> list[Problem]:
    """kpi.importer.plausibility.questions as it was before (one series at a time, 4-5 s for 100.000
    daily rows): the reference the vectorised check must match."""
    moving = rows[rows["status"] != UNCHANGED]
    if moving.empty:
        return []
    stored = stored[stored["area"].isin(moving["area"]) & stored["indicator"].isin(moving["indicator"])]
    stored = stored[~stored["illustrative"]]
    out = []
    for (area, code), group in rows.groupby(["area", "indicator"], sort=False):
        unit, jump, name, decimals = jumps.get(code, ("", None, code, 0))
        incoming = group.assign(when=pd.to_datetime(group["day"]), _incoming=True)
        mine = stored[(stored["area"] == area) & (stored["indicator"] == code)]
        replaced = pd.MultiIndex.from_arrays([mine["peildatum"], mine["precision"]]).isin(
            pd.MultiIndex.from_arrays([incoming["when"], incoming["precision"]]))
        kept = mine.loc[~replaced, ["peildatum", "precision", "value"]].rename(columns={"peildatum": "when"})
        history = pd.concat([kept.assign(_incoming=False), incoming], ignore_index=True)
        history = history.sort_values("when", kind="stable").reset_index(drop=True)
        history["prev_value"] = history["value"].shift(1)
        history["prev_when"] = history["when"].shift(1)
        history["prev_precision"] = history["precision"].shift(1)
        asked = history[history["_incoming"].astype(bool) & (history["status"] != UNCHANGED)
                        & history["prev_value"].notna() & (history["prev_when"] < history["when"])]
        if asked.empty:
            continue
        u = units.unit(unit)
        if jump is not None and not pd.isna(jump):
            limits = pd.Series(float(jump), index=asked.index)
        elif u.jump_is_share:
            limits = u.plausible_jump * asked["prev_value"].astype(float).abs()
        else:
            limits = pd.Series(u.plausible_jump, index=asked.index)
        years = ((asked["when"] - asked["prev_when"]).dt.days / 365.25).apply(lambda y: max(1.0, float(y)))
        limits = limits * years
        change = asked["value"].astype(float) - asked["prev_value"].astype(float)
        for i in asked.index[(change.abs() > limits).to_numpy()]:
            r = asked.loc[i]
            out.append(Problem(r["file"], int(r["row"]), plausibility.COLUMN,
                               plausibility._text(area, name, r, float(change[i]), float(limits[i]), unit, decimals)))
    return out


JUMPS = {"banen": ("aantal", None, "Banen", 0), "leegstand": ("procent", None, "Leegstand", 1),
         "waardering": ("cijfer", 0.5, "Waardering", 1), "vreemd": ("onbekend", None, "Vreemd", 0)}
_day = st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31))
_value = st.sampled_from([0.0, 1.0, 4.0, 5.5, 9.0, 12.0, 40.0, 100.0, 450.0, 4000.0, 40000.0])
# (area, indicator, day, yearly?) keys a figure; a yearly figure stands on 1 January.
_key = st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(list(JUMPS) + ["zonder"]), _day, st.booleans())


def _keyed(key) -> tuple:
    area, code, day, yearly = key
    return area, code, dt.date(day.year, 1, 1) if yearly else day, "jaar" if yearly else "dag"


@settings(max_examples=300, deadline=None)
@given(incoming=st.lists(st.tuples(_key, _value, st.sampled_from([ADDED, CHANGED, UNCHANGED])),
                         max_size=30, unique_by=lambda x: _keyed(x[0])),
       stored=st.lists(st.tuples(_key, _value, st.booleans()), max_size=30, unique_by=lambda x: _keyed(x[0])))
def test_plausibility_over_all_series_asks_what_the_check_per_series_asked(incoming, stored):
    """Same questions, same words, same order: on generated files and stores with yearly and dated
    figures, several series, illustrative stored figures, figures the file gives again, an
    indicator with its own jump, one with an unknown unit and one the database does not know."""
    rows = pd.DataFrame([dict(zip(["area", "indicator", "day", "precision"], _keyed(k), strict=True),
                              value=v, status=s, file="f.csv", row=n + 2) for n, (k, v, s) in enumerate(incoming)],
                        columns=["area", "indicator", "day", "precision", "value", "status", "file", "row"])
    figures = pd.DataFrame([dict(zip(["area", "indicator", "peildatum", "precision"], _keyed(k), strict=True),
                                 value=v, illustrative=ill) for k, v, ill in stored],
                           columns=["area", "indicator", "peildatum", "precision", "value", "illustrative"])
    figures = figures.assign(peildatum=pd.to_datetime(figures["peildatum"]),
                             illustrative=figures["illustrative"].astype(bool), value=figures["value"].astype(float))
    got = plausibility.questions(rows, figures, JUMPS)
    want = _per_series_questions(rows, figures, JUMPS)
    assert [(q.file, q.row, q.column, q.message) for q in got] == [(q.file, q.row, q.column, q.message) for q in want]


def test_plausibility_example_the_generator_must_reach():
    """A kept example (the generated test could pass vacuously): a tenfold count is asked about
    against the stored figure before it, a figure the file gives again is not compared with itself,
    and the questions come series by series in the files' order."""
    rows = pd.DataFrame({
        "area": ["B", "A", "A"], "indicator": ["banen", "banen", "banen"],
        "day": [dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1)], "precision": ["jaar"] * 3,
        "value": [10.0, 400.0, 4000.0], "status": [ADDED, CHANGED, ADDED], "file": ["f.csv"] * 3, "row": [2, 3, 4],
    })
    figures = pd.DataFrame({"area": ["A", "A", "B"], "indicator": ["banen"] * 3,
                            "peildatum": pd.to_datetime(["2024-01-01", "2025-01-01", "2024-01-01"]),
                            "precision": ["jaar"] * 3, "value": [390.0, 4000.0, 100.0], "illustrative": [False] * 3})
    got = plausibility.questions(rows, figures, JUMPS)
    assert [q.row for q in got] == [2, 4]
    assert f"4.000 is 3.600 hoger dan de vorige waarde 400 ({fmt.peildatum(dt.date(2025, 1, 1), 'jaar')})" in got[1].message
    assert got == _per_series_questions(rows, figures, JUMPS)
    assert np.isinf(units.unit("onbekend").plausible_jump)


# -- the shape check of a CSV before parsing, against the loop over every line -------------------
def _shape_per_line(name: str, text: str, sep: str, limits) -> Problem | None:
    """kpi.importer.reading._csv_shape_problem as it was before (a regex loop over every line, 0,4 s
    for 100.000 lines): the reference for the split in C."""
    import csv as csvmodule

    from kpi.importer.reading import _n

    lines = max(text.count("\n"), text.count("\r")) + (0 if text.endswith(("\n", "\r")) else 1)
    if lines > limits.rows:
        return Problem(name, None, None, f"Het bestand heeft {_n(lines)} regels; de grens is "
                       f"{_n(limits.rows)} rijen (KPI_MAX_ROWS). Splits het bestand.")
    rows = widest = 0
    for number, match in enumerate(re.finditer(r"([^\r\n]*)(?:\r\n|\r|\n|$)", text), start=1):
        line = match.group(1)
        if len(line) > limits.line_chars:
            return Problem(name, number, None, f"Deze regel is {_n(len(line))} tekens lang; de grens is "
                           f"{_n(limits.line_chars)} tekens per regel (KPI_MAX_LINE_CHARS).")
        if not line.strip():
            continue
        rows += 1
        fields = line.count(sep) + 1
        if fields > limits.columns:
            fields = len(next(csvmodule.reader([line], delimiter=sep), []))
            if fields > limits.columns:
                return Problem(name, number, None, f"Deze regel heeft {_n(fields)} kolommen; de grens is "
                               f"{_n(limits.columns)} kolommen (KPI_MAX_COLUMNS).")
        widest = max(widest, fields)
    if rows * widest > limits.cells:
        return Problem(name, None, None, f"Het bestand heeft {_n(rows)} rijen van {_n(widest)} kolommen, "
                       f"{_n(rows * widest)} cellen; de grens is {_n(limits.cells)} cellen (KPI_MAX_CELLS).")
    return None


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "1", " ", ";", ",", '"', "\r", "\n", "\r\n", "\t", "é"]),
                     max_size=60).map("".join),
       sep=st.sampled_from([";", ",", "\t"]), rows=st.integers(1, 8), columns=st.integers(1, 5),
       cells=st.integers(1, 20), line_chars=st.integers(1, 12))
def test_the_csv_shape_check_finds_what_the_loop_over_every_line_found(text, sep, rows, columns, cells, line_chars):
    """Same first problem (rows, line length with its line number, columns after an exact count of a
    quoted line, cells) or none, on generated texts with every kind of line end, quotes and blank
    lines, under small limits."""
    from kpi.importer.reading import Limits, _csv_shape_problem

    limits = Limits(rows=rows, columns=columns, cells=cells, line_chars=line_chars)
    assert _csv_shape_problem("f.csv", text, sep, limits) == _shape_per_line("f.csv", text, sep, limits)


def test_the_csv_shape_check_examples():
    """Kept examples the generated test must cover: a quoted separator is not a column, a too long
    line is named by its number after \\r\\n, \\r and blank lines."""
    from kpi.importer.reading import Limits, _csv_shape_problem

    limits = Limits(rows=10, columns=2, cells=100, line_chars=8)
    assert _csv_shape_problem("f.csv", 'a;"b;c"\r\n\rx;y', ";", limits) is None
    too_long = _csv_shape_problem("f.csv", "a;b\r\n\r\n\rabcdefghi", ";", limits)
    assert (too_long.row, too_long.message[:22]) == (4, "Deze regel is 9 tekens")
    wide = _csv_shape_problem("f.csv", "a;b\n1;2;3", ";", limits)
    assert wide.row == 2 and "3 kolommen" in wide.message
