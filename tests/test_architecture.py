"""The house rules that keep one way to do each thing, checked on the source text."""

import ast
from pathlib import Path

import pytest

from ui.frame import PAGES

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted(p for p in (ROOT / "screens").glob("*.py") if p.name != "__init__.py")


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
def test_page_module_is_a_render_function_without_a_ritual(path):
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert any(isinstance(n, ast.FunctionDef) and n.name == "render" for n in tree.body)
    assert "__main__" not in text and "frame.run" not in text


def test_no_legacy_pages_folder():
    # A folder named pages/ beside the entry script puts Streamlit in its legacy multipage mode
    # (a first request runs a page file on its own; "Page not found" for some URLs).
    assert not (ROOT / "pages").exists()


def test_every_page_file_is_registered_once_and_no_page_shadows_a_package():
    assert sorted(spec.module for spec in PAGES) == sorted(p.stem for p in PAGE_FILES)
    assert len({spec.url for spec in PAGES}) == len(PAGES)
    assert {p.stem for p in PAGE_FILES}.isdisjoint({"kpi", "ui", "tests", "bench", "screens"})


# ---- the one door for pages (ui/data.py) ------------------------------------------------------

def _calls(path: Path) -> set[str]:
    """Dotted names called in a file: 'data.engine', 'importer.apply', ..."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            parts, f = [], node.func
            while isinstance(f, ast.Attribute):
                parts.append(f.attr)
                f = f.value
            if isinstance(f, ast.Name):
                found.add(".".join([f.id, *reversed(parts)]))
    return found


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_write_only_through_ui_data(path):
    """No page takes the engine or calls the importer itself: the import, undo, target and action
    writes are ui/data.py's (prepare_import, apply_import, undo_import, revise_target,
    update_action, save_subscriber, unsubscribe, save_duiding, make_briefing), which clear the
    cache after every write."""
    assert "data.engine" not in _calls(path), path.name
    importer = {m for m in _imports(path) if m.split(".")[:2] == ["kpi", "importer"]}
    # The import guide is text for the page; nothing in it reads or writes.
    assert importer <= {"kpi.importer.guide", "kpi.importer.guide.IMPORT_GUIDE",
                        "kpi.importer.guide.IMPORT_GUIDE_TITLE"}, f"{path.name}: {sorted(importer)}"
    assert not {c for c in _calls(path) if c.startswith(("importer.", "forms."))}, path.name
    assert "clear_after_change" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_leave_messages_through_the_one_flash_helper(path):
    text = path.read_text(encoding="utf-8")
    assert "_flash\"" not in text and "flash\"]" not in text, f"{path.name} keeps its own flash key"


def _download_buttons_without_ignore(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "download_button"
            and not any(k.arg == "on_click" and isinstance(k.value, ast.Constant) and k.value.value == "ignore"
                        for k in node.keywords)]


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_every_download_button_ignores_the_click(path):
    """A download button's default click also reruns the page. With data made on click (a callable)
    that rerun registers a new file id and drops the old one, so a busy server could run the
    rerun before the click's own file request and the download never came (seen once in CI)."""
    assert not _download_buttons_without_ignore(ast.parse(path.read_text(encoding="utf-8"))), path.name


def test_the_download_button_check_can_fail():
    assert _download_buttons_without_ignore(ast.parse('st.download_button("x", f, key="k")')) == [1]
    assert not _download_buttons_without_ignore(ast.parse('c.download_button("x", f, on_click="ignore")'))


def test_every_write_of_ui_data_clears_the_cache():
    """Each public function of ui/data.py that calls a write of the domain ends by clearing the
    cache (clear_after_change), so that no page can forget it."""
    tree = ast.parse((ROOT / "ui" / "data.py").read_text(encoding="utf-8"))
    writes = ("importer.apply", "importer.undo", "forms.revise_target", "forms.update_action",
              "forms.save_subscriber", "forms.unsubscribe", "event_store.add_event", "event_store.delete_event",
              "forms.save_duiding", "record.make_briefing")
    seen = set()
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")):
        called = set()
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                called |= {ast.unparse(node.func)}
        if called & set(writes):
            seen |= called & set(writes)
            assert "clear_after_change" in called, fn.name
    assert seen == set(writes)


# ---- no import circles ------------------------------------------------------------------------

def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), i.e. the circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _import_graph() -> dict[str, set[str]]:
    """The project's own import graph from grimp (imports inside functions included)."""
    import grimp

    graph = grimp.build_graph("kpi", "ui", "screens", "bench", cache_dir=None)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def test_the_import_graph_has_no_circles():
    assert _cycles(_import_graph()) == []


def test_the_circle_finder_finds_a_circle():
    # The check above must be able to fail: a made-up graph with one circle and a tail.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_graph_sees_imports_inside_functions():
    # kpi/reports/__init__.py imports its PDF renderer inside render() (fpdf loads only for a PDF).
    assert "kpi.reports.pdf" in _import_graph()["kpi.reports"]


def test_the_werkplan_is_a_package_that_does_not_import_the_importer():
    graph = _import_graph()
    werkplan = {m for m in graph if m == "kpi.werkplan" or m.startswith("kpi.werkplan.")}
    assert {"kpi.werkplan", "kpi.werkplan.store", "kpi.werkplan.tables", "kpi.werkplan.brief"} <= werkplan
    assert not any(d.startswith("kpi.importer") for m in werkplan for d in graph[m])
    assert not list(ROOT.glob("kpi/werkplan_*.py")) and not (ROOT / "kpi" / "targets.py").exists()


def test_the_importer_does_not_import_the_cli():
    for path in (ROOT / "kpi" / "importer").rglob("*.py"):
        assert not {m for m in _imports(path) if m.startswith("kpi.cli")}, path
    assert not (ROOT / "kpi" / "importer" / "commands.py").exists()


def test_the_domain_never_imports_streamlit():
    for path in (ROOT / "kpi").rglob("*.py"):
        assert not {m for m in _imports(path) if m.split(".")[0] == "streamlit"}, path


# ---- units declared once (issue 18.5) ------------------------------------------------------------

def _unit_branches(source: str) -> list[str]:
    """Comparisons of a unit name with a literal ('unit == "procent"', 'ind.unit in (...)')."""
    from kpi.units import UNITS

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        names = [n for n in [node.left, *node.comparators]
                 if isinstance(n, ast.Constant) and n.value in UNITS
                 or isinstance(n, ast.Tuple | ast.Set | ast.List | ast.Dict)
                 and any(isinstance(e, ast.Constant) and e.value in UNITS for e in getattr(n, "elts", []))]
        sides = ast.unparse(node)
        if names and ("unit" in sides or "eenheid" in sides):
            found.append(sides)
    return found


def test_no_module_branches_on_a_unit_name():
    """A unit's range, axis, suffix, words and example are a row of kpi/units.py; a new unit is one row."""
    offenders = {str(p.relative_to(ROOT)): b for p in [*ROOT.glob("kpi/**/*.py"), *ROOT.glob("ui/*.py"),
                                                       *ROOT.glob("screens/*.py")]
                 if p.name != "units.py" and (b := _unit_branches(p.read_text()))}
    assert offenders == {}


def test_the_unit_branch_check_can_fail():
    assert _unit_branches('if ind.unit == "positie":\n    pass') == ["ind.unit == 'positie'"]
    assert _unit_branches('x = unit in ("aantal", "positie")')


def test_every_unit_in_the_indicator_file_is_a_known_unit():
    import pandas as pd

    from kpi.units import UNITS

    used = set(pd.read_csv(ROOT / "data" / "indicatoren.csv", dtype=str)["eenheid"])
    assert used and used <= set(UNITS), used - set(UNITS)
