"""Viewers per centre (issue 21, point 5): KPI_VIEWER_AREAS limits the centres a viewer sees; an
editor also sees the centres they may edit. The rule with its invariants on generated settings
(Hypothesis), the choice of a centre, and the pages (AppTest): the switcher, ?gebied= of a hidden
centre, the Vergelijken page's peers and the Bronnen page's target versions."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kpi.access import EVERY_AREA, parse_editor_areas, viewable_areas
from kpi.centres import choose, resolve, visible
from tests.support.apptest import BANEN_METRIC, html_tables, open_page, run_app, texts
from tests.support.cli import run_kpi

AREAS = ["Assen binnenstad", "Brugdorp centrum", "Proefhaven binnenstad", "Emmen centrum"]
CENTRES = pd.DataFrame({"slug": ["assen-binnenstad", "brugdorp-centrum", "proefhaven-binnenstad", "emmen-centrum"],
                        "name": AREAS, "kind": "binnenstad", "peer_group": "g", "illustrative": False})
KEYS = st.sampled_from(["wachtwoord", "anna@assen.nl", "redactie-emmen"])
MAPPINGS = st.lists(st.tuples(KEYS, st.sets(st.sampled_from([*AREAS, EVERY_AREA]), min_size=1, max_size=2)),
                    max_size=3).map(lambda pairs: parse_editor_areas(
                        "; ".join(f"{k}={'|'.join(sorted(v))}" for k, v in pairs)))
VIEWER_SETS = st.one_of(st.none(), st.frozensets(st.sampled_from(AREAS), max_size=3))


@given(viewers=VIEWER_SETS, mapping=MAPPINGS, keys=st.sets(KEYS, max_size=2), editor=st.booleans())
def test_what_a_session_sees(viewers, mapping, keys, editor):
    seen = viewable_areas(viewers, mapping, keys, editor)
    if viewers is None:
        assert seen is None  # no setting: every centre, for everyone
        return
    if not editor:
        assert seen == viewers  # a viewer sees exactly the set, whatever the editors' mapping says
        return
    from kpi.access import editable_areas

    editable = editable_areas(mapping, keys)
    if editable is None:
        assert seen is None  # an editor of every centre sees every centre
    else:
        assert seen == viewers | editable  # never less than the viewers, nor than what they edit


def test_resolve_takes_names_and_slugs_and_leaves_unknown_ones_out():
    assert resolve(CENTRES, ()) is None
    assert resolve(CENTRES, ("assen-binnenstad", "Brugdorp centrum", "atlantis")) == {
        "Assen binnenstad", "Brugdorp centrum"}
    assert list(visible(CENTRES, frozenset({"Brugdorp centrum"}))["slug"]) == ["brugdorp-centrum"]


def test_choose_refuses_a_hidden_centre_with_a_message_and_lands_on_a_visible_one():
    allowed = frozenset({"Assen binnenstad", "Brugdorp centrum"})
    ok = choose(CENTRES, "brugdorp-centrum", "Assen binnenstad", allowed)
    assert (ok.area, ok.message) == ("Brugdorp centrum", None)
    hidden = choose(CENTRES, "emmen-centrum", "Assen binnenstad", allowed)
    assert hidden.area == "Assen binnenstad"
    assert hidden.message == ("Het gebied ‘emmen-centrum’ is hier niet te bekijken; u ziet Assen binnenstad. "
                              "Te bekijken: assen-binnenstad, brugdorp-centrum.")
    unknown = choose(CENTRES, "atlantis", "Assen binnenstad", allowed)
    assert unknown.message.endswith("Bekende gebieden: assen-binnenstad, brugdorp-centrum.")  # no hidden names
    # The default centre hidden: the first visible centre is the landing centre.
    assert choose(CENTRES, None, "Assen binnenstad", frozenset({"Emmen centrum"})).area == "Emmen centrum"
    none = choose(CENTRES, None, "Assen binnenstad", frozenset())
    assert none.area == "" and "geen centrum te bekijken" in none.message


# ---- pages (AppTest) ----------------------------------------------------------------------------

LIMIT = "assen-binnenstad, Brugdorp centrum, groningen-binnenstad"


def _demo(url):
    assert run_kpi(url, "demo").returncode == 0


def test_a_limited_viewer_sees_only_the_allowed_centres(monkeypatch, sqlite_url):
    _demo(sqlite_url)
    monkeypatch.setenv("KPI_VIEWER_AREAS", LIMIT)
    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception
    assert at.sidebar.selectbox(key="centre_choice").options == [
        "Assen binnenstad", "Brugdorp centrum (fictief)", "Groningen binnenstad"]
    # Another centre in the URL: a Dutch message, Assen's figures, never Proefhaven's.
    at = run_app(monkeypatch, sqlite_url, query={"gebied": "proefhaven-binnenstad"})
    assert not at.exception
    assert [w.value.replace("\\", "").split(";")[0] for w in at.main.warning] == [
        "Het gebied ‘proefhaven-binnenstad’ is hier niet te bekijken"]
    assert "Centrum: Assen binnenstad" in [c.value for c in at.sidebar.caption]
    assert at.metric[BANEN_METRIC].value == "4.210" and "Proefhaven" not in texts(at).replace(
        "‘proefhaven-binnenstad’", "")
    # Vergelijken: only the peers one may see (Assen, Brugdorp, Groningen), never the hidden four.
    open_page(at, "vergelijken").run()
    assert not at.exception
    shown = {c.removesuffix(" (gekozen)") for c in html_tables(at)[0]["Centrum"]}
    assert shown == {"Assen binnenstad", "Brugdorp centrum", "Groningen binnenstad"}
    fig = texts(at)
    assert "Voorbeeldstad" not in fig and "Proefhaven" not in fig and "(3 centra die u hier mag zien)" in fig
    assert "(van die centra, ook Assen binnenstad)" in fig and "alle centra" not in fig
    # Bronnen: target versions of visible centres only (the hidden ones have none in the demo;
    # the page still works).
    open_page(at, "bronnen").run()
    assert not at.exception


def test_an_editor_also_sees_the_centres_they_edit(monkeypatch, sqlite_url):
    _demo(sqlite_url)
    monkeypatch.setenv("KPI_VIEWER_AREAS", "assen-binnenstad")
    monkeypatch.setenv("KPI_EDITOR_AREAS", "wachtwoord=Proefhaven binnenstad")
    viewer = run_app(monkeypatch, sqlite_url, query={"gebied": "proefhaven-binnenstad"})
    assert not viewer.exception and not viewer.sidebar.selectbox  # one centre to see: no switcher
    assert "Centrum: Assen binnenstad" in [c.value for c in viewer.sidebar.caption]
    editor = run_app(monkeypatch, sqlite_url, query={"gebied": "proefhaven-binnenstad"}, editor=True)
    assert not editor.exception and not editor.main.warning
    assert editor.sidebar.selectbox(key="centre_choice").options == [
        "Assen binnenstad", "Proefhaven binnenstad (fictief)"]
    assert "Centrum: Proefhaven binnenstad" in [c.value for c in editor.sidebar.caption]


def test_no_setting_shows_every_centre(monkeypatch, sqlite_url):
    _demo(sqlite_url)
    at = run_app(monkeypatch, sqlite_url, query={"gebied": "proefhaven-binnenstad"})
    assert not at.exception and "Centrum: Proefhaven binnenstad" in [c.value for c in at.sidebar.caption]
    assert len(at.sidebar.selectbox(key="centre_choice").options) == 8
    open_page(at, "vergelijken").run()
    assert not at.exception and "alle centra, ook Proefhaven binnenstad" in texts(at) and "mag zien" not in texts(at)
