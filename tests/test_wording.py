"""Issue 19.16 and 19.17: Dutch words instead of code words, singular and plural, a plain notice on
illustrative actions, and the demo notice at most twice on a KPI page (AppTest and unit)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from kpi import importer
from kpi.db import make_engine
from kpi.importer.reading import _cell_problems
from kpi.werkplan.tables import illustrative_text
from tests.support.apptest import open_page, run_app, texts
from tests.support.importdata import SETTINGS, csv

# A notice that what is shown is demo, not real: about illustrative values or example actions.
NOTICE = re.compile(r"illustratieve waarde|\(demo\)|voorbeeldactie", re.IGNORECASE)


def demo_notices(at) -> list[str]:
    """Every element of the page that carries the demo notice; the banner (an expander) counts once."""
    banner = {m.value for e in at.expander if e.label.startswith("Demo: ") for m in e.markdown}
    found = [e.label for e in at.expander if NOTICE.search(e.label)]
    for el in [*at.markdown, *at.caption, *at.warning, *at.info, *at.get("badge")]:
        text = str(el.proto.label) if el.type == "badge" else str(el.value)
        if text not in banner and NOTICE.search(re.sub(r"\\(.)", r"\1", text)):
            found.append(text)
    found += [m.help for m in at.metric if m.help and NOTICE.search(m.help)]
    return found


@pytest.mark.parametrize("code", ["banen", "leegstand", "waardering"])
def test_the_demo_notice_appears_at_most_twice_on_a_kpi_page(monkeypatch, sqlite_url, code):
    # Before: banner, the summary sentence, the chart's caption, a warning, the metric's tooltip,
    # a badge and a caption on illustrative actions: seven times.
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": code})
    assert not at.exception
    notices = demo_notices(at)
    assert len(notices) == 2, notices
    assert notices[0].startswith("Demo: 38 illustratieve waarden")  # the banner
    assert "Het oordeel over deze KPI rust op illustratieve waarden (demo), geen metingen." in notices


def test_with_real_figures_the_kpi_page_says_once_that_demo_values_do_not_count(monkeypatch, sqlite_url):
    figures = csv("gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2026;4.350;LISA 2026\n")
    engine = make_engine(sqlite_url)
    at = run_app(monkeypatch, sqlite_url)  # seeds the database
    importer.apply(engine, importer.prepare(engine, [("lisa.csv", figures)], SETTINGS), "tester")
    open_page(at, "kpi")
    at.query_params["kpi"] = "banen"
    at.run()
    assert not at.exception
    notices = demo_notices(at)
    assert len(notices) == 2, notices
    assert "Illustratieve waarden staan grijs in grafiek en tabel en tellen niet mee: er zijn echte metingen." in notices


def test_the_notice_on_illustrative_actions_says_plainly_what_they_are():
    def actions(*flags):
        return pd.DataFrame({"illustrative": list(flags)})

    assert illustrative_text(actions(False, False)) == ""
    assert illustrative_text(actions(True)) == "Deze actie is illustratief (demo), geen echte actie van het werkplan."
    assert illustrative_text(actions(True, True)) == (
        "Deze acties zijn illustratief (demo), geen echte acties van het werkplan.")
    assert illustrative_text(actions(True, False)).startswith(
        "1 van deze acties is illustratief (demo), geen echte actie van het werkplan;")
    assert illustrative_text(actions(True, True, False)).startswith(
        "2 van deze acties zijn illustratief (demo), geen echte acties van het werkplan;")


def test_one_more_cell_is_a_cel_not_1_cellen():
    grid = pd.DataFrame({0: [math.inf] * 21}, index=range(2, 23), dtype=object)
    last = _cell_problems("x.xlsx", grid, ["waarde"])[-1]
    assert last.message == "En nog 1 cel met een stuurteken of een oneindig getal."


def test_the_banner_counts_one_value_in_the_singular(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    def page():
        from ui.components import illustrative_banner

        illustrative_banner(1)

    at = AppTest.from_function(page).run()
    assert [e.label for e in at.expander] == ["Demo: 1 illustratieve waarde"]
    assert "Dit dashboard bevat 1 illustratieve waarde (demo), geen metingen." in at.expander[0].markdown[0].value


def test_the_bronnen_page_has_no_code_words(monkeypatch, sqlite_url):
    # Issue 19.16: max_leeftijd_jaren and onder_landelijk were shown as they are in the code.
    at = run_app(monkeypatch, sqlite_url, page="bronnen")
    assert not at.exception
    shown = texts(at) + " ".join(" ".join(map(str, d.value.columns)) + d.value.to_string() for d in at.dataframe)
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", shown)
