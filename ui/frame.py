"""The app frame: page config, sidebar, navigation and the error boundary.

`app.py` calls `run()`. Every page script starts with `ensure()`: with a `pages/` folder
beside app.py, Streamlit's very first request after start can run a page script on its
own (legacy multipage mode); `ensure()` then builds the whole frame around it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import sqlalchemy as sa
import streamlit as st

from ui import auth, data
from ui.components import illustrative_banner, md

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("binnenstadmonitor")
_inside = threading.local()


def _page(name: str, title: str, icon: str, url: str, default: bool = False) -> st.Page:
    return st.Page(str(ROOT / "pages" / name), title=title, icon=icon, url_path=url, default=default)


def pages() -> dict[str, list[st.Page]]:
    """Navigation: everyone sees the dashboard; editors also see Beheer."""
    nav = {
        "Dashboard": [
            _page("overzicht.py", "Overzicht", ":material/dashboard:", "overzicht", default=True),
            _page("kpi.py", "KPI in detail", ":material/show_chart:", "kpi"),
            _page("bronnen.py", "Bronnen en definities", ":material/menu_book:", "bronnen"),
        ],
        # Issue 4 pages are appended here (meeting mode, what changed, reports).
        "Vergadering en rapportage": [
            _page("vergadering.py", "Vergadermodus", ":material/co_present:", MEETING_URL),
            _page("wijzigingen.py", "Wat is er veranderd", ":material/difference:", "wijzigingen"),
            _page("rapporten.py", "Rapporten en downloads", ":material/description:", "rapporten"),
        ],
    }
    if auth.is_editor():
        nav["Beheer"] = [
            _page("importeren.py", "Importeren", ":material/upload_file:", "importeren"),
            _page("importgeschiedenis.py", "Importgeschiedenis", ":material/history:", "importgeschiedenis"),
            _page("doelen.py", "Doelen beheren", ":material/flag:", "doelen"),
            _page("gebeurtenissen.py", "Gebeurtenissen", ":material/event:", "gebeurtenissen"),
        ]
    return nav


MEETING_URL = "vergadering"
# Static style for the projector view (no data in it): hide the sidebar, larger type.
_MEETING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 26px;}
h1 {font-size: 48px;}
</style>"""


_UNREACHABLE = ("**De gegevens zijn nu niet beschikbaar.** De database is niet bereikbaar of weigert "
                "de bewerking (bijvoorbeeld alleen-lezen). "
                "Het dashboard probeert het opnieuw zodra u de pagina ververst.")


def _meeting_chrome() -> None:
    st.html(_MEETING_CSS)


def page_path(name: str) -> str:
    """Path of a page script, for st.page_link / st.switch_page."""
    return str(ROOT / "pages" / name)


def run() -> None:
    """Render the frame and the selected page."""
    st.set_page_config(page_title="Binnenstadmonitor", page_icon="🏙️", layout="wide",
                       initial_sidebar_state="auto")
    nav = st.navigation({k: v for k, v in pages().items() if v}, position="sidebar")
    if nav.url_path == MEETING_URL:
        _meeting_chrome()
    with st.sidebar:
        st.markdown("### Binnenstadmonitor")
        st.caption(f"Binnenstadakkoord · {md(data.settings().area)}")
    auth.login_box()
    try:
        data.engine()
        data.start_run()  # the data version, read once per run: part of every cache key
        illustrative_banner(data.illustrative_count())
    except data.DatabaseUnavailable as exc:
        st.error(f"**De gegevens zijn nu niet beschikbaar.** {exc} "
                 "Het dashboard probeert het opnieuw zodra u de pagina ververst.", icon=":material/error:")
        return
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        log.warning("database unavailable at the start of a run: %s", type(exc).__name__)
        st.error(_UNREACHABLE, icon=":material/error:")
        return
    _inside.active = True
    try:
        nav.run()
    except data.DatabaseUnavailable as exc:
        st.error(f"**De gegevens zijn nu niet beschikbaar.** {exc}", icon=":material/error:")
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        # The engine was cached before the database went away: same message, no traceback.
        log.warning("database unavailable while rendering: %s", type(exc).__name__)
        st.error(_UNREACHABLE, icon=":material/error:")
    except Exception:  # the error boundary: log the traceback, show a Dutch message
        log.exception("page failed")
        st.error("Er ging iets mis bij het tonen van deze pagina. De fout is gelogd; "
                 "probeer het opnieuw of meld het bij de beheerder.", icon=":material/error:")
    finally:
        _inside.active = False


def ensure() -> None:
    """Make a page complete when Streamlit runs it on its own (cold deep link)."""
    if getattr(_inside, "active", False):
        return
    run()
    st.stop()
