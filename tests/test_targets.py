"""Target revisions: a new version with date and reason; history stays; editors only."""

import datetime as dt
from pathlib import Path

import pytest

from kpi import repository
from kpi.service import evaluate_all, status_records
from kpi.settings import Settings
from kpi.targets import TargetRefused, revise_target
from tests.apptest import run_app, texts

ROOT = Path(__file__).resolve().parent.parent

FIELDS = dict(indicator="banen", area="Assen binnenstad", baseline_value=3800.0, baseline_year=2017,
              target_value=5500.0, target_year=2030, comparison="absoluut", source="Akkoord 2026",
              valid_from=dt.date(2026, 6, 1), reason="Herzien akkoord", user="tester")


def test_revision_is_a_new_version_and_becomes_current(engine):
    assert revise_target(engine, **FIELDS) == 2
    hist = repository.load_target_history(engine)
    jobs = hist[hist["indicator"] == "banen"]
    assert jobs["version"].tolist() == [1, 2]
    assert jobs["target_value"].tolist() == [5000.0, 5500.0]
    rec = next(r for r in status_records(evaluate_all(engine, Settings(), dt.date(2026, 11, 22))) if r["indicator"] == "banen")
    assert rec["target"] == 5500.0 and rec["target_year"] == 2030


@pytest.mark.parametrize("change, message", [
    (dict(reason="  "), "reden"),
    (dict(comparison="ongeveer"), "Onbekende vergelijking"),
    (dict(target_value=None), "doelwaarde"),
    (dict(indicator="fietsen"), "Onbekende indicator"),
    (dict(area="Atlantis"), "Onbekend gebied"),
])
def test_invalid_revision_is_refused_and_changes_nothing(engine, change, message):
    before = repository.load_target_history(engine)
    with pytest.raises(TargetRefused, match=message):
        revise_target(engine, **{**FIELDS, **change})
    assert repository.load_target_history(engine).equals(before)


def test_targets_page_is_not_offered_to_a_viewer(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/doelen.py")


def test_targets_page_opened_directly_refuses_a_viewer(monkeypatch, sqlite_url):
    # A viewer who opens the page script itself (a cold deep link) gets no form either.
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    at = AppTest.from_file(str(ROOT / "pages" / "doelen.py"), default_timeout=60).run()
    assert not at.exception
    assert not any(b.label == "Nieuwe doelversie opslaan" for b in at.button)
    assert not at.number_input


def test_editor_revises_a_target_on_the_page(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="pages/doelen.py", editor=True)
    assert not at.exception and not at.error
    at.selectbox(key="target_kpi").set_value("bedrijven").run()
    at.number_input(key="target_value").set_value(520.0)
    at.text_input(key="target_reason").input("Tussentijdse herziening")
    next(b for b in at.button if b.label == "Nieuwe doelversie opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Doelversie 2 opgeslagen" in s.value for s in at.success)
    at.switch_page("pages/overzicht.py").run()
    assert "**Doel:** 520" in texts(at)
