"""Issue 8, 'Verdicts a council can rely on': the 14 cases of the issue on exact figures, each on
SQLite and PostgreSQL through the importer (or `python -m kpi` as a user runs it), the rule
that real figures crowd out illustrative ones, and the README's rule list against the code's."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpi import formatting as fmt
from kpi import importer, provenance, repository, schema, statuses
from kpi.service import evaluate_all, status_records
from kpi.settings import Settings
from kpi.tables import key_figures
from kpi.text import summary_sentence
from tests.support.cli import run_kpi
from tests.support.importdata import SETTINGS, csv
from tests.test_changes import backdate

ROOT = Path(__file__).resolve().parent.parent
A, NL = "Assen binnenstad", "Nederland"
TODAY = dt.date(2026, 11, 23)
HEADER = "gebied;indicator;peildatum;waarde;bron\n"


def load(engine, rows: str, name: str = "cijfers.csv") -> int | None:
    """Import `rows` (semicolon lines after the header) and return the batch id."""
    preview = importer.prepare(engine, [(name, csv(HEADER + rows))], SETTINGS, today=TODAY)
    assert preview.ok, [str(p) for p in preview.problems]
    return importer.apply(engine, preview, "tester")


def records(engine, today: dt.date = TODAY, as_of: dt.datetime | None = None) -> dict:
    return {r["indicator"]: r for r in status_records(evaluate_all(engine, Settings(), today, as_of=as_of))}


def results(engine, today: dt.date = TODAY) -> dict:
    return {r.indicator.code: r for r in evaluate_all(engine, Settings(), today)}


def without_demo(engine) -> None:
    repository.remove_illustrative(engine)


# -- 1 ------------------------------------------------------------------------------------------
def test_case_01_real_vacancy_is_not_judged_against_a_demo_national_figure(engine):
    load(engine, f"{A};leegstand;2025-01-01;6,9;Locatus")
    rec = records(engine)["leegstand"]
    # The only national figure of 2025 is illustrative: it plays no part. The newest real one
    # (7,3% on 1-1-2020) is more than 3 years old, so there is nothing to compare with.
    assert (rec["value"], rec["status"], rec["illustrative"], rec["national_value"]) == (
        6.9, "geen recente data", False, None)
    assert rec["status_reason"] == ("Er is geen landelijk cijfer (zelfde maatstaf) binnen 3 jaar van de nieuwste "
                                    "meting (1-1-2025); het dichtstbijzijnde landelijke cijfer is van 1-1-2020.")
    load(engine, f"{NL};leegstand;2025-01-01;7,0;Locatus", "landelijk.csv")
    rec = records(engine)["leegstand"]
    assert (rec["status"], rec["illustrative"], rec["national_value"], rec["national_date"]) == (
        "gehaald", False, 7.0, "2025-01-01")
    assert rec["status_reason"] == ("De nieuwste meting, 6,9% (1-1-2025), ligt onder het landelijke cijfer: "
                                    "landelijk 7,0% (1-1-2025).")


# -- 2 ------------------------------------------------------------------------------------------
def test_case_02_no_trend_or_change_through_demo_values_behind_a_real_value(engine):
    load(engine, f"{A};waardering;2026;7,46;Bezoekersonderzoek 2026")
    r = results(engine)["waardering"]
    rec = records(engine)["waardering"]
    assert (rec["value"], rec["status"], rec["illustrative"], r.change, r.previous) == (7.46, "risico", False, None, None)
    assert rec["status_reason"] == (
        "De nieuwste meting, 7,46 (2026), haalt het doel (7,50) niet. Nog geen trend: één meting (2026); "
        "daarvoor zijn minstens twee metingen in verschillende jaren nodig.")
    # The demo values stay visible, greyed: they do not count.
    assert r.series["counts"].tolist() == [False, False, False, False, True]
    without_demo(engine)
    after = records(engine)["waardering"]
    assert (after["status"], after["status_reason"], after["illustrative"]) == (
        rec["status"], rec["status_reason"], False)


# -- 3 ------------------------------------------------------------------------------------------
def test_case_03_a_target_met_in_its_year_is_met_and_a_late_one_says_so(engine):
    load(engine, f"{A};ranking;2021;24;Ranking 2021\n{A};ranking;2025;30;Ranking 2025")
    rec = records(engine)["ranking"]
    assert (rec["status"], rec["reached"], rec["reached_on_time"], rec["illustrative"]) == (
        "gehaald", "2021-01-01", True, False)
    assert rec["status_reason"] == ("Het doel (plaats 25 in 2021) is op tijd gehaald: plaats 24 (2021). "
                                    "De nieuwste meting, plaats 30 (2025), haalt het niet meer.")


def test_case_03_reverse_met_after_the_target_year_is_not_plain(engine):
    load(engine, f"{A};ranking;2021;41;Ranking 2021\n{A};ranking;2026;25;Ranking 2026")
    rec = records(engine)["ranking"]
    assert (rec["status"], rec["reached"], rec["reached_on_time"]) == ("gehaald", "2026-01-01", False)
    assert rec["status_reason"] == ("De nieuwste meting, plaats 25 (2026), haalt het doel (plaats 25). "
                                    "Eerst gehaald in 2026: na het doeljaar 2021.")
    assert "Eerst gehaald in 2026, na het doeljaar 2021." in rec["summary"]


# -- 4 ------------------------------------------------------------------------------------------
def test_case_04_no_trend_from_one_measurement(engine):
    without_demo(engine)
    load(engine, f"{A};waardering;2026;7,4;Bezoekersonderzoek 2026")
    rec = records(engine)["waardering"]
    assert (rec["status"], rec["year_reached"]) == ("risico", None)
    assert "De trend gaat niet" not in rec["status_reason"]
    assert "Nog geen trend: één meting (2026)" in rec["status_reason"]


# -- 5 ------------------------------------------------------------------------------------------
def test_case_05_year_reached_is_never_before_the_newest_measurement(engine):
    load(engine, f"{A};waardering;2018;7,0;BO\n{A};waardering;2020;7,9;BO\n{A};waardering;2024;7,4;BO")
    rec = records(engine)["waardering"]
    # slope 0,0393 a year over 2018, 2020, 2024; from 7,4 in 2024: 7,5 at 2026,5 -> 2027
    assert (rec["year_reached"], rec["status"], rec["horizon"], rec["horizon_assumed"]) == (2027, "op koers", 2030, True)
    assert rec["status_reason"] == (
        "De nieuwste meting, 7,4 (2024), haalt het doel (7,5) niet. Was in 2020 gehaald, nu weer onder het doel. "
        "De trend over 3 metingen (2018, 2020, 2024) "
        "haalt het doel in 2027: binnen de planningshorizon 2030 (aanname: het akkoord noemt geen jaar).")


# -- 6 ------------------------------------------------------------------------------------------
def test_case_06_baseline_gap_comes_from_the_akkoord_pair(engine):
    rec = records(engine)["leegstand"]
    assert (rec["baseline_gap_pp"], rec["baseline_gap_basis"]) == (
        pytest.approx(14.1), "volgens het akkoord: 21,9% tegen landelijk 7,8% (2017)")
    # A dated 1-1-2017 figure beside the yearly 2017 baseline is refused (one figure per year),
    # so it cannot pair 21,9 with a national figure of another row.
    preview = importer.prepare(engine, [("2017.csv", csv(HEADER + f"{A};leegstand;1-1-2017;21,0;Locatus"))],
                               SETTINGS, today=TODAY)
    assert [(p.row, p.column) for p in preview.problems] == [(2, "peildatum")]
    assert "er staat al een echt cijfer voor 2017 (2017)" in preview.problems[0].message


# -- 7 ------------------------------------------------------------------------------------------
def test_case_07_seed_keeps_one_measure_per_national_series_and_labels_assumptions(engine):
    obs = repository.load_observations(engine)
    real_nl = obs[(obs["area"] == NL) & ~obs["illustrative"]]
    outlets = real_nl[real_nl["indicator"] == "leegstand"]
    floor = real_nl[real_nl["indicator"] == "leegstand_vvo"]
    assert outlets["value"].tolist() == [7.4, 7.2, 6.7, 7.3]
    assert outlets["note"].str.contains("alle winkelgebieden, % leegstaande verkooppunten").all()
    assert floor["note"].str.contains("alle winkelgebieden, % leegstaand winkelvloeroppervlak").all()
    target = repository.load_current_targets(engine).set_index("indicator")
    assert target.loc["leegstand", "baseline_benchmark"] == 7.8
    assert "landelijk in binnensteden 7,8%" in target.loc["leegstand", "source"]
    assert "uitgangspositie 53 is een aanname" in target.loc["ranking", "source"]
    rank_2017 = obs[(obs["indicator"] == "ranking") & (obs["peildatum"].dt.year == 2017)]
    assert rank_2017["note"].iloc[0].startswith("aanname, niet uit het akkoord")
    said = [t for k, t in provenance.statements(results(engine)["ranking"]) if k == "Aanname"]
    assert said[0] == ("De uitgangspositie 53 komt niet uit het akkoord maar uit RTV Drenthe (april 2017); "
                       "de ranglijst is niet genoemd.")


# -- 8 ------------------------------------------------------------------------------------------
def test_case_08_age_counts_from_the_peildatum(engine):
    load(engine, f"{A};banen;1-1-2023;4.000;LISA")
    rec = records(engine)["banen"]
    assert (rec["status"], rec["illustrative"], rec["date"]) == ("geen recente data", False, "2023-01-01")
    assert rec["status_reason"] == "De nieuwste meting is van 1-1-2023: meer dan 3 jaar oud (gerekend vanaf de peildatum)."
    assert records(engine, today=dt.date(2025, 12, 31))["banen"]["status"] != "geen recente data"


# -- 9 ------------------------------------------------------------------------------------------
def test_case_09_new_vacancy_figure_compares_with_the_newest_real_national_figure_named(engine):
    load(engine, f"{NL};leegstand;2025-01-01;7,1;Locatus\n{A};leegstand;2026-01-01;13,0;Locatus")
    rec = records(engine)["leegstand"]
    assert (rec["national_value"], rec["national_date"], rec["gap_pp"]) == (7.1, "2025-01-01", pytest.approx(5.9))
    assert rec["national_note"] == ("geen landelijk cijfer van 2026; vergeleken met het dichtstbijzijnde "
                                    "landelijke cijfer (1-1-2025)")
    assert rec["status"] != "geen recente data" and rec["illustrative"] is False
    assert "landelijk 7,1% (1-1-2025) (geen landelijk cijfer van 2026; vergeleken met het dichtstbijzijnde landelijke cijfer (1-1-2025))" in rec["summary"]


# -- 10 -----------------------------------------------------------------------------------------
def test_case_10_rounding_never_shows_a_miss_as_a_hit(engine):
    load(engine, f"{A};waardering;2026;7,46;BO\n{NL};leegstand;2025-01-01;7,0;Locatus\n"
                 f"{A};leegstand;2025-01-01;7,04;Locatus")
    by = results(engine)
    rating, vacancy = by["waardering"], by["leegstand"]
    assert rating.status != "gehaald" and summary_sentence(rating).startswith("Rapportcijfer bezoekers is 7,46 (2026)")
    assert vacancy.status != "gehaald" and vacancy.gap_pp == pytest.approx(0.04)
    figures = dict(key_figures(vacancy))
    assert figures["Verschil met landelijk"] == "+0,04 procentpunt"
    assert figures["Voortgang van basis naar doel"] == "99,7%"  # (14,1 - 0,04) / 14,1, not "100%"
    assert figures["Nieuwste waarde"] == "7,04%"
    assert fmt.number(7.25, 1) == "7,3" and fmt.number(21.85, 1) == "21,9" and fmt.number(-0.04, 1) == "0,0"


# -- 11 -----------------------------------------------------------------------------------------
def test_case_11_a_target_version_applies_from_geldig_vanaf(engine):
    text = ("indicator,gebied,basiswaarde,basisjaar,doelwaarde,doeljaar,richting,vergelijking,bron,reden,geldig_vanaf\n"
            f"banen,{A},3800,2017,5500,2032,hoger,absoluut,Raad,Herijking,2028-01-01\n")
    preview = importer.prepare(engine, [("doelen.csv", csv(text))], SETTINGS, today=TODAY)
    assert preview.ok, preview.problems
    importer.apply(engine, preview, "tester")
    now = records(engine)["banen"]
    assert (now["target"], now["target_version"], now["horizon"], now["horizon_assumed"]) == (5000, 1, 2030, True)
    later = records(engine, today=dt.date(2028, 1, 1))["banen"]
    assert (later["target"], later["target_version"], later["horizon"], later["horizon_assumed"]) == (5500, 2, 2032, False)
    # An as-of view today (everything known now) still uses version 1.
    as_of = records(engine, as_of=repository.utcnow())["banen"]
    assert (as_of["target"], as_of["target_version"]) == (5000, 1)


# -- 12 -----------------------------------------------------------------------------------------
def kpi(db_url: str, *args: str) -> subprocess.CompletedProcess:
    return run_kpi(db_url, *args)


def _recorded_at(engine, batch: int, moment: dt.datetime) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(schema.observations).where(schema.observations.c.batch_id == batch)
                     .values(recorded_at=moment))
        conn.execute(sa.update(schema.observations).where(schema.observations.c.superseded_by_batch_id == batch)
                     .values(superseded_at=moment))
        conn.execute(sa.update(schema.import_batches).where(schema.import_batches.c.id == batch)
                     .values(created_at=moment))


def test_case_12_as_of_accepts_a_time_to_tell_two_imports_on_one_day_apart(engine, db_url):
    backdate(engine, dt.datetime(2026, 1, 1))
    first = load(engine, f"{A};banen;2025;4.300;LISA ochtend", "ochtend.csv")
    _recorded_at(engine, first, dt.datetime(2026, 11, 23, 9, 0))
    second = load(engine, f"{A};banen;2025;4.350;LISA middag", "middag.csv")
    _recorded_at(engine, second, dt.datetime(2026, 11, 23, 14, 5, 30))
    morning = kpi(db_url, "status", "--json", "--as-of", "2026-11-23T10:00")
    assert morning.returncode == 0, morning.stderr
    assert {r["indicator"]: r["value"] for r in json.loads(morning.stdout)}["banen"] == 4300.0
    # --as-of is Amsterdam time, as every time shown: 14:05:30 UTC was 15:05:30 there.
    before = kpi(db_url, "status", "--json", "--as-of", "2026-11-23T14:05")
    assert {r["indicator"]: r["value"] for r in json.loads(before.stdout)}["banen"] == 4300.0
    afternoon = kpi(db_url, "status", "--json", "--as-of", "2026-11-23T15:05")  # end of that minute
    assert {r["indicator"]: r["value"] for r in json.loads(afternoon.stdout)}["banen"] == 4350.0
    bad = kpi(db_url, "status", "--as-of", "2026-11-23T25:00")
    assert bad.returncode == 2 and "geen datum of tijdstip" in bad.stderr and "Traceback" not in bad.stderr


# -- 13 -----------------------------------------------------------------------------------------
def test_case_13_preview_keeps_decimals_says_places_risen_and_refuses_two_figures_in_one_year(engine, db_url, tmp_path):
    path = tmp_path / "cijfers.csv"
    path.write_text(HEADER + f"{A};leegstand;2025-01-01;7;Locatus\n{A};ranking;2025;30;Ranking 2025\n", encoding="utf-8")
    dry = kpi(db_url, "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"{A} · leegstand · 1-1-2025: 13,8 (illustratief) → 7,0 (Locatus, −6,8 procentpunt)" in dry.stdout
    assert f"{A} · ranking · 2025: 33 (illustratief) → 30 (Ranking 2025, 3 plaatsen gestegen)" in dry.stdout
    assert fmt.signed(-3, "positie") == "3 plaatsen gestegen"
    both = tmp_path / "twee.csv"
    both.write_text(HEADER + f"{A};banen;2026;4.000;LISA\n{A};banen;1-4-2026;4.010;LISA\n", encoding="utf-8")
    refused = kpi(db_url, "import", str(both))
    assert refused.returncode == 1
    assert re.search(r"twee\.csv, rij 2, kolom 'peildatum': Assen binnenstad · banen: een jaarcijfer en een "
                     r"cijfer met datum in hetzelfde jaar \(2026 en 1-4-2026, twee\.csv rij 3\)", refused.stderr)


# -- 14 -----------------------------------------------------------------------------------------
def test_case_14_op_koers_only_when_the_pace_reaches_the_goal_within_the_horizon(engine):
    rec = records(engine)
    got = {code: (r["status"], r["year_reached"], r["horizon"], r["horizon_assumed"], r["illustrative"])
           for code, r in rec.items()}
    assert got == {
        "banen": ("achter", 2042, 2030, True, True),  # demo pace: 5.000 in 2042, behind the path to 2030
        "bedrijven": ("achter", 2036, 2030, True, True),
        # The gap has a required path too (issue 17): 2032 is after the horizon and behind it.
        "leegstand": ("achter", 2032, 2030, True, True),
        "waardering": ("op koers", 2028, 2030, True, True),
        "ranking": ("achter", 2029, 2021, False, True),
        # Binnenstadsvisie 2021 (issue 21): no figures yet, so no verdict, and nothing illustrative
        "winkelvloeroppervlak": ("geen recente data", None, 2030, False, False),
        "woningen": ("geen recente data", None, 2030, False, False),
    }


# -- the done-when ------------------------------------------------------------------------------
FULL_SET = "\n".join([
    f"{A};banen;2023;3.900;LISA", f"{A};banen;2024;3.950;LISA", f"{A};banen;2025;4.000;LISA",
    f"{A};bedrijven;2023;440;LISA", f"{A};bedrijven;2024;446;LISA", f"{A};bedrijven;2025;452;LISA",
    f"{A};leegstand;2024;15,0;Locatus", f"{A};leegstand;2025;14,1;Locatus",
    f"{NL};leegstand;2024;6,9;Locatus", f"{NL};leegstand;2025;7,0;Locatus",
    f"{A};waardering;2022;7,2;BO", f"{A};waardering;2024;7,3;BO",
    f"{A};ranking;2023;36;Ranking", f"{A};ranking;2025;31;Ranking",
])
VERDICT = ["status", "status_reason", "value", "date", "year_reached", "reached", "national_value",
           "national_date", "gap_pp", "progress_pct", "summary"]


def test_real_figures_with_demo_series_present_give_the_verdict_without_them(engine):
    load(engine, FULL_SET)
    with_demo = records(engine)
    without_demo(engine)
    clean = records(engine)
    for code in clean:
        before = {k: with_demo[code][k] for k in VERDICT}
        after = {k: clean[code][k] for k in VERDICT}
        # Either the same verdict, or one that says it rests on illustrative values.
        if with_demo[code]["illustrative"]:
            continue
        # The summary may add that greyed demo values are shown; the verdict itself is equal.
        before["summary"] = before["summary"].replace(" (Illustratieve waarden staan er grijs bij en tellen niet mee.)", "")
        assert before == after, code
    assert not any(r["illustrative"] for r in with_demo.values())


# -- the rule table -----------------------------------------------------------------------------
def test_docs_status_rules_are_the_code_rule_table():
    doc = (ROOT / "docs" / "statusregels.md").read_text(encoding="utf-8")
    section = doc.split("## De regels", 1)[1].split("\n## ", 1)[0] + "\n\n"
    listed = re.findall(r"^(\d+)\. \*\*(.+?)\*\*: (.+?)(?=^\d+\. |\n\n)", section, flags=re.M | re.S)
    expected = [(str(i), r.status, r.text) for i, r in enumerate(statuses.RULES, start=1)]
    assert [(n, word, " ".join(text.split())) for n, word, text in listed] == expected


def test_every_status_in_the_rules_is_in_the_status_table_once():
    assert [r.status for r in statuses.RULES][-1] == statuses.RISICO and statuses.RULES[-1].holds(None)
    assert sorted(s.order for s in statuses.STATUSES) == list(range(len(statuses.STATUSES)))
    assert {r.status for r in statuses.RULES} == set(statuses.WORDS)
    assert statuses.labelled("gehaald") == "✔ gehaald"


def test_status_colours_icons_and_counts_come_from_the_one_table():
    from kpi import charts
    from kpi.tables import status_word

    for s in statuses.STATUSES:
        assert charts.STATUS_COLOURS[s.word] == s.hex_colour
        assert status_word(s.word) == f"{s.symbol} {s.word}"
    assert statuses.counts(["achter", "gehaald", "achter"]) == [("gehaald", 1), ("achter", 2)]
    for path in ["kpi/charts.py", "kpi/tables.py", "ui/components.py", "kpi/reports/pdf.py", "screens/overzicht.py",
                 "screens/vergadering.py"]:
        text = (ROOT / path).read_text(encoding="utf-8")
        assert '"op koers": ' not in text and "check_circle" not in text, path



def test_case_12_pages_take_a_time_from_the_url_and_the_time_input(monkeypatch, sqlite_url):
    from tests.support.apptest import run_app, texts

    at = run_app(monkeypatch, sqlite_url, page="rapporten", query={"stand": "2026-01-31", "tijd": "14:05"})
    assert not at.exception
    assert at.time_input(key="report_time").value == dt.time(14, 5)
    assert "de cijfers zoals bekend op 31-1-2026 14:05," in texts(at)
    from kpi.db import make_engine

    backdate(make_engine(sqlite_url), dt.datetime(2026, 1, 1))  # installed before that date: compared as chosen
    at = run_app(monkeypatch, sqlite_url, page="wijzigingen", query={"sinds": "2026-01-31"})
    assert not at.exception and at.time_input(key="changes_time").value is None
    at.time_input(key="changes_time").set_value(dt.time(9, 30)).run()
    assert not at.exception
    assert at.query_params["tijd"] == ["09:30"] or at.query_params["tijd"] == "09:30"
    assert "zoals bekend op 31-1-2026 09:30 met de gegevens nu" in texts(at)


def test_migration_0004_adds_the_horizon_to_an_existing_database_and_back(empty_engine):
    """Down to 0003 (before issue 8) removes the two target columns; migrating brings them back
    (SQLite and PostgreSQL)."""
    from alembic import command

    from kpi.db import _config, migrate

    cfg = _config()
    with empty_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    columns = {c["name"] for c in sa.inspect(empty_engine).get_columns("targets")}
    assert "horizon_year" not in columns and "baseline_benchmark" not in columns
    migrate(empty_engine)
    columns = {c["name"] for c in sa.inspect(empty_engine).get_columns("targets")}
    assert {"horizon_year", "baseline_benchmark"} <= columns
