"""Briefing exports, opened and read back: PDF text, the deck's slides and pictures, the
workbook's cells, and a report --as-of an earlier date. SQLite only; one kaleido server
(one Chromium) for the whole module. The first PDF pages are kept as PNG under
artifacts/report-pages/ for a look."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from kpi import events, reports, repository, tables
from kpi.db import ensure_ready, make_engine
from kpi.formatting import value as fmt_value
from kpi.reports import images
from kpi.settings import Settings
from kpi.werkplan.tables import ACTION_TABLE_COLUMNS
from tests.support.cli import run_kpi
from tests.support.required import skip_or_fail
from tests.test_changes import MEETING, REVISED, backdate, revise

ROOT = Path(__file__).resolve().parent.parent
PAGES_DIR = ROOT / "artifacts" / "report-pages"
TODAY = dt.date(2026, 11, 22)
AREA = "Assen binnenstad"
FORMULA_SOURCE = '=HYPERLINK("http://e.vil","klik")'


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        skip_or_fail("TOOLS", f"{tool} missing (Debian poppler-utils; `make test` installs it)")


@pytest.fixture(scope="module")
def kaleido():
    """One Chromium for every chart in this module."""
    with images.kaleido_server():
        yield


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A seeded SQLite database recorded on 1-6-2025; on 3-2-2026 the 2025 job count was
    revised from 4.210 (illustrative) to 4.300, with a source that looks like a formula."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'reports.db'}"
    engine = make_engine(url)
    ensure_ready(engine)
    backdate(engine)
    revise(engine, "banen", AREA, dt.date(2025, 1, 1), 4300.0, REVISED, source=FORMULA_SOURCE)
    events.add_event(engine, dt.date(2019, 6, 1), "<b>Opening</b> parkeergarage", indicator="banen")
    events.add_event(engine, dt.date(2020, 3, 15), "=1+1 lockdown")
    yield url, engine
    engine.dispose()


@pytest.fixture(scope="module")
def report(db):
    return reports.load_report(db[1], Settings(), today=TODAY)


@pytest.fixture(scope="module")
def pdf_text(report, kaleido):
    """The PDF's text, one string per page; the first pages are kept as PNG."""
    _require("pdftotext")
    data = reports.render(report, "pdf")
    assert data.startswith(b"%PDF-")
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    path = PAGES_DIR / "briefing.pdf"
    path.write_bytes(data)
    if shutil.which("pdftoppm"):
        for old in PAGES_DIR.glob("briefing-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(path), str(PAGES_DIR / "briefing")],
                       check=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_glance_page_has_every_kpi_with_value_target_and_status(report, pdf_text):
    title, glance = _flat(pdf_text[0]), _flat(pdf_text[1])
    assert "Raadsinformatiebrief binnenstad" in title and "Stand van de doelen – Assen binnenstad" in title
    assert "dit rapport bevat illustratieve waarden" not in title and "deze briefing bevat illustratieve waarden" in title
    colophon = _flat(pdf_text[-2] if not pdf_text[-1].strip() else pdf_text[-1])
    assert "Nieuwste peildatum: 1-1-2025" in colophon
    assert "Laatste import: 3-2-2026" not in colophon  # a revision is not an import batch
    assert "Laatste import: 1-6-2025 14:00" in colophon
    for r in report.results:
        ind = r.indicator
        assert ind.name.split()[0] in glance
        assert r.latest is None or fmt_value(r.latest.value, ind.unit, ind.decimals) in glance  # visie: no figure yet
        assert r.status.split()[-1] in glance
    assert "4.300" in glance and "4.210" not in glance


def test_pdf_summary_sentences_sources_and_events(report, pdf_text):
    text = " ".join(_flat(p) for p in pdf_text)
    assert "Aantal banen steeg van 3.800 (2017) naar 4.300 (2025)" in _flat(pdf_text[0])
    assert FORMULA_SOURCE in text  # a source that looks like a formula is plain text
    assert "<b>Opening</b> parkeergarage" in text and "=1+1 lockdown" in text  # events as plain text
    assert sorted(PAGES_DIR.glob("briefing-*.png"))


def test_pdf_without_demo_values_has_no_notice(tmp_path, kaleido):
    _require("pdftotext")
    engine = make_engine(f"sqlite:///{tmp_path / 'real.db'}")
    ensure_ready(engine)
    repository.remove_illustrative(engine)
    data = reports.build(engine, Settings(), "pdf", today=TODAY)
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "Aantal banen" in text and "3.800" in text
    assert "illustratieve waarden" not in text and "illustratief" not in text


def test_deck_has_the_indicator_table_and_one_picture_of_all_charts(report, kaleido):
    deck = Presentation(io.BytesIO(reports.render(report, "pptx")))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == "Raadsinformatiebrief binnenstad – Assen binnenstad"
    summary_text = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "illustratieve waarden" in summary_text
    table_slide = next(s for s in slides if s.shapes.title.text == "Stand per KPI")
    table = next(s for s in table_slide.shapes if s.has_table).table
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][:4] == ["KPI", "Nulmeting (jaar)", "Doel", "Realisatie (peildatum)"]
    assert [row[0] for row in rows[1:]] == [r.indicator.name for r in report.results]
    assert rows[1][3].startswith("4.300 (2025)")
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    img = Image.open(io.BytesIO(pictures[0].image.blob))
    assert img.format == "PNG" and img.size == (2400, 1120)
    every = " ".join(s.text_frame.text for slide in slides for s in slide.shapes if s.has_text_frame)
    assert "<b>Opening</b> parkeergarage" in every and "=1+1 lockdown" in every  # events as plain text


def test_xlsx_has_the_figures_and_no_formula_cells(report):
    wb = load_workbook(io.BytesIO(reports.render(report, "xlsx")))
    assert wb.sheetnames == ["Status", "Cijfers", "Gebeurtenissen", "Werkplan"]
    status = list(wb["Status"].values)
    header = status[0]
    by_code = {row[header.index("Indicator (code)")]: row for row in status[1:]}
    assert by_code["banen"][header.index("Waarde")] == 4300
    assert by_code["banen"][header.index("Illustratief")] is False
    assert by_code["leegstand"][header.index("Doel")] == "onder landelijk (7,0%)"
    figures = list(wb["Cijfers"].values)
    cols = figures[0]
    jobs_2025 = [r for r in figures[1:] if r[cols.index("Indicator (code)")] == "banen"
                 and r[cols.index("Peildatum")] == "2025" and r[cols.index("Gebied")] == AREA]
    assert [r[cols.index("Waarde")] for r in jobs_2025] == [4300]
    assert jobs_2025[0][cols.index("Bron")] == "'" + FORMULA_SOURCE
    assert len(figures) - 1 == len(tables.figures_frame(report.results))
    event_texts = [r[1] for r in list(wb["Gebeurtenissen"].values)[1:]]
    assert event_texts == ["<b>Opening</b> parkeergarage", "'=1+1 lockdown"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.coordinate)


def test_xlsx_is_for_people_with_words_as_headers_and_a_werkplan_sheet(report):
    """Issue 19.16: no snake_case headers ('toelichting_status', 'vastgelegd_utc') and the werkplan's
    actions as the werkplan page shows them; the CSV keeps its machine-readable names (below)."""
    wb = load_workbook(io.BytesIO(reports.render(report, "xlsx")))
    headers = [c.value for ws in wb.worksheets for c in ws[1]]
    assert not [h for h in headers if "_" in str(h)], headers
    assert "Toelichting status" in [c.value for c in wb["Status"][1]]
    assert "Vastgelegd (UTC)" in [c.value for c in wb["Cijfers"][1]]
    plan = list(wb["Werkplan"].values)
    assert list(plan[0]) == ACTION_TABLE_COLUMNS
    actions = report.werkplan.themes
    assert len(plan) - 1 == sum(len(t) for _, t in actions) > 0
    assert {r[0] for r in plan[1:]} == {c for _, t in actions for c in t["Code"]}


def test_csv_has_every_figure_neutralised(report):
    text = reports.render(report, "csv").decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("gebied;indicator;kpi;peildatum")
    assert len(lines) - 1 == len(tables.figures_frame(report.results))
    assert any(line.startswith(f"{AREA};banen;Aantal banen;2025;jaar;4300,0;") for line in lines)
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text


def test_chart_png_per_kpi(report, kaleido):
    data = reports.chart_png(report, "leegstand")
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (1800, 940)


def test_report_as_of_an_earlier_date_shows_the_values_known_then(db, tmp_path):
    _require("pdftotext")
    url, _engine = db
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    printed = []
    for path, extra in [(old, ["--as-of", MEETING.isoformat()]), (new, [])]:
        res = run_kpi(url, "report", "--format", "pdf", "--output", str(path), *extra)
        assert res.returncode == 0, res.stderr
        assert "Traceback" not in res.stderr
        printed.append(res.stdout)
    assert printed[0].strip() == f"Rapport (pdf) geschreven naar {old}, gegevens zoals bekend op 31-1-2026."
    assert printed[1].strip() == f"Rapport (pdf) geschreven naar {new}."
    old_text = _flat(subprocess.run(["pdftotext", str(old), "-"], capture_output=True, text=True, check=True).stdout)
    new_text = _flat(subprocess.run(["pdftotext", str(new), "-"], capture_output=True, text=True, check=True).stdout)
    assert "Gegevens zoals bekend op 31-1-2026" in old_text and "Status bepaald op 31-1-2026" in old_text
    assert "4.210" in old_text and "4.300" not in old_text
    assert "4.300" in new_text and "Gegevens zoals bekend op" not in new_text
    assert FORMULA_SOURCE not in old_text  # the revision's source did not exist yet


def test_cli_report_refuses_a_bad_date(db, tmp_path):
    res = run_kpi(db[0], "report", "--format", "pdf", "--output", str(tmp_path / "x.pdf"), "--as-of", "31-02-2026")
    assert res.returncode == 2 and "is geen datum" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "x.pdf").exists()


def _fake_browsers(monkeypatch, stalls: int = 0) -> dict:
    """Replace Chromium by counters; the first `stalls` renders do not answer in time."""
    calls = {"start": 0, "stop": 0, "render": 0, "stalls": stalls}

    class FakeBrowser:
        def __init__(self):
            calls["start"] += 1

        def render(self, fig, opts):
            calls["render"] += 1
            if calls["stalls"]:
                calls["stalls"] -= 1
                raise images._Stalled("Chromium reageerde niet binnen 65 s bij een grafiek.")
            return images.PNG_SIGNATURE + b"fake"

        def close(self):
            calls["stop"] += 1

    monkeypatch.setattr(images, "_LEASE", images._ServerLease())
    monkeypatch.setattr(images, "_Browser", FakeBrowser)
    return calls


def test_one_server_for_all_charts_of_a_report(report, monkeypatch):
    """No browser here: the lease logic is what is tested."""
    calls = _fake_browsers(monkeypatch)
    pngs = reports.chart_images(report)
    assert set(pngs) == {r.indicator.code for r in report.results}
    assert calls == {"start": 1, "stop": 1, "render": len(report.results), "stalls": 0}
    with images.kaleido_server():  # nested leases share the one server
        reports.chart_png(report, "banen")
        reports.chart_png(report, "ranking")
    assert calls["start"] == 2 and calls["stop"] == 2


def test_a_stalled_browser_is_replaced_once(report, monkeypatch):
    calls = _fake_browsers(monkeypatch, stalls=1)
    assert reports.chart_png(report, "banen").startswith(images.PNG_SIGNATURE)
    assert (calls["start"], calls["stop"], calls["render"]) == (2, 2, 2)


def test_a_browser_that_stalls_twice_gives_a_dutch_error(report, monkeypatch):
    calls = _fake_browsers(monkeypatch, stalls=2)
    with pytest.raises(reports.ReportError, match="Chromium reageerde niet binnen"):
        reports.chart_images(report)
    assert calls["start"] == calls["stop"] == 2  # nothing left running


def test_missing_browser_gives_a_dutch_error_instead_of_hanging(report, monkeypatch):
    monkeypatch.setattr(images, "_LEASE", images._ServerLease())
    from choreographer.browsers.chromium import Chromium  # imported lazily by kpi.reports.images

    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kw: None))
    with pytest.raises(reports.ReportError, match="geen Chromium-browser gevonden"):
        reports.render(report, "pdf")


def test_waiting_on_chromium_is_time_limited():
    never = concurrent.futures.Future()
    with pytest.raises(images._Stalled, match="Chromium reageerde niet binnen 0 s bij iets"):
        images._Browser._wait(never, 0.05, "iets")
    assert never.cancelled()
