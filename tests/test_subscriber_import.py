"""Subscribers through the importer (issue 22), SQLite and PostgreSQL: preview, Dutch problems
with file, row and column, one batch, an unchanged list changes nothing, undo."""

from __future__ import annotations

from kpi import importer
from kpi.digest.subscribers import load_subscribers
from kpi.settings import Settings

GOOD = "naam;e-mail;centra;kpis;werkplan\nJan;Jan@Assen.nl;Assen binnenstad;alle;ja\nPiet;piet@x.nl;;leegstand, banen;nee\n"
BAD = "naam;e-mail;centra;kpis;werkplan\nX;geen-adres;Utrecht;foo;misschien\nY;piet@x.nl;;;nee\nZ;PIET@x.nl;;alle;\n"


def _prepare(engine, name, text):
    return importer.prepare(engine, [(name, text.encode())], Settings())


def test_a_subscriber_list_is_previewed_saved_and_undone(engine):
    preview = _prepare(engine, "abonnees.csv", GOOD)
    assert preview.kind == importer.SUBSCRIBERS and preview.summary() == "2 nieuw, 0 gewijzigd, 0 ongewijzigd"
    batch = importer.apply(engine, preview, "redacteur")
    subs = load_subscribers(engine)
    assert subs[["email", "kpis", "werkplan", "active"]].to_dict("records") == [
        {"email": "jan@assen.nl", "kpis": "alle", "werkplan": True, "active": True},
        {"email": "piet@x.nl", "kpis": "leegstand,banen", "werkplan": False, "active": True}]
    assert importer.apply(engine, _prepare(engine, "abonnees.csv", GOOD), "redacteur") is None
    off = _prepare(engine, "af.csv", "e-mail;actief\npiet@x.nl;nee\n")
    assert off.changed.to_dict("records")[0]["fields"] == "actief"
    token = subs.loc[1, "token"]
    second = importer.apply(engine, off, "redacteur")
    after = load_subscribers(engine).set_index("email")
    assert not after.loc["piet@x.nl", "active"] and after.loc["piet@x.nl", "kpis"] == "leegstand,banen"
    assert after.loc["piet@x.nl", "token"] == token  # the unsubscribe link stays valid
    importer.undo(engine, second, "redacteur")
    assert load_subscribers(engine).set_index("email").loc["piet@x.nl", "active"]
    importer.undo(engine, batch, "redacteur")
    assert load_subscribers(engine).empty


def test_bad_rows_are_named_by_file_row_and_column_in_dutch(engine):
    preview = _prepare(engine, "fout.csv", BAD)
    assert [str(p) for p in preview.problems] == [
        "fout.csv, rij 2, kolom 'e-mail': 'geen-adres' is geen geldig e-mailadres (bijvoorbeeld naam@assen.nl).",
        "fout.csv, rij 2, kolom 'centra': Onbekend centrum 'Utrecht'. Bekende gebieden: Assen binnenstad, Nederland.",
        "fout.csv, rij 2, kolom 'kpis': Onbekende KPI 'foo'. Gebruik 'alle' of een of meer van: banen, bedrijven, "
        "leegstand, waardering, ranking, leegstand_vvo, winkelvloeroppervlak, woningen, inwoners.",
        "fout.csv, rij 2, kolom 'werkplan': 'misschien' is geen ja of nee.",
        "fout.csv, rij 3, kolom 'kpis': Deze abonnee volgt niets: vul bij 'kpis' alle of een of meer KPI's in, "
        "of zet 'werkplan' op ja.",
        "fout.csv, rij 4, kolom 'e-mail': Het e-mailadres PIET@x.nl komt dubbel voor; staat ook in rij 3.",
    ]
    assert load_subscribers(engine).empty
