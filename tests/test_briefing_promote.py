"""A concept briefing promoted to definitief (issue 20): the same duiding rule and the same record
as `briefing maak --definitief`, linked to its concept, once per concept, refused for another
centre's editor; what changed since the concept in words. SQLite and PostgreSQL (the `engine` and
`db_url` fixtures parametrize both), the CLI, and the button on Rapporten (AppTest)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from kpi import importer, schema, service
from kpi.access import Access, Editor, parse_editor_areas
from kpi.briefing import store
from kpi.briefing.model import CONCEPT, DEFINITIEF
from kpi.briefing.period import period_of
from kpi.briefing.record import BriefingRefused, make_briefing, promote_briefing
from kpi.briefing.rules import PROMOTION_RULES, promotion_refusal
from kpi.briefing.text import SINCE_CONCEPT, since_concept_text
from kpi.reports.model import load_report
from kpi.settings import Settings
from kpi.statuses import ACHTER, RISICO
from tests.support.apptest import html_table_with
from tests.support.cli import run_kpi

AREA = "Assen binnenstad"
HEADER = "gebied;indicator;periode;oorzaak;effect;bijsturing;auteur\n"


def _behind(engine) -> dict[str, str]:
    """Code -> name of the KPIs that are achter or risico today (the seeded data has some)."""
    results = service.evaluate_all(engine, Settings(), dt.date.today())
    found = {r.indicator.code: r.indicator.name for r in results if r.status in (ACHTER, RISICO)}
    assert found, "the seeded data has KPIs behind; the refusal must be exercised"
    return found


def _write_duiding(engine, codes, text: str = "tekst") -> int | None:
    period = period_of(dt.date.today())
    rows = "".join(f"{AREA};{c};{period};{text} oorzaak;{text} effect;{text} bijsturing;Regiegroep\n" for c in codes)
    preview = importer.prepare(engine, [("duiding.csv", (HEADER + rows).encode())], Settings())
    return importer.apply(engine, preview, "redacteur")


def _emmen_editor() -> Access:
    return Access(Editor.of("a@emmen.example", ["a@emmen.example"]),
                  parse_editor_areas("a@emmen.example=Emmen centrum"), AREA)


def test_a_concept_is_refused_until_every_kpi_behind_has_duiding_then_promoted_once(engine):
    behind = _behind(engine)
    period = period_of(dt.date.today())
    concept = make_briefing(engine, Settings(), period, "griffie")
    with pytest.raises(BriefingRefused) as refused:
        promote_briefing(engine, Settings(), concept, "redacteur")
    assert str(refused.value).startswith("De briefing kan niet definitief worden")
    for name in behind.values():
        assert name in str(refused.value)
    assert list(store.load_briefings(engine)["id"]) == [concept]  # nothing stored

    _write_duiding(engine, behind)
    done = promote_briefing(engine, Settings(), concept, "redacteur")
    stored = store.load_briefings(engine).set_index("id")
    final = stored.loc[done.number]
    assert done.concept == concept and done.number != concept
    assert final["state"] == DEFINITIEF and final["promoted_from"] == concept and final["period"] == period
    assert final["made_by"] == "redacteur" and final["data_as_of"] > stored.loc[concept, "data_as_of"]
    assert len(final["duiding_ids"]) == len(behind) and final["settings_json"]["area"] == AREA
    assert final["data_version"]
    # The concept is kept as it was, and points to what it became.
    assert stored.loc[concept, "state"] == CONCEPT and stored.loc[concept, "duiding_ids"] == []
    assert stored.loc[concept, "promoted_to"] == done.number and final["promoted_to"] is None
    # What changed since the concept: the duiding written in between, counted.
    assert done.since_concept == f"Sinds concept {concept}: {len(behind)} duidingen geschreven."

    # Exactly what `maak --definitief` stores at the same state (apart from its link).
    direct = store.load_briefing(engine, make_briefing(engine, Settings(), period, "redacteur", definitief=True))
    assert direct["duiding_ids"] == final["duiding_ids"] and direct["settings_json"] == final["settings_json"]
    assert direct["promoted_from"] is None and direct["state"] == DEFINITIEF

    # Once: again, or a definitive one, is refused; nothing more is stored.
    count = len(stored)
    with pytest.raises(BriefingRefused, match=f"Concept {concept} is al definitief gemaakt als briefing {done.number}"):
        promote_briefing(engine, Settings(), concept, "redacteur")
    with pytest.raises(BriefingRefused, match=f"Briefing {done.number} is al definitief"):
        promote_briefing(engine, Settings(), done.number, "redacteur")
    with pytest.raises(BriefingRefused, match="Briefing 99 bestaat niet"):
        promote_briefing(engine, Settings(), 99, "redacteur")
    assert len(store.load_briefings(engine)) == count + 1  # only the direct one above

    # The definitive briefing is a record like any other: its document says definitief.
    again = load_report(engine, Settings(), briefing=done.number)
    assert again.briefing.state == DEFINITIEF and again.briefing.number == done.number
    assert sorted(again.duiding) == sorted(behind)


def test_the_figures_changed_since_the_concept_are_counted_by_the_apps_own_comparison(engine):
    behind = _behind(engine)
    _write_duiding(engine, behind)
    concept = make_briefing(engine, Settings(), period_of(dt.date.today()), "griffie")
    text = "gebied;indicator;jaar;waarde;bron\nAssen binnenstad;bedrijven;2026;500;KvK\n"
    importer.apply(engine, importer.prepare(engine, [("nieuw.csv", text.encode())], Settings()), "redacteur",
                   confirmed=True)
    _write_duiding(engine, list(behind)[:1], "herzien")
    done = promote_briefing(engine, Settings(), concept, "redacteur")
    assert done.since_concept.startswith(f"Sinds concept {concept}: 1 nieuw cijfer")
    assert "1 duiding herzien" in done.since_concept and "geschreven" not in done.since_concept


def test_an_editor_of_another_centre_is_refused_and_nothing_is_stored(engine):
    _write_duiding(engine, _behind(engine))
    concept = make_briefing(engine, Settings(), period_of(dt.date.today()), "griffie")
    with pytest.raises(BriefingRefused) as refused:
        promote_briefing(engine, Settings(), concept, "a@emmen.example", access=_emmen_editor())
    assert str(refused.value) == ("U bent als a@emmen.example redacteur voor Emmen centrum, niet voor Assen binnenstad: "
                                  f"briefing {concept} gaat over Assen binnenstad. Er is niets opgeslagen.")
    with pytest.raises(BriefingRefused, match="niet voor Assen binnenstad"):  # and making one directly
        make_briefing(engine, Settings(), period_of(dt.date.today()), "a@emmen.example", access=_emmen_editor())
    assert list(store.load_briefings(engine)["id"]) == [concept]
    own = Access(Editor.of("b@assen.example", ["b@assen.example"]),
                 parse_editor_areas("b@assen.example=Assen binnenstad"), AREA)
    assert promote_briefing(engine, Settings(), concept, "b@assen.example", access=own).concept == concept


def test_the_database_itself_refuses_a_second_record_from_one_concept(engine):
    """Two editors clicking at once: both pass the check, the unique index stops the second."""
    concept = make_briefing(engine, Settings(), "2026-K4", "griffie")
    row = dict(area=AREA, period="2026-K4", state=DEFINITIEF, made_at=dt.datetime(2026, 12, 7), made_by="x",
               data_as_of=dt.datetime(2026, 12, 7), duiding_ids=[], settings={}, data_version="v", promoted_from=concept)
    with engine.begin() as conn:
        store.insert_briefing(conn, **row)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        store.insert_briefing(conn, **row)
    with engine.begin() as conn:  # briefings made directly (no link) never collide
        for _ in range(2):
            store.insert_briefing(conn, **(row | {"promoted_from": None}))


def test_a_concept_promoted_while_you_looked_is_refused_in_dutch(engine, monkeypatch):
    """The race itself: the check saw an unpromoted concept, the insert meets the unique index."""
    _write_duiding(engine, _behind(engine))
    concept = make_briefing(engine, Settings(), period_of(dt.date.today()), "griffie")
    first = promote_briefing(engine, Settings(), concept, "redacteur").number
    real = store.load_briefing
    calls = iter(range(1000))
    # The first read (the check) sees the concept as it was before the other editor's click.
    monkeypatch.setattr(store, "load_briefing", lambda e, n: (real(e, n) | {"promoted_to": None})
                        if next(calls) == 0 else real(e, n))
    with pytest.raises(BriefingRefused, match=f"al definitief gemaakt als briefing {first}"):
        promote_briefing(engine, Settings(), concept, "redacteur")


# ---- the rules, on any record ---------------------------------------------------------------

_RECORDS = st.one_of(st.none(), st.fixed_dictionaries({
    "area": st.sampled_from([AREA, "Emmen centrum"]), "state": st.sampled_from([CONCEPT, DEFINITIEF]),
    "promoted_to": st.one_of(st.none(), st.integers(1, 50)),
}))


@given(number=st.integers(1, 50), record=_RECORDS)
def test_a_briefing_may_be_promoted_iff_it_is_an_unpromoted_concept_of_this_centre(number, record):
    refusal = promotion_refusal(number, record, AREA)
    allowed = record is not None and record["area"] == AREA and record["state"] == CONCEPT \
        and record["promoted_to"] is None
    assert (refusal is None) == allowed
    if refusal is not None:
        assert refusal.endswith("Er is niets opgeslagen.") and str(number) in refusal
        assert sum(r.holds(number, record, AREA) for r in PROMOTION_RULES[:1]) == (record is None)


@given(counts=st.dictionaries(st.sampled_from([k for k, _, _ in SINCE_CONCEPT]), st.integers(0, 3000)))
def test_the_since_concept_sentence_names_each_count_that_is_not_zero_in_its_own_number(counts):
    text = since_concept_text(7, counts)
    assert text.startswith("Sinds concept 7")
    if not any(counts.values()):
        assert "niets veranderd" in text
    for key, one, many in SINCE_CONCEPT:
        n = counts.get(key, 0)
        from kpi.formatting import number

        said = f"{number(n)} {one if n == 1 else many}"
        assert (f" {said}," in text or f" {said}." in text) == (n > 0), (key, n, text)


# ---- command line ---------------------------------------------------------------------------

def test_cli_promotes_a_concept_says_what_changed_refuses_twice_and_lists_the_link(db_url, engine):
    period = period_of(dt.date.today())
    assert run_kpi(db_url, "briefing", "maak", "--periode", period, "--gebruiker", "griffie").returncode == 0
    refused = run_kpi(db_url, "briefing", "definitief", "1")
    assert refused.returncode == 1 and refused.stderr.startswith("Fout: De briefing kan niet definitief worden")
    assert "Traceback" not in refused.stderr
    behind = _behind(engine)
    _write_duiding(engine, behind)
    done = run_kpi(db_url, "briefing", "definitief", "1", "--gebruiker", "wethouder", "--gebied", "assen-binnenstad")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Concept 1 is definitief gemaakt als briefing 2. Sinds concept 1: "
                                  f"{len(behind)} duidingen geschreven.")
    assert "python -m kpi report --briefing 2" in done.stdout
    twice = run_kpi(db_url, "briefing", "definitief", "1")
    assert twice.returncode == 1 and "al definitief gemaakt als briefing 2" in twice.stderr
    listed = run_kpi(db_url, "briefing", "lijst").stdout
    assert f"2  {period}  definitief" in listed and "(uit concept 1)" in listed
    assert "(definitief gemaakt als briefing 2)" in listed and "wethouder" in listed
    foreign = run_kpi(db_url, "briefing", "definitief", "1", "--gebruiker", "a@emmen.example",
                      env={"KPI_EDITOR_AREAS": "a@emmen.example=Emmen centrum"})
    assert foreign.returncode == 1 and "niet voor Assen binnenstad" in foreign.stderr
    unknown = run_kpi(db_url, "briefing", "definitief", "1", "--gebied", "nergens")
    assert unknown.returncode == 1 and "bestaat niet" in unknown.stderr
    missing = run_kpi(db_url, "briefing", "definitief", "42")
    assert missing.returncode == 1 and missing.stderr == "Fout: Briefing 42 bestaat niet. Er is niets opgeslagen.\n"


def test_migration_0016_adds_the_link_and_takes_it_away(empty_engine):
    from alembic import command

    from kpi.db import _config, migrate

    cfg = _config()
    with empty_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
    assert "promoted_from" not in {c["name"] for c in sa.inspect(empty_engine).get_columns("briefings")}
    migrate(empty_engine)
    assert "promoted_from" in {c["name"] for c in sa.inspect(empty_engine).get_columns("briefings")}
    indexes = {i["name"]: i for i in sa.inspect(empty_engine).get_indexes("briefings")}
    assert indexes["uq_briefings_promoted_from"]["unique"]
    assert {c.name for c in schema.briefings.columns} == {
        c["name"] for c in sa.inspect(empty_engine).get_columns("briefings")}


# ---- the button on Rapporten ----------------------------------------------------------------

def test_rapporten_offers_editors_a_button_that_promotes_the_chosen_concept(monkeypatch, sqlite_url):
    from kpi.db import ensure_ready, make_engine
    from tests.support.apptest import run_app

    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    concept = make_briefing(engine, Settings(), period_of(dt.date.today()), "griffie")
    viewer = run_app(monkeypatch, sqlite_url, page="rapporten")
    assert not viewer.exception and not [b for b in viewer.button if b.key == "promote_briefing"]

    at = run_app(monkeypatch, sqlite_url, page="rapporten", editor=True)
    assert not at.exception
    assert at.selectbox(key="briefing_number").value == concept
    at.button(key="promote_briefing").click().run()
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("De briefing kan niet definitief worden")
    assert all(name in at.error[0].value for name in _behind(engine).values())
    assert len(store.load_briefings(engine)) == 1

    behind = _behind(engine)
    _write_duiding(engine, behind)
    at.button(key="promote_briefing").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        f"Concept {concept} is definitief gemaakt als briefing 2. Sinds concept {concept}: "
        f"{len(behind)} duidingen geschreven."]
    table = html_table_with(at, "Briefing", "Staat", "Concept en definitief")  # ui.components.wrapped_table
    assert table[["Briefing", "Staat", "Concept en definitief"]].to_dict("records") == [
        {"Briefing": "2", "Staat": "definitief", "Concept en definitief": "uit concept 1"},
        {"Briefing": "1", "Staat": "concept", "Concept en definitief": "definitief als briefing 2"}]
    # The concept is promoted: no button for it any more.
    assert not [b for b in at.button if b.key == "promote_briefing"]


def test_rapporten_refuses_the_button_to_an_editor_of_another_centre(monkeypatch, sqlite_url):
    from kpi.db import ensure_ready, make_engine
    from tests.support.apptest import run_app

    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    _write_duiding(engine, _behind(engine))
    make_briefing(engine, Settings(), period_of(dt.date.today()), "griffie")
    monkeypatch.setenv("KPI_EDITOR_AREAS", "wachtwoord=Emmen centrum")
    at = run_app(monkeypatch, sqlite_url, page="rapporten", editor=True)
    at.button(key="promote_briefing").click().run()
    assert not at.exception and not at.success
    assert [e.value for e in at.error] == [
        "U bent als redacteur met wachtwoord redacteur voor Emmen centrum, niet voor Assen binnenstad: briefing 1 "
        "gaat over Assen binnenstad. Er is niets opgeslagen."]
    assert len(store.load_briefings(engine)) == 1
