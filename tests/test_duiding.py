"""The regiegroep's duiding and briefings as records (issue 20), on SQLite and PostgreSQL: the
duiding import kind (good and bad rows, undo), as-of reading, the definitief rule (examples and
Hypothesis properties), the CLI, and a definitive briefing that regenerates identically."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi import importer, reports, repository, service
from kpi.briefing import store
from kpi.briefing.model import CONCEPT, DEFINITIEF
from kpi.briefing.period import parse_period, period_bounds, period_of
from kpi.briefing.record import BriefingRefused, make_briefing
from kpi.briefing.rules import DUIDING_REQUIRED, definitief_refusal, missing_duiding, needs_duiding
from kpi.importer import forms
from kpi.reports.model import load_report
from kpi.settings import Settings
from kpi.statuses import ACHTER, RISICO, WORDS
from tests.support.cli import run_kpi

AREA = "Assen binnenstad"
HEADER = "gebied;indicator;periode;oorzaak;effect;bijsturing;auteur;datum\n"
GOOD = HEADER + (
    "Assen binnenstad;leegstand;2026-K4;Ketens sluiten filialen;Doel 2030 verder weg;Pandenfonds en "
    "transformatie;Regiegroep;1-12-2026\n"
    "Assen binnenstad;Aantal banen;k4 2026;Minder horeca;Groei blijft achter;Horecavisie;Regiegroep;\n")
BAD = HEADER + (
    "Utrecht;foo;2026-Q4;;x;y;;31-2-2026\n"
    "Assen binnenstad;leegstand;2026-K4;a;b;c;R;1-1-2099\n"
    "Assen binnenstad;leegstand;2026-K4;a;b;c;R;\n")


def _prepare(engine, name: str, text: str, today: dt.date = dt.date(2026, 12, 7)):
    return importer.prepare(engine, [(name, text.encode())], Settings(), today=today)


def _statuses(engine, today: dt.date | None = None) -> dict[str, str]:
    return {r.indicator.code: r.status for r in service.evaluate_all(engine, Settings(), today or dt.date.today())}


def _write_duiding_for(engine, codes, period: str, text: str = "tekst") -> int | None:
    rows = "".join(f"{AREA};{c};{period};{text} oorzaak;{text} effect;{text} bijsturing;Regiegroep;\n" for c in codes)
    return importer.apply(engine, _prepare(engine, "duiding.csv", HEADER + rows, dt.date.today()), "redacteur")


# ---- periods ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "period"), [
    ("2026-K4", "2026-K4"), ("2026 k4", "2026-K4"), ("2026K1", "2026-K1"), ("K2 2027", "2027-K2"),
    ("k3-2026", "2026-K3"), ("2026-Q4", None), ("2026-K5", None), ("2026", None), ("", None), (None, None),
])
def test_periods_are_read_as_users_write_them(text, period):
    assert parse_period(text) == period


def test_the_default_period_is_the_quarter_of_the_date():
    assert [period_of(dt.date(2026, m, 15)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2026-K1", "2026-K1", "2026-K2", "2026-K2", "2026-K3", "2026-K3", "2026-K4", "2026-K4"]
    assert period_bounds("2026-K4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_bounds("2026-K1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


# ---- the import kind ------------------------------------------------------------------------

def test_a_duiding_file_is_previewed_saved_unchanged_and_undone(engine):
    preview = _prepare(engine, "duiding.csv", GOOD)
    assert preview.kind == importer.DUIDING and preview.summary() == "2 nieuw, 0 gewijzigd, 0 ongewijzigd"
    batch = importer.apply(engine, preview, "redacteur")
    found = store.current_duiding(engine, AREA, "2026-K4")
    assert sorted(found) == ["banen", "leegstand"]
    assert found["leegstand"].cause == "Ketens sluiten filialen" and found["leegstand"].author == "Regiegroep"
    assert found["leegstand"].written_on == dt.date(2026, 12, 1) and found["leegstand"].batch_id == batch
    assert found["banen"].written_on == dt.date(2026, 12, 7)  # an empty datum: the day of the import
    assert importer.apply(engine, _prepare(engine, "duiding.csv", GOOD), "redacteur") is None
    revised = _prepare(engine, "herzien.csv", GOOD.replace("Pandenfonds en transformatie", "Pandenfonds"))
    assert revised.summary() == "0 nieuw, 1 gewijzigd, 1 ongewijzigd"
    assert revised.changed.to_dict("records")[0]["fields"] == "bijsturing"
    second = importer.apply(engine, revised, "redacteur")
    assert store.current_duiding(engine, AREA, "2026-K4")["leegstand"].bijsturing == "Pandenfonds"
    refused = pytest.raises(importer.ImportRefused, importer.undo, engine, batch, "redacteur")
    assert f"Maak eerst importbatch {second} ongedaan" in str(refused.value)
    importer.undo(engine, second, "redacteur")
    assert store.current_duiding(engine, AREA, "2026-K4")["leegstand"].bijsturing == "Pandenfonds en transformatie"
    importer.undo(engine, batch, "redacteur")
    assert store.current_duiding(engine, AREA, "2026-K4") == {}


def test_bad_duiding_rows_are_named_by_file_row_and_column_in_dutch(engine):
    preview = _prepare(engine, "fout.csv", BAD)
    assert [str(p) for p in preview.problems] == [
        "fout.csv, rij 2, kolom 'gebied': Onbekend gebied 'Utrecht'. Bekende gebieden: Assen binnenstad, Nederland.",
        "fout.csv, rij 2, kolom 'indicator': Onbekende KPI 'foo'. Gebruik een van: banen, bedrijven, leegstand, "
        "waardering, ranking, leegstand_vvo, winkelvloeroppervlak, woningen, inwoners.",
        "fout.csv, rij 2, kolom 'periode': '2026-Q4' is geen briefingperiode; schrijf het jaar en het kwartaal, "
        "bijvoorbeeld 2026-K4 voor oktober-december 2026.",
        "fout.csv, rij 2, kolom 'oorzaak': De oorzaak is leeg; de regiegroep schrijft oorzaak, effect en bijsturing.",
        "fout.csv, rij 2, kolom 'auteur': De auteur is leeg; vul in wie de duiding schreef (namens de regiegroep).",
        "fout.csv, rij 2, kolom 'datum': '31-2-2026' is geen geldige datum; gebruik een dag (1-3-2027 of 2027-03-01).",
        "fout.csv, rij 3, kolom 'datum': De datum 1-1-2099 ligt in de toekomst.",
        "fout.csv, rij 4, kolom 'indicator': De duiding voor leegstand in 2026-K4 komt dubbel voor; staat ook in rij 3.",
    ]
    assert not preview.ok
    with pytest.raises(importer.ImportRefused):
        importer.apply(engine, preview, "redacteur")
    assert store.load_duiding(engine).empty


def test_a_duiding_file_lacking_a_column_says_which(engine):
    preview = _prepare(engine, "kort.csv", "gebied;indicator;periode;oorzaak;auteur\nAssen binnenstad;banen;2026-K4;a;R\n")
    assert [p.message.split(" Gevonden")[0] for p in preview.problems] == [
        "De kolom 'effect' (of 'effect_op_doel') ontbreekt.", "De kolom 'bijsturing' (of 'maatregel') ontbreekt."]


def test_the_form_is_a_one_row_import_that_refuses_a_stale_version(engine):
    fields = dict(area=AREA, indicator="leegstand", period="2026-K4", cause="a", effect="b", bijsturing="c",
                  author="Regiegroep")
    batch = forms.save_duiding(engine, user="redacteur", **fields)
    assert batch is not None and store.current_duiding(engine, AREA, "2026-K4")["leegstand"].batch_id == batch
    assert forms.save_duiding(engine, user="redacteur", based_on=int(store.load_duiding(engine)["id"].iloc[0]),
                              **fields) is None
    with pytest.raises(importer.ImportRefused, match="intussen gewijzigd"):  # the form showed no duiding
        forms.save_duiding(engine, user="ander", **(fields | {"cause": "anders"}))
    with pytest.raises(importer.ImportRefused, match="oorzaak: De oorzaak is leeg"):
        forms.save_duiding(engine, user="redacteur", **(fields | {"cause": " "}))


def test_duiding_is_read_as_known_at_a_moment(engine):
    first = _write_duiding_for(engine, ["leegstand"], "2026-K4", "eerste")
    between = repository.utcnow()
    time.sleep(0.01)
    second = _write_duiding_for(engine, ["leegstand"], "2026-K4", "tweede")
    assert store.current_duiding(engine, AREA, "2026-K4", as_of=between)["leegstand"].cause == "eerste oorzaak"
    assert store.current_duiding(engine, AREA, "2026-K4")["leegstand"].cause == "tweede oorzaak"
    assert store.current_duiding(engine, AREA, "2026-K3") == {}
    time.sleep(0.01)
    during_second = repository.utcnow()
    importer.undo(engine, second, "redacteur")
    assert store.current_duiding(engine, AREA, "2026-K4")["leegstand"].batch_id == first
    assert store.current_duiding(engine, AREA, "2026-K4", as_of=during_second)["leegstand"].cause == "tweede oorzaak"
    report = load_report(engine, Settings(), as_of=between, period="2026-K4")
    assert report.duiding["leegstand"].cause == "eerste oorzaak" and report.briefing.period == "2026-K4"
    assert report.briefing.state == CONCEPT and report.briefing.number is None


# ---- the definitief rule --------------------------------------------------------------------

def test_every_status_word_has_a_row_in_the_rule_table():
    assert set(DUIDING_REQUIRED) == set(WORDS)
    assert {w for w, required in DUIDING_REQUIRED.items() if required} == {ACHTER, RISICO}


names_of = {f"k{i}": f"KPI «{i}»" for i in range(8)}


@given(statuses=st.dictionaries(st.sampled_from(sorted(names_of)), st.sampled_from([*WORDS, "onbekend woord"]),
                                max_size=8),
       with_duiding=st.sets(st.sampled_from(sorted(names_of))))
def test_definitief_is_allowed_iff_every_kpi_behind_or_at_risk_has_a_duiding(statuses, with_duiding):
    duiding = {code: object() for code in with_duiding}
    refusal = definitief_refusal(statuses, duiding, names_of, "2026-K4")
    behind = {c for c, s in statuses.items() if s in (ACHTER, RISICO)}
    assert (refusal is None) == (behind <= with_duiding)
    missing = behind - with_duiding
    assert set(missing_duiding(statuses, duiding)) == missing
    if refusal is not None:
        assert {c for c in names_of if names_of[c] in refusal} == missing  # names exactly the missing KPIs
        assert "er is niets opgeslagen" in refusal
    assert all(needs_duiding(s) == (s in (ACHTER, RISICO)) for s in statuses.values())


def test_definitief_is_refused_naming_the_kpis_without_duiding_and_allowed_once_written(engine):
    statuses = _statuses(engine)
    behind = [c for c, s in statuses.items() if s in (ACHTER, RISICO)]
    assert behind, "the seeded data has KPIs behind; the refusal must be exercised"
    period = period_of(dt.date.today())
    with pytest.raises(BriefingRefused) as refused:
        make_briefing(engine, Settings(), period, "redacteur", definitief=True)
    results = {r.indicator.code: r.indicator.name for r in service.evaluate_all(engine, Settings(), dt.date.today())}
    for code in behind:
        assert f"{results[code]} ({statuses[code]})" in str(refused.value)
    assert store.load_briefings(engine).empty  # nothing stored
    concept = make_briefing(engine, Settings(), period, "redacteur")
    _write_duiding_for(engine, behind[:-1], period)
    with pytest.raises(BriefingRefused) as still:
        make_briefing(engine, Settings(), period, "redacteur", definitief=True)
    assert results[behind[-1]] in str(still.value) and results[behind[0]] not in str(still.value).split(": ", 1)[1]
    _write_duiding_for(engine, behind[-1:], period)
    final = make_briefing(engine, Settings(), period, "redacteur", definitief=True)
    stored = store.load_briefings(engine).set_index("id")
    assert stored.loc[concept, "state"] == CONCEPT and stored.loc[final, "state"] == DEFINITIEF
    assert len(stored.loc[final, "duiding_ids"]) == len(behind)
    assert stored.loc[final, "settings_json"]["area"] == AREA
    assert stored.loc[final, "data_version"] and stored.loc[final, "period"] == period
    again = load_report(engine, Settings(), briefing=final)
    assert again.briefing.state == DEFINITIEF and again.briefing.number == final
    assert sorted(again.duiding) == sorted(behind) and again.generated_at == stored.loc[final, "made_at"]
    assert again.briefing.contact == "Programmabureau Binnenstad"
    assert load_report(engine, Settings()).briefing.previous_at == stored.loc[final, "made_at"]
    assert again.briefing.previous_at is None  # no definitive briefing before this one


def test_an_unreadable_period_or_name_is_refused_in_dutch(engine):
    with pytest.raises(BriefingRefused, match="'vorig jaar' is geen briefingperiode"):
        make_briefing(engine, Settings(), "vorig jaar", "redacteur")
    with pytest.raises(BriefingRefused, match="stuurteken"):
        make_briefing(engine, Settings(), "2026-K4", "red\x1bacteur")
    assert store.load_briefings(engine).empty


# ---- command line ---------------------------------------------------------------------------

def test_cli_makes_a_concept_refuses_definitief_and_lists(db_url, engine):
    period = period_of(dt.date.today())
    made = run_kpi(db_url, "briefing", "maak", "--periode", period, "--gebruiker", "griffie")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Briefing 1 (concept) opgeslagen.")
    refused = run_kpi(db_url, "briefing", "maak", "--periode", period, "--definitief")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("Fout: De briefing kan niet definitief worden")
    listed = run_kpi(db_url, "briefing", "lijst")
    assert listed.returncode == 0 and f"1  {period}  concept" in listed.stdout and "griffie" in listed.stdout
    missing = run_kpi(db_url, "report", "--briefing", "99", "--format", "csv", "--output", "/dev/null")
    assert missing.returncode == 3 and "Briefing 99 bestaat niet." in missing.stderr
    both = run_kpi(db_url, "report", "--briefing", "1", "--as-of", "2026-01-01", "--format", "csv",
                   "--output", "/dev/null")
    assert both.returncode == 1 and "gaan niet samen" in both.stderr


# ---- regeneration ---------------------------------------------------------------------------

def _parts(pptx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        return {name: z.read(name) for name in z.namelist()}


_STAMP = re.compile(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-Fa-f]+><[0-9A-Fa-f]+>\]")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_definitive_briefing_regenerates_identically_after_the_data_changed(db_url, engine, tmp_path,
                                                                            monkeypatch):
    period = period_of(dt.date.today())
    behind = [c for c, s in _statuses(engine).items() if s in (ACHTER, RISICO)]
    _write_duiding_for(engine, behind, period, "eerst")
    number = make_briefing(engine, Settings(), period, "redacteur", definitief=True)
    first = tmp_path / "eerst.pdf"
    made = run_kpi(db_url, "report", "--briefing", str(number), "--format", "pdf", "--output", str(first))
    assert made.returncode == 0, made.stderr
    deck = reports.build(engine, Settings(), "pptx", briefing=number)
    # Later: the duiding is revised and a new figure arrives. The briefing keeps what it showed.
    _write_duiding_for(engine, behind, period, "later")
    text = "gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2026;4900;CBS\n"
    importer.apply(engine, importer.prepare(engine, [("nieuw.csv", text.encode())], Settings()), "redacteur",
                   confirmed=True)
    second = tmp_path / "later.pdf"
    assert run_kpi(db_url, "report", "--briefing", str(number), "--format", "pdf",
                   "--output", str(second)).returncode == 0
    a, b = first.read_bytes(), second.read_bytes()
    # The PDF's creation stamp is the briefing's own moment (kpi/reports/pdf.py), so the whole
    # file is the same; without the stamps too (were it ever the print time).
    assert a == b and _STAMP.sub(b"", a) == _STAMP.sub(b"", b)
    # The deck too, byte for byte, also when the clock has moved on (zip entries and core
    # properties carry the briefing's moment, kpi/reports/deck.py).
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 86_400 + 1)
    again = reports.build(engine, Settings(), "pptx", briefing=number)
    monkeypatch.undo()
    assert _parts(again) == _parts(deck) and again == deck
    fresh = tmp_path / "nu.pdf"
    assert run_kpi(db_url, "report", "--format", "pdf", "--output", str(fresh)).returncode == 0
    assert _STAMP.sub(b"", fresh.read_bytes()) != _STAMP.sub(b"", a)  # the check can fail: today's differs


def test_migration_0009_adds_the_duiding_and_briefing_tables_and_back(empty_engine):
    """Down to 0008 removes both tables; migrating brings them back (SQLite and PostgreSQL)."""
    import sqlalchemy as sa
    from alembic import command

    from kpi.db import _config, migrate

    cfg = _config()
    with empty_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
    assert not {"duiding", "briefings"} & set(sa.inspect(empty_engine).get_table_names())
    migrate(empty_engine)
    assert {"duiding", "briefings"} <= set(sa.inspect(empty_engine).get_table_names())
    indexes = {i["name"] for i in sa.inspect(empty_engine).get_indexes("duiding")}
    assert {"uq_duiding_current", "ix_duiding_batch"} <= indexes


def test_the_written_by_line_keeps_its_date_on_one_line():
    from kpi.briefing.model import Duiding
    from kpi.briefing.text import written_by

    d = Duiding("banen", "2026-K4", "a", "b", "c", "Regiegroep", dt.date(2026, 12, 7))
    line = written_by(d)
    assert line == "Geschreven door Regiegroep op 7\u201112\u20112026 voor het 4e kwartaal 2026"
    assert "-" not in line.split(" op ")[1].split(" voor ")[0]  # no hyphen a browser may break after
