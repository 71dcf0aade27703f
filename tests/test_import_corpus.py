"""A corpus of bad import files, one per kind of problem, on SQLite and PostgreSQL.

Each case is built as code, imported through the API, and must give Dutch problems that
name the file, the spreadsheet row and the column header (where those apply), while the
database stays exactly as it was: byte for byte on SQLite, row for row on PostgreSQL.
The database is seeded once per module and kind; every case checks it is still unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kpi import importer
from kpi.db import ensure_ready, make_engine
from tests.conftest import DB_KINDS, _new_pg_database
from tests.support.importdata import SETTINGS, csv, db_state, xlsx

TODAY = dt.date(2026, 11, 22)
H = "gebied;indicator;jaar;waarde;bron"
A = "Assen binnenstad"
TARGET_HEADER = "indicator,gebied,basiswaarde,basisjaar,doelwaarde,doeljaar,richting,vergelijking,bron,reden"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))


def one(name: str, data: bytes):
    return lambda: [(name, data)]


def tidy(*rows: str, header: str = H):
    return one("cijfers.csv", csv("\n".join([header, *rows])))


# (id, files, prepare keyword arguments, expected [(file, row, column, fragment of the message)])
CASES = [
    ("kolom_ontbreekt", tidy(f"{A};banen;2024;4100", header="gebied;indicator;jaar;bron"), {},
     [("cijfers.csv", 1, None, "De kolom 'waarde' (of 'value') ontbreekt")]),
    ("xlsx_zonder_verwachte_kolommen", one("adressen.xlsx", xlsx([["Naam", "Adres"], ["Jan", "Markt 1"]])), {},
     [("adressen.xlsx", 1, None, "De kolom 'gebied'"), ("adressen.xlsx", 1, None, "De kolom 'waarde'"),
      ("adressen.xlsx", 1, "Naam", "Onbekende kolom")]),
    ("onbekende_indicator", tidy(f"{A};bezoekers;2024;100;Telling"), {},
     [("cijfers.csv", 2, "indicator", "Onbekende indicator 'bezoekers'")]),
    ("onbekend_gebied", tidy(f"{A};banen;2024;4100;LISA", "Utrecht centrum;banen;2024;9000;LISA"), {},
     [("cijfers.csv", 3, "gebied", "Onbekend gebied 'Utrecht centrum'")]),
    ("gebied_leeg", tidy(";banen;2024;4100;LISA"), {}, [("cijfers.csv", 2, "gebied", "Het gebied is leeg")]),
    ("indicator_leeg", tidy(f"{A};;2024;4100;LISA"), {}, [("cijfers.csv", 2, "indicator", "De indicator is leeg")]),
    ("procent_buiten_bereik", tidy(f"{A};leegstand;2024;120;Locatus"), {},
     [("cijfers.csv", 2, "waarde", "'120' ligt buiten het bereik van een percentage")]),
    ("cijfer_buiten_bereik", tidy(f"{A};waardering;2024;11;Enquête"), {},
     [("cijfers.csv", 2, "waarde", "'11' is geen rapportcijfer tussen 1 en 10")]),
    ("positie_geen_geheel_getal", tidy(f"{A};ranking;2024;3,5;Ranglijst"), {},
     [("cijfers.csv", 2, "waarde", "'3,5' is geen geldige positie")]),
    ("aantal_negatief", tidy(f"{A};banen;2024;-5;LISA"), {},
     [("cijfers.csv", 2, "waarde", "'-5' is geen geldig aantal")]),
    ("ongeldige_datum", tidy(f"{A};leegstand;31-02-2020;14,2;Locatus", header="gebied;indicator;peildatum;waarde;bron"),
     {}, [("cijfers.csv", 2, "peildatum", "'31-02-2020' is geen geldige peildatum")]),
    ("ongeldig_jaar", tidy(f"{A};banen;20x5;4100;LISA"), {},
     [("cijfers.csv", 2, "jaar", "'20x5' is geen geldig jaartal")]),
    ("peildatum_in_toekomst", tidy(f"{A};banen;2024;4100;LISA", f"{A};banen;2030;5100;LISA"), {},
     [("cijfers.csv", 3, "jaar", "Het jaar 2030 ligt in de toekomst")]),
    ("dubbele_regel", tidy(f"{A};banen;2024;4100;LISA", f"{A};banen;2024;4200;LISA"), {},
     [("cijfers.csv", 3, "jaar", "komt dubbel voor; staat ook in rij 2")]),
    ("waarde_leeg", tidy(f"{A};banen;2024;;LISA"), {}, [("cijfers.csv", 2, "waarde", "De waarde is leeg")]),
    ("waarde_geen_getal", tidy(f"{A};leegstand;2024;21,9x;Locatus"), {},
     [("cijfers.csv", 2, "waarde", "'21,9x' is geen getal.")]),
    ("decimaalpunt_in_kommabestand", tidy(f"{A};leegstand;2023;21,9%;Locatus", f"{A};leegstand;2024;14.6;Locatus"), {},
     [("cijfers.csv", 3, "waarde", "het gebruikt een komma als decimaalteken")]),
    ("procentteken_bij_aantal", tidy(f"{A};banen;2024;4.300%;LISA"), {},
     [("cijfers.csv", 2, "waarde", "heeft een procentteken, maar banen is geen percentage")]),
    ("bron_leeg", tidy(f"{A};banen;2024;4100;"), {}, [("cijfers.csv", 2, "bron", "De bron is leeg")]),
    ("leeg_bestand", one("cijfers.csv", b""), {}, [("cijfers.csv", None, None, "Het bestand is leeg")]),
    ("alleen_kopregel", tidy(), {}, [("cijfers.csv", None, None, "alleen een kopregel")]),
    ("binair_bestand_als_csv", one("cijfers.csv", PNG), {},
     [("cijfers.csv", None, None, "geen tekstbestand (CSV)")]),
    ("excel_bestand_als_csv", one("cijfers.csv", xlsx([["gebied"]])), {},
     [("cijfers.csv", None, None, "Het lijkt een Excel-bestand (.xlsx)")]),
    ("csv_als_xlsx", one("cijfers.xlsx", csv(f"{H}\n{A};banen;2024;4100;LISA")), {},
     [("cijfers.xlsx", None, None, "geen geldig Excel-bestand")]),
    ("te_groot", one("groot.csv", csv(H + "\n" + f"{A};banen;2024;4100;LISA\n" * 29000)), {"max_mb": 1},
     [("groot.csv", None, None, "Het bestand is te groot (1,1 MB); de grens is 1 MB")]),
    ("onbekende_extensie", one("cijfers.pdf", b"%PDF-1.7"), {},
     [("cijfers.pdf", None, None, "Onbekende bestandssoort ('.pdf')")]),
    ("onleesbare_tekens", one("cijfers.csv", csv(f"{H}\n{A};banen;2024;4100;LISA") + b"Assen\x81\x8d;banen;2023;1;x\r\n"), {},
     [("cijfers.csv", 3, None, "niet te lezen zijn (geen UTF-8 en geen Windows-1252)")]),
    ("onbekende_kolom", tidy(f"{A};banen;2024;4100;LISA;alleen intern", header=H + ";intern"), {},
     [("cijfers.csv", 1, "intern", "Onbekende kolom")]),
    ("dubbele_kolom", tidy(f"{A};banen;2024;4100;LISA;{A}", header=H + ";Area"), {},
     [("cijfers.csv", 1, "Area", "komt dubbel voor (ook 'gebied')")]),
    ("rij_langer_dan_kopregel", tidy(f"{A};banen;2023;4000;LISA", f"{A};banen;2024;4100;LISA;extra"), {},
     [("cijfers.csv", 3, None, "De 6e kolom heeft geen kop")]),
    ("peildatum_en_jaar", tidy(f"{A};banen;2024;2024-04-01;4100;LISA", header="gebied;indicator;jaar;peildatum;waarde;bron"),
     {}, [("cijfers.csv", 1, "jaar", "zowel 'peildatum' als 'jaar'")]),
    ("breed_zonder_bron", one("breed.csv", csv(f"gebied;indicator;2023;2024\n{A};banen;4.000;4.100")), {},
     [("breed.csv", 1, None, "De kolom 'bron' (of 'source') ontbreekt")]),
    ("breed_zonder_cijfers", one("breed.csv", csv(f"gebied;indicator;bron;2023;2024\n{A};banen;LISA;;")), {},
     [("breed.csv", None, None, "alle jaarkolommen zijn leeg")]),
    ("xlsx_rij_zoals_op_het_blad", one("breed.xlsx", xlsx(
        [["gebied", "indicator", "bron", 2023, 2024], [A, "banen", "LISA", 4000, 4100], [A, "bedrijven", "LISA", 440, "4.3OO"]],
        sheet="data", before=["Uitleg"], offset=2)), {},
     [("breed.xlsx", 5, "2024", "'4.3OO' is geen getal")]),
    ("doelen_fouten", one("doelen.csv", csv("\n".join([
        TARGET_HEADER,
        f"banen,{A},3800,2017,,2030,hoger,absoluut,Akkoord 2027,Herijking",
        f"leegstand,{A},21.9,2017,,,lager,relatief,Akkoord 2027,Herijking",
        f"ranking,{A},53,2017,25,2015,lager,absoluut,Akkoord 2027,",
        f"waardering,{A},,,7.5,,lager,absoluut,Akkoord 2027,Herijking",
    ]))), {}, [
        ("doelen.csv", 2, "doelwaarde", "Een absoluut doel heeft een doelwaarde nodig"),
        ("doelen.csv", 3, "vergelijking", "'relatief' is geen bekende vergelijking"),
        ("doelen.csv", 4, "doeljaar", "Het doeljaar 2015 ligt vóór het basisjaar 2017"),
        ("doelen.csv", 4, "reden", "De reden is leeg"),
        ("doelen.csv", 5, "richting", "Richting 'lager' past niet bij waardering"),
    ]),
    ("doelen_zonder_reden", one("doelen.csv", csv(
        "indicator,gebied,basiswaarde,basisjaar,doelwaarde,doeljaar,richting,vergelijking,bron\n"
        f"banen,{A},3800,2017,5500,2030,hoger,absoluut,Akkoord 2027")), {},
     [("doelen.csv", 1, None, "De kolom 'reden' (of 'reason') ontbreekt")]),
    ("doelen_en_cijfers_samen", lambda: [
        ("cijfers.csv", csv(f"{H}\n{A};banen;2024;4100;LISA")),
        ("doelen.csv", csv(f"{TARGET_HEADER}\nbanen,{A},3800,2017,5500,2030,hoger,absoluut,Akkoord 2027,Herijking")),
    ], {}, [("doelen.csv", None, None, "doelen en cijfers kunnen niet samen")]),
]


@pytest.fixture(scope="module", params=DB_KINDS)
def seeded(request, tmp_path_factory):
    """One seeded database per kind for the whole corpus (each case proves it unchanged)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'corpus.db'}"
    else:
        if request.config.getoption("--no-postgres"):
            pytest.skip("--no-postgres")
        url = _new_pg_database(request.getfixturevalue("pg_server"))
    eng = make_engine(url)
    ensure_ready(eng)
    yield eng
    eng.dispose()


@pytest.mark.parametrize(("build", "options", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_file_is_refused_with_every_problem_and_writes_nothing(seeded, build, options, expected):
    files = build()
    settings = dataclasses.replace(SETTINGS, max_upload_mb=options.get("max_mb", SETTINGS.max_upload_mb))
    before = db_state(seeded)
    preview = importer.prepare(seeded, files, settings, today=TODAY)
    assert not preview.ok
    assert preview.added.empty and preview.changed.empty and preview.unchanged.empty
    for file, row, column, fragment in expected:
        hits = [p for p in preview.problems if p.file == file and p.row == row and p.column == column
                and fragment in p.message]
        assert hits, f"no problem ({file}, {row}, {column}, {fragment!r}) in {[str(p) for p in preview.problems]}"
        text = str(hits[0])
        assert text.startswith(file)
        if row is not None:
            assert f"rij {row}" in text
        if column is not None:
            assert f"kolom '{column}'" in text
    assert preview.summary().endswith("er is niets opgeslagen")
    with pytest.raises(importer.ImportRefused):
        importer.apply(seeded, preview, "tester")
    assert db_state(seeded) == before


def test_corpus_covers_at_least_25_kinds():
    assert len({c[0] for c in CASES}) == len(CASES) >= 25


def test_all_problems_of_a_file_come_at_once(seeded):
    data = csv("\n".join([H, f"{A};banen;2024;4100x;LISA", "Utrecht;banen;2023;1;LISA", f"{A};leegstand;2025;120;"]))
    preview = importer.prepare(seeded, [("veel.csv", data)], SETTINGS, today=TODAY)
    assert [(p.row, p.column) for p in preview.problems] == [
        (2, "waarde"), (3, "gebied"), (4, "waarde"), (4, "bron"),
    ]
    assert str(preview.problems[0]) == "veel.csv, rij 2, kolom 'waarde': '4100x' is geen getal."
