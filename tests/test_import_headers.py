"""Issue 19.8: an Excel file with a title above its column headers, and the Excel templates
(sjablonen) per kind of import file, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kpi import importer, repository
from kpi.importer.model import ACTIONS, AREAS, DUIDING, OBSERVATIONS, ROLES, TARGETS, THEMES
from kpi.importer.templates import (
    LISTS_SHEET,
    TEMPLATE_LABELS,
    TEMPLATE_WORDS,
    template_file_name,
    template_kind,
    template_xlsx,
)
from kpi.werkplan import store as wp_store
from tests.support.importdata import SETTINGS, csv, db_state, xlsx

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
A = "Assen binnenstad"
TITLE = ["Binnenstadmonitor Assen: cijfers 2026"]
HEADER = ["gebied", "indicator", "jaar", "waarde", "bron"]


def prepare(engine, name: str, rows: list[list], **kw):
    return importer.prepare(engine, [(name, xlsx(rows, **kw))], SETTINGS, today=TODAY)


def test_a_title_row_above_the_headers_is_skipped(engine):
    preview = prepare(engine, "titel.xlsx", [TITLE, [], HEADER, [A, "banen", 2025, 4310, "LISA"]])
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview.changed["row"].tolist() == [4]  # the spreadsheet's own row number


def test_after_a_title_row_messages_name_the_real_spreadsheet_rows(engine):
    preview = prepare(engine, "titel.xlsx", [TITLE, ["Bron: gemeente Assen"], [], HEADER,
                                             [A, "banen", 2025, 4310, "LISA"], [A, "banen", 2024, "veel", "LISA"]])
    assert [str(p) for p in preview.problems] == ["titel.xlsx, rij 6, kolom 'waarde': 'veel' is geen getal."]


def test_a_csv_with_a_title_line_finds_its_separator_and_headers_below_it(engine):
    data = csv(f"Cijfers binnenstad 2026\n\n{';'.join(HEADER)}\n{A};banen;2025;4.310;LISA\n{A};banen;2024;veel;LISA")
    preview = importer.prepare(engine, [("titel.csv", data)], SETTINGS, today=TODAY)
    assert [str(p) for p in preview.problems] == ["titel.csv, rij 5, kolom 'waarde': 'veel' is geen getal."]


def test_targets_and_actions_with_a_title_row_are_found_too(engine):
    targets = prepare(engine, "doelen.xlsx", [["Doelen 2027"], [
        "indicator", "gebied", "basiswaarde", "basisjaar", "doelwaarde", "doeljaar", "richting", "vergelijking",
        "bron", "reden"], ["banen", A, 3800, 2017, 5600, 2030, "hoger", "absoluut", "Akkoord", "Herijking"]])
    assert targets.ok and targets.kind == TARGETS, [str(p) for p in targets.problems]
    actions = prepare(engine, "acties.xlsx", [["Werkplan 2026"], [], ["code", "titel", "thema", "status", "bron"],
                                              ["T-1", "Proef", "A", "gepland", "Werkplan"]])
    assert actions.ok and actions.kind == ACTIONS, [str(p) for p in actions.problems]


def test_headers_missing_a_column_below_a_title_say_where_the_headers_are(engine):
    preview = prepare(engine, "titel.xlsx", [TITLE, [], ["gebied", "indicator", "jaar", "bron"],
                                             [A, "banen", 2025, "LISA"]])
    assert str(preview.problems[0]) == ("titel.xlsx, rij 3: De kolomkoppen staan in rij 3 (de rijen erboven, zoals "
                                        "een titel, worden overgeslagen), maar daar ontbreekt de kolom 'waarde'.")
    assert all(p.row in (3, None) for p in preview.problems)  # no message about the title row


def test_no_header_row_in_the_first_20_rows_is_said_with_the_missing_columns(engine):
    rows = [[f"Toelichting {i}"] for i in range(1, 21)] + [HEADER, [A, "banen", 2025, 4310, "LISA"]]
    preview = prepare(engine, "laat.xlsx", rows)
    first = preview.problems[0]
    assert first.row is None and first.message.startswith("De kolomkoppen zijn niet gevonden: geen van de eerste 20 rijen")
    assert "cijfers: gebied, indicator, peildatum of jaar, waarde" in first.message


def test_the_header_search_stays_within_the_import_budget(engine):
    """A large file with a title row: the search looks at 20 rows, not at every row."""
    rows = [TITLE, HEADER] + [[A, "banen", 1900 + (i % 120), 4000 + i, "LISA"] for i in range(5000)]
    started = dt.datetime.now()
    preview = prepare(engine, "groot.xlsx", rows)
    assert (dt.datetime.now() - started).total_seconds() < 20
    assert not any("kolomkoppen" in p.message for p in preview.problems)


# ---- templates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [OBSERVATIONS, TARGETS, ACTIONS, DUIDING, THEMES, ROLES])
def test_each_template_imports_its_example_row_without_problems_and_saves_nothing(engine, kind):
    before = db_state(engine)
    data = template_xlsx(engine, kind, today=TODAY)
    preview = importer.prepare(engine, [(template_file_name(kind), data)], SETTINGS, today=TODAY)
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview.kind == kind
    assert len(preview.added) + len(preview.changed) + len(preview.unchanged) == 1
    assert db_state(engine) == before


def _validations(data: bytes) -> dict[str, list[str]]:
    """Data column header -> the values its drop-down list offers (read from the lists sheet)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws, lists = wb.worksheets[0], wb[LISTS_SHEET]
    headers = [c.value for c in ws[1]]
    out = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        sheet, ref = dv.formula1.lstrip("=").split("!")
        assert sheet == LISTS_SHEET
        first, last = ref.replace("$", "").split(":")
        column = "".join(ch for ch in first if ch.isalpha())
        values = [lists[f"{column}{r}"].value for r in range(int(first[len(column):]), int(last[len(column):]) + 1)]
        for rng in str(dv.sqref).split():
            target = "".join(ch for ch in rng.split(":")[0] if ch.isalpha())
            out[headers[openpyxl.utils.column_index_from_string(target) - 1]] = values
    return out


def test_the_drop_down_lists_hold_the_databases_own_codes(engine):
    indicators = repository.load_indicators(engine)["code"].tolist()
    areas = repository.load_areas(engine)["name"].tolist()
    figures = _validations(template_xlsx(engine, OBSERVATIONS, today=TODAY))
    assert figures["indicator"] == indicators and figures["gebied"] == areas
    targets = _validations(template_xlsx(engine, TARGETS, today=TODAY))
    assert targets["indicator"] == indicators and targets["vergelijking"] == ["absoluut", "onder_landelijk", "toename"]
    actions = _validations(template_xlsx(engine, ACTIONS, today=TODAY))
    assert actions["thema"] == wp_store.load_themes(engine, "Assen binnenstad")["label"].tolist()
    assert actions["rol"] == wp_store.load_roles(engine, "Assen binnenstad")["name"].tolist()
    assert actions["status"] == ["gepland", "lopend", "afgerond", "vertraagd", "gestopt"]
    assert actions["kpis"] == indicators


def test_a_new_area_appears_in_the_next_template(engine):
    preview = importer.prepare(engine, [("nieuw.xlsx", xlsx([HEADER, ["Assen Kloosterveen", "banen", 2025, 10, "LISA"]]))],
                               SETTINGS, today=TODAY, create_areas=True)
    importer.apply(engine, preview, "tester")
    assert "Assen Kloosterveen" in _validations(template_xlsx(engine, OBSERVATIONS, today=TODAY))["gebied"]


def test_template_kinds_cover_the_importers_kinds():
    assert set(TEMPLATE_WORDS) == {OBSERVATIONS, TARGETS, ACTIONS, DUIDING, THEMES, ROLES, AREAS}
    assert set(TEMPLATE_LABELS) == set(TEMPLATE_WORDS)
    # The page says "Sjabloon thema's" as Dutch spells it; the file name and the CLI word stay
    # without an apostrophe, and the word a reader sees is also one the CLI takes.
    assert TEMPLATE_LABELS[THEMES] == "thema's" and template_file_name(THEMES) == "sjabloon-themas.xlsx"
    assert all("'" not in template_file_name(kind) for kind in TEMPLATE_WORDS)
    assert all(template_kind(TEMPLATE_LABELS[kind]) == kind == template_kind(TEMPLATE_WORDS[kind])
               for kind in TEMPLATE_WORDS)
    assert template_kind("metingen") == OBSERVATIONS and template_kind("Doelen") == TARGETS
    with pytest.raises(ValueError, match="Onbekende soort sjabloon"):
        template_kind("begroting")


def test_cli_writes_a_template_that_imports_with_dry_run(db_url, tmp_path):
    env = {"KPI_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin", "LOGNAME": "cli-tester"}

    def kpi(*args):
        return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)

    out = tmp_path / "sjabloon-acties.xlsx"
    made = kpi("sjabloon", "acties", str(out))
    assert made.returncode == 0, made.stderr
    assert "Sjabloon voor acties geschreven" in made.stdout
    dry = kpi("import", str(out), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Proefrun (--dry-run): er is niets opgeslagen." in dry.stdout
    assert kpi("sjabloon", "begroting", str(out)).returncode == 1


def test_a_targets_template_without_any_target_stored_still_imports_cleanly(engine):
    import sqlalchemy as sa

    from kpi import schema

    with engine.begin() as conn:
        conn.execute(sa.delete(schema.targets))
    data = template_xlsx(engine, TARGETS, today=TODAY)
    preview = importer.prepare(engine, [("sjabloon-doelen.xlsx", data)], SETTINGS, today=TODAY)
    assert preview.ok and len(preview.added) == 1, [str(p) for p in preview.problems]
