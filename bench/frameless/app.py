"""Bench only: the dashboard's own overview and KPI page without the frame (no sidebar text, no
login box, no demo notice, no style sheets, no error boundary), on the same data layer and with the
same wide layout. Beside
the dashboard and the bare two-page app it splits the page switch into what the frame costs and
what the pages' content costs (bench/NOTES.md)."""

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import data  # noqa: E402


def _page(module: str, title: str, url: str, default: bool = False) -> st.Page:
    render = importlib.import_module(f"screens.{module}").render
    return st.Page(render, title=title, url_path=url, default=default)


st.set_page_config(page_title="Binnenstadmonitor", layout="wide")
# The overview links to the KPI page and to meeting mode: those must be registered.
nav = st.navigation([_page("overzicht", "Overzicht", "overzicht", default=True),
                     _page("kpi_detail", "KPI in detail", "kpi"), _page("vergadering", "Vergadermodus", "vergadering")],
                    position="sidebar")
data.start_run()
nav.run()
