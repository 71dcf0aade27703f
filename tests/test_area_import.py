"""Centres and peer groups through the importer (issue 21), SQLite and PostgreSQL: a gebieden file
adds centres and changes their werkgroep in one batch, with preview and undo; a renamed slug or
name and bad cells are refused in Dutch naming file, row and column; the template imports as it
comes; the CLI and editors per centre follow the same path."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi import importer, repository
from kpi.access import Access, Editor, parse_editor_areas
from kpi.db import ensure_ready, make_engine
from kpi.importer.model import AREAS, ImportRefused
from kpi.importer.templates import template_kind, template_xlsx
from kpi.settings import Settings
from tests.support.cli import run_kpi

GOOD = ("slug;naam;soort;vergelijkingsgroep;illustratief\n"
        "assen-binnenstad;Assen binnenstad;binnenstad;Drentse werkgroep;\n"
        "emmen-centrum;Emmen centrum;;Drentse werkgroep;nee\n"
        "hoogeveen-centrum;Hoogeveen centrum;centrum;Drentse werkgroep;\n")
BAD = ("slug;naam;soort;werkgroep;illustratief\n"
       "Emmen Centrum!;Emmen centrum;;g;nee\n"
       "hoogeveen;Hoogeveen;;g;misschien\n"
       "assen-centrum;Assen binnenstad;;;\n"
       "nederland;Nederland land;;;\n"
       "hoogeveen;Hoogeveen twee;;;\n")


def _prepare(engine, name, text):
    return importer.prepare(engine, [(name, text.encode())], Settings())


def _centres(engine):
    return repository.load_areas(engine).set_index("slug")


def test_a_gebieden_file_adds_centres_and_changes_a_werkgroep_and_is_undone(engine):
    preview = _prepare(engine, "gebieden.csv", GOOD)
    assert preview.kind == AREAS and not preview.problems
    assert preview.summary() == "2 nieuw, 1 gewijzigd, 0 ongewijzigd"
    assert preview.changed.to_dict("records")[0]["fields"] == "werkgroep"
    batch = importer.apply(engine, preview, "redacteur")
    stored = _centres(engine)
    assert stored.loc["assen-binnenstad", "peer_group"] == "Drentse werkgroep"
    assert stored.loc["assen-binnenstad", "kind"] == "binnenstad"  # an empty cell keeps the stored value
    assert (stored.loc["emmen-centrum", "name"], stored.loc["emmen-centrum", "kind"]) == ("Emmen centrum", "binnenstad")
    assert stored.loc["hoogeveen-centrum", "kind"] == "centrum" and not stored.loc["hoogeveen-centrum", "illustrative"]
    assert importer.apply(engine, _prepare(engine, "gebieden.csv", GOOD), "redacteur") is None  # nothing new
    # A later batch moves Emmen to another werkgroep: the first cannot be undone before it.
    second = importer.apply(engine, _prepare(engine, "emmen.csv", "slug;naam;werkgroep\nemmen-centrum;Emmen centrum;"
                                                                   "Noordelijke werkgroep\n"), "redacteur")
    assert _centres(engine).loc["emmen-centrum", "peer_group"] == "Noordelijke werkgroep"
    with pytest.raises(ImportRefused, match=f"Maak eerst importbatch {second} ongedaan"):
        importer.undo(engine, batch, "redacteur")
    importer.undo(engine, second, "redacteur")
    assert _centres(engine).loc["emmen-centrum", "peer_group"] == "Drentse werkgroep"
    importer.undo(engine, batch, "redacteur")
    after = _centres(engine)
    assert "emmen-centrum" not in after.index and "hoogeveen-centrum" not in after.index
    assert after.loc["assen-binnenstad", "peer_group"] == ""  # as before the import


def test_undo_keeps_a_new_centre_that_has_figures_meanwhile(engine):
    batch = importer.apply(engine, _prepare(engine, "gebieden.csv", GOOD), "redacteur")
    importer.apply(engine, _prepare(engine, "cijfers.csv", "gebied;indicator;jaar;waarde;bron\n"
                                                           "Emmen centrum;banen;2025;6100;LISA\n"), "redacteur")
    with pytest.raises(ImportRefused, match="het gebied Emmen centrum, dat deze batch toevoegde, heeft intussen"):
        importer.undo(engine, batch, "redacteur")
    assert "emmen-centrum" in _centres(engine).index


def test_bad_rows_and_renames_are_refused_naming_file_row_and_column(engine):
    preview = _prepare(engine, "fout.csv", BAD)
    assert [str(p) for p in preview.problems] == [
        "fout.csv, rij 2, kolom 'slug': 'Emmen Centrum!' is geen geldige slug: alleen kleine letters, cijfers en '-', "
        "hoogstens 100 tekens (bijvoorbeeld emmen-centrum).",
        "fout.csv, rij 3, kolom 'illustratief': 'misschien' is geen ja of nee.",
        "fout.csv, rij 4, kolom 'slug': Het gebied Assen binnenstad heeft de slug assen-binnenstad; een slug wijzigen "
        "kan niet (hij staat in gedeelde adressen, ?gebied=). Gebruik assen-binnenstad.",
        "fout.csv, rij 5, kolom 'naam': De slug nederland hoort bij het gebied Nederland; een naam wijzigen kan hier "
        "niet (instellingen en bestanden noemen gebieden bij naam).",
        "fout.csv, rij 6, kolom 'slug': De slug hoogeveen komt dubbel voor; staat ook in rij 3.",
    ]
    assert set(_centres(engine).index) == {"assen-binnenstad", "nederland"}  # nothing stored


def test_the_template_imports_as_it_comes(engine):
    assert template_kind("gebieden") == AREAS and template_kind("werkgroepen") == AREAS
    data = template_xlsx(engine, AREAS)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["slug", "naam", "soort", "werkgroep", "illustratief", "toelichting"]
    preview = importer.prepare(engine, [("sjabloon-gebieden.xlsx", data)], Settings())
    assert not preview.problems and preview.summary() == "0 nieuw, 0 gewijzigd, 1 ongewijzigd"


def test_an_editor_of_one_centre_cannot_change_another(engine):
    access = Access(Editor.of("anna", ["anna@assen.nl"]), parse_editor_areas("anna@assen.nl=Assen binnenstad"),
                    "Assen binnenstad")
    preview = _prepare(engine, "gebieden.csv", GOOD)
    with pytest.raises(ImportRefused, match="niet voor Emmen centrum en Hoogeveen centrum"):
        importer.apply(engine, preview, "anna", access=access)
    assert "emmen-centrum" not in _centres(engine).index


def test_cli_import_and_undo_of_centres(db_url, tmp_path):
    path = tmp_path / "gebieden.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = run_kpi(db_url, "import", str(path))
    assert out.returncode == 0, out.stderr
    assert "emmen-centrum · Emmen centrum (binnenstad; werkgroep Drentse werkgroep)" in out.stdout
    assert "assen-binnenstad · Assen binnenstad: werkgroep" in out.stdout
    listed = run_kpi(db_url, "gebieden").stdout
    assert "emmen-centrum" in listed and "werkgroep Drentse werkgroep" in listed
    batch = out.stdout.split("importbatch ")[1].split(" ")[0]
    assert run_kpi(db_url, "undo", batch).returncode == 0
    assert "emmen-centrum" not in run_kpi(db_url, "gebieden").stdout
    template = tmp_path / "s.xlsx"
    assert run_kpi(db_url, "sjabloon", "gebieden", str(template)).returncode == 0 and template.exists()


# ---- the rename rule on generated files (Hypothesis) ---------------------------------------------

STORED = {"assen-binnenstad": "Assen binnenstad", "nederland": "Nederland"}
SLUGS = st.sampled_from(["assen-binnenstad", "nederland", "emmen-centrum", "assen"])
NAMES = st.sampled_from(["Assen binnenstad", "assen binnenstad", "Nederland", "Emmen centrum", "Assen"])


@pytest.fixture(scope="module")
def stored_engine(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('areas') / 'a.db'}")
    ensure_ready(engine, seed_demo=False)
    yield engine
    engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(SLUGS, NAMES), min_size=1, max_size=4, unique_by=lambda r: r[0]))
def test_a_row_is_refused_as_a_rename_exactly_when_slug_and_name_disagree_with_the_store(stored_engine, rows):
    text = "slug;naam\n" + "".join(f"{s};{n}\n" for s, n in rows)
    problems = _prepare(stored_engine, "g.csv", text).problems
    by_name = {v.casefold(): k for k, v in STORED.items()}
    for i, (s, n) in enumerate(rows, start=2):
        renamed = (s in STORED and STORED[s].casefold() != n.casefold()) or \
            (n.casefold() in by_name and by_name[n.casefold()] != s)
        said = [p for p in problems if p.row == i and "wijzigen kan" in p.message]
        assert bool(said) is renamed, (s, n, [str(p) for p in problems])
