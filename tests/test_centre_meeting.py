"""Meeting mode, Wat is er veranderd and the exports per centre (issue 21.1: "Pages, meeting mode,
reports, exports and Wat is er veranderd are per centre").

The demo's fictional Brugdorp centrum gets two KPIs of its own (a target file), a duiding, an event,
a real action that is finished and the demo's late illustrative action; Assen gets the same kinds of
things with other texts. With ?gebied=brugdorp-centrum every screen of the meeting, the changes page
and the downloads show Brugdorp's and nothing of Assen's, on SQLite and PostgreSQL (AppTest). Changing
the centre during a meeting keeps the screen: the same KPI, the summary or the werkplan screen
(kpi.reports.meeting.step_after_switch, with Hypothesis). The beamer in chromium:
tests/browser/test_centre_meeting_browser.py."""

from __future__ import annotations

import csv as csvlib
import datetime as dt
import io
import re

import pandas as pd
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from kpi import events, importer, reports, repository, schema, service, werkplan
from kpi import formatting as fmt
from kpi.briefing.period import period_of
from kpi.briefing.rules import needs_duiding
from kpi.importer import forms
from kpi.reports.meeting import is_werkplan_step, step_after_switch, step_count
from kpi.seed import seed_peers
from kpi.settings import Settings
from kpi.tables import monitored_newest
from kpi.text import value_text
from kpi.werkplan import store as wp_store
from tests.support.apptest import figure, html_table_with, html_tables, run_app, texts
from tests.support.importdata import csv
from tests.test_changes import MEETING, REVISED, backdate, revise

A, B = "Assen binnenstad", "Brugdorp centrum"
SLUG = "brugdorp-centrum"
# Brugdorp's own agreement: leegstand (14,9% in 2018, 9,7% in 2025) well behind a path to 5% in 2027,
# and banen. Fictional, as the centre is.
TARGETS_CSV = ("akkoord;akkoord_datum;partijen;akkoord_bron;indicator;gebied;basiswaarde;basisjaar;doelwaarde;"
               "doeljaar;vergelijking;bron;reden;geldig_vanaf\n"
               f"Centrumakkoord Brugdorp 2024;1-3-2024;gemeente Brugdorp;Raadsbesluit Brugdorp;leegstand;{B};14,9;2018;"
               "5;2027;absoluut;Centrumakkoord Brugdorp 2024;nieuw akkoord;1-3-2024\n"
               f"Centrumakkoord Brugdorp 2024;1-3-2024;gemeente Brugdorp;Raadsbesluit Brugdorp;banen;{B};2650;2018;"
               "3000;2030;absoluut;Centrumakkoord Brugdorp 2024;nieuw akkoord;1-3-2024\n")
DUIDING_HEADER = "gebied;indicator;periode;oorzaak;effect;bijsturing;auteur;datum\n"
BRUGDORP_CAUSE, ASSEN_CAUSE = "Pop-ups vullen de Brugstraat te langzaam", "Ketens sluiten filialen in Assen"
BRUGDORP_EVENT, ASSEN_EVENT = "Braderie in Brugdorp", "Opening parkeergarage Assen"
BRUGDORP_ACTION = "Gevelverbetering Brugstraat"
LATE_DEMO_ACTION = "Winterfestival op het plein"  # the demo's BR-03: vertraagd, deadline 31-1-2026
KPIS = ["Aantal banen", "Leegstand (verkooppunten)"]  # Brugdorp's, in display order


def _apply(engine, name: str, text: str, area: str = A) -> int | None:
    preview = importer.prepare(engine, [(name, csv(text))], Settings(area=area))
    assert preview.ok, [str(p) for p in preview.problems]
    return importer.apply(engine, preview, "redacteur")


def _brugdorp(engine) -> None:
    """The demo, with Brugdorp's own KPIs, duiding, event and a finished real action; Assen the same
    kinds with other texts (its action 1.1 finished too)."""
    seed_peers(engine, A)
    assert _apply(engine, "doelen.csv", TARGETS_CSV) is not None
    period = period_of(dt.date.today())
    assert _apply(engine, "duiding.csv", DUIDING_HEADER + "".join(
        f"{area};leegstand;{period};{cause};Doel verder weg;Bijsturen;Regiegroep {area};\n"
        for area, cause in ((B, BRUGDORP_CAUSE), (A, ASSEN_CAUSE)))) is not None
    events.add_event(engine, dt.date(2024, 6, 1), BRUGDORP_EVENT, indicator="leegstand", area=B)
    events.add_event(engine, dt.date(2024, 6, 1), ASSEN_EVENT, indicator="leegstand", area=A)
    assert _apply(engine, "acties.csv", f"code;titel;thema;status;bron\nBR-05;{BRUGDORP_ACTION};O;lopend;"
                                        "Werkplan Brugdorp 2026\n", area=B) is not None
    with engine.begin() as conn:  # both werkplans (and BR-05 as lopend) stored weeks before the meeting
        conn.execute(sa.update(schema.actions).values(recorded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)
                                                      - dt.timedelta(days=60)))
        repository.touch_data_version(conn)
    for area, code in ((B, "BR-05"), (A, "1.1")):
        action = wp_store.load_actions(engine, area).set_index("code").loc[code].to_dict() | {"code": code}
        assert forms.update_action(engine, action, status=werkplan.AFGEROND, note="Klaar.", user="redacteur")


def _assen_words(engine) -> set[str]:
    """Assen's theme names (A-F) and action titles: none may show on a Brugdorp screen."""
    wp = werkplan.load_werkplan(engine, A)
    return set(wp.themes["name"]) | set(wp.actions["title"])


def _title(at) -> str:
    """The page title as a reader sees it (stored names are Markdown-escaped on screen)."""
    return re.sub(r"\\(.)", r"\1", at.title[0].value)


def _step(at) -> str:
    value = at.query_params["stap"]
    return value[-1] if isinstance(value, list) else value


def _shown(at) -> str:
    """Everything a meeting screen says: texts, its tables' cells and the chart's notes."""
    cells = [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    notes = [a.get("text", "") for i in range(len(at.get("plotly_chart")))
             for a in figure(at, i)["layout"].get("annotations", [])]
    return "\n".join([texts(at), *cells, *notes])


# ---- meeting mode ---------------------------------------------------------------------------------

def test_every_meeting_screen_of_another_centre_is_that_centres_own(monkeypatch, engine, db_url):
    _brugdorp(engine)
    today = dt.date.today()
    own = {r.indicator.code: r for r in service.evaluate_all(engine, Settings(area=B), today)}
    assert [r.indicator.name for r in own.values()] == KPIS
    assert needs_duiding(own["leegstand"].status)  # so the duiding stands beside it
    assen_only = _assen_words(engine)

    at = run_app(monkeypatch, db_url, page="vergadering", query={"gebied": SLUG})
    assert not at.exception and not at.error
    body = texts(at)
    # The summary: Brugdorp's two KPIs with their values and verdicts, none of Assen's.
    assert f"{B} · Scherm 1 van 4 · samenvatting" in body  # the beamer names the centre
    for r in own.values():
        assert f"**{r.indicator.name}**" in body and f"**{value_text(r)}**" in body and f"**{r.status}**" in body
    for assen in ("Aantal bedrijven", "Rapportcijfer bezoekers", "Positie in ranking binnensteden", "4.210", "13,8%"):
        assert assen not in body, assen

    at.button(key="meeting_next").click().run()
    at.button(key="meeting_next").click().run()
    assert not at.exception and _step(at) == "2" and _title(at) == "Leegstand (verkooppunten)"
    r = own["leegstand"]
    assert at.metric[0].value == value_text(r) == "9,7%"
    assert at.metric[0].label == f"Peildatum {fmt.peildatum(r.latest.peildatum, r.latest.precision)}"
    shown = _shown(at)
    assert f"**{r.status}**" in shown
    assert f"**Oorzaak:** {BRUGDORP_CAUSE}" in shown and f"Regiegroep {B}" in shown  # Brugdorp's duiding
    assert ASSEN_CAUSE not in shown
    assert BRUGDORP_EVENT in shown and ASSEN_EVENT not in shown  # the chart's events: the centre's own

    at.button(key="meeting_next").click().run()  # the werkplan screen
    assert not at.exception and _step(at) == "3" and _title(at) == "Werkplan"
    late = next(d.value for d in at.dataframe if "Actie" in d.value.columns)
    assert [a.endswith(f"{LATE_DEMO_ACTION} (illustratief)") for a in late["Actie"]] == [True]
    done = next(m.value for m in at.markdown if m.value.startswith("**Afgerond sinds"))
    assert BRUGDORP_ACTION in done and "(1):**" in done, done
    shown = _shown(at)
    assert not {w for w in assen_only if w in shown}, "an Assen theme or action on Brugdorp's werkplan screen"
    assert at.button(key="meeting_next").disabled


def test_a_centre_without_kpis_or_werkplan_says_so_in_the_meeting(monkeypatch, engine, db_url):
    seed_peers(engine, A)  # Voorbeeldstad centrum: figures, no targets, no werkplan
    at = run_app(monkeypatch, db_url, page="vergadering", query={"gebied": "voorbeeldstad-centrum"})
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == ["Voorbeeldstad centrum heeft nog geen KPI's met een doel."]
    assert not [c for c in at.caption if c.value in ("KPI", "Waarde", "Status", "Doel")]  # no empty table
    at.button(key="meeting_next").click().run()
    assert not at.exception and _title(at) == "Werkplan"
    assert [i.value for i in at.info] == ["Voor Voorbeeldstad centrum is nog geen werkplan ingelezen."]
    assert not at.dataframe and not [m for m in at.markdown if m.value.startswith("**Te laat")]


def test_changing_the_centre_during_a_meeting_keeps_the_screen(monkeypatch, engine, db_url):
    _brugdorp(engine)
    at = run_app(monkeypatch, db_url, page="vergadering", query={"stap": "3"})
    assert _title(at) == "Leegstand (verkooppunten)" and at.metric[0].value == "13,8%"  # Assen's
    centre = at.sidebar.selectbox(key="centre_choice")
    centre.set_value(SLUG).run()  # the same KPI, at its place in Brugdorp's meeting
    assert not at.exception and _title(at) == "Leegstand (verkooppunten)" and _step(at) == "2"
    assert at.metric[0].value == "9,7%"
    at.sidebar.selectbox(key="centre_choice").set_value("assen-binnenstad").run()  # and back
    assert not at.exception and _step(at) == "3" and at.metric[0].value == "13,8%"
    # A KPI the other centre has no target for: its summary, not another KPI under the old number.
    at.button(key="meeting_next").click().run()
    assert _title(at) == "Rapportcijfer bezoekers" and _step(at) == "4"
    at.sidebar.selectbox(key="centre_choice").set_value(SLUG).run()
    assert not at.exception and _step(at) == "0" and _title(at) == "Stand van de doelen"
    assert f"{B} · Scherm 1 van 4 · samenvatting" in texts(at)
    # The werkplan screen stays the werkplan screen (Assen's is screen 9, Brugdorp's screen 4).
    at.sidebar.selectbox(key="centre_choice").set_value("assen-binnenstad").run()
    at.query_params["stap"] = "8"
    at.run()
    assert _title(at) == "Werkplan"
    at.sidebar.selectbox(key="centre_choice").set_value(SLUG).run()
    assert not at.exception and _title(at) == "Werkplan" and _step(at) == "3"
    assert LATE_DEMO_ACTION in _shown(at)
    # A screen asked for in the URL without a change of centre is the one shown.
    at.query_params["stap"] = "1"
    at.run()
    assert _title(at) == "Aantal banen" and _step(at) == "1"


CODES = st.lists(st.sampled_from(["banen", "bedrijven", "leegstand", "waardering", "ranking", "woningen", "vvo"]),
                 unique=True, max_size=7)


def _count(codes: list[str]) -> int:
    """Screens of a meeting with these KPIs: the summary, one per KPI, the werkplan."""
    return step_count(len(codes), werkplan=True)


@given(before=CODES, after=CODES, data=st.data())
def test_a_screen_after_a_change_of_centre_is_the_same_kind_of_screen(before, after, data):
    step = data.draw(st.integers(0, _count(before) - 1))
    new = step_after_switch(step, before, after)
    assert 0 <= new < _count(after)
    if is_werkplan_step(step, _count(before)):
        assert is_werkplan_step(new, _count(after))
    elif step == 0:
        assert new == 0
    elif before[step - 1] in after:
        assert after[new - 1] == before[step - 1]  # the same KPI
        assert step_after_switch(new, after, before) == step  # and back where it was
    else:
        assert new == 0  # the summary, never another KPI


@given(codes=CODES, data=st.data())
def test_the_same_kpis_keep_the_same_screen(codes, data):
    step = data.draw(st.integers(0, _count(codes) - 1))
    assert step_after_switch(step, codes, list(codes)) == step


def test_screens_after_a_change_of_centre_by_example():
    assen, brugdorp = ["banen", "bedrijven", "leegstand", "waardering"], ["banen", "leegstand"]
    assert [step_after_switch(s, assen, brugdorp) for s in range(6)] == [0, 1, 0, 2, 0, 3]
    assert [step_after_switch(s, brugdorp, []) for s in range(4)] == [0, 0, 0, 1]
    assert step_after_switch(99, assen, brugdorp) == 3  # an unreadable old screen: clamped first


# ---- Wat is er veranderd --------------------------------------------------------------------------

def test_wat_is_er_veranderd_of_another_centre_is_about_that_centre_only(monkeypatch, engine, db_url):
    _brugdorp(engine)
    backdate(engine)  # figures and targets as if stored before the meeting; the actions stay new
    revise(engine, "leegstand", B, dt.date(2025, 1, 1), 9.5, REVISED)
    revise(engine, "banen", A, dt.date(2025, 1, 1), 4300.0, REVISED)
    at = run_app(monkeypatch, db_url, page="wijzigingen", query={"gebied": SLUG, "sinds": MEETING.isoformat()})
    assert not at.exception and not at.error
    assert "Sinds 31-1-2026: 0 KPI's met nieuwe metingen, 1 herziene waarde" in texts(at)
    revised = html_table_with(at, "Herzien op")
    assert revised[["KPI", "Was", "Is nu"]].values.tolist() == [
        ["Leegstand (verkooppunten)", "9,7% (illustratief)", "9,5%"]]  # not Assen's banen
    known = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert known["KPI"].tolist() == KPIS
    changed = "\n".join(str(v) for t in html_tables(at) if "Actie" in t.columns for v in t.to_numpy().ravel())
    assert BRUGDORP_ACTION in changed
    assert not {w for w in _assen_words(engine) if w in changed}  # Assen's finished 1.1 is Assen's news
    # The same page for Assen: its own revision and action, not Brugdorp's.
    at = run_app(monkeypatch, db_url, page="wijzigingen", query={"sinds": MEETING.isoformat()})
    assert not at.exception
    revised = html_table_with(at, "Herzien op")
    assert revised["KPI"].tolist() == ["Aantal banen"]
    changed = "\n".join(str(v) for t in html_tables(at) if "Actie" in t.columns for v in t.to_numpy().ravel())
    assert BRUGDORP_ACTION not in changed and "1.1" in changed


# ---- the downloads: the KPI page's CSV and Rapporten's XLSX and CSV --------------------------------

def _file_names(monkeypatch) -> dict[str, str]:
    """Label -> file name of every download button the next runs make (AppTest keeps no file name:
    it has no media store), recorded on the way to Streamlit's own download_button."""
    import streamlit
    from streamlit.delta_generator import DeltaGenerator

    names: dict[str, str] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        names[label] = file_name
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **k: recording(streamlit._main, *a, **k))
    return names


def test_the_newest_figure_of_a_kpi_without_target_is_the_centres_own(monkeypatch, engine, db_url):
    """Seen in the browser: Brugdorp's leegstand (no target in the demo) said 'Nieuwste cijfer: 7,0%
    (Nederland, 1-1-2025)' although Brugdorp has its own figure of that date beside it."""
    seed_peers(engine, A)
    own = repository.load_observations(engine, area=B)
    own = own[own["indicator"] == "leegstand"].sort_values("peildatum").iloc[-1]
    at = run_app(monkeypatch, db_url, page="kpi", query={"gebied": SLUG, "kpi": "leegstand"})
    assert not at.exception and not at.error
    shown = f"{fmt.value(own['value'], 'procent', 1)} ({B}, {fmt.peildatum(own['peildatum'], own['precision'])})"
    assert f"Nieuwste cijfer: {shown}" in texts(at), texts(at)
    assert "(Nederland, " not in texts(at)


_ROWS = st.lists(st.tuples(st.sampled_from([B, "Nederland", A]), st.integers(2000, 2030)), max_size=12)


@given(_ROWS)
def test_the_newest_figure_named_is_the_centres_whenever_it_has_one(rows):
    table = pd.DataFrame([{"Gebied": a, "Peildatum": f"1-1-{y}", "jaar": y} for a, y in sorted(rows, key=lambda r: r[1])],
                         columns=["Gebied", "Peildatum", "jaar"])
    newest = monitored_newest(table, B)
    if table.empty:
        assert newest is None
    elif (table["Gebied"] == B).any():
        assert newest["Gebied"] == B and newest["jaar"] == table[table["Gebied"] == B]["jaar"].max()
    else:  # no own figure: the newest of another area, which the sentence names
        assert newest["jaar"] == table["jaar"].max()


def _results_of(monkeypatch, owner, name: str) -> list:
    """Every result `owner.name` returns while the page runs, in order (the function still runs)."""
    results, real = [], getattr(owner, name)
    monkeypatch.setattr(owner, name, lambda *a, **k: results.append(real(*a, **k)) or results[-1])
    return results


def test_the_kpi_pages_csv_of_another_centre_holds_that_centres_figures(monkeypatch, engine, db_url):
    from ui import data

    _brugdorp(engine)
    made = _results_of(monkeypatch, data, "kpi_csv")
    names = _file_names(monkeypatch)
    at = run_app(monkeypatch, db_url, page="kpi", query={"gebied": SLUG, "kpi": "leegstand"})
    assert not at.exception and not at.error
    assert names["Download als CSV"] == f"leegstand-{SLUG}.csv"  # two centres' downloads are told apart
    rows = list(csvlib.DictReader(io.StringIO(made[-1]().decode("utf-8-sig")), delimiter=";"))
    # The centre's figures, and the national ones its verdict is compared with; never Assen's.
    assert {r["gebied"] for r in rows} - {"Nederland"} == {B}
    own = [r for r in rows if r["gebied"] == B]
    assert len(own) == 8 and own[-1]["peildatum"] == "2025-01-01" and float(own[-1]["waarde"].replace(",", ".")) == 9.7


def test_the_reports_pages_xlsx_and_csv_of_another_centre_hold_that_centre_only(monkeypatch, engine, db_url):
    from screens import rapporten

    _brugdorp(engine)
    shown = _results_of(monkeypatch, rapporten, "assemble")
    names = _file_names(monkeypatch)
    at = run_app(monkeypatch, db_url, page="rapporten", query={"gebied": SLUG})
    assert not at.exception and not at.error
    report = shown[-1]
    day = dt.date.today().isoformat()
    assert names["Cijfers als Excel (XLSX)"] == f"binnenstadmonitor-{SLUG}-{day}.xlsx"
    assert names["Cijfers als CSV"] == f"binnenstadmonitor-{SLUG}-{day}.csv"
    sheets = pd.read_excel(io.BytesIO(reports.render(report, "xlsx")), sheet_name=None)
    assert sheets["Status"]["KPI"].tolist() == KPIS
    assert set(sheets["Status"]["Gebied"]) == {B}
    assert set(sheets["Cijfers"]["Gebied"]) - {"Nederland"} == {B}
    assert set(map(str, sheets["Gebeurtenissen"].to_numpy().ravel())) >= {BRUGDORP_EVENT}
    assert ASSEN_EVENT not in set(map(str, sheets["Gebeurtenissen"].to_numpy().ravel()))
    plan = sheets["Werkplan"]
    assert LATE_DEMO_ACTION in " ".join(plan["Actie"].astype(str))
    assert not {w for w in _assen_words(engine) if w in " ".join(map(str, plan.to_numpy().ravel()))}
    rows = list(csvlib.DictReader(io.StringIO(reports.render(report, "csv").decode("utf-8-sig")), delimiter=";"))
    assert {r["gebied"] for r in rows} - {"Nederland"} == {B} and {r["indicator"] for r in rows} == {"banen", "leegstand"}
