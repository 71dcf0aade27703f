"""AppTest for the core pages: no exception, expected values shown, illustrative labelled."""


import datetime as dt
import re

import pytest

from kpi import formatting as fmt
from kpi import repository, statuses
from kpi.db import ensure_ready, make_engine
from kpi.seed import seed_peers
from tests.support.apptest import (
    VISIE_METRICS,
    demo_banner,
    figure,
    html_table_with,
    html_tables,
    refused_to_viewer,
    run_app,
    texts,
    values,
)
from ui.frame import PAGES


def test_overview_shows_five_kpis_with_values_targets_and_status(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception and not at.error
    values = [m.value for m in at.metric]
    assert values == [*VISIE_METRICS, "4.210", "458", "13,8%", "7,3", "plaats 33"]
    body = texts(at)
    assert "**Doel:** 5.000" in body and "**Doel:** 500" in body and "onder landelijk (7,0%)" in body
    assert "minimaal 7,5" in body and "top 25 in 2021" in body
    banner = demo_banner(at)  # one line, the explanation behind it
    assert banner.label == "Demo: 38 illustratieve waarden"
    assert banner.markdown[0].value.startswith("**Dit dashboard bevat 38 illustratieve waarden (demo), geen metingen.**")
    assert "Een redacteur vervangt ze door echte cijfers." in body
    assert "demo --remove" not in body  # a command on the server is for editors, not for every viewer
    assert body.count("Illustratief – oordeel rust op demowaarden") == 5
    assert "achter" in body and "op koers" in body
    assert "Aantal banen steeg van 3.800 (2017) naar 4.210 (2025)" in body
    # A fresh install's figures (2017-2025) were not 'bijgewerkt' today: each card says what is true.
    assert "Bijgewerkt" not in body
    installed = f"ingelezen bij de installatie op {fmt.day(fmt.local(dt.datetime.now(dt.UTC)))}"
    assert body.count(f"Cijfer van 2025, {installed}") == 3
    assert f"Cijfer van 1-1-2025, {installed}" in body and f"Cijfer van 2024, {installed}" in body
    assert f"Cijfers {installed}. Status van de doelen" in body
    # The first screen: one line per KPI, in the cards' order, with the cards' status.
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown]
    lines = [line for line in shown if re.match(r":\w+-badge\[[^]]+\] \S", line)]
    # Issue 21: first the phone's short status list (status and name; shown only on narrow screens),
    # then the full lines, each KPI once in each, in the same order with the same status.
    short, summary = lines[:7], lines[7:]
    assert [line.split("] ", 1)[1] for line in short] == [
        "Winkelvloeroppervlak", "Woningen in de binnenstad", "Aantal banen (illustratief)",
        "Aantal bedrijven (illustratief)", "Leegstand (verkooppunten) (illustratief)",
        "Rapportcijfer bezoekers (illustratief)", "Positie in ranking binnensteden (illustratief)"]
    assert [line.split("] ", 1)[0] for line in short] == [line.split("] ", 1)[0] for line in summary]
    assert [line.split("] ", 1)[1] for line in summary] == [
        # grouped by agreement, newest first (issue 21): the Binnenstadsvisie 2021, then the akkoord
        "Winkelvloeroppervlak: **–** (nog geen meting) · doel 60.000 m² in 2030",
        "Woningen in de binnenstad: **–** (nog geen meting) · doel +700 sinds 2021 in 2030",
        "Aantal banen: **4.210** (2025, illustratief) · doel 5.000 in 2030*",
        "Aantal bedrijven: **458** (2025, illustratief) · doel 500 in 2030*",
        "Leegstand (verkooppunten): **13,8%** (1-1-2025, illustratief) · doel onder 7,0% in 2030*",
        "Rapportcijfer bezoekers: **7,3** (2024, illustratief) · doel 7,5 in 2030*",
        "Positie in ranking binnensteden: **plaats 33** (2025, illustratief) · doel top 25 in 2021",
    ]  # issue 19.15: the target on each line, an assumed horizon marked and explained once
    assert "* Aangenomen horizon: het akkoord noemt voor dit doel geen jaar." in [
        re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]
    card_badges = [f"{line} " for line in shown if re.fullmatch(r":\w+-badge\[[^]]+\]", line)
                   and line.split(": ", 1)[-1].rstrip("]") in statuses.WORDS]
    assert len(card_badges) == 7
    for line, badge in zip(summary, card_badges, strict=True):
        assert line.startswith(badge)


def test_overview_without_demo_values_has_no_banner(monkeypatch, sqlite_url):
    eng = make_engine(sqlite_url)
    ensure_ready(eng)
    repository.remove_illustrative(eng)
    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception and not at.error
    assert demo_banner(at) is None
    assert [m.value for m in at.metric] == [*VISIE_METRICS, "3.800", "430", "21,9%", "–", "plaats 53"]
    assert "Illustratief" not in texts(at)


@pytest.mark.parametrize("code, value", [("banen", "4.210"), ("leegstand", "13,8%"), ("ranking", "plaats 33")])
def test_kpi_page_from_url(monkeypatch, sqlite_url, code, value):
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": code})
    assert not at.exception and not at.error
    assert at.selectbox(key="kpi_choice").value == code
    assert at.metric[0].value == value
    fig = figure(at)
    names = [t.get("name") for t in fig["data"]]
    assert any(n and "illustratief" in n for n in names)
    demo = next(t for t in fig["data"] if "illustratief" in (t.get("name") or ""))
    assert demo["marker"]["symbol"] == "circle-open" and demo["marker"]["color"] != "white"  # visible in the legend
    assert "Basiswaarde" in names and "Projectie (trend)" in names
    table = html_table_with(at, "Peildatum", "Herkomst")
    assert {"Peildatum", "Waarde", "Bron", "Illustratief", "Herkomst"} <= set(table.columns)
    assert "ja – telt mee" in set(table["Illustratief"])
    # Where a figure came from in Dutch words, not a file name, batch number, 'seed' or 'None'.
    assert set(table["Herkomst"]) == {"startgegevens bij de installatie", "demoreeks bij de installatie"}
    cells = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "None" not in cells and "nan" not in cells and "seed" not in cells
    hovers = " ".join(h for t in fig["data"] for h in (t.get("hovertext") or []))
    assert "Herkomst: demoreeks bij de installatie" in hovers and "Herkomst: startgegevens bij de installatie" in hovers
    assert "Import:" not in hovers and "batch" not in hovers and "None" not in hovers and ".csv" not in hovers
    assert at.query_params["kpi"] == [code] or at.query_params["kpi"] == code


def test_kpi_page_vacancy_shows_national_series_and_sources(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "leegstand"})
    fig = figure(at)
    national = next(t for t in fig["data"] if t.get("name", "").startswith("Landelijk"))
    assert 7.3 in values(national["y"]) and 6.7 in values(national["y"])
    hovers = "\n".join(h for t in fig["data"] for h in (t.get("hovertext") or []))
    assert "Locatus, via NRC 18 januari 2020" in hovers and "ILLUSTRATIEF" in hovers
    table = html_table_with(at, "Gebied", "Herkomst")
    assert "Landelijk" in set(table["Gebied"])


def test_kpi_page_unknown_code_says_so_and_shows_no_other_kpi(monkeypatch, sqlite_url):
    """Issue 19.14: an unknown code was answered with the first KPI's figures under the warning."""
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "bestaatniet"})
    assert not at.exception and not at.error
    assert [w.value.split(".")[0] for w in at.main.warning] == ["Er is geen KPI of indicator met de code ‘bestaatniet’"]
    assert at.selectbox(key="kpi_choice").value is None
    assert not at.metric and not at.dataframe and not at.get("plotly_chart") and not at.title
    # Choosing one in the box opens it, and the URL follows.
    at.selectbox(key="kpi_choice").set_value("leegstand").run()
    assert not at.exception and not any("geen KPI" in w.value for w in at.main.warning)
    assert at.title[0].value.replace("\\", "") == "Leegstand (verkooppunten)" and at.metric[0].value == "13,8%"
    assert at.query_params["kpi"] in ("leegstand", ["leegstand"])


def test_kpi_page_indicator_without_target_is_monitored_without_a_verdict(monkeypatch, sqlite_url):
    """Issue 19.14: /kpi?kpi=leegstand_vvo said 'Onbekende KPI' and showed jobs. It has figures (national,
    from the reference data) and no target: its own name and figures, no status, no verdict."""
    from kpi.statuses import STATUSES

    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "leegstand_vvo"})
    assert not at.exception and not at.error and not at.main.warning
    assert at.title[0].value.replace("\\", "") == "Leegstand (winkelvloeroppervlak)"  # md() escapes the brackets
    assert at.selectbox(key="kpi_choice").value == "leegstand_vvo"
    body = texts(at)
    assert "geen doel vastgelegd" in body and "zonder oordeel" in body
    assert "Nieuwste cijfer: 7,7% (Nederland, 1-1-2020)" in body
    assert not any(f"Status: {s.word}" in body for s in STATUSES) and not at.metric and not at.get("plotly_chart")
    table = html_table_with(at, "Gebied", "Waarde")
    assert list(table["Waarde"]) == ["7,7%", "7,8%", "6,7%", "7,7%"] and set(table["Gebied"]) == {"Nederland"}
    assert "Aantal banen" not in body


def test_sources_page_lists_every_kpi_and_the_status_rules(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="bronnen")
    assert not at.exception and not at.error
    body = texts(at)
    for name in ["Aantal banen", "Aantal bedrijven", "Leegstand", "Rapportcijfer bezoekers", "Positie in ranking"]:
        assert name in body
    assert "LISA" in body and "Locatus" in body
    assert "geen recente data" in body and "benodigde pad" in body
    # Issue 8: the rules come from the code's table; per KPI what is known and what is assumed.
    from kpi import statuses

    for rule in statuses.RULES:
        assert rule.text.replace("`", "").replace("*", "") in body.replace("`", "").replace("*", "")
    plain = body.replace("*", "")
    assert "Aanname: De uitgangspositie 53 komt niet uit het akkoord" in plain
    assert "Niet bekend: Of de 21,9% en de 7,8% van het akkoord verkooppunten of vloeroppervlak tellen" in plain
    assert "de planningshorizon 2030 (aanname: het akkoord noemt geen jaar)" in body
    hist = html_tables(at)[0]
    assert len(hist) == 7 and set(hist["Versie"]) == {"1"}
    # order: banen, bedrijven, leegstand, ranking, waardering, then the visie's winkelvloeroppervlak
    # and woningen (issue 21); the target with its horizon
    assert [d.split(" (", 1)[1] for d in hist["Doel"]] == [
        "2030, aanname)", "2030, aanname)", "2030, aanname)", "2021)", "2030, aanname)", "2030)", "2030)"]


def test_database_unavailable_gives_a_dutch_message(monkeypatch):
    at = run_app(monkeypatch, "postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert not at.exception
    assert at.error and "De gegevens zijn nu niet beschikbaar" in at.error[0].value


def test_kpi_page_shows_events_as_plain_text(monkeypatch, sqlite_url):
    import datetime as dt

    from kpi import events

    eng = make_engine(sqlite_url)
    ensure_ready(eng)
    events.add_event(eng, dt.date(2020, 3, 15), "Lockdown [zie](http://e.invalid) <b>x</b>", user="t")
    events.add_event(eng, dt.date(2019, 6, 1), "Opening parkeergarage", indicator="bedrijven", user="t")
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "banen"})
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert table["Gebeurtenis"].tolist() == ["Lockdown [zie](http://e.invalid) <b>x</b>"]
    annotations = [a["text"] for a in figure(at)["layout"].get("annotations", [])]
    assert any("Lockdown" in a and "&lt;b&gt;" in a for a in annotations)
    assert not any("parkeergarage" in a for a in annotations)  # another KPI's event


def test_demo_banner_shows_the_remove_command_to_editors_only(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, editor=True)
    assert not at.exception
    banner = demo_banner(at).markdown[0].value
    assert "Vervang ze door echte cijfers via *Importeren*" in banner
    assert "`.venv/bin/python -m kpi demo --remove`" in banner


def test_target_tables_show_counts_without_decimals_and_dutch_dates(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="bronnen")
    assert not at.exception
    table = html_tables(at)[0].set_index("KPI")  # Bronnen: baseline with its year, target with its horizon
    jobs, rank, vacancy = (table.loc["Aantal banen"], table.loc["Positie in ranking binnensteden"],
                           table.loc["Leegstand (verkooppunten)"])
    assert (jobs["Basis"], jobs["Doel"], jobs["Geldig vanaf"]) == ("3.800 (2017)", "5.000 (2030, aanname)", "7-2-2018")
    assert (rank["Basis"], rank["Doel"]) == ("plaats 53 (2017)", "plaats 25 (2021)")  # not 53,0
    assert (vacancy["Basis"], vacancy["Landelijk bij de start"]) == ("21,9% (2017)", "7,8%")
    assert vacancy["Doel"].startswith("onder landelijk")
    assert table.loc["Rapportcijfer bezoekers", "Doel"].startswith("7,5")
    at = run_app(monkeypatch, sqlite_url, page="doelen", editor=True)
    assert not at.exception
    assert at.number_input(key="target_baseline").proto.format == "%.0f"  # 3800, not 3800.00
    assert "Huidige versie 1: Binnenstadakkoord ondertekend (geldig vanaf 7-2-2018)" in texts(at)  # not 2018-02-07
    assert at.dataframe[0].value["Doel"].iloc[0] == "5.000"


def test_changes_page_after_a_fresh_install_lists_no_start_data_as_new(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="wijzigingen")  # default: four weeks back, before the install
    assert not at.exception and not at.error
    body = texts(at)
    assert "Geen nieuwe metingen." in body and "Geen statuswijzigingen." in body
    assert "Sinds de installatie op " in body and ": 0 KPI's met nieuwe metingen" in body
    assert "Vergeleken worden daarom de startgegevens van de installatie met de gegevens nu" in body
    assert "nog geen KPI" not in body and "UTC" not in body


# ---- editor pages and viewers (one test over the page table) ----------------------------------

EDITOR_PAGES = [spec.url for spec in PAGES if spec.editors_only]


@pytest.mark.parametrize("url", EDITOR_PAGES)
def test_an_editor_page_opened_by_a_viewer_says_so_in_dutch_and_offers_nothing(monkeypatch, sqlite_url, url):
    """A viewer's bookmark (or an editor's reload) of an editor page opens the page itself, which
    says in Dutch that it is for editors: no form, no button, no upload, and no Streamlit dialog."""
    at = run_app(monkeypatch, sqlite_url)
    refused_to_viewer(at, url)
    assert not at.error
    assert [w.value for w in at.main.warning] == ["Deze pagina is alleen voor redacteuren. Log in via de zijbalk."]


@pytest.mark.parametrize("url", EDITOR_PAGES)
def test_the_same_editor_page_works_for_an_editor(monkeypatch, sqlite_url, url):
    # The counterpart: the test above can tell a page that offers something from one that does not.
    at = run_app(monkeypatch, sqlite_url, page=url, editor=True)
    assert not at.exception and not at.error
    assert not at.main.warning
    assert at.main.button or at.main.text_input or at.main.selectbox or at.get("file_uploader") or at.main.dataframe \
        or html_tables(at)


@pytest.mark.parametrize("url", [spec.url for spec in PAGES if not spec.unlisted])
def test_every_page_of_a_centre_without_targets_or_werkplan_works(monkeypatch, engine, db_url, url):
    """The demo's peers have figures but no targets, werkplan, events or briefings. Every page of
    such a centre, for an editor, shows itself without an error (Doelen beheren did not: a KeyError
    under an empty English "No options to select" list)."""
    seed_peers(engine, "Assen binnenstad")
    at = run_app(monkeypatch, db_url, page=url, editor=True, query={"gebied": "voorbeeldstad-centrum"})
    assert not at.exception and not at.error, url
    assert at.title and not at.main.warning, url


def test_the_overview_of_a_centre_without_targets_says_so_and_nothing_untrue(monkeypatch, engine, db_url):
    """It said "Nog geen cijfers.." of a centre whose figures the benchmark shows."""
    seed_peers(engine, "Assen binnenstad")
    at = run_app(monkeypatch, db_url, query={"gebied": "voorbeeldstad-centrum"})
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == [
        "Voorbeeldstad centrum heeft nog geen KPI's met een doel. Een doelenbestand op *Importeren* legt ze "
        "vast; tot dan staan de cijfers van dit centrum onder *Vergelijken*."]
    assert "Nog geen cijfers" not in texts(at) and ".." not in texts(at)


def test_editor_pages_are_in_the_menu_for_editors_only():
    from ui.frame import menu

    def entries(editor):
        return [(spec.url, hidden) for items in menu(editor).values() for spec, hidden in items]

    for url in EDITOR_PAGES:
        assert (url, True) in entries(False) and (url, False) in entries(True)
        assert (url, False) not in entries(False)
    # every URL exists for everyone
    assert {u for u, _ in entries(False)} == {u for u, _ in entries(True)} == {s.url for s in PAGES}
    assert all(hidden for section, items in menu(False).items() if not section for _, hidden in items)


def test_a_write_that_fails_on_the_database_says_nothing_was_saved(monkeypatch, sqlite_url):
    """Issue 23.9: a database that turns read-only (or full) while an editor saves. The fault is
    injected where the store writes, as SQLAlchemy raises it; the page must say in Dutch that the
    database could not be updated and that nothing was saved, with no traceback and no new row."""
    import sqlalchemy as sa

    from kpi import events as event_store

    def read_only(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT INTO events ...", {}, Exception("attempt to write a readonly database"))

    at = run_app(monkeypatch, sqlite_url, page="gebeurtenissen", editor=True)
    before = len(event_store.list_events(make_engine(sqlite_url)))
    monkeypatch.setattr(event_store, "add_event", read_only)
    at.text_input(key="event_text").input("Opening parkeergarage")
    at.button[0].click().run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "kon niet worden bijgewerkt" in message and "is niet opgeslagen" in message, message
    assert "Traceback" not in texts(at) and "OperationalError" not in texts(at)
    assert len(event_store.list_events(make_engine(sqlite_url))) == before
