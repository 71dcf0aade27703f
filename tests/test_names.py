"""Names as users write them (issue 18.5): a theme, role, area, fund, status or indicator in a
file matches the stored name ignoring case, accents, repeated spaces and hyphen/space variants."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kpi import importer, repository
from kpi.names import name_key
from kpi.werkplan import store as wp_store
from tests.support.importdata import SETTINGS, csv

ROLE = "Event-coördinator"  # the werkplan's own spelling, as seeded
AREA = "Assen binnenstad"  # as seeded


def test_the_seeded_role_follows_the_werkplan_spelling(engine):
    with engine.connect() as conn:
        assert ROLE.lower() in {name for _, name in wp_store.role_ids(conn)}


def test_spellings_users_write_share_one_key():
    same = [ROLE, "Event-coordinator", "event coordinator", "EVENT–COÖRDINATOR", " event_coordinator ",
            "Event \u2011 coordinator"]
    assert {name_key(s) for s in same} == {"event coordinator"}
    assert name_key("Assen  binnenstad") == name_key(AREA)
    assert name_key("Eventcoordinator") != name_key(ROLE)  # words stay words: no guessing


words = st.text(st.characters(codec="latin-1", categories=("Ll", "Lu")), min_size=1, max_size=8)


@given(st.lists(words, min_size=1, max_size=4), st.sampled_from([" ", "  ", "-", "_", " - ", "\u2013", "\t"]))
def test_separators_case_and_accents_never_change_the_key(parts, separator):
    name = " ".join(parts)
    written = separator.join(p.upper() for p in parts)
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    assert name_key(written) == name_key(name) == name_key(plain)
    assert name_key(name_key(name)) == name_key(name)  # a key is its own key


def test_an_action_list_with_other_spellings_is_taken_as_the_stored_names(engine):
    text = ("code;titel;thema;rol;status;fonds;kpi;bron\n"
            "D-20;Zomerprogramma;HISTORISCH,  cultureel & actief;Event coordinator;LOOPT;BINNENSTADFONDS;"
            "aantal  banen;Actielijst 2026\n"
            "D-21;Wintermarkt;d;EVENT-COÖRDINATOR;gepland;;Waardering;Actielijst 2026\n")
    preview = importer.prepare(engine, [("acties.csv", csv(text))], SETTINGS)
    assert preview.ok, [str(p) for p in preview.problems]
    importer.apply(engine, preview, "tester")
    rows = {r["code"]: r for r in wp_store.load_actions(engine, "Assen binnenstad").to_dict("records")}
    assert rows["D-20"]["role"] == rows["D-21"]["role"] == ROLE
    assert rows["D-20"]["theme"] == rows["D-21"]["theme"] == "D"
    assert rows["D-20"]["status"] == "lopend" and rows["D-20"]["fund"] == "binnenstadfonds"
    assert rows["D-20"]["kpis"] == ("banen",) and rows["D-21"]["kpis"] == ("waardering",)


def test_a_figure_file_matches_area_and_indicator_names_as_written(engine):
    text = "gebied;indicator;jaar;waarde;bron\nassen   BINNENSTAD;Aantal-banen;2026;4.400;LISA\n"
    preview = importer.prepare(engine, [("cijfers.csv", csv(text))], SETTINGS)
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview.new_areas == []
    importer.apply(engine, preview, "tester")
    figures = repository.load_observations(engine, area=AREA, indicator="banen")
    assert 4400.0 in figures["value"].tolist()
