"""The import page, walked as an editor: upload, preview, save, see the new value."""

from tests.support.apptest import BANEN_METRIC, html_table_with, open_page, refused_to_viewer, run_app, texts

CSV = (
    "gebied;indicator;jaar;waarde;bron\n"
    "Assen binnenstad;banen;2026;4.350;LISA 2026\n"
    "Assen binnenstad;bedrijven;2025;458;Illustratieve demowaarde\n"
).encode("utf-8-sig")
BAD = b"gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2026;veel;LISA\n"


def test_editor_uploads_previews_saves_and_sees_the_new_value(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    assert not at.exception and not at.error
    at.file_uploader[0].upload("lisa.csv", CSV, "text/csv").run()
    assert not at.exception and not at.error
    assert any("1 nieuw" in i.value for i in at.info), [i.value for i in at.info]
    added = at.dataframe[0].value
    assert added["Waarde"].tolist() == ["4.350"]
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Opgeslagen als importbatch" in s.value for s in at.success)
    open_page(at, "overzicht").run()
    assert at.metric[BANEN_METRIC].value == "4.350"
    assert "LISA 2026" in [m.help for m in at.metric if m.value == "4.350"][0]


def test_bad_upload_lists_problems_with_row_and_column_and_saves_nothing(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("fout.csv", BAD, "text/csv").run()
    assert not at.exception
    problems = at.dataframe[0].value
    assert problems["Bestand"].tolist() == ["fout.csv"]
    assert problems["Rij"].astype(str).tolist() == ["2"]
    assert problems["Kolom"].tolist() == ["waarde"]
    assert not any(b.label == "Opslaan" for b in at.button)
    open_page(at, "overzicht").run()
    assert at.metric[BANEN_METRIC].value == "4.210"


def test_import_pages_are_not_offered_to_a_viewer(monkeypatch, sqlite_url):

    at = run_app(monkeypatch, sqlite_url)
    for page in ["importeren", "importgeschiedenis"]:
        refused_to_viewer(at, page)


def test_history_lists_the_batch_and_undo_restores(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("lisa.csv", CSV, "text/csv").run()
    next(b for b in at.button if b.label == "Opslaan").click().run()
    open_page(at, "importgeschiedenis").run()
    assert not at.exception and not at.error
    table = html_table_with(at, "Bestand", "Rijen")  # the page's own wrapping table: cell texts
    assert table["Bestand"].iloc[0] == "lisa.csv" and table["Rijen"].iloc[0] == "2: 1 nieuw, 1 gewijzigd"
    at.selectbox(key="undo_batch").select_index(0).run()
    at.checkbox(key="undo_sure").check().run()
    at.button(key="undo_button").click().run()
    assert not at.exception and not at.error
    assert any("ongedaan gemaakt" in s.value for s in at.success)
    open_page(at, "overzicht").run()
    assert at.metric[BANEN_METRIC].value == "4.210"
    assert "Cijfer van 2025, ingelezen bij de installatie" in texts(at)


def test_preview_shows_values_with_the_indicators_decimals_and_the_change_in_words(monkeypatch, sqlite_url):
    # Issue 8, case 13 on the page: "13,8 (illustratief) -> 7" and "-3 plaatsen" read as the CLI shows them.
    figures = (
        b"gebied;indicator;peildatum;waarde;bron\n"
        b"Assen binnenstad;leegstand;1-1-2025;7;Locatus\n"
        b"Assen binnenstad;ranking;2025;30;Ranking 2025\n"
        b"Assen binnenstad;waardering;2026;7,46;Bezoekersonderzoek 2026\n"
    )
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("cijfers.csv", figures, "text/csv").run()
    assert not at.exception and not at.error
    added, changed = at.dataframe[0].value, at.dataframe[1].value
    assert added[["Indicator", "Peildatum", "Waarde"]].values.tolist() == [["Rapportcijfer bezoekers", "2026", "7,46"]]
    assert changed[["Indicator", "Peildatum", "Oude waarde", "Waarde", "Verandering"]].values.tolist() == [
        ["Leegstand (verkooppunten)", "1-1-2025", "13,8% (illustratief)", "7,0%", "\u22126,8 procentpunt"],
        ["Positie in ranking binnensteden", "2025", "33 (illustratief)", "30", "3 plaatsen gestegen"],
    ]


TARGETS = (
    b"indicator,gebied,basiswaarde,basisjaar,doelwaarde,doeljaar,vergelijking,bron,planningshorizon,"
    b"basis_landelijk,reden\n"
    b'banen,Assen binnenstad,3800,2017,5000,,absoluut,"Binnenstadakkoord Assen, 7 februari 2018, art. 2 '
    b'(ambitie uit de Binnenstadvisie 2017: van 3.800 naar 5.000 arbeidsplaatsen)",2032,,Horizon herzien\n'
    b'leegstand,Assen binnenstad,21.9,2017,,,onder_landelijk,"Binnenstadakkoord Assen, 7 februari 2018, art. 2 '
    b"(leegstand terug tot onder het landelijk niveau; landelijk in binnensteden 7,8%, Assen 21,9%; bron "
    b'Locatus; maatstaf niet vermeld)",2030,7.9,Landelijk cijfer gecorrigeerd\n'
)


def test_targets_preview_shows_horizon_and_benchmark_changes(monkeypatch, sqlite_url):
    # A change to only the planningshorizon or basis_landelijk is visible, not a bare "gewijzigd".
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("doelen.csv", TARGETS, "text/csv").run()
    assert not at.exception and not at.error
    changed = at.dataframe[0].value  # nothing new: the changed tab holds the only table
    cols = ["Indicator", "Versie", "Doelwaarde", "Planningshorizon", "Basiswaarde", "Landelijk bij de start",
            "Vergelijking"]
    # Issue 19.9 and 19.16: a percentage with %, the comparison in words (not onder_landelijk).
    assert changed[cols].values.tolist() == [
        ["Aantal banen", "1 \u2192 2", "5.000", "2030 \u2192 2032", "3.800", "\u2013", "absoluut"],
        ["Leegstand (verkooppunten)", "1 \u2192 2", "\u2013", "2030", "21,9%", "7,8% \u2192 7,9%", "onder landelijk"],
    ]

def test_the_page_explains_the_format_itself_and_names_the_upload_limit(monkeypatch, sqlite_url):
    from kpi.importer.guide import IMPORT_GUIDE, IMPORT_GUIDE_TITLE
    from kpi.settings import Settings

    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    assert not at.exception
    assert "README" not in texts(at)  # an editor in the browser has no README at hand
    guide = next(e for e in at.expander if e.label == IMPORT_GUIDE_TITLE)
    assert IMPORT_GUIDE.strip() in [m.value.strip() for m in guide.markdown]
    limit = Settings().max_upload_mb
    assert at.file_uploader[0].label == f"Bestanden (CSV of .xlsx, hoogstens {limit} MB per bestand)"
    # The example in the guide is a file the importer accepts.
    example = IMPORT_GUIDE.split("```\n", 2)[1].split("```", 1)[0].encode("utf-8")
    at.file_uploader[0].upload("voorbeeld.csv", example, "text/csv").run()
    assert not at.exception and not at.error
    assert any("ongewijzigd" in i.value for i in at.info), [i.value for i in at.info]


def test_the_preview_names_indicators_and_shows_percentages_as_percentages():
    """Issue 19.9: names users know instead of codes, and '%' on a percentage."""
    import pandas as pd

    from kpi.tables import preview_table

    indicators = pd.DataFrame({"code": ["leegstand", "banen"], "name": ["Leegstand (verkooppunten)", "Aantal banen"],
                               "unit": ["procent", "aantal"], "decimals": [1, 0]})
    frame = pd.DataFrame({"area": ["Assen binnenstad"] * 2, "indicator": ["leegstand", "banen"],
                          "peildatum": ["2026", "2026"], "value": [14.6, 4350.0], "source": ["Locatus", "LISA"],
                          "note": ["", ""], "file": ["c.csv"] * 2, "row": [2, 3],
                          "old_value": [15.0, None], "old_source": ["Locatus", None], "old_illustrative": [True, None],
                          "old_note": ["", None]})
    table = preview_table(frame, indicators)
    assert table["Indicator"].tolist() == ["Leegstand (verkooppunten)", "Aantal banen"]
    assert table["Waarde"].tolist() == ["14,6%", "4.350"]
    assert table["Oude waarde"].tolist()[0] == "15,0% (illustratief)"


def test_after_an_undo_the_form_is_empty_so_one_more_click_undoes_nothing(monkeypatch, sqlite_url):
    # Issue 19.5: "Ik weet het zeker" stayed ticked and the next import was preselected.
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    for name in ["eerste.csv", "tweede.csv"]:
        at.file_uploader[0].upload(name, CSV if name == "eerste.csv" else CSV.replace(b"4.350", b"4.400"),
                                   "text/csv").run()
        next(b for b in at.button if b.label == "Opslaan").click().run()
        assert any("Opgeslagen als importbatch" in s.value for s in at.success), name
    open_page(at, "importgeschiedenis").run()
    batch = at.selectbox(key="undo_batch")
    assert batch.value is None and at.button(key="undo_button").disabled  # nothing preselected
    batch.select_index(0).run()
    at.checkbox(key="undo_sure").check().run()
    assert not at.button(key="undo_button").disabled
    at.button(key="undo_button").click().run()
    assert not at.exception and not at.error
    assert any("ongedaan gemaakt" in s.value for s in at.success)
    assert at.selectbox(key="undo_batch").value is None
    assert at.checkbox(key="undo_sure").value is False
    assert at.button(key="undo_button").disabled
    shown = html_table_with(at, "Bestand", "Ongedaan gemaakt")
    history = shown.set_index("Bestand")
    assert history.loc["tweede.csv", "Ongedaan gemaakt"] != "nee"
    assert history.loc["eerste.csv", "Ongedaan gemaakt"] == "nee"
    # The undone column comes before the counts and the checksum, so it shows at 1280 px.
    assert list(shown.columns[:6]) == ["Batch", "Soort", "Bestand", "Tijd", "Door", "Ongedaan gemaakt"]


def test_the_import_page_offers_an_excel_template_per_kind_of_file(monkeypatch, sqlite_url):
    # Issue 19.8: sjablonen for cijfers, doelen and acties (kpi.importer.templates), named by kind.
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Sjabloon cijfers", "Sjabloon doelen", "Sjabloon acties", "Sjabloon duiding", "Sjabloon thema's",
                      "Sjabloon rollen", "Sjabloon gebieden"]


def test_an_empty_part_of_the_preview_says_so_in_dutch(monkeypatch, sqlite_url):
    # Streamlit's empty table reads "empty"; the preview says in Dutch that a tab has no rows.
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("doelen.csv", TARGETS, "text/csv").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "Geen nieuwe rijen." in captions and "Geen ongewijzigde rijen." in captions
    assert len(at.dataframe) == 1


def test_the_action_preview_names_the_theme_as_the_werkplan_does(monkeypatch, sqlite_url):
    # Issue 19: the preview showed 'A' where the werkplan says 'A compact & compleet'.
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    actions = b"code;titel;thema;status;bron\nZ-01;Pop-upwinkels in lege panden;A;lopend;Actielijst 2026\n"
    at.file_uploader[0].upload("acties.csv", actions, "text/csv").run()
    assert not at.exception and not at.error
    added = at.dataframe[0].value
    assert added[["Code", "Thema"]].values.tolist() == [["Z-01", "A compact & compleet"]]
