"""Issue 17, 'Verdicts that hold on any data': one scenario per category of the issue, each on
SQLite and PostgreSQL through the importer and the CLI as a user runs them. The invariants on
generated data are in tests/test_verdict_properties.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kpi import changes, cli, importer, repository, werkplan
from kpi import formatting as fmt
from kpi.charts import kpi_figure
from kpi.importer.forms import revise_target
from kpi.service import load_snapshot
from kpi.settings import Settings
from kpi.text import summary_sentence
from tests.support.importdata import SETTINGS, csv
from tests.test_verdicts import HEADER, NL, TODAY, A, load, records, results


def prepare(engine, rows: str, name: str = "cijfers.csv"):
    return importer.prepare(engine, [(name, csv(HEADER + rows))], SETTINGS, today=TODAY)


def run_cli(monkeypatch, capsys, db_url: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("KPI_DATABASE_URL", db_url)
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- 1: history before the agreement does not count ----------------------------------------
def test_history_before_the_baseline_never_makes_a_target_met(engine):
    load(engine, "\n".join([f"{A};banen;2012;5.200;LISA-archief"]
                           + [f"{A};banen;{y};{4000 + 40 * (y - 2018)};LISA" for y in range(2018, 2026)]))
    rec = records(engine)["banen"]
    assert rec["reached"] is None and rec["status"] != "gehaald"
    assert rec["counted_from"] == "2017-01-01"
    assert "2012" not in rec["status_reason"]
    fig = kpi_figure(results(engine)["banen"])
    history = [t for t in fig.data if t.name and "geschiedenis" in t.name]
    assert history and list(history[0].y) == [5200.0]


# -- 2: a relative target has a required path -------------------------------------------------
def test_vacancy_far_above_the_path_to_the_horizon_is_achter(engine):
    load(engine, f"{NL};leegstand;2024;6,9;Locatus\n{NL};leegstand;2025;7,0;Locatus\n"
                 f"{A};leegstand;2024;15,0;Locatus\n{A};leegstand;2025;14,6;Locatus")
    rec = records(engine)["leegstand"]
    # gap 8,1 -> 7,6: at this pace 0 in 2041; the path from 14,1 (2017) to 0 (2030) asks 5,4 in 2025
    assert rec["status"] == "achter", rec["status_reason"]
    assert "achter op het benodigde pad (nu hoogstens 5,4 procentpunt boven landelijk)" in rec["status_reason"]


# -- 3: "op tijd" checks time and version -----------------------------------------------------
def test_a_future_target_met_once_and_missed_now_is_not_op_tijd(engine):
    revise_target(engine, indicator="banen", area=A, baseline_value=3800.0, baseline_year=2017, target_value=5000.0,
                  target_year=2028, comparison="absoluut", source="Akkoord", valid_from=dt.date(2018, 1, 1),
                  reason="Doeljaar vastgesteld", user="tester", based_on_version=1, today=TODAY)
    load(engine, f"{A};banen;2023;4.800;LISA\n{A};banen;2024;5.100;LISA\n{A};banen;2025;4.900;LISA")
    rec = records(engine)["banen"]
    assert rec["status"] != "gehaald" and rec["reached_on_time"] is None and rec["reached"] == "2024-01-01"
    assert "Was in 2024 gehaald, nu weer onder het doel." in rec["status_reason"]
    assert "op tijd" not in rec["status_reason"] and "op tijd" not in rec["summary"].lower()


def test_a_target_eased_later_is_not_met_on_time_by_the_new_version(engine):
    load(engine, f"{A};ranking;2021;28;Ranking 2021")
    revise_target(engine, indicator="ranking", area=A, baseline_value=53.0, baseline_year=2017, target_value=30.0,
                  target_year=2021, comparison="absoluut", source="Versoepeld", valid_from=dt.date(2024, 1, 1),
                  reason="Doel versoepeld", user="tester", based_on_version=1, today=TODAY)
    rec = records(engine)["ranking"]
    # 28 was measured in 2021, when 'top 25' was in force: not met then, so not 'op tijd'
    assert rec["reached"] is None and rec["status"] != "gehaald", rec["status_reason"]


def test_a_dated_target_met_in_its_year_stays_gehaald_and_says_how_old_the_figure_is(engine):
    load(engine, f"{A};ranking;2021;24;Ranking 2021")
    rec = records(engine)["ranking"]
    assert (rec["status"], rec["reached"], rec["reached_on_time"]) == ("gehaald", "2021-01-01", True)
    assert "op tijd gehaald" in rec["status_reason"] and "meer dan 3 jaar oud" in rec["status_reason"]
    assert "Op tijd gehaald, in 2021." in rec["summary"]


# -- 4: shown numbers never contradict the verdict --------------------------------------------
def test_equal_to_the_national_figure_reads_equal_is_not_below_and_progress_is_not_100(engine):
    load(engine, f"{NL};leegstand;2025;7,0;Locatus\n{A};leegstand;2024;9,0;Locatus\n{A};leegstand;2025;7,0;Locatus")
    rec = records(engine)["leegstand"]
    assert rec["status"] != "gehaald" and rec["progress_pct"] < 100
    assert "ligt niet onder landelijk 7,0% (2025)" in rec["status_reason"]
    assert rec["year_reached"] is None or rec["year_reached"] > 2025


def test_a_value_just_under_the_target_never_reads_as_the_target(engine):
    load(engine, f"{A};waardering;2025;7,49;BO\n{A};waardering;2026;7,496;BO")
    r = results(engine)["waardering"]
    assert r.status != "gehaald"
    assert "7,496 (2026), haalt het doel (7,500) niet" in r.status_reason
    assert "7,496" in summary_sentence(r) and "minimaal 7,500" in summary_sentence(r)


# -- 5: the werkplan warning counts real, running, not overdue actions ---------------------------
def test_no_running_action_in_the_json_counts_only_real_running_actions(engine, db_url, monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, db_url, "status", "--json")
    assert code == 0, err
    recs = {r["indicator"]: r for r in json.loads(out)}
    actions = werkplan.load_werkplan(engine, "Assen binnenstad").actions
    expected = werkplan.without_running_action(
        actions, {c: r["status"] for c, r in recs.items()}, dt.date.today())
    assert {c for c, r in recs.items() if r["no_running_action"]} == expected
    # The seeded werkplan runs nothing real: every KPI behind is flagged.
    behind = {c for c, r in recs.items() if r["status"] in ("achter", "risico")}
    assert behind and expected == behind


# -- 6: the national figure nearest in time, before or after -----------------------------------
def test_the_nearest_real_national_figure_is_used_and_named(engine):
    load(engine, f"{NL};leegstand;2021-01-01;7,5;Locatus\n{NL};leegstand;2023-01-01;7,2;Locatus\n"
                 f"{A};leegstand;2022-11-01;12,0;Locatus")
    rec = records(engine, today=dt.date(2023, 6, 1))["leegstand"]
    # 1-1-2023 lies two months after the figure, 1-1-2021 almost two years before it
    assert (rec["national_value"], rec["national_date"]) == (7.2, "2023-01-01")
    assert rec["national_note"] == ("geen landelijk cijfer van 2022; vergeleken met het dichtstbijzijnde "
                                    "landelijke cijfer (1-1-2023)")
    assert "nieuwste landelijke" not in rec["status_reason"]


# -- 7: plausibility --------------------------------------------------------------------------
def test_a_tenfold_typo_is_asked_about_and_saved_only_when_confirmed(engine, db_url, monkeypatch, capsys, tmp_path):
    load(engine, f"{A};banen;2025;4.000;LISA")
    before = repository.load_observations(engine)
    preview = prepare(engine, f"{A};banen;2026;40.000;LISA")
    assert preview.ok and len(preview.questions) == 1
    q = preview.questions[0]
    assert (q.file, q.row, q.column) == ("cijfers.csv", 2, "waarde")
    assert "40.000 is 36.000 hoger dan de vorige waarde 4.000 (2025)" in q.message
    with pytest.raises(importer.ImportRefused, match="--bevestig"):
        importer.apply(engine, preview, "tester")
    assert repository.load_observations(engine).equals(before)

    path = tmp_path / "typo.csv"
    path.write_text(HEADER + f"{A};banen;2026;40.000;LISA\n", encoding="utf-8")
    code, _, err = run_cli(monkeypatch, capsys, db_url, "import", str(path))
    assert code == 1 and "ongebruikelijk veel" in err and "--bevestig" in err
    code, _, err = run_cli(monkeypatch, capsys, db_url, "import", str(path), "--bevestig")
    assert code == 0, err
    rec = records(engine)["banen"]
    assert rec["value"] == 40000.0 and "36.000 hoger" in rec["plausibility"]


def test_an_empty_cell_read_as_zero_is_asked_about(engine):
    load(engine, f"{A};bedrijven;2025;450;LISA")
    preview = prepare(engine, f"{A};bedrijven;2026;0;LISA")
    assert [q.row for q in preview.questions] == [2]
    assert "leeg vakje dat als 0 is gelezen" in preview.questions[0].message


def test_an_ordinary_change_asks_nothing(engine):
    load(engine, f"{A};banen;2024;4.000;LISA")
    assert prepare(engine, f"{A};banen;2025;4.150;LISA").questions == []


# -- 8: smaller ---------------------------------------------------------------------------------
def test_as_of_before_the_first_import_or_in_the_future_is_refused(engine, db_url, monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, db_url, "status", "--as-of", "2000-01-01")
    assert code == 2 and "was nog niets bekend" in err and out == ""
    code, out, err = run_cli(monkeypatch, capsys, db_url, "status", "--as-of", "2999-01-01")
    assert code == 2 and "ligt in de toekomst" in err
    # Today as a Dutch user means it: after 23:00 UTC it is already tomorrow in Amsterdam, and the
    # machine's own date would lie before an import made a few minutes ago.
    today = fmt.local(dt.datetime.now(dt.UTC)).date()
    code, _, err = run_cli(monkeypatch, capsys, db_url, "status", "--as-of", today.isoformat())
    assert code == 0, err


def test_an_undone_value_is_called_withdrawn(engine):
    load(engine, f"{A};banen;2025;4.300;LISA")
    second = load(engine, f"{A};banen;2025;4.350;LISA (herzien)")
    moment = repository.utcnow()
    importer.undo(engine, second, "tester")
    ch = changes.compare(load_snapshot(engine, moment), load_snapshot(engine), Settings(), TODAY, TODAY)
    assert ch.revised.empty
    assert ch.withdrawn[["indicator", "value_before", "value_after"]].values.tolist() == [["banen", 4350.0, 4300.0]]
    assert "1 ingetrokken waarde" in changes.headline(ch)


def test_the_trend_never_mixes_yearly_and_dated_figures(engine):
    load(engine, f"{A};banen;2023;4.000;LISA\n{A};banen;2024;4.100;LISA\n{A};banen;1-6-2025;4.150;Telling")
    reason = records(engine)["banen"]["status_reason"]
    assert "alleen cijfers met een datum" in reason and "Nog geen trend" in reason


def test_a_revised_baseline_year_figure_keeps_the_targets_baseline(engine):
    load(engine, f"{A};banen;2017;3.900;LISA (herzien)\n{A};banen;2025;4.300;LISA")
    r = results(engine)["banen"]
    assert r.progress_pct == pytest.approx((4300 - 3800) / (5000 - 3800) * 100)
    assert ("van 3.800 (2017; basiswaarde van het doel, het gemeten cijfer over 2017 is herzien naar 3.900) "
            "naar 4.300") in summary_sentence(r)
