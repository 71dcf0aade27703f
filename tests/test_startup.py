"""What a viewer's first pages load: the heavy libraries of import and reports stay out
(they would cost every cold start; bench/NOTES.md)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITOR_AND_REPORT_LIBRARIES = ["pandera", "openpyxl", "fpdf", "pptx", "kaleido", "alembic"]

SCRIPT = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests.support.apptest import open_page
at = AppTest.from_file("app.py", default_timeout=120).run()
assert not at.exception, at.exception
open_page(at, "kpi")
at.query_params["kpi"] = "leegstand"
at.run()
assert not at.exception, at.exception
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_overview_and_kpi_page_do_not_import_editor_or_report_libraries(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    env = {"PATH": "/usr/bin:/bin", "KPI_DATABASE_URL": url}
    # A database at head first (migrating it is what needs Alembic), then a fresh interpreter.
    subprocess.run([sys.executable, "-m", "kpi", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    res = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    loaded = set(json.loads(res.stdout.strip().splitlines()[-1]))
    assert {"pandas", "plotly", "sqlalchemy"} <= loaded  # the check can see imports
    assert loaded.isdisjoint(EDITOR_AND_REPORT_LIBRARIES), sorted(loaded & set(EDITOR_AND_REPORT_LIBRARIES))


def test_server_runs_without_a_file_watcher():
    """A server never changes its own code; Streamlit's watcher over the project folder (with
    .venv inside) cost about 0,3 s of every cold start (bench/NOTES.md)."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
