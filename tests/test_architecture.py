"""The house rules that keep one way to do each thing, checked on the source text."""

import ast
from pathlib import Path

import pytest

from ui.frame import PAGES

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_read_only_through_ui_data(path):
    reached = {m for m in _imports(path) if m.split(".")[:2] in (["kpi", "repository"], ["kpi", "events"],
                                                                   ["kpi", "db"])}
    reached |= {m for m in _imports(path) if m.startswith("sqlalchemy")}
    assert reached == set(), f"{path.name} reaches past ui/data.py: {sorted(reached)}"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_page_module_is_a_render_function_without_the_old_ritual(path):
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert any(isinstance(n, ast.FunctionDef) and n.name == "render" for n in tree.body)
    assert "noqa: E402" not in text and "frame.ensure" not in text
    # The guard for a cold first request that runs the file on its own (legacy pages/ mode).
    assert text.rstrip().endswith('if __name__ == "__main__":  # a cold first request can run this file on its '
                                  'own: build the frame\n    frame.run()')


def test_every_page_file_is_registered_once_and_no_page_shadows_a_package():
    assert sorted(spec.module for spec in PAGES) == sorted(p.stem for p in PAGE_FILES)
    assert len({spec.url for spec in PAGES}) == len(PAGES)
    assert {p.stem for p in PAGE_FILES}.isdisjoint({"kpi", "ui", "tests", "bench"})


def test_each_page_file_has_the_legacy_name_of_its_url():
    # A cold first request runs the pages/ file whose Streamlit page name is the URL path;
    # without one, Streamlit shows "Page not found" over the page.
    from streamlit.source_util import page_icon_and_name

    for spec in PAGES:
        assert page_icon_and_name(ROOT / "pages" / f"{spec.module}.py")[1] == spec.url, spec


def test_the_importer_does_not_import_the_cli():
    for path in (ROOT / "kpi" / "importer").rglob("*.py"):
        assert not {m for m in _imports(path) if m.startswith("kpi.cli")}, path
    assert not (ROOT / "kpi" / "importer" / "commands.py").exists()


def test_the_domain_never_imports_streamlit():
    for path in (ROOT / "kpi").rglob("*.py"):
        assert not {m for m in _imports(path) if m.split(".")[0] == "streamlit"}, path
