"""Events on the timeline: storage on SQLite and PostgreSQL, plain text on the charts."""

import datetime as dt

import pytest
import sqlalchemy as sa

from kpi import events, repository, schema
from kpi.charts import kpi_figure
from kpi.service import evaluate_all
from kpi.settings import Settings

AREA = "Assen binnenstad"
TODAY = dt.date(2026, 11, 22)


def test_add_list_and_delete(engine):
    garage = events.add_event(engine, dt.date(2019, 6, 1), "Opening parkeergarage", indicator="banen",
                              area=AREA, user="Anna")
    lockdown = events.add_event(engine, dt.date(2020, 3, 15), "  Lockdown   corona ", user="Bert")
    df = events.list_events(engine)
    assert df["id"].tolist() == [garage, lockdown]
    assert df["text"].tolist() == ["Opening parkeergarage", "Lockdown corona"]  # whitespace tidied
    assert df["indicator"].tolist() == ["banen", None]
    assert df["area"].tolist() == [AREA, None]
    assert df["created_by"].tolist() == ["Anna", "Bert"]
    assert [d.date() for d in df["event_date"]] == [dt.date(2019, 6, 1), dt.date(2020, 3, 15)]

    assert events.delete_event(engine, garage, user="Anna") is True
    assert events.delete_event(engine, garage) is False  # already gone
    assert events.delete_event(engine, 999_999) is False
    assert events.list_events(engine)["id"].tolist() == [lockdown]


def test_text_is_stored_exactly_as_typed(engine):
    hostile = '<b>vet</b> [link](http://e.vil) =1+1 <script>alert("x")</script>'
    events.add_event(engine, dt.date(2021, 1, 1), hostile)
    assert events.list_events(engine)["text"].tolist() == [hostile]


def test_filters_by_area_and_indicator(engine):
    events.add_event(engine, dt.date(2019, 1, 1), "alle KPI's, alle gebieden")
    events.add_event(engine, dt.date(2019, 2, 1), "banen in Assen", indicator="banen", area=AREA)
    events.add_event(engine, dt.date(2019, 3, 1), "landelijk", area="Nederland")
    events.add_event(engine, dt.date(2019, 4, 1), "leegstand", indicator="leegstand")
    in_assen = events.list_events(engine, area=AREA)["text"].tolist()
    assert in_assen == ["alle KPI's, alle gebieden", "banen in Assen", "leegstand"]
    for_jobs = events.list_events(engine, indicator="banen")["text"].tolist()
    assert for_jobs == ["alle KPI's, alle gebieden", "banen in Assen", "landelijk"]
    assert events.for_indicator(events.list_events(engine, area=AREA), "leegstand")["text"].tolist() == [
        "alle KPI's, alle gebieden", "leegstand"]


def test_as_of_shows_events_as_they_were_known(engine):
    first = events.add_event(engine, dt.date(2019, 1, 1), "eerste")
    second = events.add_event(engine, dt.date(2019, 2, 1), "tweede")
    e = schema.events
    with engine.begin() as conn:
        conn.execute(sa.update(e).where(e.c.id == first).values(created_at=dt.datetime(2026, 1, 10)))
        conn.execute(sa.update(e).where(e.c.id == second).values(created_at=dt.datetime(2026, 3, 10)))
    events.delete_event(engine, first)
    with engine.begin() as conn:
        conn.execute(sa.update(e).where(e.c.id == first).values(deleted_at=dt.datetime(2026, 2, 10)))
    assert events.list_events(engine, as_of=dt.datetime(2026, 1, 9))["text"].tolist() == []
    assert events.list_events(engine, as_of=dt.datetime(2026, 1, 31))["text"].tolist() == ["eerste"]
    assert events.list_events(engine, as_of=dt.datetime(2026, 2, 28))["text"].tolist() == []
    assert events.list_events(engine, as_of=dt.datetime(2026, 3, 31))["text"].tolist() == ["tweede"]
    assert events.list_events(engine)["text"].tolist() == ["tweede"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(text="   "), "Vul een korte omschrijving"),
    (dict(text="x" * (events.MAX_TEXT_LENGTH + 1)), "te lang"),
    (dict(text="ok", indicator="bestaat_niet"), "Onbekende KPI"),
    (dict(text="ok", area="Atlantis"), "Onbekend gebied"),
    (dict(text="ok", event_date="2020-01-01"), "Kies een datum"),
])
def test_refuses_bad_input_with_a_dutch_message(engine, kwargs, message):
    args = dict(event_date=dt.date(2020, 1, 1)) | kwargs
    with pytest.raises(events.EventError, match=message):
        events.add_event(engine, **args)
    assert events.list_events(engine).empty


def test_migration_creates_the_table_the_schema_declares(engine):
    cols = {c["name"]: c for c in sa.inspect(engine).get_columns("events")}
    assert set(cols) == {c.name for c in schema.events.columns}
    assert cols["indicator_code"]["nullable"] and cols["area_id"]["nullable"]
    assert not cols["text"]["nullable"] and not cols["event_date"]["nullable"]
    fks = {fk["referred_table"] for fk in sa.inspect(engine).get_foreign_keys("events")}
    assert fks == {"indicators", "areas"}


def test_events_are_annotations_with_escaped_text(engine):
    events.add_event(engine, dt.date(2019, 6, 1), "<b>Opening</b> garage", indicator="banen")
    events.add_event(engine, dt.date(2020, 3, 15), "Lockdown")
    events.add_event(engine, dt.date(2021, 5, 1), "Alleen leegstand", indicator="leegstand")
    results = {r.indicator.code: r for r in evaluate_all(engine, Settings(), TODAY)}
    ev = events.list_events(engine, area=AREA)
    fig = kpi_figure(results["banen"], ev)
    texts = [a.text for a in fig.layout.annotations]
    assert "&lt;b&gt;Opening&lt;/b&gt; garage" in texts and "Lockdown" in texts
    assert "Alleen leegstand" not in texts
    assert not any("<b>" in t for t in texts)
    assert len([s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dot" and s.xref == "x"]) == 2


def test_deleting_an_area_or_indicator_is_not_possible_while_an_event_uses_it(engine):
    events.add_event(engine, dt.date(2019, 6, 1), "garage", indicator="banen", area=AREA)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        ids = repository.area_ids(conn)
        conn.execute(sa.delete(schema.targets).where(schema.targets.c.area_id == ids[AREA]))
        conn.execute(sa.delete(schema.observations).where(schema.observations.c.area_id == ids[AREA]))
        conn.execute(sa.delete(schema.areas).where(schema.areas.c.id == ids[AREA]))
