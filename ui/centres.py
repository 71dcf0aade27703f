"""The centre switcher in the sidebar (issue 21.1): `?gebied=<slug>` in the URL, kept across page
changes because the select box is bound to that query parameter in the frame (which runs on
every page). The chosen centre's name goes to ui.data, whose settings() then answer with it as
`area`: every page, report and export is per centre without knowing it."""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from ui import data
from ui.components import md

KEY = "gebied"  # the URL parameter
_WIDGET = "centre_choice"
_CHOSEN = "_centre_slug"
MESSAGE = "_centre_message"  # the switcher's message of this run, shown by message() in the main area  # kept in the session: a page change drops the parameter, the frame puts it back


def switcher(editor: bool = False) -> bool:
    """The 'Centrum' select box (only with more than one centre this session may see) and the
    caption naming the centre; an unknown ?gebied=, or one of a centre this session may not see
    (KPI_VIEWER_AREAS), gets a Dutch message and the default centre. `editor`: this session is a
    signed-in editor (who also sees the centres they may edit). False when there is no centre to
    see at all: the frame then shows no page."""
    st.session_state[data.VIEWER_IS_EDITOR] = editor
    try:
        frame = data.centres()
    except (data.DatabaseUnavailable, sa.exc.OperationalError, sa.exc.InterfaceError):
        st.session_state.pop(data.CENTRE_AREA, None)  # the frame says the database is away
        st.session_state.pop(MESSAGE, None)
        st.caption(f"Centrum: {md(data.base_settings().area)}")
        return True
    asked = st.query_params.get(KEY)
    choice = data.choose_centre(asked if asked is not None else st.session_state.get(_CHOSEN))
    st.session_state[MESSAGE] = choice.message
    if not choice.area:
        st.session_state[data.CENTRE_AREA] = ""
        return False
    slugs = list(frame["slug"])
    if len(slugs) > 1 and choice.slug in slugs:
        st.session_state[_WIDGET] = choice.slug
        names = dict(zip(frame["slug"], frame["name"], strict=True))
        fictional = set(frame.loc[frame["illustrative"], "slug"])
        st.selectbox("Centrum", slugs, key=_WIDGET, on_change=_changed,
                     format_func=lambda s: names[s] + (" (fictief)" if s in fictional else ""),
                     help="Het centrum waarover alle pagina's gaan; het staat in het adres (?gebied=).")
    _remember(choice.slug, choice.area)
    st.caption(f"Centrum: {md(choice.area)}")
    return True


def message() -> None:
    """The switcher's Dutch message of this run (an unknown centre, or one this session may not
    see), at the top of the page: in the sidebar a phone would hide it."""
    if text := st.session_state.get(MESSAGE):
        st.warning(md(text), icon=":material/location_off:")


def _changed() -> None:
    slug = st.session_state[_WIDGET]
    choice = data.choose_centre(slug)
    _remember(choice.slug, choice.area)


def _remember(slug: str, area: str) -> None:
    """The chosen centre for this run (ui.data.settings), this session and the URL (only when it
    is not the default centre, so the default's addresses stay as they were)."""
    st.session_state[_CHOSEN] = slug
    st.session_state[data.CENTRE_AREA] = area
    if slug != data.choose_centre(None).slug:
        if st.query_params.get(KEY) != slug:
            st.query_params[KEY] = slug
    elif KEY in st.query_params:
        del st.query_params[KEY]
