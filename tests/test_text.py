"""kpi.text: targets and the one-sentence summary in Dutch words and number formats."""

import datetime as dt

import pandas as pd
import pytest

from kpi import metrics as m
from kpi.text import (
    batch_label,
    currency_text,
    newest_recorded_text,
    summary_sentence,
    target_label,
    target_short,
)
from tests.support.factories import (
    AREA,
    JOBS,
    JOBS_TARGET,
    NL,
    RANK,
    RANK_TARGET,
    RATING,
    RATING_TARGET,
    VACANCY,
    VACANCY_TARGET,
    obs,
)

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize("indicator, target, rows, label, short", [
    (JOBS, JOBS_TARGET, [(AREA, "banen", 2017, 3800)], "5.000", "5.000"),
    (RANK, RANK_TARGET, [(AREA, "ranking", 2017, 53)], "top 25 in 2021", "top 25"),
    (VACANCY, VACANCY_TARGET, [(AREA, "leegstand", 2017, 21.9), (NL, "leegstand", 2017, 7.8)],
     "onder landelijk (7,8%)", "onder 7,8%"),
    (RATING, RATING_TARGET, [(AREA, "waardering", 2017, 7.0)], "minimaal 7,5", "7,5"),
])
def test_target_in_words_and_short(indicator, target, rows, label, short):
    r = m.evaluate(indicator, target, obs(rows), TODAY)
    assert (target_label(r), target_short(r)) == (label, short)


def test_summary_names_start_now_and_target_with_dutch_numbers():
    r = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2019, 3920)]), TODAY)
    sentence = summary_sentence(r)
    assert "van 3.800 (2017) naar 3.920 (2019)" in sentence
    assert "doel: 5.000" in sentence and f"Status: {r.status}." in sentence


def test_summary_without_a_measurement_says_so():
    r = m.evaluate(RATING, RATING_TARGET, obs([(AREA, "waardering", 2017, 7.0)]).iloc[0:0], TODAY)
    assert summary_sentence(r) == "Voor rapportcijfer is nog geen meting beschikbaar."


def test_summary_marks_a_verdict_resting_on_illustrative_values():
    r = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2025, 4100)], illustrative=True), TODAY)
    assert summary_sentence(r).endswith("(Dit oordeel rust op illustratieve waarden, geen metingen.)")


def test_start_data_says_installed_not_updated():
    """A 2017 figure from the installation is not 'bijgewerkt' today: say what is true."""
    r = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2017, 3800)]), TODAY)  # seed batch, 1-1-2026 00:00 UTC
    assert currency_text(r) == "Cijfer van 2017, ingelezen bij de installatie op 1-1-2026"
    assert newest_recorded_text([r]) == "Cijfers ingelezen bij de installatie op 1-1-2026"


def test_no_figure_yet_is_a_clause_like_the_others():
    """The overview adds ". Status van de doelen ..." after it: it said "Nog geen cijfers.. Status"."""
    r = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "bedrijven", 2017, 430)]), TODAY)  # none of banen
    assert newest_recorded_text([r]) == newest_recorded_text([]) == "Nog geen cijfers"


def test_imported_figure_says_when_in_amsterdam_time():
    rows = obs([(AREA, "banen", 2017, 3800), (AREA, "banen", "1-3-2027", 4100)])
    rows.loc[1, ["batch_kind", "batch_file", "batch_id", "recorded_at"]] = [
        "observaties", "cijfers.csv", 7, pd.Timestamp("2027-03-01 14:05")]
    r = m.evaluate(JOBS, JOBS_TARGET, rows, dt.date(2027, 3, 2))
    assert currency_text(r) == "Cijfer van 1-3-2027, geïmporteerd op 1-3-2027 15:05"
    assert newest_recorded_text([r]) == "Laatste import: 1-3-2027 15:05"


@pytest.mark.parametrize("kind, filename, batch_id, label", [
    ("seed", "data/reference/cijfers.csv", 1, "startgegevens bij de installatie"),
    ("demo", "data/demo-reeksen.csv", 3, "demoreeks bij de installatie"),
    ("observaties", "cijfers 2027.xlsx", 12, "import cijfers 2027.xlsx (nr. 12)"),
    (None, None, None, ""),
    ("", "", float("nan"), ""),
])
def test_batch_label_in_dutch_words(kind, filename, batch_id, label):
    assert batch_label(kind, filename, batch_id) == label


def test_import_history_says_installation_and_kind_in_dutch():
    from kpi.tables import batches_table

    batches = pd.DataFrame({
        "id": [1, 2, 3], "kind": ["seed", "demo", "observaties"], "filename": ["a.csv", "b.csv", "lisa.csv"],
        "sha256": ["", "", "ab" * 32], "rows_total": [5, 5, 1], "rows_added": [5, 5, 1], "rows_changed": [0, 0, 0],
        "rows_unchanged": [0, 0, 0], "created_by": ["seed", "seed", "anna"],
        "created_at": [pd.Timestamp("2026-11-23 14:43")] * 3, "undone_at": [pd.NaT, pd.NaT, pd.NaT]})
    table = batches_table(batches)
    assert table["Soort"].tolist() == ["startgegevens", "demoreeks", "cijfers"]
    assert table["Door"].tolist() == ["installatie", "installatie", "anna"]
    assert table["Tijd"].tolist() == ["23-11-2026 15:43"] * 3
    # One column for what a batch did to its rows (issue 19: eleven columns did not fit at 1280 px).
    assert table["Rijen"].tolist() == ["5: 5 nieuw", "5: 5 nieuw", "1: 1 nieuw"]
    assert list(table.columns) == ["Batch", "Soort", "Bestand", "Tijd", "Door", "Ongedaan gemaakt", "Rijen", "SHA-256"]


def test_rows_text_names_only_what_happened():
    from kpi.tables import rows_text

    assert rows_text(1200, 1000, 150, 50) == "1.200: 1.000 nieuw, 150 gewijzigd, 50 ongewijzigd"
    assert rows_text(3, 0, 1, 2) == "3: 1 gewijzigd, 2 ongewijzigd"
    assert rows_text(0, 0, 0, 0) == "0"


def test_summary_labels_an_assumed_starting_figure():
    """The ranking's 53 (2017) is not from the akkoord: the sentence says so, as the Bronnen page does."""
    rows = obs([(AREA, "ranking", 2017, 53), (AREA, "ranking", 2025, 33)])
    rows.loc[0, "note"] = "aanname, niet uit het akkoord: nummer 53 in de lijst van RTV Drenthe"
    r = m.evaluate(RANK, RANK_TARGET, rows, TODAY)
    assert summary_sentence(r).startswith(
        "Positie in ranking verbeterde van plaats 53 (2017; uitgangswaarde: aanname) naar plaats 33 (2025);")
    rows.loc[0, "note"] = "uitgangswaarde; telmoment niet vermeld"  # a known figure with a note: no label
    assert "aanname" not in summary_sentence(m.evaluate(RANK, RANK_TARGET, rows, TODAY))


def test_summary_labels_a_single_assumed_figure():
    rows = obs([(AREA, "ranking", 2017, 53)])
    rows.loc[0, "note"] = "Aanname: uit RTV Drenthe"
    r = m.evaluate(RANK, RANK_TARGET, rows, TODAY)
    assert summary_sentence(r).startswith("Positie in ranking is plaats 53 (2017; uitgangswaarde: aanname);")


def test_chart_text_says_what_the_chart_draws_and_its_sentence():
    from kpi.text import chart_text

    r = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2019, 3920)]), TODAY)
    assert chart_text(r) == ("Grafiek van aantal banen in Assen binnenstad: 2 metingen van 2017 tot 2019, "
                             "met de doellijn (5.000). " + summary_sentence(r))
    demo = obs([(AREA, "leegstand", 2017, 21.9), (NL, "leegstand", 2017, 7.8)], illustrative=True)
    r = m.evaluate(VACANCY, VACANCY_TARGET, demo, TODAY)
    assert chart_text(r).startswith("Grafiek van leegstand (verkooppunten) in Assen binnenstad: 1 meting, "
                                    "illustratief, met het landelijke cijfer. ")
    mixed = pd.concat([obs([(AREA, "banen", 2017, 3800)]), obs([(AREA, "banen", 2020, 4000), (AREA, "banen", 2021, 4100)],
                                                               illustrative=True).assign(id=[2, 3])], ignore_index=True)
    assert "3 metingen van 2017 tot 2021, waarvan 2 illustratief, met" in chart_text(
        m.evaluate(JOBS, JOBS_TARGET, mixed, TODAY))
    all_demo = obs([(AREA, "banen", 2020, 4000), (AREA, "banen", 2021, 4100)], illustrative=True)
    assert "2 metingen van 2020 tot 2021, alle illustratief, met" in chart_text(
        m.evaluate(JOBS, JOBS_TARGET, all_demo, TODAY))
    empty = m.evaluate(RATING, RATING_TARGET, obs([(AREA, "waardering", 2023, 7.1)]).iloc[0:0], TODAY)
    assert chart_text(empty) == "Grafiek van rapportcijfer in Assen binnenstad: nog geen metingen."


def test_sparkline_text_names_the_first_and_last_counting_values():
    from kpi.text import sparkline_text

    rows = obs([(AREA, "leegstand", 2017, 21.9), (AREA, "leegstand", 2024, 15.04), (NL, "leegstand", 2024, 7.0)])
    r = m.evaluate(VACANCY, VACANCY_TARGET, rows, TODAY)
    assert sparkline_text(r) == "Trendlijn van 2 metingen die meetellen: van 21,9% (2017) naar 15,0% (2024)"


def test_target_versions_table_combines_years_and_who():
    from kpi.tables import target_versions_table

    history = pd.DataFrame({
        "KPI": ["Aantal banen", "Ranking"], "Versie": [1, 2], "Basis": ["3.800", "plaats 53"],
        "Basisjaar": ["2017", "–"], "Doel": ["5.000", "plaats 25"], "Doeljaar": ["–", "2021"],
        "Horizon": ["2030 (aanname)", "2021"], "Landelijk bij de start": ["–", "–"],
        "Geldig vanaf": ["7-2-2018", "1-1-2026"], "Reden": ["Akkoord", "Herzien"], "Bron": ["Akkoord", "Regiegroep"],
        "Door": ["systeem", "redacteur"], "Vastgelegd": ["6-12-2026 22:07", "7-12-2026 09:00"],
    })
    out = target_versions_table(history)
    assert out.columns.tolist() == ["KPI", "Versie", "Basis", "Doel", "Landelijk bij de start", "Geldig vanaf",
                                    "Reden", "Bron", "Vastgelegd"]
    assert out["Basis"].tolist() == ["3.800 (2017)", "plaats 53"]
    assert out["Doel"].tolist() == ["5.000 (2030, aanname)", "plaats 25 (2021)"]
    assert out["Vastgelegd"].tolist() == ["6-12-2026 22:07, systeem", "7-12-2026 09:00, redacteur"]
