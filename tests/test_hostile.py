"""Hostile input without a browser: SQL-like text is stored literally (through the importer,
on SQLite and PostgreSQL), exports neutralise spreadsheet formulas, and an upload over the
size limit is refused before anything parses it."""

from __future__ import annotations

import csv
import io
import tomllib

import pandas as pd
import pytest
import sqlalchemy as sa

from kpi import importer, repository, schema
from kpi.export import csv_bytes
from kpi.importer import reading
from kpi.settings import Settings
from tests.support.browser import ROOT

SQL = "'); DROP TABLE observations;--"
SQL_2 = "Robert'); DELETE FROM areas WHERE ('1'='1"
FORMULAS = ["=HYPERLINK(\"http://example.invalid\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_sql_like_text_is_stored_and_read_back_literally(engine):
    data = _csv([
        ["gebied", "indicator", "jaar", "waarde", "bron", "toelichting"],
        ["Assen binnenstad", "banen", "2025", "4.310", SQL, SQL_2],
    ])
    settings = Settings(database_url=str(engine.url))
    preview = importer.prepare(engine, [("sql.csv", data)], settings)
    assert preview.ok, preview.problems
    assert importer.apply(engine, preview, user=SQL) is not None

    obs = repository.load_observations(engine, area="Assen binnenstad", indicator="banen")
    row = obs[obs["peildatum"].dt.year == 2025].iloc[-1]
    assert (row["source"], row["note"], row["value"]) == (SQL, SQL_2, 4310.0)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.observations)).scalar() > 0
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.areas)).scalar() >= 2
        users = [u for (u,) in conn.execute(sa.select(schema.import_batches.c.created_by))]
    assert SQL in users


def test_csv_export_neutralises_formula_cells_and_keeps_numbers():
    frame = pd.DataFrame({
        "bron": FORMULAS + ["gewoon"],
        "waarde": [-5.5, 1.0, 2.0, 3.0, 4.0, 5.0],
        "=kop": ["a"] * 6,
    })
    text = csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == ["bron", "waarde", "'=kop"]
    for cell, original in zip([r[0] for r in body], FORMULAS + ["gewoon"], strict=True):
        if original == "gewoon":
            assert cell == "gewoon"
        else:
            assert cell == "'" + original, cell
            assert cell[0] not in "=+-@\t\r"
    assert body[0][1] == "-5,5"  # a negative number is data, not a formula


def test_csv_export_keeps_a_carriage_return_inside_its_cell():
    """A lone CR (old Mac line end, pasted text) must not split the row in Excel."""
    text = csv_bytes(pd.DataFrame({"toelichting": ["\r=1+1", "regel 1\rregel 2"], "waarde": [1.0, 2.0]}))
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [["toelichting", "waarde"], ["'\r=1+1", "1,0"], ["regel 1\rregel 2", "2,0"]]


def test_upload_over_the_limit_is_refused_before_it_is_parsed(monkeypatch, sqlite_url):
    from kpi.db import ensure_ready, make_engine

    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    parsed = []
    monkeypatch.setattr(reading, "_read_csv", lambda *a, **k: parsed.append(a) or (None, []))
    monkeypatch.setattr(reading, "_read_xlsx", lambda *a, **k: parsed.append(a) or (None, []))
    monkeypatch.setattr(reading, "_decode", lambda *a, **k: parsed.append(a) or (None, None))
    settings = Settings(database_url=sqlite_url, max_upload_mb=1)
    header = b"gebied;indicator;jaar;waarde;bron\n"
    too_big = header + b"Assen binnenstad;banen;2025;1;x\n" * (1024 * 1024 // 30 + 10)
    assert len(too_big) > 1024 * 1024

    for name in ("groot.csv", "groot.xlsx"):
        preview = importer.prepare(engine, [(name, too_big)], settings)
        assert not preview.ok
        assert any("te groot" in p.message for p in preview.problems), preview.problems
    assert parsed == []

    just_right = header + b"Assen binnenstad;banen;2025;4.310;LISA\n"
    importer.prepare(engine, [("klein.csv", just_right)], settings)
    assert parsed, "the parser stubs were never reached: the test would prove nothing"
    engine.dispose()


def test_streamlit_upload_limit_is_set_and_admits_the_app_limit():
    """Streamlit refuses anything over server.maxUploadSize in the browser already; the app's
    own (lower, configurable) limit must fit under it, or the app's message could never show."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    streamlit_mb = config["server"]["maxUploadSize"]
    assert isinstance(streamlit_mb, int) and 0 < streamlit_mb <= 200
    assert Settings().max_upload_mb <= streamlit_mb


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "[klik](http://example.invalid)", SQL])
def test_hostile_text_in_an_import_file_is_not_a_problem_by_itself(text, sqlite_url):
    """Odd text is data: the importer neither rejects nor rewrites it."""
    from kpi.db import ensure_ready, make_engine

    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    data = _csv([["gebied", "indicator", "jaar", "waarde", "bron", "toelichting"],
                 ["Assen binnenstad", "bedrijven", "2025", "470", text, text]])
    preview = importer.prepare(engine, [("x.csv", data)], Settings(database_url=sqlite_url))
    assert preview.ok, preview.problems
    importer.apply(engine, preview, user="test")
    obs = repository.load_observations(engine, area="Assen binnenstad", indicator="bedrijven")
    latest = obs[obs["peildatum"].dt.year == 2025].iloc[-1]
    assert latest["source"] == text and latest["note"] == text
    engine.dispose()
