"""The app frame: page config, sidebar, navigation (from one table) and the error boundary.

`app.py` calls `run()`. Every page is a module in `screens/` whose body is `render()`,
registered below with `st.Page(render, url_path=...)`. The folder is not called `pages/`: that
name beside the entry script puts Streamlit in its legacy multipage mode, in which a first
request could run a page file on its own and show an English "Page not found".

Every URL exists for everyone: an editor page is in the navigation for viewers too, hidden from
their menu, so that a viewer's bookmark or an editor's reload opens the page, which says in
Dutch that it is for editors (`auth.require_editor`), instead of Streamlit's dialog. An
unlisted page (Afmelden, the digest's unsubscribe link) is in the navigation for everyone and
in nobody's menu.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

import sqlalchemy as sa
import streamlit as st

from ui import auth, centres, data, styles
from ui.components import illustrative_banner

log = logging.getLogger("binnenstadmonitor")


@dataclass(frozen=True)
class PageSpec:
    """One page: its module in screens/, navigation section, title, icon and URL."""

    module: str
    section: str
    title: str
    icon: str
    url: str
    editors_only: bool = False
    default: bool = False
    unlisted: bool = False  # in no menu, reached by a link only (the unsubscribe link in a digest)


MEETING_URL = "vergadering"
PAGES = (
    PageSpec("overzicht", "Dashboard", "Overzicht", ":material/dashboard:", "overzicht", default=True),
    PageSpec("kpi_detail", "Dashboard", "KPI in detail", ":material/show_chart:", "kpi"),
    PageSpec("benchmark", "Dashboard", "Vergelijken", ":material/leaderboard:", "vergelijken"),
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
             unlisted=True),
)


# Streamlit serves the default page at "/" only: /overzicht (a bookmark, a link in a mail) would
# show its English "Page not found" dialog. The default page therefore reserves another path
# and the overview is registered a second time, hidden from the menu, at its own URL.
DEFAULT_RESERVED_URL = "start"


def _st_page(spec: PageSpec, hidden: bool = False) -> st.Page:
    render = importlib.import_module(f"screens.{spec.module}").render
    if spec.default and not hidden:
        return st.Page(render, title=spec.title, icon=spec.icon, url_path=DEFAULT_RESERVED_URL, default=True)
    return st.Page(render, title=spec.title, icon=spec.icon, url_path=spec.url,
                   visibility="hidden" if hidden else "visible")


def page(url: str) -> st.Page:
    """The page with this URL path, for st.page_link and st.switch_page."""
    return _st_page(next(spec for spec in PAGES if spec.url == url))


def menu(editor: bool) -> dict[str, list[tuple[PageSpec, bool]]]:
    """The navigation as (page, hidden) per menu section: every page for everyone, the Beheer
    pages in the menu for editors only, an unlisted page in no menu; the overview once more,
    hidden, at its own URL."""
    nav: dict[str, list[tuple[PageSpec, bool]]] = {}
    for spec in PAGES:
        if spec.unlisted or (spec.editors_only and not editor):
            # Without a section of its own: a menu heading over nothing but hidden pages would show.
            nav.setdefault("", []).append((spec, True))
        else:
            nav.setdefault(spec.section, []).append((spec, False))
        if spec.default:
            nav[spec.section].append((spec, True))
    return nav


def pages() -> dict[str, list[st.Page]]:
    """The navigation for this session (see `menu`)."""
    return {section: [_st_page(spec, hidden) for spec, hidden in entries]
            for section, entries in menu(auth.is_editor()).items()}


_UNREACHABLE = ("**De gegevens zijn nu niet beschikbaar.** De database is niet bereikbaar of weigert "
                "de bewerking (bijvoorbeeld alleen-lezen). "
                "Het dashboard probeert het opnieuw zodra u de pagina ververst.")


# A page failed on the database mid-run, maybe while saving: every write is one transaction, so say
# that nothing of it was saved (issue 23.9).
_NOT_WRITTEN = ("**De gegevens zijn nu niet beschikbaar.** De database is niet bereikbaar of kon niet worden "
                "bijgewerkt (bijvoorbeeld alleen-lezen of vol). Wat u net wilde opslaan, is niet opgeslagen: "
                "er is niets gewijzigd. Probeer het opnieuw zodra de database weer beschikbaar is.")


def page_title(title: str) -> str:
    """The browser tab's title of a page: 'Overzicht – Binnenstadmonitor'."""
    return f"{title} – Binnenstadmonitor"


def _style(meeting: bool) -> None:
    css = styles.every_page() + (styles.meeting() if meeting else "")
    if css:
        st.html(css)


def run() -> None:
    """Render the frame and the selected page."""
    st.set_page_config(page_title="Binnenstadmonitor", page_icon="🏙️", layout="wide",
                       initial_sidebar_state="auto")
    nav = st.navigation({k: v for k, v in pages().items() if v}, position="sidebar", expanded=True)
    # The browser tab names the page (st.Page's title alone loses to the page_title above).
    st.set_page_config(page_title=page_title(nav.title))
    _style(meeting=nav.url_path == MEETING_URL)
    with st.sidebar:
        st.markdown("### Binnenstadmonitor")
        centres.switcher()  # issue 21.1: ?gebied= and the 'Centrum' box; names the centre
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
        st.error(_NOT_WRITTEN, icon=":material/error:")
    except Exception:  # the error boundary: log the traceback, show a Dutch message
        log.exception("page failed")
        st.error("Er ging iets mis bij het tonen van deze pagina. De fout is gelogd; "
                 "probeer het opnieuw of meld het bij de beheerder.", icon=":material/error:")
