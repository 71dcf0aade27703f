"""The werkplan in 'Wat is er veranderd' and in the meeting with the figures' as-of rules (issue
19.7): the chosen time decides for an action list as for figures, the installation's start actions
are not news, and actions marked afgerond after the installation are finished. SQLite and
PostgreSQL for the storage; AppTest for the two pages."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from kpi import formatting as fmt
from kpi import schema, werkplan
from kpi.db import ensure_ready, make_engine
from kpi.importer import forms
from kpi.werkplan import store
from kpi.werkplan.brief import load_brief
from tests.support.apptest import html_tables, open_page, run_app, texts
from tests.test_changes import backdate
from tests.test_werkplan_import import csv, run

INSTALLED = dt.datetime(2026, 10, 1, 10, 0)  # naive UTC, as stored
LIST_DAY = dt.date(2026, 11, 10)
LIST_SAVED = dt.datetime(2026, 11, 10, 13, 30)  # 14:30 in Amsterdam
NEW_ACTION = "code;titel;thema;status;bron\nZ-01;Gevelfonds voor de Oudestraat;A;gepland;Actielijst 2026\n"


def install_at(engine, moment: dt.datetime = INSTALLED) -> None:
    """Pretend the installation (figures, targets, batches and the werkplan) happened at `moment`."""
    backdate(engine, moment)
    with engine.begin() as conn:
        conn.execute(sa.update(schema.actions).values(recorded_at=moment))


def save_list_at(engine, moment: dt.datetime = LIST_SAVED) -> None:
    """Import an action list with one new action, then date it `moment`."""
    run(engine, [("acties.csv", csv(NEW_ACTION))])
    with engine.begin() as conn:
        conn.execute(sa.update(schema.actions).where(schema.actions.c.code == "Z-01").values(recorded_at=moment))


def changed(engine, known: dt.datetime) -> dict[str, str]:
    """Code -> kind of change of the actions since `known`, with the rule the pages use."""
    moment, _ = fmt.compared_moment(known, store.installed_at(engine, "Assen binnenstad"))
    ch = werkplan.action_changes(store.load_actions(engine, "Assen binnenstad", moment), store.load_actions(engine, "Assen binnenstad"))
    return dict(zip(ch["code"], ch["change"]))


def test_start_actions_are_not_new_since_a_date_before_the_installation(engine):
    install_at(engine)
    assert store.installed_at(engine, "Assen binnenstad") == INSTALLED
    before_install = fmt.end_of_day(dt.date(2026, 9, 1))
    assert fmt.compared_moment(before_install, store.installed_at(engine, "Assen binnenstad")) == (INSTALLED, INSTALLED)
    assert changed(engine, before_install) == {}
    # What the pages did: every seeded action 'new'.
    naive = werkplan.action_changes(store.load_actions(engine, "Assen binnenstad", before_install), store.load_actions(engine, "Assen binnenstad"))
    assert len(naive) == len(store.load_actions(engine, "Assen binnenstad")) > 0


def test_the_time_of_day_decides_for_an_action_list_as_for_figures(engine):
    install_at(engine)
    save_list_at(engine)
    assert changed(engine, fmt.known_at(LIST_DAY, dt.time(14, 29))) == {"Z-01": werkplan.CHANGE_NEW}
    assert changed(engine, fmt.known_at(LIST_DAY, dt.time(14, 30))) == {}  # saved within that minute
    assert changed(engine, fmt.known_at(LIST_DAY)) == {}
    assert changed(engine, fmt.known_at(LIST_DAY - dt.timedelta(days=1))) == {"Z-01": werkplan.CHANGE_NEW}


def _finish_two(engine) -> list[str]:
    real = [a for a in store.load_actions(engine, "Assen binnenstad").to_dict("records") if not a["illustrative"]][:2]
    for action in real:
        assert forms.update_action(engine, action, status=werkplan.AFGEROND, note="Klaar.", user="redacteur")
    return [a["code"] for a in real]


def test_actions_finished_after_a_fresh_install_are_finished_in_the_briefing(engine):
    """A fresh install and the default four weeks back: the briefing's werkplan page said 'geen'."""
    codes = _finish_two(engine)
    b = load_brief(engine, "Assen binnenstad", None, dt.date.today(), {})
    assert sorted(a.split()[0] for a in b.finished["Actie"]) == sorted(codes)


# ---- the pages (AppTest, SQLite) --------------------------------------------------------------

def _db(url: str):
    eng = make_engine(url)
    ensure_ready(eng)
    return eng


def test_changes_page_lists_an_action_list_only_when_saved_after_the_chosen_time(monkeypatch, sqlite_url):
    eng = _db(sqlite_url)
    install_at(eng)
    save_list_at(eng)
    eng.dispose()
    for at_time, listed in [("14:29", True), ("14:31", False)]:
        at = run_app(monkeypatch, sqlite_url, page="wijzigingen", query={"sinds": LIST_DAY.isoformat(), "tijd": at_time})
        assert not at.exception
        listing = [a for t in html_tables(at) if "Actie" in t.columns for a in t["Actie"]]
        assert any(a.startswith("Z-01 ") for a in listing) == listed, (at_time, listing)


def test_changes_page_on_a_fresh_install_lists_no_start_action_as_new(monkeypatch, sqlite_url):
    eng = _db(sqlite_url)
    install_at(eng)
    eng.dispose()
    at = run_app(monkeypatch, sqlite_url, page="wijzigingen", query={"sinds": "2026-09-01"})
    assert not at.exception
    body = texts(at)
    assert "De startgegevens zelf zijn niet nieuw" in body
    assert "Geen gewijzigde acties." in body and "de startacties zelf zijn niet nieuw" in body


def test_meeting_werkplan_step_names_the_actions_finished_after_a_fresh_install(monkeypatch, sqlite_url):
    eng = _db(sqlite_url)
    codes = _finish_two(eng)
    eng.dispose()
    at = run_app(monkeypatch, sqlite_url)
    open_page(at, "vergadering")
    at.query_params["stap"] = "8"  # after the seven KPIs (issue 21: the visie 2021 too)
    at.run()
    assert not at.exception
    done = next(m.value for m in at.markdown if m.value.startswith("**Afgerond sinds"))
    assert "(2):**" in done, done
    assert all(c in done.replace("\\", "") for c in codes), done  # md() escapes the dot in 1.1
