"""Action lists of the werkplan through the importer (issue 9): recognised by their columns,
validated with Dutch row/column messages, previewed, one batch, undo restores exactly; the
page's status edit is a one-row import. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from kpi import importer, repository
from kpi.importer import ACTIONS, ImportRefused, forms
from kpi.importer.actions import preview_table
from kpi.werkplan import store as wp_store
from tests.support.cli import run_kpi
from tests.support.importdata import SETTINGS, csv, db_state, xlsx

ROOT = Path(__file__).resolve().parent.parent
SOURCE_A = "Werkplan Binnenstad Assen deel A, 19 september 2018, hoofdstuk 1 (economische ontwikkelstrategie)"
NOTE_A = "Stand na 2018 niet openbaar: werk de status bij via de actielijst."
HEADERS = ["Code", "Titel", "Thema", "Eigenaar", "Rol", "Jaar", "Start", "Deadline", "Status", "Budget",
           "Besteed", "Fonds", "KPI", "Toelichting", "Bron"]
UNCHANGED_1_2 = ["1.2", "Een externe strategisch-economisch deskundige de opdracht geven", "A", None, None, None,
                 None, None, "gepland", None, None, None, "banen, bedrijven", NOTE_A, SOURCE_A]
PROGRAMME = "Actielijst programmabureau 2026"


def good_xlsx() -> bytes:
    """The programme office's Excel: tidy, Dutch headers, Dutch dates as text and as date cells."""
    return xlsx([
        HEADERS,
        ["1.1", "Een groep ondernemers vormen die helpt een opdracht op te stellen en te begeleiden", "A",
         "Vaart in Assen", "Regisseur", 2026, "1-3-2026", "1-3-2027", "Loopt", "€ 12.500", "4.250,50",
         "Binnenstadfonds", "banen, bedrijven", "Groep gevormd; eerste bijeenkomst geweest.", PROGRAMME],
        UNCHANGED_1_2,
        ["A-10", "Pop-upwinkels in lege panden", "compact & compleet", "gemeente", "acquisiteur", "2027",
         dt.datetime(2027, 1, 15), dt.datetime(2027, 12, 31), "gepland", 30000, None, "gemeente", "leegstand",
         None, PROGRAMME],
    ])


def run(engine, files, user="tester", **kw):
    preview = importer.prepare(engine, files, SETTINGS, **kw)
    assert preview.ok, [str(p) for p in preview.problems]
    return preview, importer.apply(engine, preview, user)


def by_code(engine, as_of=None) -> dict[str, dict]:
    return {r["code"]: r for r in wp_store.load_actions(engine, "Assen binnenstad", as_of).to_dict("records")}


def test_excel_action_list_imports_with_preview_and_exact_values(engine):
    before = wp_store.load_actions(engine, "Assen binnenstad")
    preview = importer.prepare(engine, [("acties.xlsx", good_xlsx())], SETTINGS)
    assert preview.ok and preview.kind == ACTIONS
    assert preview.summary() == "1 nieuw, 1 gewijzigd, 1 ongewijzigd"
    assert preview.added[["code", "status", "row"]].values.tolist() == [["A-10", "Gepland", 4]]
    changed = preview.changed.iloc[0]
    assert (changed["code"], changed["old_status"], changed["status"]) == ("1.1", "Gepland", "Loopt")
    assert changed["fields"] == "eigenaar, rol, jaar, start, deadline, status, budget, besteed, fonds, toelichting, bron"
    assert preview.unchanged["code"].tolist() == ["1.2"]
    assert list(preview_table(preview.changed).columns) == [
        "Code", "Actie", "Thema", "Status", "Bestand", "Rij", "Status was", "Was illustratief", "Gewijzigd"]
    # Issue 19: the theme as the werkplan names it, not only its letter ('compact & compleet' in the
    # file for A-10, the letter A for 1.1: both read the same).
    themes = wp_store.load_themes(engine, "Assen binnenstad")
    assert preview_table(preview.added, themes)["Thema"].tolist() == ["A compact & compleet"]
    assert preview_table(preview.changed, themes)["Thema"].tolist() == ["A compact & compleet"]
    assert preview_table(preview.added)["Thema"].tolist() == ["A"]  # without the themes: the letter
    pd.testing.assert_frame_equal(wp_store.load_actions(engine, "Assen binnenstad"), before)  # a preview writes nothing

    batch = importer.apply(engine, preview, "programmabureau")
    after = by_code(engine)
    a11, a10 = after["1.1"], after["A-10"]
    assert (a11["status"], a11["owner"], a11["role"], a11["year"]) == ("lopend", "Vaart in Assen", "Regisseur", 2026)
    assert (a11["start"], a11["due"]) == (pd.Timestamp(2026, 3, 1), pd.Timestamp(2027, 3, 1))
    assert (a11["budget"], a11["spent"], a11["fund"]) == (12500.0, 4250.5, "binnenstadfonds")
    assert a11["kpis"] == ("banen", "bedrijven") and a11["source"] == PROGRAMME
    assert a11["batch_id"] == batch and a11["recorded_by"] == "programmabureau" and not a11["illustrative"]
    assert (a10["theme"], a10["role"], a10["year"], a10["fund"], a10["kpis"]) == (
        "A", "Acquisiteur", 2027, "gemeente", ("leegstand",))
    assert (a10["start"], a10["due"], a10["budget"]) == (pd.Timestamp(2027, 1, 15), pd.Timestamp(2027, 12, 31), 30000.0)
    assert pd.isna(a10["spent"]) and a10["note"] == ""
    assert after["1.2"]["batch_id"] == before.set_index("code").loc["1.2", "batch_id"]  # unchanged: no new version
    row = repository.load_batches(engine).set_index("id").loc[batch]
    assert (row["kind"], row["rows_total"], row["rows_added"], row["rows_changed"], row["rows_unchanged"]) == (
        "acties", 3, 1, 1, 1)


def test_english_headers_and_a_csv_that_lacks_optional_columns_keeps_them(engine):
    _, first = run(engine, [("a.xlsx", good_xlsx())])
    # Only status and note: the budget, dates and KPI links of 1.1 stay as stored.
    _, second = run(engine, [("b.csv", csv(
        "code,title,theme,status,note,source\n"
        "1.1,Een groep ondernemers vormen die helpt een opdracht op te stellen en te begeleiden,A,afgerond,"
        f"Opdracht vastgesteld.,{PROGRAMME}\n"))])
    a11 = by_code(engine)["1.1"]
    assert (a11["status"], a11["note"], a11["budget"], a11["due"], a11["kpis"]) == (
        "afgerond", "Opdracht vastgesteld.", 12500.0, pd.Timestamp(2027, 3, 1), ("banen", "bedrijven"))
    assert a11["batch_id"] == second != first


def test_a_bad_action_list_is_refused_with_row_and_column_and_nothing_changes(engine):
    state = db_state(engine)
    bad = xlsx([
        HEADERS,
        ["1.1", "Titel", "G", None, "Koffiezetter", "26", "31-2-2026", "1-1-2026", "bezig", "veel", "-5",
         "spaarpot" * 6, "banen, omzet", None, PROGRAMME],
        ["A-11", None, "B", None, None, None, "1-6-2027", "2026", "gepland", None, None, None, None, None, None],
        ["A-11", "Nog eens", "B", None, None, None, "1-6-2027", "1-1-2027", None, None, None, None, None, None, "x"],
    ])
    preview = importer.prepare(engine, [("fout.xlsx", bad)], SETTINGS)
    assert [str(p) for p in preview.problems] == [
        "fout.xlsx, rij 2, kolom 'Thema': Onbekend thema 'G'. Gebruik de letter A-F of de naam: A compact & compleet, "
        "B prettig & comfortabel, C bereikbaar, D historisch, cultureel & actief, E gastvrij, ondernemend & "
        "collectief samenwerkend, F goed bekend.",
        "fout.xlsx, rij 2, kolom 'Rol': Onbekende rol 'Koffiezetter'. Bekende rollen: " + ROLES + ".",
        "fout.xlsx, rij 2, kolom 'Jaar': '26' is geen jaartal (bijvoorbeeld 2026).",
        "fout.xlsx, rij 2, kolom 'Start': '31-2-2026' is geen geldige datum; gebruik een dag (1-3-2027 of 2027-03-01).",
        "fout.xlsx, rij 2, kolom 'Status': Onbekende status 'bezig'. Gebruik: gepland, lopend, afgerond, vertraagd, "
        "gestopt.",
        "fout.xlsx, rij 2, kolom 'Budget': 'veel' is geen bedrag in euro's (bijvoorbeeld 12.500 of € 12.500).",
        "fout.xlsx, rij 2, kolom 'Besteed': Het bestede bedrag '-5' is negatief.",
        "fout.xlsx, rij 2, kolom 'Fonds': De naam van het fonds is langer dan 40 tekens.",
        "fout.xlsx, rij 2, kolom 'KPI': Onbekende KPI 'omzet'. Bekende KPI's: banen, bedrijven, leegstand, "
        "waardering, ranking, leegstand_vvo, winkelvloeroppervlak, woningen, inwoners.",
        "fout.xlsx, rij 3, kolom 'Titel': De titel is leeg.",
        "fout.xlsx, rij 3, kolom 'Deadline': '2026' is geen geldige datum; gebruik een dag (1-3-2027 of 2027-03-01).",
        "fout.xlsx, rij 3, kolom 'Bron': De bron is leeg; vul de bron in (of geef één bron op voor het hele bestand).",
        "fout.xlsx, rij 4, kolom 'Start': De start 1-6-2027 ligt na de deadline 1-1-2027.",
        "fout.xlsx, rij 4, kolom 'Status': De status is leeg.",
        "fout.xlsx, rij 4, kolom 'Code': De actie A-11 komt dubbel voor; staat ook in rij 3.",
    ]
    with pytest.raises(ImportRefused):
        importer.apply(engine, preview, "tester")
    assert db_state(engine) == state


ROLES = ("Regisseur, Verbinder, Acquisiteur, Marketeer, Event-coördinator, Huismeester, Communicatie-medewerker, "
         "Programmamanager, Programmateam, Regiegroep, Projectgroep, ThemaTafels, Raad van Advies")


def test_a_file_without_required_columns_names_them(engine):
    preview = importer.prepare(engine, [("a.csv", csv("code,status,deadline\n1.1,lopend,1-1-2027\n"))], SETTINGS)
    assert [str(p) for p in preview.problems] == [
        "a.csv, rij 1: De kolom 'titel' (of 'title') ontbreekt. Gevonden kolommen: code, status, deadline.",
        "a.csv, rij 1: De kolom 'thema' (of 'theme') ontbreekt. Gevonden kolommen: code, status, deadline.",
        "a.csv, rij 1: De kolom 'bron' (of 'source') ontbreekt. Voeg een kolom 'bron' toe of geef één bron op "
        "voor het hele bestand (--bron). Gevonden kolommen: code, status, deadline.",
    ]


def test_an_action_list_is_not_imported_together_with_figures(engine):
    figures = csv("gebied,indicator,jaar,waarde,bron\nAssen binnenstad,bedrijven,2024,455,LISA\n")
    preview = importer.prepare(engine, [("acties.xlsx", good_xlsx()), ("cijfers.csv", figures)], SETTINGS)
    assert [str(p) for p in preview.problems] == [
        "acties.xlsx: Dit is een actielijst van het werkplan; een actielijst kan niet samen met cijfers of doelen "
        "worden ingelezen. Importeer het apart."]


def test_undo_restores_exactly_and_keeps_the_as_of_history(engine):
    before = wp_store.load_actions(engine, "Assen binnenstad")
    _, batch = run(engine, [("acties.xlsx", good_xlsx())])
    moment = repository.utcnow()
    importer.undo(engine, batch, "tester")
    after = wp_store.load_actions(engine, "Assen binnenstad")
    fields = [c for c in wp_store.ACTION_COLUMNS if c not in ("id", "recorded_at")]
    pd.testing.assert_frame_equal(after[fields], before[fields])
    assert "A-10" not in set(after["code"])
    # As known just before the undo, the import's versions were current.
    assert by_code(engine, moment)["1.1"]["status"] == "lopend"
    with pytest.raises(ImportRefused, match="al ongedaan gemaakt"):
        importer.undo(engine, batch, "tester")


def test_undo_is_refused_while_a_later_batch_replaced_an_action(engine):
    _, first = run(engine, [("a.xlsx", good_xlsx())])
    _, second = run(engine, [("b.csv", csv(f"code,titel,thema,status,bron\nA-10,Pop-ups,A,lopend,{PROGRAMME}\n"))])
    with pytest.raises(ImportRefused) as exc:
        importer.undo(engine, first, "tester")
    assert str(exc.value) == (f"Importbatch {first} kan niet ongedaan worden gemaakt: waarden ervan zijn later "
                              f"vervangen door importbatch {second} (b.csv). Maak eerst importbatch {second} ongedaan.")
    importer.undo(engine, second, "tester")
    importer.undo(engine, first, "tester")
    assert "A-10" not in by_code(engine)


def test_the_seeded_actions_are_base_data_that_undo_refuses(engine):
    seed = int(by_code(engine)["1.1"]["batch_id"])
    with pytest.raises(ImportRefused, match="basisgegevens"):
        importer.undo(engine, seed, "tester")


def test_a_real_list_replaces_an_illustrative_action_even_with_the_same_fields(engine):
    demo = pd.read_csv(ROOT / "data" / "werkplan-demo-acties.csv", dtype=str, keep_default_na=False).head(1)
    preview = importer.prepare(engine, [("demo.csv", demo.to_csv(index=False).encode())], SETTINGS)
    assert preview.summary() == "0 nieuw, 1 gewijzigd, 0 ongewijzigd"
    assert preview.changed[["code", "old_illustrative", "fields"]].values.tolist() == [["A-01", True, ""]]
    importer.apply(engine, preview, "tester")
    assert not by_code(engine)["A-01"]["illustrative"]


def test_a_real_row_replacing_an_illustrative_action_inherits_none_of_its_demo_fields(engine):
    demo = by_code(engine)["A-01"]
    assert demo["illustrative"] and demo["budget"] and demo["kpis"] and demo["note"]  # the check can fail
    run(engine, [("echt.csv", csv(f"code;titel;thema;status;bron\nA-01;Leegstaande panden aanbieden;A;afgerond;{PROGRAMME}\n"))])
    real = by_code(engine)["A-01"]
    assert not real["illustrative"]
    assert (real["status"], real["source"]) == ("afgerond", PROGRAMME)
    # Nothing of the demo action comes along: no budget, spent, fund, role, owner, dates, links or note.
    assert pd.isna(real["budget"]) and pd.isna(real["spent"]) and pd.isna(real["start"]) and pd.isna(real["due"])
    assert (real["fund"], real["role"], real["owner"], real["year"], real["kpis"], real["note"]) == (
        None, None, "", None, (), "")


def test_the_page_edit_is_a_one_row_import_that_undo_takes_back(engine):
    action = by_code(engine)["1.3"]
    batch = forms.update_action(engine, action, status="lopend", note="Gestart in overleg met de ThemaTafel.",
                                        user="redacteur")
    now = by_code(engine)["1.3"]
    assert (now["status"], now["note"], now["batch_id"], now["kpis"], now["source"]) == (
        "lopend", "Gestart in overleg met de ThemaTafel.", batch, ("banen", "bedrijven"), SOURCE_A)
    row = repository.load_batches(engine).set_index("id").loc[batch]
    assert (row["kind"], row["filename"], row["rows_changed"]) == ("acties", "formulier Werkplan", 1)
    # The same again changes nothing and records no batch.
    assert forms.update_action(engine, now, status="lopend", note=now["note"], user="redacteur") is None
    # A form opened on the old version is refused: someone changed it meanwhile.
    with pytest.raises(ImportRefused, match="intussen gewijzigd"):
        forms.update_action(engine, action, status="afgerond", note="", user="ander")
    with pytest.raises(ImportRefused, match="Onbekende status 'klaar'"):
        forms.update_action(engine, now, status="klaar", note="", user="redacteur")
    importer.undo(engine, batch, "redacteur")
    assert (by_code(engine)["1.3"]["status"], by_code(engine)["1.3"]["note"]) == ("gepland", NOTE_A)


def test_the_page_does_not_edit_an_illustrative_action(engine):
    state = db_state(engine)
    with pytest.raises(ImportRefused, match="illustratieve voorbeeldactie"):
        forms.update_action(engine, by_code(engine)["A-01"], status="afgerond", note="", user="r")
    assert db_state(engine) == state


def test_cli_imports_an_action_list_and_refuses_a_bad_one(db_url, tmp_path):
    good, bad = tmp_path / "acties.xlsx", tmp_path / "fout.csv"
    good.write_bytes(good_xlsx())
    bad.write_bytes(csv("code,titel,thema,status,bron\n1.1,X,Z,lopend,b\n"))

    def cli(*args):
        return run_kpi(db_url, *args)

    out = cli("import", str(good), "--gebruiker", "cli")
    assert out.returncode == 0, out.stderr
    assert "  A-10 Pop-upwinkels in lege panden: Gepland" in out.stdout
    assert "  1.1 Een groep ondernemers vormen die helpt een opdracht op te stellen en te begeleiden: Gepland → Loopt" \
        in out.stdout
    assert "acties.xlsx: 1 nieuw, 1 gewijzigd, 1 ongewijzigd" in out.stdout
    out = cli("import", str(bad))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "fout.csv, rij 2, kolom 'thema': Onbekend thema 'Z'." in out.stderr


def test_the_preview_names_changed_fields_in_words_not_the_file_column_kpis(engine):
    # Issue 19.16: "Gewijzigd: KPI's", not the file's column name "kpis".
    src = "Werkplan Binnenstad Assen deel A, 19 september 2018, hoofdstuk 1 (economische ontwikkelstrategie)"
    preview = importer.prepare(engine, [("a.csv", csv(
        "code;titel;thema;status;kpis;bron\n"
        f"1.3;Het einddoel vertalen naar strategieën voor de korte termijn;A;gepland;leegstand;{src}\n"))], SETTINGS)
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview_table(preview.changed)["Gewijzigd"].tolist() == ["KPI's"]
