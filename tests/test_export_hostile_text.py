"""Every export works whatever text is already stored (issue 12, points 5 and 6): rows with an
ANSI escape, other C0/C1 control characters and (SQLite only; PostgreSQL cannot store it) NUL
are written straight into the database, as an older version of the app let them in, and the
XLSX, CSV, PDF and PPTX reports still come out, with the visible text kept and the control
characters gone."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pptx import Presentation

from kpi import reports, repository, schema
from kpi.export import printable, safe_frame
from kpi.reports import images
from kpi.settings import Settings

AREA = "Assen binnenstad"
TODAY = dt.date(2026, 11, 22)
ESC = "\x1b[31mLISA rood\x1b[0m"
C1 = "Locatus\x9b2J gewist"
BELL = "Opening\x07 garage\x0b"


def _store_hostile_rows(engine) -> str:
    """Insert observations and an event with control characters; returns the NUL text used."""
    nul = "nul\x00na 64 KB" if engine.dialect.name == "sqlite" else "geen nul op PostgreSQL"
    o = schema.observations
    with engine.begin() as conn:
        area_id = repository.area_ids(conn)[AREA]
        old = conn.execute(sa.select(o).where(o.c.area_id == area_id, o.c.indicator_code == "banen",
                                              o.c.superseded_at.is_(None))
                           .order_by(o.c.peildatum.desc())).mappings().first()
        conn.execute(sa.update(o).where(o.c.id == old["id"]).values(superseded_at=dt.datetime(2026, 1, 2)))
        conn.execute(sa.insert(o).values(
            area_id=area_id, indicator_code="banen", peildatum=old["peildatum"], precision=old["precision"],
            value=4300.0, source=ESC, note=f"{C1} {nul}", illustrative=False,
            recorded_at=dt.datetime(2026, 1, 2)))
        conn.execute(sa.insert(schema.events).values(
            event_date=dt.date(2020, 3, 15), text=BELL, indicator_code="banen", area_id=None,
            created_at=dt.datetime(2026, 1, 2), created_by="test"))
    return nul


def test_printable_drops_control_characters_and_keeps_text_tabs_and_line_ends():
    assert printable(ESC) == "[31mLISA rood[0m"
    assert printable("a\x00b\x9bc\x7fd\te\nf\r") == "abcd\te\nf\r"
    assert printable(4.5) == 4.5
    frame = safe_frame(__import__("pandas").DataFrame({"bron\x1b": [ESC, "=1+1\x00"]}))
    assert list(frame.columns) == ["bron"]
    assert frame["bron"].tolist() == ["[31mLISA rood[0m", "'=1+1"]


@pytest.fixture(scope="module")
def kaleido():
    with images.kaleido_server():
        yield


def test_every_export_works_with_control_characters_already_stored(engine, kaleido, tmp_path):
    nul = _store_hostile_rows(engine)
    report = reports.load_report(engine, Settings(), today=TODAY)

    wb = load_workbook(io.BytesIO(reports.render(report, "xlsx")))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "[31mLISA rood[0m" in cells
    assert any("BEL" not in c and c.startswith("Opening garage") for c in cells), cells
    assert not any(any(ch in c for ch in "\x1b\x00\x9b\x07\x0b") for c in cells)

    text = reports.render(report, "csv").decode("utf-8-sig")
    assert "[31mLISA rood[0m" in text and "Locatus2J gewist" in text
    assert not any(ch in text for ch in "\x1b\x00\x9b")
    assert printable(nul) in text

    pdf = reports.render(report, "pdf")
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        path = tmp_path / "r.pdf"
        path.write_bytes(pdf)
        pdf_text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "LISA rood" in " ".join(pdf_text.split())

    deck = Presentation(io.BytesIO(reports.render(report, "pptx")))
    slide_text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                          if shape.has_text_frame)
    assert "\x1b" not in slide_text
