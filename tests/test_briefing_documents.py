"""The council briefing as a raadslid gets it (issue 20; issue 19.19): the PDF read back with
pdftotext, the deck with python-pptx and, converted by LibreOffice, checked for boxes that
overlap and words that break. Duiding and briefing state are built directly on a report from
load_report (the store that fills them is built beside this). SQLite only; one Chromium."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from dataclasses import replace
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pptx import Presentation

from kpi import reports, repository
from kpi.briefing.model import DEFINITIEF, BriefingInfo, Duiding
from kpi.db import ensure_ready, make_engine
from kpi.reports import content, images
from kpi.reports.deck import pptx_bytes
from kpi.reports.fonts import column_widths, wrap
from kpi.reports.model import with_documents
from kpi.settings import Settings
from tests.support.required import skip_or_fail

TODAY = dt.date(2026, 11, 22)
CAUSE = "Minder kantoorbanen door thuiswerken"


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        skip_or_fail("TOOLS", f"{tool} missing (tools/system-deps.sh installs it)")


@pytest.fixture(scope="module")
def kaleido():
    with images.kaleido_server():
        yield


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    e = make_engine(f"sqlite:///{tmp_path_factory.mktemp('brief') / 'b.db'}")
    ensure_ready(e)
    yield e
    e.dispose()


@pytest.fixture(scope="module")
def report(engine):
    """A draft for period 2026-K4 with a duiding for the jobs KPI only."""
    r = reports.load_report(engine, Settings(), today=TODAY)
    d = Duiding("banen", "2026-K4", CAUSE, "Doel 5.000 in 2030 raakt uit zicht",
                "Regiegroep vraagt acquisitieplan", "J. de Vries", dt.date(2026, 11, 20))
    return replace(r, briefing=BriefingInfo(period="2026-K4", contact="programmabureau@assen.example"),
                   duiding={"banen": d})


def _pdf_pages(data: bytes) -> list[str]:
    _require("pdftotext")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return [" ".join(p.split()) for p in out.decode().split("\f") if p.strip()]


@pytest.fixture(scope="module")
def pdf(report, kaleido):
    return reports.render(report, "pdf")


@pytest.fixture(scope="module")
def pages(pdf):
    return _pdf_pages(pdf)


def test_page_1_is_the_summary_in_words_with_the_duiding_and_period(report, pages):
    p1 = pages[0]
    assert p1.startswith("CONCEPT") and "Raadsinformatiebrief binnenstad" in p1
    assert "Periode 2026-K4 (4e kwartaal 2026, 1-10-2026 t/m 31-12-2026)." in " ".join(p1.split())
    assert "Wat willen we bereiken?" in p1 and "Binnenstadakkoord Assen 2018 (7-2-2018) legt voor Assen binnenstad 5 doelen vast" in " ".join(p1.split())
    assert "Binnenstadsvisie Assen 2021 (3-3-2021) legt voor Assen binnenstad 2 doelen vast" in " ".join(p1.split())
    assert content.counts_text(report) in p1
    for r, sentence in content.kpi_sentences(report):
        assert " ".join(sentence.split()[:6]) in p1, r.indicator.code
    behind = [r for r in report.results if r.status in ("achter", "risico")]
    assert behind
    for r in behind:
        assert f"{r.indicator.name} ({r.status})" in p1
    assert f"Oorzaak: {CAUSE}" in p1 and "Bijsturing: Regiegroep vraagt acquisitieplan" in p1
    assert "J. de Vries, 20-11-2026" in p1
    # Every other KPI behind says its duiding is missing.
    assert p1.count("Nog geen duiding van de regiegroep") == len(behind) - 1


def test_page_2_has_the_small_multiples_and_the_indicator_table(report, pdf, pages):
    p2 = pages[1]
    assert "Alle KPI's in één oogopslag" in p2
    for head in ("KPI", "Nulmeting", "Doel", "Realisatie", "Ambitie 2027", "Status", "Bron"):
        assert head in p2
    table = content.indicator_table(report)
    for row in table.itertuples(index=False):
        assert row.Status.split(" ", 1)[0] in p2 and row.KPI.split()[0] in p2  # cells wrap at spaces
    assert "3.800 (2017)" in p2 and "4.723" in p2  # jobs: baseline, and the path's value in 2027
    # One picture: the five charts in one image.
    out = subprocess.run(["pdfimages", "-list", "-f", "2", "-l", "2", "-", ], input=pdf, capture_output=True)
    if out.returncode == 0:
        assert len([line for line in out.stdout.decode().splitlines()[2:] if " image " in line]) == 1


def test_every_page_of_a_concept_says_concept_and_a_definitive_one_does_not(report, pages, kaleido):
    assert all("CONCEPT" in p for p in pages)
    final = replace(report, briefing=replace(report.briefing, state=DEFINITIEF, number=3,
                                              made_at=dt.datetime(2026, 11, 22, 14, 0)))
    final_pages = _pdf_pages(reports.render(final, "pdf"))
    assert not any("CONCEPT" in p or "concept" in p for p in final_pages)
    assert "Versie: definitief (briefing nr. 3, vastgesteld op 22-11-2026 15:00)" in " ".join(final_pages)


def test_changes_actions_werkplan_costs_and_guide_are_in_the_pdf(report, pages):
    text = " ".join(pages)
    assert "Wat is er veranderd sinds de vorige briefing?" in text
    assert "vier weken eerder" in text and "er is nog geen eerdere definitieve briefing" in text
    assert "Wat gaan we daarvoor doen?" in text
    for item in content.kpi_actions(report):
        if item.warning:
            assert " ".join(item.warning.split()[:8]) in text
    werkplan = next(i for i, p in enumerate(pages) if p.startswith("CONCEPT – niet vastgesteld Werkplan"))
    end = next(i for i, p in enumerate(pages) if "Wat mag het kosten?" in p)
    assert end - werkplan <= 1  # one to two pages
    wp_text = " ".join(pages[werkplan:end + 1])
    table = content.werkplan_table(report)
    # Late first, and every word of every title whole (pdftotext -layout keeps a word on one line).
    assert table["Status"].str.contains("te laat").iloc[0]
    for title in table["Actie"]:
        for word in re.findall(r"[\w-]{6,}", title):
            assert word in wp_text, word
    assert "Per thema" in text and "Per fonds" in text and "Totaal € 356.000 € 183.100 51%" in text
    assert "Leeswijzer" in text and "Bronnen" in text and "Colofon" in text
    assert "Contact: programmabureau@assen.example" in text
    assert "Binnenstadakkoord Assen, 7 februari 2018" in text


def test_demo_wording_names_what_rests_on_demo_values_and_goes_with_real_figures(tmp_path, kaleido):
    e = make_engine(f"sqlite:///{tmp_path / 'real.db'}")
    ensure_ready(e)
    demo = reports.load_report(e, Settings(), today=TODAY)
    notice = content.illustrative_notice(demo)
    assert notice and "het oordeel over aantal banen" in notice
    repository.remove_illustrative(e)
    real = reports.load_report(e, Settings(), today=TODAY)
    assert content.illustrative_basis(real) == [] and content.illustrative_notice(real) is None
    text = " ".join(_pdf_pages(reports.render(real, "pdf"))[:2])
    assert "bevat illustratieve waarden" not in text


def test_column_widths_keep_every_word_whole():
    rows = [["Code", "Rol"], ["A-02", "Programmamanager"], ["1.1", "Een groep ondernemers vormen"]]
    widths = column_widths(rows, 200, 10, 2)
    for row in rows:
        for cell, w in zip(row, widths):
            assert all(len(wrap(word, 10, w - 4)) == 1 for word in cell.split())
    assert column_widths(rows, 40, 10, 2) is None  # cannot fit: the caller takes smaller type


# ---- the deck ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def deck_bytes(report, kaleido):
    return reports.render(report, "pptx")


def _slide_text(slide) -> str:
    parts = []
    for s in slide.shapes:
        if s.has_text_frame:
            parts.append(s.text_frame.text)
        if s.has_table:
            parts += [c.text for row in s.table.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def test_deck_follows_the_briefing_order_with_concept_on_every_slide(report, deck_bytes):
    deck = Presentation(io.BytesIO(deck_bytes))
    titles = [s.shapes.title.text for s in deck.slides]
    order = ["Raadsinformatiebrief binnenstad – Assen binnenstad", "Duiding van de regiegroep",
             "Alle KPI's in één oogopslag", "Stand per KPI", "Wat is er veranderd sinds de vorige briefing?",
             "Wat gaan we daarvoor doen?", "Werkplan: alle acties, te laat eerst", "Wat mag het kosten?", "Leeswijzer",
             "Horizon, bronnen en colofon"]
    firsts = [titles.index(t) for t in order]
    assert firsts == sorted(firsts)
    texts = [_slide_text(s) for s in deck.slides]
    assert all("CONCEPT" in t for t in texts)
    assert content.counts_text(report) in texts[0]
    # Found by title: a long title slide (seven KPIs in two agreements) continues on a second.
    slides = list(deck.slides)
    assert f"Oorzaak: {CAUSE}" in texts[titles.index("Duiding van de regiegroep")]
    glance = slides[titles.index("Alle KPI's in één oogopslag")]
    assert sum(1 for s in glance.shapes if s.shape_type == 13) == 1  # one picture
    table = next(s for s in slides[titles.index("Stand per KPI")].shapes if s.has_table).table
    assert [c.text for c in table.rows[0].cells][:2] == ["KPI", "Nulmeting (jaar)"]
    every = " ".join(texts)
    assert "Per fonds" in every and "Contact: programmabureau@assen.example" in every
    runs = [r for s in deck.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    assert runs and all(r.font.name == "DejaVu Sans" for r in runs)


def _rects(slide) -> list[tuple[float, float, float, float, str]]:
    """Shape rectangles in points (x0, y0, x1, y1, name)."""
    return [(s.left / 12700, s.top / 12700, (s.left + s.width) / 12700, (s.top + s.height) / 12700, s.name)
            for s in slide.shapes]


def test_no_two_boxes_of_a_slide_overlap_in_the_file(deck_bytes):
    deck = Presentation(io.BytesIO(deck_bytes))
    for n, slide in enumerate(deck.slides, start=1):
        rects = _rects(slide)
        for i, a in enumerate(rects):
            assert a[2] <= 960.5 and a[3] <= 540.5, (n, a)
            for b in rects[i + 1:]:
                overlap = min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
                assert not overlap, (n, a, b)


def test_libreoffice_draws_every_word_whole_inside_its_own_box(deck_bytes, tmp_path):
    """Converted by LibreOffice (no Calibri here): each word lies inside one shape of its slide,
    so no text runs into another box, and each is a word of the slide's own text (none broken)."""
    _require("soffice")
    _require("pdftotext")
    src = tmp_path / "deck.pptx"
    src.write_bytes(deck_bytes)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "deck.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    tree = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", html).replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    deck = Presentation(io.BytesIO(deck_bytes))
    slides = list(deck.slides)
    found = tree.findall(".//page")
    assert len(found) == len(slides)
    for n, (page, slide) in enumerate(zip(found, slides), start=1):
        rects = _rects(slide)
        own = set(_slide_text(slide).split())
        words = page.findall("word")
        for i, w in enumerate(words):
            x0, y0, x1, y1 = (float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            word = w.text or ""
            inside = any(x0 >= r[0] - 2 and x1 <= r[2] + 2 and y0 >= r[1] - 2 and y1 <= r[3] + 2 for r in rects)
            assert inside, (n, word, (x0, y0, x1, y1))
            # A broken word shows as a fragment: it must be a whole word of the slide's text. A
            # compound may break at its own hyphen ('Communicatie-' + 'medewerker)').
            if word.endswith("-") and i + 1 < len(words) and word + (words[i + 1].text or "") in own:
                continue
            if i and (words[i - 1].text or "").endswith("-") and (words[i - 1].text or "") + word in own:
                continue
            assert word in own, (n, word)


# ---- the demo wording as a rule over any mix of flags (issue 20.9) ---------------------------------

_FLAGS = st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans())


@given(flags=st.lists(_FLAGS, min_size=1, max_size=6))
def test_the_demo_notice_appears_exactly_when_something_shown_rests_on_demo_and_names_each(flags):
    """flags per KPI: (verdict rests on demo, newest value is demo, national figure is demo, greyed
    demo points drawn). The notice is there iff one of the first three holds for some KPI, names
    each such KPI once, and never one whose verdict and shown values are all real."""
    results = []
    for i, (verdict, latest, national, greyed) in enumerate(flags):
        results.append(SimpleNamespace(
            indicator=SimpleNamespace(name=f"Kpi{i}", code=f"k{i}"), illustrative=verdict,
            shows_illustrative=verdict or latest or national or greyed,
            latest=SimpleNamespace(illustrative=latest), national=SimpleNamespace(illustrative=national)))
    report = SimpleNamespace(results=results, duiding={})
    notice = content.illustrative_notice(report)
    resting = [f"kpi{i}" for i, f in enumerate(flags) if any(f[:3])]
    assert (notice is None) == (not resting)
    for i in range(len(flags)):
        named = notice is not None and re.search(rf"\bkpi{i}\b", notice) is not None
        assert named == (f"kpi{i}" in resting)
    assert len(content.illustrative_basis(report)) == len(resting)
    # Greyed points alone never make the notice, but they do get the charts' note.
    if not resting and any(f[3] for f in flags):
        assert content.greyed_note(report) == content.GREYED_NOTE


def test_changes_are_compared_with_the_previous_definitive_briefing_when_there_is_one(engine):
    previous = dt.datetime(2026, 11, 1, 9, 30)
    info = BriefingInfo(period="2026-K4", previous_at=previous)
    r = with_documents(engine, Settings(), replace(reports.load_report(engine, Settings(), today=TODAY), briefing=info))
    assert r.briefing is info
    headline = content.since_last_headline(r)
    assert headline.startswith("Vergeleken met de vorige definitieve briefing (1-11-2026 10:30)")
    assert "gewijzigde acties" in headline or "gewijzigde actie" in headline


def test_a_duiding_of_another_period_does_not_count_for_this_briefing(report):
    old = replace(report.duiding["banen"], period="2026-K3")
    items = content.duiding_items(replace(report, duiding={"banen": old}))
    jobs = next(i for i in items if i.result.indicator.code == "banen")
    assert jobs.duiding is None and "Nog geen duiding" in jobs.lines()[0]


def test_the_briefing_loads_and_renders_on_both_databases(db_url):
    """load_report with a briefing (what changed, werkplan money) on SQLite and PostgreSQL; the
    documents without the chart image, read back."""
    from kpi.reports.pdf import pdf_bytes

    e = make_engine(db_url)
    try:
        ensure_ready(e)
        info = BriefingInfo(period="2026-K4", previous_at=dt.datetime(2026, 11, 1, 9, 30))
        r = with_documents(e, Settings(), replace(reports.load_report(e, Settings(), today=TODAY), briefing=info))
        assert r.since_last is not None and r.plan is not None
        assert content.since_last_headline(r).startswith("Vergeleken met de vorige definitieve briefing")
        money = dict(content.cost_tables(r))
        assert money["Per thema"].iloc[-1]["Budget"] == "€ 356.000"
        text = " ".join(_pdf_pages(pdf_bytes(r, {})))
        assert "Periode 2026-K4" in text and "Wat mag het kosten?" in text and "Totaal € 356.000" in text
        deck = Presentation(io.BytesIO(pptx_bytes(r, {})))
        assert any(s.shapes.title.text == "Wat mag het kosten?" for s in deck.slides)
    finally:
        e.dispose()


def test_the_same_report_gives_the_same_pdf_bytes(report, pdf, kaleido):
    """The creation stamp is the report's own, so a briefing made again from the same data and
    moment is byte-identical (the chart image included)."""
    assert reports.render(report, "pdf") == pdf


def test_small_multiples_share_a_scale_per_unit_label_the_latest_value_and_have_one_legend(report):
    from kpi.formatting import value as fmt_value
    from kpi.reports.multiples import overview_figure

    fig = overview_figure(report.results, 760, 660, cols=2)
    axes = {r.indicator.code: fig.layout[f"yaxis{'' if i == 0 else i + 1}"] for i, r in enumerate(report.results)}
    # Jobs (thousands) and businesses (hundreds) share a unit but not an order of magnitude.
    assert tuple(axes["banen"].range) != tuple(axes["bedrijven"].range)
    assert axes["ranking"].range[0] > axes["ranking"].range[1]  # a ranking: 1 at the top
    texts = [a.text for a in fig.layout.annotations]
    for r in report.results:
        # subplot title with status, or that there is no figure yet
        assert any(r.indicator.name in t and (r.status in t or t.endswith("nog geen meting")) for t in texts)
        # latest labelled (the visie 2021's KPIs have no figure yet)
        assert r.latest is None or fmt_value(r.latest.value, r.indicator.unit, r.indicator.decimals) in texts
    empty = [r for r in report.results if r.series.empty and r.national_series.empty]
    assert sum(t.endswith(" – nog geen meting") for t in texts) == len(empty) > 0
    names = [t.name for t in fig.data if t.showlegend]
    assert len(names) == len(set(names))
    assert sum(1 for s in fig.layout.shapes if s.y0 == s.y1) >= 4  # target lines (not for below-national)


def test_kpis_of_one_unit_and_magnitude_share_their_scale(report):
    from kpi.reports.multiples import shared_scales

    a, b = report.results[0], report.results[1]
    same = replace(b, indicator=replace(b.indicator, unit=a.indicator.unit))
    scales = shared_scales([a, same], [[3800.0, 5000.0], [2000.0, 2500.0]])
    assert sorted(scales[0]) == sorted(scales[1]) == [2000.0, 2500.0, 3800.0, 5000.0]
    apart = shared_scales([a, same], [[3800.0, 5000.0], [430.0, 500.0]])
    assert apart == [[3800.0, 5000.0], [430.0, 500.0]]


def test_the_same_report_gives_the_same_deck_bytes_whatever_the_clock_says(report, monkeypatch):
    """The deck's zip entries and core properties carry the report's own moment, never the clock:
    made twice a day apart (time.time is what zipfile stamps entries with, repository.utcnow what
    the app reads), the bytes are the same."""
    import time

    real_time, real_now = time.time, repository.utcnow
    first = pptx_bytes(report, {})
    monkeypatch.setattr(time, "time", lambda: real_time() + 86_400 + 7)
    monkeypatch.setattr(repository, "utcnow", lambda: real_now() + dt.timedelta(days=1, seconds=7))
    second = pptx_bytes(report, {})
    assert first == second
    import zipfile

    with zipfile.ZipFile(io.BytesIO(first)) as z:
        stamps = {i.date_time for i in z.infolist()}
        names = z.namelist()
    assert names[0] == "[Content_Types].xml" and len(names) == len(set(names))
    from kpi import formatting as fmt

    shown = fmt.local(report.generated_at)
    assert stamps == {(shown.year, shown.month, shown.day, shown.hour, shown.minute, shown.second // 2 * 2)}
    props = Presentation(io.BytesIO(first)).core_properties
    assert props.created == props.modified == report.generated_at.replace(microsecond=0)
    assert props.author == props.last_modified_by == "Binnenstadmonitor" and props.language == "nl-NL"


def test_a_deck_dated_before_1980_gets_the_earliest_zip_time():
    from kpi.reports.deck import zip_moment

    assert zip_moment(dt.datetime(1970, 1, 1)) == (1980, 1, 1, 0, 0, 0)
    assert zip_moment(dt.datetime(2026, 11, 22, 13, 5, 9)) == (2026, 11, 22, 14, 5, 8)  # Amsterdam time, even seconds
