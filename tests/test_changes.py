"""What changed since the last meeting: exact frames for the rules, and both databases for
the versioned storage behind them. `backdate` and `revise` are shared with the report tests."""

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from kpi import changes, repository, schema, tables
from kpi import formatting as fmt
from kpi.metrics import evaluate
from kpi.service import load_snapshot
from kpi.settings import Settings
from tests.support.factories import AREA, JOBS, JOBS_TARGET, NL, obs

TODAY = dt.date(2026, 11, 22)
SEEDED = dt.datetime(2025, 6, 1, 12, 0)
MEETING = dt.date(2026, 1, 31)
REVISED = dt.datetime(2026, 2, 3, 9, 30)


def backdate(engine, moment: dt.datetime = SEEDED) -> None:
    """Pretend everything stored so far was recorded at `moment`."""
    with engine.begin() as conn:
        conn.execute(sa.update(schema.observations).values(recorded_at=moment))
        conn.execute(sa.update(schema.targets).values(created_at=moment))
        conn.execute(sa.update(schema.import_batches).values(created_at=moment))
        repository.touch_data_version(conn)  # a running app's caches see the change, as after an import


def revise(engine, indicator: str, area: str, peildatum: dt.date, value: float, at: dt.datetime,
           source: str = "Herziening") -> None:
    """Store a new version of a current value, recorded at `at` (the old one superseded then)."""
    o = schema.observations
    with engine.begin() as conn:
        area_id = repository.area_ids(conn)[area]
        old = conn.execute(sa.select(o).where(
            o.c.area_id == area_id, o.c.indicator_code == indicator, o.c.peildatum == peildatum,
            o.c.superseded_at.is_(None))).mappings().one()
        conn.execute(sa.update(o).where(o.c.id == old["id"]).values(superseded_at=at))
        conn.execute(sa.insert(o).values(
            area_id=area_id, indicator_code=indicator, peildatum=peildatum, precision=old["precision"],
            value=value, source=source, note="", illustrative=False, recorded_at=at))


def add(engine, indicator: str, area: str, peildatum: dt.date, value: float, at: dt.datetime,
        precision: str = "jaar") -> None:
    """Store a new measurement recorded at `at`."""
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.observations).values(
            area_id=repository.area_ids(conn)[area], indicator_code=indicator, peildatum=peildatum,
            precision=precision, value=value, source="Nieuwe meting", note="", illustrative=False,
            recorded_at=at))


# ---- the rules on exact frames ------------------------------------------------------------

BEFORE = obs([(AREA, "banen", "2017", 3800), (AREA, "banen", "2018", 3850), (NL, "leegstand", "2019", 7.0),
              (AREA, "banen", "1-4-2019", 3900)])
AFTER = obs([(AREA, "banen", "2017", 3800), (AREA, "banen", "2018", 3870), (AREA, "banen", "2019", 3950),
             (AREA, "banen", "1-4-2019", 3900)])


def test_new_measurements_are_keys_not_known_before():
    new = changes.new_measurements(BEFORE, AFTER)
    # 2019 as a year is another key than 1 April 2019: precision is part of the key.
    assert list(zip(new["indicator"], new["peildatum"].dt.year, new["precision"], new["value"])) == [
        ("banen", 2019, "jaar", 3950.0)]


def test_revised_values_show_old_and_new():
    rev = changes.revised_values(BEFORE, AFTER)
    assert rev[["indicator", "value_before", "value_after"]].values.tolist() == [["banen", 3850.0, 3870.0]]
    assert rev["peildatum"].dt.year.tolist() == [2018]


def test_removed_measurements():
    gone = changes.removed_measurements(BEFORE, AFTER)
    assert list(zip(gone["area"], gone["indicator"], gone["value"])) == [(NL, "leegstand", 7.0)]


def test_a_demo_value_replaced_by_the_same_measured_value_counts_as_revised():
    before = obs([(AREA, "banen", "2018", 3850)], illustrative=True)
    after = obs([(AREA, "banen", "2018", 3850)])
    rev = changes.revised_values(before, after)
    assert rev[["illustrative_before", "illustrative_after"]].values.tolist() == [[True, False]]
    assert changes.revised_values(after, after).empty
    assert changes.new_measurements(after, after).empty


def test_status_changes_compare_two_evaluations():
    before = obs([(AREA, "banen", "2017", 3800), (AREA, "banen", "2018", 3700)])
    after = obs([(AREA, "banen", "2017", 3800), (AREA, "banen", "2018", 3700), (AREA, "banen", "2019", 5100)])
    old = [evaluate(JOBS, JOBS_TARGET, before, dt.date(2019, 1, 1))]
    new = [evaluate(JOBS, JOBS_TARGET, after, dt.date(2020, 1, 1))]
    assert (old[0].status, new[0].status) == ("achter", "gehaald")
    st = changes.status_changes(old, new)
    assert st[["indicator", "status_before", "status_after"]].values.tolist() == [["banen", "achter", "gehaald"]]
    assert changes.status_changes(new, new).empty
    first = changes.status_changes([], new)  # not a KPI yet at the reference date
    assert first["status_before"].tolist() == [None]


def test_end_of_day_includes_the_whole_date():
    """The end of the day in Amsterdam, as stored (naive UTC): one hour earlier in winter, two in summer."""
    assert fmt.end_of_day(MEETING) == dt.datetime(2026, 1, 31, 22, 59, 59, 999999)
    assert fmt.end_of_day(dt.date(2026, 7, 1)) == dt.datetime(2026, 7, 1, 21, 59, 59, 999999)
    assert fmt.known_at(MEETING, dt.time(14, 5)) == dt.datetime(2026, 1, 31, 13, 5, 59, 999999)


# ---- on both databases ----------------------------------------------------------------------

def test_compare_since_a_meeting_on_stored_versions(engine):
    backdate(engine)
    revise(engine, "banen", AREA, dt.date(2025, 1, 1), 4300.0, REVISED)
    add(engine, "bedrijven", AREA, dt.date(2026, 1, 1), 470.0, REVISED)
    before = load_snapshot(engine, fmt.end_of_day(MEETING))
    after = load_snapshot(engine)
    ch = changes.compare(before, after, Settings(), MEETING, TODAY)

    assert list(zip(ch.new["indicator"], ch.new["peildatum"].dt.year, ch.new["value"])) == [("bedrijven", 2026, 470.0)]
    assert ch.kpis_with_new_measurements == ["bedrijven"]
    assert ch.revised[["indicator", "value_before", "value_after", "illustrative_before", "illustrative_after"]
                      ].values.tolist() == [["banen", 4210.0, 4300.0, True, False]]
    assert pd.Timestamp(ch.revised["recorded_at"].iloc[0]) == pd.Timestamp(REVISED)
    assert ch.removed.empty and ch.targets.empty
    # The ranking target year 2021 lies behind both dates: no status change there.
    assert "ranking" not in set(ch.statuses["indicator"])
    jobs_before = next(r for r in ch.before if r.indicator.code == "banen")
    jobs_after = next(r for r in ch.after if r.indicator.code == "banen")
    assert (jobs_before.latest.value, jobs_after.latest.value) == (4210.0, 4300.0)

    text = changes.headline(ch)
    assert text == "Sinds 31-1-2026: 1 KPI met nieuwe metingen, 1 herziene waarde, 0 statuswijzigingen."
    table = tables.revised_table(ch)
    assert table.iloc[0].to_dict() == {
        "KPI": "Aantal banen", "Gebied": AREA, "Peildatum": "2025", "Was": "4.210 (illustratief)",
        "Is nu": "4.300", "Bron": "Herziening", "Herzien op": "3-2-2026 10:30"}
    assert tables.new_table(ch)["Waarde"].tolist() == ["470"]


def test_nothing_changed_between_identical_moments(engine):
    backdate(engine)
    snap = load_snapshot(engine, fmt.end_of_day(MEETING))
    ch = changes.compare(snap, load_snapshot(engine), Settings(), MEETING, MEETING)
    assert ch.is_empty
    assert changes.headline(ch) == "Sinds 31-1-2026: 0 KPI's met nieuwe metingen, 0 herziene waarden, 0 statuswijzigingen."


def test_a_date_before_the_data_existed_shows_everything_as_new(engine):
    backdate(engine)
    ch = changes.compare(load_snapshot(engine, fmt.end_of_day(dt.date(2025, 1, 1))), load_snapshot(engine),
                         Settings(), dt.date(2025, 1, 1), TODAY)
    assert ch.before == []
    assert len(ch.new) == len(repository.load_observations(engine))
    assert tables.status_changes_table(ch)["Was"].unique().tolist() == ["(toen nog niet in het dashboard)"]


def test_start_data_of_the_installation_is_not_new_since_an_earlier_date(engine):
    """A fresh install and 'since' four weeks back: the start data is what was installed, not news."""
    backdate(engine)  # installed on 1-6-2025 12:00 UTC
    add(engine, "bedrijven", AREA, dt.date(2026, 1, 1), 470.0, REVISED)  # imported later
    now = load_snapshot(engine)
    since = dt.date(2025, 1, 1)
    moment, installed = changes.comparison_moment(fmt.known_at(since), now.observations)
    assert moment == installed == SEEDED
    ch = changes.compare(load_snapshot(engine, moment), now, Settings(), since, TODAY, installed=installed)
    assert list(zip(ch.new["indicator"], ch.new["value"])) == [("bedrijven", 470.0)]
    assert "(toen nog niet in het dashboard)" not in set(tables.status_changes_table(ch)["Was"])
    assert changes.headline(ch).startswith("Sinds de installatie op 1-6-2025: 1 KPI met nieuwe metingen")
    assert changes.comparison_text(ch, "–").startswith(
        "De gekozen datum ligt vóór de installatie van het dashboard (1-6-2025 14:00). Vergeleken worden daarom "
        "de startgegevens van de installatie met de gegevens nu")
    # A date after the installation is compared as chosen.
    assert changes.comparison_moment(fmt.known_at(MEETING), now.observations) == (fmt.known_at(MEETING), None)


def test_since_date_reads_the_url_or_falls_back_to_four_weeks_ago_and_never_passes_today():
    from kpi.formatting import since_date

    today = dt.date(2026, 11, 23)
    assert since_date("2026-10-26", today) == dt.date(2026, 10, 26)
    assert since_date("", today) == dt.date(2026, 10, 26)
    assert since_date("gisteren", today) == dt.date(2026, 10, 26)
    assert since_date("2027-01-01", today) == today
