"""The app frame: page config, sidebar with the menu, navigation (from one table) and the error boundary.

`app.py` calls `run()`. Every page is a module in `screens/` whose body is `render()`,
registered below with `st.Page(render, url_path=...)`. The folder is not called `pages/`: that
name beside the entry script puts Streamlit in its legacy multipage mode, in which a first
request could run a page file on its own and show an English "Page not found".

Every URL exists for everyone: `st.navigation` gets every page and shows no menu of its own
(position "hidden"). The menu is the app's own (`sidebar_menu`): st.page_link per page, in a
navigation landmark with a heading and a list per section (`styles.MENU_JS` gives the roles and
aria-current; Streamlit's own menu put its sections as <div>s into its <ul>, which axe reports).
An editor page is in that menu for editors only; a viewer's bookmark or an editor's reload still
opens the page, which says in Dutch that it is for editors (`auth.require_editor`), instead of
Streamlit's dialog. An unlisted page (Afmelden, the digest's unsubscribe link) is in nobody's menu.
"""

from __future__ import annotations

import html
import importlib
import logging

import sqlalchemy as sa
import streamlit as st

from ui import auth, centres, data, styles
from ui.components import illustrative_banner
from ui.page_table import DEFAULT_RESERVED_URL, MEETING_URL, PAGES, PageSpec  # noqa: F401 (read from here too)

log = logging.getLogger("binnenstadmonitor")




def _st_page(spec: PageSpec, hidden: bool = False) -> st.Page:
    """The page for st.navigation and st.page_link; `hidden` gives the default page (the overview)
    its own URL instead of the root."""
    render = importlib.import_module(f"screens.{spec.module}").render
    if spec.default and not hidden:
        return st.Page(render, title=spec.title, icon=spec.icon, url_path=DEFAULT_RESERVED_URL, default=True)
    return st.Page(render, title=spec.title, icon=spec.icon, url_path=spec.url)


def page(url: str) -> st.Page:
    """The page with this URL path, for st.page_link and st.switch_page."""
    return _st_page(next(spec for spec in PAGES if spec.url == url))


def menu(editor: bool, table: tuple[PageSpec, ...] = PAGES) -> dict[str, list[tuple[PageSpec, bool]]]:
    """Every page of `table` as (page, hidden) per menu section: the Beheer pages in the menu for
    editors only, an unlisted page in no menu (both in the section "", which has no heading)."""
    nav: dict[str, list[tuple[PageSpec, bool]]] = {}
    for spec in table:
        if spec.unlisted or (spec.editors_only and not editor):
            nav.setdefault("", []).append((spec, True))
        else:
            nav.setdefault(spec.section, []).append((spec, False))
    return nav


def menu_sections(editor: bool, table: tuple[PageSpec, ...] = PAGES) -> list[tuple[str, list[PageSpec]]]:
    """The sidebar menu: its sections in order, each with the pages it lists (never an empty one)."""
    return [(section, [spec for spec, hidden in entries if not hidden])
            for section, entries in menu(editor, table).items()
            if section and any(not hidden for _, hidden in entries)]


def pages() -> list[st.Page]:
    """The navigation: every page for everyone, and the overview once more at its own URL
    (/overzicht, where the menu links to)."""
    return [_st_page(spec) for spec in PAGES] + [_st_page(spec, hidden=True) for spec in PAGES if spec.default]


def current_spec(url_path: str) -> PageSpec:
    """The page table's row for the page that runs (the overview at the root URL too)."""
    return next((spec for spec in PAGES if spec.url == url_path),
                next(spec for spec in PAGES if spec.default))


MENU_KEY = "menu"


def menu_item_key(spec: PageSpec, current: bool) -> str:
    """The key of a menu entry's container: the current page's says so (`menu_hier_…`), which is
    what marks its link aria-current (styles.MENU_JS) and highlights it (styles.MENU_CSS)."""
    return f"menu_{'hier' if current else 'link'}_{spec.url}"


def sidebar_menu(current: PageSpec, editor: bool) -> None:
    """The app's menu: per section a heading and a list of page links. The current page's link
    keeps the query string this run was asked with (?kpi=, ?stap=, the werkplan's filters), as a
    click on the current page in Streamlit's own menu did; a link to another page opens it
    without one, as there. (A parameter the page itself sets in this run reaches the link on the
    next run; the page's widgets keep their values within the session meanwhile.)"""
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    with st.container(key=MENU_KEY, gap=None):
        for number, (section, specs) in enumerate(menu_sections(editor)):
            st.html(f'<h2 class="menu-kop" id="menu-kop-{number}">{html.escape(section)}</h2>')
            with st.container(key=f"menu_sectie_{number}", gap=None):
                for spec in specs:
                    here = spec.url == current.url
                    with st.container(key=menu_item_key(spec, here)):
                        st.page_link(_st_page(spec, hidden=True), label=spec.title, icon=spec.icon,
                                     query_params=query if here else None)
        with st.container(key="menu_js"):
            st.html(styles.MENU_JS, unsafe_allow_javascript=True)


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


def is_phone_agent(user_agent: str) -> bool:
    """A phone's browser: 'Mobi' in its User-Agent, as MDN advises for telling phones from other
    devices (iPhone, Android phones; not an iPad or an Android tablet, which have room)."""
    return "Mobi" in user_agent


def on_phone() -> bool:
    """Whether this session's browser is a phone (False without a request, as in AppTest)."""
    try:
        return is_phone_agent(st.context.headers.get("User-Agent") or "")
    except Exception:  # no request context (bare mode)
        return False


def _style(meeting: bool) -> None:
    css = styles.every_page() + (styles.meeting() if meeting else "")
    if css:
        st.html(css)


def run() -> None:
    """Render the frame and the selected page."""
    st.set_page_config(page_title="Binnenstadmonitor", page_icon="🏙️", layout="wide",
                       initial_sidebar_state="auto")
    nav = st.navigation(pages(), position="hidden")
    # The browser tab names the page (st.Page's title alone loses to the page_title above).
    st.set_page_config(page_title=page_title(nav.title))
    _style(meeting=nav.url_path == MEETING_URL)
    current, editor = current_spec(nav.url_path), auth.is_editor()
    with st.sidebar:
        st.markdown("### Binnenstadmonitor")
        # Issue 21.1: ?gebied= and the 'Centrum' box; names the centre, limited to the centres this
        # session may see (KPI_VIEWER_AREAS).
        any_centre = centres.switcher(editor)
        # Before the page, so that a page that stops (st.stop: an editor page for a viewer) or
        # fails still has a menu.
        sidebar_menu(current, editor)
    auth.login_box()
    centres.message()  # an unknown or hidden ?gebied=: said above the page, also on a phone
    if not any_centre:
        return
    try:
        data.engine()
        data.start_run()  # the data version, read once per run: part of every cache key
        illustrative_banner(data.illustrative_count(), editor=editor)
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
