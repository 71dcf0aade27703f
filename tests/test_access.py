"""Editors per centre (issue 21, point 5): the rule as a table with its invariant checked by
Hypothesis, and the refusal at the one write path (kpi.importer apply/undo) through the API,
the CLI and a page form of an OIDC editor of another centre, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from kpi import access, importer, repository, schema
from kpi.access import (
    EVERY_AREA,
    Access,
    Editor,
    MappingError,
    decide,
    may_write,
    parse_editor_areas,
    refusal,
)
from kpi.db import make_engine
from kpi.importer import forms
from kpi.settings import Settings
from tests.support.importdata import SETTINGS, csv

A, E = "Assen binnenstad", "Emmen centrum"
TODAY = dt.date(2026, 11, 22)
MAPPING = parse_editor_areas(f"anna@assen.nl={A}; redactie-emmen={E}; beheer@regio.nl=*")
ASSEN_CSV = f"gebied;indicator;jaar;waarde;bron\n{A};banen;2026;4.350;LISA 2026\n"
EMMEN_CSV = f"gebied;indicator;jaar;waarde;bron\n{E};banen;2026;6.100;LISA 2026\n"


def editor(*keys: str) -> Access:
    return Access(Editor.of(keys[0] if keys else "niemand", keys), MAPPING, A)


# ---- the rule, without a database -----------------------------------------------------------

AREAS = st.sampled_from(["Assen binnenstad", "Emmen centrum", "Hoogeveen", "Nederland", EVERY_AREA])
KEYS = st.sampled_from(["anna@assen.nl", "redactie-emmen", "wachtwoord", "piet@example.org", "g1"])
MAPPINGS = st.lists(st.tuples(KEYS, st.lists(AREAS, min_size=1, max_size=3)), max_size=4).map(
    lambda entries: parse_editor_areas("; ".join(f"{k}={'|'.join(a)}" for k, a in entries)))


@given(mapping=MAPPINGS, keys=st.sets(KEYS, max_size=3),
       written=st.sets(AREAS.filter(lambda a: a != EVERY_AREA), max_size=3))
def test_allowed_iff_mapping_empty_or_every_area_is_the_editors(mapping, keys, written):
    mine = {a for key, names in mapping if key in keys for a in names}
    expected = not mapping or EVERY_AREA in mine or set(written) <= mine
    assert may_write(mapping, keys, written) is expected
    message = refusal(Access(Editor.of("X", keys), mapping, A), [("f.csv", i + 2, a) for i, a in
                                                                   enumerate(sorted(written))])
    assert (message is None) is expected
    if message is not None:  # names every refused centre, ends with what happened
        assert all(a in message for a in written - mine) and message.endswith("Er is niets opgeslagen.")


def test_every_rule_is_reachable_and_the_last_refuses():
    reached = {decide((), [], [A]).name, decide(MAPPING, ["beheer@regio.nl"], [E]).name,
               decide(MAPPING, ["anna@assen.nl"], []).name, decide(MAPPING, ["piet@example.org"], [A]).name,
               decide(MAPPING, ["anna@assen.nl"], [A]).name, decide(MAPPING, ["anna@assen.nl"], [E]).name}
    assert reached == {r.name for r in access.RULES}
    assert access.RULES[-1].holds(access.Facts(True, frozenset(), frozenset())) and not access.RULES[-1].allowed


def test_mapping_format_merges_repeats_ignores_case_and_refuses_nonsense():
    assert parse_editor_areas(f"Anna@Assen.nl={A}\nanna@assen.nl={E} | {A}; ") == (("anna@assen.nl", (A, E)),)
    assert parse_editor_areas("") == ()
    for bad in ("anna@assen.nl", f"={A}", "anna@assen.nl=  "):
        with pytest.raises(MappingError, match="KPI_EDITOR_AREAS"):
            parse_editor_areas(bad)
    assert Settings.from_env({"KPI_EDITOR_AREAS": f"a@b.nl={A}"}).editor_areas == (("a@b.nl", (A,)),)
    assert Settings().editor_areas == ()


def test_the_message_names_the_editors_centre_the_row_and_the_other_centre():
    message = refusal(editor("anna@assen.nl"), [("f.csv", 2, A), ("f.csv", 3, E)])
    assert message == (f"U bent als anna@assen.nl redacteur voor {A}, niet voor {E}: f.csv rij 3 gaat over {E}. "
                       "Er is niets opgeslagen.")
    # Rows without an area (action lists, subscribers) are the default centre's.
    assert refusal(editor("redactie-emmen"), [("acties.csv", 2, None)]).startswith(
        f"U bent als redactie-emmen redacteur voor {E}, niet voor {A}")
    assert refusal(editor("anna@assen.nl"), [("acties.csv", 2, None)]) is None
    assert "voor geen enkel centrum redacteur" in refusal(editor("piet@example.org"), [("f.csv", 2, A)])


# ---- through the importer, on both databases --------------------------------------------------

def _batches(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.import_batches)).scalar()


def _add_emmen(engine) -> int:
    preview = importer.prepare(engine, [("emmen.csv", csv(EMMEN_CSV))], SETTINGS, today=TODAY, create_areas=True)
    return importer.apply(engine, preview, "seed-test")


def test_import_of_another_centre_is_refused_and_stores_nothing(engine):
    emmen_batch = _add_emmen(engine)
    before = _batches(engine)
    preview = importer.prepare(engine, [("assen.csv", csv(ASSEN_CSV + f"{E};banen;2025;6.000;LISA\n"))],
                               SETTINGS, today=TODAY)
    assert preview.ok
    with pytest.raises(importer.ImportRefused) as refused:
        importer.apply(engine, preview, "redactie", access=editor("redactie-emmen"))
    assert str(refused.value) == (f"U bent als redactie-emmen redacteur voor {E}, niet voor {A}: "
                                  f"assen.csv rij 2 gaat over {A}. Er is niets opgeslagen.")
    assert _batches(engine) == before
    # Undoing the other centre's batch is refused too; the own centre's editor may.
    with pytest.raises(importer.ImportRefused, match=f"importbatch {emmen_batch} gaat over {E}"):
        importer.undo(engine, emmen_batch, "anna", access=editor("anna@assen.nl"))
    assert pd.isna(repository.load_batches(engine).set_index("id").loc[emmen_batch, "undone_at"])
    importer.undo(engine, emmen_batch, "emmen", access=editor("redactie-emmen"))
    # The same file by an editor of both (here: every) centre is stored.
    assert importer.apply(engine, preview, "beheer", access=editor("beheer@regio.nl")) is not None
    assert _batches(engine) == before + 1


def test_forms_for_targets_and_duiding_are_refused_for_another_centres_editor(engine):
    history = repository.load_target_history(engine)
    newest, _ = forms.form_versions(history, "bedrijven", A, TODAY)
    before = len(history)
    with pytest.raises(importer.ImportRefused, match=f"niet voor {A}"):
        forms.revise_target(engine, based_on_version=newest.version, user="emmen", today=TODAY,
                            access=editor("redactie-emmen"), indicator="bedrijven", area=A,
                            baseline_value=newest.baseline_value, baseline_year=newest.baseline_year,
                            target_value=520.0, target_year=newest.target_year, comparison=newest.comparison,
                            source="test", valid_from=TODAY, reason="herziening")
    assert len(repository.load_target_history(engine)) == before
    with pytest.raises(importer.ImportRefused, match=f"niet voor {A}"):
        forms.save_duiding(engine, user="emmen", today=TODAY, access=editor("redactie-emmen"), area=A,
                           indicator="banen", period="2026-K4", cause="c", effect="e", bijsturing="b",
                           author="Regiegroep")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.duiding)).scalar() == 0


def test_an_empty_mapping_lets_every_editor_write_as_before(engine):
    free = Access(Editor.of("wie dan ook", ["piet@example.org"]), (), A)
    preview = importer.prepare(engine, [("assen.csv", csv(ASSEN_CSV))], SETTINGS, today=TODAY)
    assert importer.apply(engine, preview, "piet", access=free) is not None


# ---- through the CLI, on both databases --------------------------------------------------------

def _cli(monkeypatch, capsys, db_url, *args, areas: str = f"anna@assen.nl={A}; beheer@regio.nl=*"):
    from kpi import cli

    monkeypatch.setenv("KPI_DATABASE_URL", db_url)
    monkeypatch.setenv("KPI_EDITOR_AREAS", areas)
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_import_and_undo_follow_gebruiker(monkeypatch, capsys, engine, db_url, tmp_path):
    _add_emmen(engine)
    path = tmp_path / "emmen-2025.csv"
    path.write_bytes(csv(f"gebied;indicator;jaar;waarde;bron\n{E};banen;2025;6.000;LISA 2025\n"))
    before = _batches(engine)
    code, out, err = _cli(monkeypatch, capsys, db_url, "import", str(path), "--gebruiker", "Anna@assen.nl")
    assert code == 1 and "Traceback" not in err
    assert (f"Fout: U bent als Anna@assen.nl redacteur voor {A}, niet voor {E}: emmen-2025.csv rij 2 gaat over "
            f"{E}. Er is niets opgeslagen.") in err
    assert _batches(engine) == before
    code, out, err = _cli(monkeypatch, capsys, db_url, "import", str(path), "--gebruiker", "niemand")
    assert code == 1 and "voor geen enkel centrum redacteur" in err and _batches(engine) == before
    code, out, err = _cli(monkeypatch, capsys, db_url, "import", str(path), "--gebruiker", "beheer@regio.nl")
    assert code == 0, err
    batch = int(out.split("importbatch ")[1].split()[0])
    code, out, err = _cli(monkeypatch, capsys, db_url, "undo", str(batch), "--gebruiker", "anna@assen.nl")
    assert code == 1 and f"importbatch {batch} gaat over {E}" in err
    code, out, err = _cli(monkeypatch, capsys, db_url, "undo", str(batch), "--gebruiker", "beheer@regio.nl")
    assert code == 0, err


def test_cli_says_when_the_mapping_cannot_be_read(monkeypatch, capsys, sqlite_url):
    code, out, err = _cli(monkeypatch, capsys, sqlite_url, "status", areas="anna@assen.nl")
    assert code == 2 and err.startswith("Fout: KPI_EDITOR_AREAS: 'anna@assen.nl' is geen") and "Traceback" not in err


# ---- through a page form: an OIDC editor of another centre -------------------------------------

def test_oidc_editor_of_another_centre_cannot_revise_a_target_on_the_page(monkeypatch, db_url):
    from tests.test_named_editors import run_oidc

    kees = {"is_logged_in": True, "sub": "kees", "name": "Kees Smit", "email": "kees@emmen.nl",
            "email_verified": True, "groups": ["binnenstad-redactie", "redactie-emmen"]}
    at = run_oidc(monkeypatch, db_url, kees, page="doelen", env={"KPI_EDITOR_AREAS": f"redactie-emmen={E}"})
    assert not at.exception and not at.error
    at.selectbox(key="target_kpi").set_value("bedrijven").run()
    at.number_input(key="target_value").set_value(520.0)
    at.text_input(key="target_reason").input("Tussentijdse herziening")
    next(b for b in at.button if b.label == "Nieuwe doelversie opslaan").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors == [f"U bent als Kees Smit (kees@emmen.nl) redacteur voor {E}, niet voor {A}: "
                      f"formulier Doelen beheren gaat over {A}. Er is niets opgeslagen."], errors
    engine = make_engine(db_url)
    try:
        history = repository.load_target_history(engine).query("indicator == 'bedrijven'")
        assert history["version"].max() == 1
    finally:
        engine.dispose()


def test_oidc_editor_of_the_centre_may_revise_it_on_the_page(monkeypatch, sqlite_url):
    from tests.test_named_editors import ANNA, run_oidc

    at = run_oidc(monkeypatch, sqlite_url, ANNA, page="doelen",
                  env={"KPI_EDITOR_AREAS": f"anna.devries@assen.nl={A}; redactie-emmen={E}"})
    at.selectbox(key="target_kpi").set_value("bedrijven").run()
    at.number_input(key="target_value").set_value(520.0)
    at.text_input(key="target_reason").input("Tussentijdse herziening")
    next(b for b in at.button if b.label == "Nieuwe doelversie opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Doelversie 2 opgeslagen" in s.value for s in at.success)


def test_an_action_list_is_the_default_centres_so_another_centres_editor_is_refused(engine):
    rows = csv("code;titel;thema;status;bron\nA-10;Pop-ups;A;lopend;Actielijst programmabureau 2026\n")
    preview = importer.prepare(engine, [("acties.csv", rows)], SETTINGS, today=TODAY)
    assert preview.ok and preview.kind == importer.ACTIONS
    before = _batches(engine)
    with pytest.raises(importer.ImportRefused, match=f"niet voor {A}: acties.csv rij 2 gaat over {A}"):
        importer.apply(engine, preview, "emmen", access=editor("redactie-emmen"))
    assert _batches(engine) == before
    batch = importer.apply(engine, preview, "anna", access=editor("anna@assen.nl"))
    with pytest.raises(importer.ImportRefused, match=f"importbatch {batch} gaat over {A}"):
        importer.undo(engine, batch, "emmen", access=editor("redactie-emmen"))
    importer.undo(engine, batch, "anna", access=editor("anna@assen.nl"))


def test_oidc_editor_of_another_centre_cannot_import_on_the_importeren_page(monkeypatch, sqlite_url):
    from tests.test_named_editors import CSV, run_oidc

    kees = {"is_logged_in": True, "sub": "kees", "name": "Kees Smit", "email": "kees@emmen.nl",
            "email_verified": True, "groups": ["binnenstad-redactie"]}
    at = run_oidc(monkeypatch, sqlite_url, kees, page="importeren", env={"KPI_EDITOR_AREAS": f"kees@emmen.nl={E}"})
    at.file_uploader[0].upload("lisa.csv", CSV, "text/csv").run()
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.success
    assert [e.value for e in at.error] == [f"U bent als Kees Smit (kees@emmen.nl) redacteur voor {E}, niet voor {A}: "
                                           f"lisa.csv rij 2 gaat over {A}. Er is niets opgeslagen."]
    engine = make_engine(sqlite_url)
    try:
        assert "lisa.csv" not in set(repository.load_batches(engine)["filename"])
    finally:
        engine.dispose()
