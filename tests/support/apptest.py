"""Helpers for AppTest: run the real app.py against a throwaway database."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

APP = str(Path(__file__).resolve().parent.parent.parent / "app.py")
TEST_COOKIES = "_test_cookies"  # session-state key standing in for the browser's cookies
# The overview groups the KPIs by agreement, newest first (issue 21): the Binnenstadsvisie 2021's
# two KPIs (winkelvloeroppervlak, woningen; no figures yet) come before the akkoord's five, so the
# overview's metric of banen, the akkoord's first KPI, is this one.
BANEN_METRIC = 2
VISIE_METRICS = ["–", "–"]


def open_page(at: AppTest, url: str) -> AppTest:
    """Switch to the navigation page with this URL path (ui.frame.PAGES); run() follows.

    AppTest.switch_page only finds file pages; ours are functions registered with st.Page,
    whose script hash is that of their url_path. Like switch_page, a page the navigation did
    not register for this session (an editors' page for a viewer) raises ValueError.
    """
    page_hash = calc_hash(url)
    if page_hash not in at._registered_pages:
        raise ValueError(f"Could not find a navigation page for {url!r}")
    at._page_hash = page_hash
    return at


def refused_to_viewer(at: AppTest, url: str) -> None:
    """Open an editor page as this (non-editor) session: it says in Dutch that it is for editors
    and offers no form, button, upload or table."""
    open_page(at, url).run()
    assert not at.exception, url
    assert [w.value.split(". ")[0] for w in at.main.warning] == ["Deze pagina is alleen voor redacteuren"], url
    assert not (at.main.button or at.main.text_input or at.main.number_input or at.main.selectbox
                or at.main.checkbox or at.main.dataframe or at.get("file_uploader")), url


def run_app(monkeypatch, db_url: str, page: str | None = None, query: dict | None = None,
            editor: bool = False, password: str = "geheim-test") -> AppTest:
    """Run app.py (optionally open a page by its URL path) with KPI_DATABASE_URL set.

    AppTest has no browser cookies; `editor=True` gives this session what a signed-in browser
    sends, a valid signed editor cookie (ui.auth reads cookies through `_cookies`)."""
    import streamlit as st

    from kpi.login import EDITOR_COOKIE
    from ui import auth, guard

    monkeypatch.setenv("KPI_DATABASE_URL", db_url)
    monkeypatch.setenv("KPI_EDITOR_PASSWORD", password)
    monkeypatch.setattr(auth, "_cookies", lambda: dict(st.session_state.get(TEST_COOKIES, {})))
    at = AppTest.from_file(APP, default_timeout=60)
    if editor:
        at.session_state[TEST_COOKIES] = {EDITOR_COOKIE: guard.issue_editor_cookie()}
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        open_page(at, page)
        at.run()
    return at


def texts(at: AppTest) -> str:
    """All markdown, captions, metric values and badges of a run, as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [m.value for m in at.metric] + [m.label for m in at.metric]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [t.value for t in at.title]
    parts += [str(b.proto.label) for b in at.get("badge")]
    # Stored text is Markdown-escaped on screen; compare with the text a reader sees.
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def demo_banner(at: AppTest):
    """The one-line notice about illustrative values (ui.components.illustrative_banner), or None."""
    return next((e for e in at.expander if e.label.startswith("Demo: ")), None)


def figure(at: AppTest, index: int = 0) -> dict:
    """The plotly figure of the index-th chart, as a dict."""
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def values(arr) -> list:
    """A plotly data array as a list (plotly 7 sends numbers base64-encoded)."""
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return list(arr)


class _TableReader(HTMLParser):
    """Reads the tables of kpi.werkplan.tables.html_table back: headings and the text per cell."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "tr":
            self._row = []
        elif tag in ("div", "br") and self._cell is not None:
            self._cell.append(" ")  # a line of its own on screen

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            (self.tables[-1][0] if tag == "th" else self._row).append(text)
            self._cell = None
        elif tag == "tr" and self._row:
            self.tables[-1][1].append(self._row)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's own HTML tables (st.html) as frames of cell texts, in page order."""
    out = []
    for element in at.get("html"):
        reader = _TableReader()
        reader.feed(element.proto.body)
        out += [pd.DataFrame(rows, columns=heads) for heads, rows in reader.tables]
    return out


def html_table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first of the page's own HTML tables that has these columns (ui.components.wrapped_table)."""
    return next(t for t in html_tables(at) if set(columns) <= set(t.columns))
