"""The app frame: page config, sidebar, navigation (from one table) and the error boundary.

`app.py` calls `run()`. Every page is a module in `pages/` whose body is `render()`,
registered below with `st.Page(render, url_path=...)`. Because a folder named `pages/`
beside app.py puts Streamlit in its legacy multipage mode until `st.navigation` runs, the
very first request after a start can execute a page file on its own (as `__main__`);
the last line of each page module hands that request to `run()`, which builds the whole
frame and renders the page the URL asks for. That first request finds the file by its
legacy page name (the file name without a leading number), so each file is named after its
URL path; Streamlit shows "Page not found" otherwise.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

import sqlalchemy as sa
import streamlit as st

from ui import auth, data, styles
from ui.components import illustrative_banner, md

log = logging.getLogger("binnenstadmonitor")


@dataclass(frozen=True)
class PageSpec:
    """One page: its module in pages/, navigation section, title, icon and URL."""

    module: str
    section: str
    title: str
    icon: str
    url: str
    editors_only: bool = False
    default: bool = False
    hidden: bool = False  # reached by a link only (the unsubscribe link in a digest)


MEETING_URL = "vergadering"
PAGES = (
    PageSpec("overzicht", "Dashboard", "Overzicht", ":material/dashboard:", "overzicht", default=True),
    # Not kpi.py, which would shadow the kpi package; Streamlit drops the number from a pages/
    # file's name, so a cold first request for /kpi still finds this file (see the docstring).
    PageSpec("0_kpi", "Dashboard", "KPI in detail", ":material/show_chart:", "kpi"),
    PageSpec("bronnen", "Dashboard", "Bronnen en definities", ":material/menu_book:", "bronnen"),
    PageSpec("werkplan", "Dashboard", "Werkplan", ":material/checklist:", "werkplan"),
    PageSpec("vergadering", "Vergadering en rapportage", "Vergadermodus", ":material/co_present:", MEETING_URL),
    PageSpec("wijzigingen", "Vergadering en rapportage", "Wat is er veranderd", ":material/difference:",
             "wijzigingen"),
    PageSpec("rapporten", "Vergadering en rapportage", "Rapporten en downloads", ":material/description:",
             "rapporten"),
    PageSpec("importeren", "Beheer", "Importeren", ":material/upload_file:", "importeren", editors_only=True),
    PageSpec("importgeschiedenis", "Beheer", "Importgeschiedenis", ":material/history:", "importgeschiedenis",
             editors_only=True),
    PageSpec("doelen", "Beheer", "Doelen beheren", ":material/flag:", "doelen", editors_only=True),
    PageSpec("gebeurtenissen", "Beheer", "Gebeurtenissen", ":material/event:", "gebeurtenissen",
             editors_only=True),
    PageSpec("abonnees", "Beheer", "Abonnees", ":material/mail:", "abonnees", editors_only=True),
    PageSpec("afmelden", "Vergadering en rapportage", "Afmelden", ":material/unsubscribe:", "afmelden",
             hidden=True),
)


# Streamlit serves the default page at "/" only: /overzicht (a bookmark, a link in a mail) would
# show its English "Page not found" dialog. The default page therefore reserves another path
# and the overview is registered a second time, hidden from the menu, at its own URL.
DEFAULT_RESERVED_URL = "start"


def _st_page(spec: PageSpec, alias: bool = False) -> st.Page:
    render = importlib.import_module(f"pages.{spec.module}").render
    if spec.default and not alias:
        return st.Page(render, title=spec.title, icon=spec.icon, url_path=DEFAULT_RESERVED_URL, default=True)
    return st.Page(render, title=spec.title, icon=spec.icon, url_path=spec.url,
                   visibility="hidden" if alias or spec.hidden else "visible")


def page(url: str) -> st.Page:
    """The page with this URL path, for st.page_link and st.switch_page."""
    return _st_page(next(spec for spec in PAGES if spec.url == url))


def pages() -> dict[str, list[st.Page]]:
    """Navigation: everyone sees the dashboard; editors also see Beheer."""
    nav: dict[str, list[st.Page]] = {}
    editor = auth.is_editor()
    for spec in PAGES:
        if editor or not spec.editors_only:
            nav.setdefault(spec.section, []).append(_st_page(spec))
            if spec.default:
                nav[spec.section].append(_st_page(spec, alias=True))
    return nav


_UNREACHABLE = ("**De gegevens zijn nu niet beschikbaar.** De database is niet bereikbaar of weigert "
                "de bewerking (bijvoorbeeld alleen-lezen). "
                "Het dashboard probeert het opnieuw zodra u de pagina ververst.")


def _style(meeting: bool) -> None:
    css = styles.every_page() + (styles.meeting() if meeting else "")
    if css:
        st.html(css)


def run() -> None:
    """Render the frame and the selected page."""
    st.set_page_config(page_title="Binnenstadmonitor", page_icon="🏙️", layout="wide",
                       initial_sidebar_state="auto")
    nav = st.navigation({k: v for k, v in pages().items() if v}, position="sidebar")
    _style(meeting=nav.url_path == MEETING_URL)
    with st.sidebar:
        st.markdown("### Binnenstadmonitor")
        st.caption(f"Binnenstadakkoord · {md(data.settings().area)}")
    auth.login_box()
    try:
        data.engine()
        data.start_run()  # the data version, read once per run: part of every cache key
        illustrative_banner(data.illustrative_count(), editor=auth.is_editor())
    except data.DatabaseUnavailable as exc:
        st.error(f"**De gegevens zijn nu niet beschikbaar.** {exc} "
                 "Het dashboard probeert het opnieuw zodra u de pagina ververst.", icon=":material/error:")
        return
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        log.warning("database unavailable at the start of a run: %s", type(exc).__name__)
        st.error(_UNREACHABLE, icon=":material/error:")
        return
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
