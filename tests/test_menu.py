"""The app's own sidebar menu (issue 19.20; ui.frame.sidebar_menu): which pages it lists for whom,
in which sections, which entry is the current page and which query string its link keeps.

The rule is the page table (ui.frame.PAGES) read by `menu`/`menu_sections`: its invariants are
checked on generated tables (Hypothesis), the real table and the rendered sidebar by examples.
What a browser and axe make of the markup: tests/browser/test_a11y_browser.py.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.support.apptest import open_page, run_app
from ui.frame import PageSpec, menu, menu_sections

# ---- the rule, on generated page tables ------------------------------------------------------

SECTIONS = ("Dashboard", "Vergadering en rapportage", "Beheer", "Extra")


@st.composite
def page_tables(draw) -> tuple[PageSpec, ...]:
    """A page table as ui.frame.PAGES could be: unique URLs and titles, one default page, any mix
    of sections, editor pages and unlisted pages."""
    count = draw(st.integers(1, 14))
    default = draw(st.integers(0, count - 1))
    specs = []
    for n in range(count):
        specs.append(PageSpec(
            module=f"m{n}", section=draw(st.sampled_from(SECTIONS)), title=f"Pagina {n}", icon=":material/star:",
            url=f"p{n}", editors_only=draw(st.booleans()), default=n == default,
            unlisted=draw(st.booleans()) if n != default else False))
    return tuple(specs)


def _listed(editor: bool, table) -> list[PageSpec]:
    return [spec for _, specs in menu_sections(editor, table) for spec in specs]


@given(table=page_tables())
def test_who_sees_which_page_in_the_menu(table):
    viewer, editor = _listed(False, table), _listed(True, table)
    # no page twice, an unlisted page in nobody's menu, an editor page in no viewer's menu
    assert len(set(viewer)) == len(viewer) and len(set(editor)) == len(editor)
    assert not any(spec.unlisted for spec in editor + viewer)
    assert not any(spec.editors_only for spec in viewer)
    # every other page is listed: for an editor all that are not unlisted, for a viewer all of those
    # that are not for editors; what a viewer sees an editor sees too
    assert set(editor) == {spec for spec in table if not spec.unlisted}
    assert set(viewer) == {spec for spec in editor if not spec.editors_only}


@given(table=page_tables(), editor=st.booleans())
def test_sections_keep_the_table_order_and_are_never_empty(table, editor):
    sections = menu_sections(editor, table)
    names = [name for name, _ in sections]
    assert all(name and specs for name, specs in sections)  # no heading without links, none without a name
    assert len(set(names)) == len(names)
    # each page under its own section; sections in the order of their first listed page; pages in table order
    assert all(spec.section == name for name, specs in sections for spec in specs)
    listed = _listed(editor, table)
    assert listed == sorted(listed, key=lambda s: (names.index(s.section), table.index(s)))
    firsts = [table.index(specs[0]) for _, specs in sections]
    assert firsts == sorted(firsts)


@given(table=page_tables(), editor=st.booleans())
def test_every_url_exists_for_everyone(table, editor):
    """Hidden from a menu is not gone: `menu` still holds every page (st.navigation registers all)."""
    entries = [spec for specs in menu(editor, table).values() for spec, _ in specs]
    assert sorted(spec.url for spec in entries) == sorted(spec.url for spec in table)


def test_the_real_table():
    assert [(name, [s.title for s in specs]) for name, specs in menu_sections(False)] == [
        ("Dashboard", ["Overzicht", "KPI in detail", "Vergelijken", "Bronnen en definities", "Werkplan"]),
        ("Vergadering en rapportage", ["Vergadermodus", "Wat is er veranderd", "Rapporten en downloads"]),
    ]
    assert [name for name, _ in menu_sections(True)] == ["Dashboard", "Vergadering en rapportage", "Beheer"]
    assert [s.url for s in dict(menu_sections(True))["Beheer"]] == [
        "importeren", "importgeschiedenis", "doelen", "gebeurtenissen", "abonnees"]


# ---- the rendered sidebar (AppTest) -----------------------------------------------------------


def _menu_blocks(at) -> dict[str, list]:
    """The sidebar menu's containers by key (ui.frame.sidebar_menu's keys), each with its page links."""
    from streamlit.testing.v1.element_tree import Block

    found: dict[str, list] = {}

    def walk(node) -> None:
        if isinstance(node, Block):
            key = (node.proto.id or "").rsplit("-", 1)[-1] if node.proto is not None else ""
            if key.startswith("menu"):
                found[key] = [e for e in node.get("page_link")]
            for child in node.children.values():
                walk(child)

    walk(at.sidebar)
    return found


def _entries(at) -> list[tuple[str, str, str]]:
    """(container key, link label, query string) per menu entry, in order."""
    return [(key, links[0].proto.label, links[0].proto.query_string)
            for key, links in _menu_blocks(at).items() if key.startswith(("menu_link_", "menu_hier_"))]


def test_a_viewer_gets_the_menu_without_editor_pages_and_the_current_page_marked(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "banen"})
    assert not at.exception
    entries = _entries(at)
    assert [label for _, label, _ in entries] == [s.title for _, specs in menu_sections(False) for s in specs]
    # the current page: one entry, marked by its key; its link keeps the query string, the others have none
    assert [(key, label, query) for key, label, query in entries if key.startswith("menu_hier_")] == [
        ("menu_hier_kpi", "KPI in detail", "kpi=banen")]
    assert all(query == "" for key, _, query in entries if key.startswith("menu_link_"))
    # links to the pages' own URLs (the overview's at /overzicht, not the root)
    assert [link.proto.page for links in _menu_blocks(at).values() for link in links][:2] == ["overzicht", "kpi"]
    assert {"menu", "menu_sectie_0", "menu_sectie_1", "menu_js"} <= set(_menu_blocks(at))
    assert "menu_sectie_2" not in _menu_blocks(at)


def test_an_editor_gets_the_beheer_section(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    assert not at.exception
    entries = _entries(at)
    assert [label for _, label, _ in entries] == [s.title for _, specs in menu_sections(True) for s in specs]
    assert [key for key, _, _ in entries if key.startswith("menu_hier_")] == ["menu_hier_importeren"]


def test_a_page_that_stops_still_has_the_menu(monkeypatch, sqlite_url):
    """An editor page opened by a viewer stops (st.stop) after its Dutch notice: the menu is drawn
    before the page, so it is there, without the page itself."""
    at = run_app(monkeypatch, sqlite_url)
    open_page(at, "importgeschiedenis").run()
    assert [w.value.split(". ")[0] for w in at.main.warning] == ["Deze pagina is alleen voor redacteuren"]
    entries = _entries(at)
    assert [label for _, label, _ in entries] == [s.title for _, specs in menu_sections(False) for s in specs]
    assert not any(key.startswith("menu_hier_") for key, _, _ in entries)


def test_the_overview_is_the_current_page_at_the_root_and_at_its_own_url(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url)
    assert [key for key, _, _ in _entries(at) if key.startswith("menu_hier_")] == ["menu_hier_overzicht"]
    open_page(at, "overzicht").run()
    assert not at.exception
    assert [key for key, _, _ in _entries(at) if key.startswith("menu_hier_")] == ["menu_hier_overzicht"]
