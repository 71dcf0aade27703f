"""Werkplan (URL /werkplan): the actions per theme (late first), the coverage of the KPIs by
running actions, and the roles. The view and the filters live in the URL
(?weergave=acties&thema=A,B&rol=Acquisiteur&status=lopend&jaar=2026) so a link can be shared."""

import datetime as dt

import streamlit as st

from kpi import formatting as fmt
from kpi import werkplan
from kpi.werkplan import tables as wp_tables
from ui import auth, data
from ui.components import flash, md, show_flash
from ui.werkplan_parts import actions_frame, illustrative_note, status_badges

FILTERS = {"thema": "wp_theme", "rol": "wp_role", "status": "wp_status", "jaar": "wp_year"}


def _from_url(param: str, key: str, allowed: list) -> None:
    """Start a filter widget from the URL the first time this session sees it."""
    if key not in st.session_state:
        st.session_state[key] = wp_tables.parse_choice(st.query_params.get(param), allowed)
    else:  # another centre was chosen since: its own themes and roles (issue 21.3)
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]


def _to_url(param: str, values: list) -> None:
    if values:
        st.query_params[param] = wp_tables.choice_text(values)
    elif param in st.query_params:
        del st.query_params[param]


def _filters(wp) -> dict:
    actions = wp.actions
    options = {
        "thema": list(wp.themes["letter"]),
        "rol": [r for r in wp.roles["name"] if r in set(actions["role"].dropna())],
        "status": [s.code for s in werkplan.ACTION_STATUSES],
        "jaar": sorted({int(y) for y in actions["year"].dropna()}),
    }
    labels = {
        "thema": dict(zip(wp.themes["letter"], wp.themes["label"])),
        "status": {s.code: wp_tables.status_cell(s.code) for s in werkplan.ACTION_STATUSES},
    }
    chosen = {}
    for col, (param, key) in zip(st.columns(4), FILTERS.items()):
        _from_url(param, key, options[param])
        chosen[param] = col.multiselect(param.capitalize(), options[param], key=key, placeholder="alle",
                                        format_func=lambda v, p=param: labels.get(p, {}).get(v, str(v)))
        _to_url(param, chosen[param])
    return chosen


def _editor(wp) -> None:
    """Editors change an action's status and note (a one-row import, undoable)."""
    real = wp.actions[~wp.actions["illustrative"]]
    with st.expander("Status of toelichting van een actie wijzigen", icon=":material/edit:"):
        if real.empty:
            st.caption("Er zijn geen echte acties; voorbeeldacties wijzigt u door de actielijst te importeren.")
            return
        codes = list(real["code"])
        code = st.selectbox("Actie", codes, key="wp_edit_code",
                            format_func=lambda c: f"{c} {real.loc[real['code'] == c, 'title'].iloc[0]}")
        action = real[real["code"] == code].iloc[0]
        statuses = [s.code for s in werkplan.ACTION_STATUSES]
        with st.form("wp_edit_form"):
            status = st.selectbox("Status", statuses, index=statuses.index(action["status"]),
                                  format_func=wp_tables.status_cell, key="wp_edit_status")
            note = st.text_area("Toelichting (voortgang)", value=action["note"], key="wp_edit_note")
            user = st.text_input("Uw naam", max_chars=200, key="wp_edit_user")
            submitted = st.form_submit_button("Opslaan", type="primary")
        if submitted:
            try:
                batch = data.update_action(action, status, note, user or "redacteur")
            except data.ImportRefused as exc:
                st.error(str(exc))
            else:
                flash(f"Opgeslagen als importbatch {batch}; terug te draaien in Importgeschiedenis."
                      if batch else "Niets gewijzigd.")
                st.rerun()


def render() -> None:
    st.title("Werkplan Binnenstad")
    show_flash()
    wp = data.werkplan()
    today = dt.date.today()
    names = data.kpi_names()
    if wp.themes.empty:  # a centre without a werkplan of its own yet (issue 21.3)
        st.info(f"Voor {md(data.settings().area)} is nog geen werkplan ingelezen. Een redacteur importeert eerst de "
                "thema's en de rollen van het centrum, daarna de acties (Importeren; sjablonen staan daar).")
        return

    if "wp_view" not in st.session_state:
        asked = st.query_params.get("weergave")
        st.session_state["wp_view"] = asked if asked in wp_tables.VIEWS else "acties"
    view = st.segmented_control("Weergave", list(wp_tables.VIEWS), key="wp_view",
                                format_func=wp_tables.VIEWS.get) or "acties"
    st.query_params["weergave"] = view

    if view == "dekking" and not names:  # a centre without KPIs (no targets yet) has nothing to cover
        st.info(f"{md(data.settings().area)} heeft nog geen KPI's met een doel; de dekking volgt zodra de doelen "
                "van het centrum zijn ingelezen.")
        illustrative_note(wp.actions)
        return
    if view == "dekking":
        cov = werkplan.coverage(wp.actions, list(names), list(wp.themes["letter"]))
        table = wp_tables.coverage_table(cov, wp.themes, names)
        # The KPIs with nothing running lead, on the first screen at every size.
        st.markdown(f"**{md(wp_tables.uncovered_line(table))}**")
        st.caption("Per KPI het aantal **lopende** acties, in totaal en per thema; KPI's zonder lopende actie "
                   "staan bovenaan. " + md(wp_tables.theme_legend(wp.themes)) + ".")
        with st.container(key="wp_coverage"):
            st.html(wp_tables.coverage_html(table, wp.themes))
        overview = wp_tables.kpi_actions_table(werkplan.kpi_actions(wp.actions, data.kpi_statuses(), today), names)
        with st.container(key="wp_kpi_actions"):
            st.html(wp_tables.frame_html(overview, numeric=["Acties", "Lopend", "Te laat"]))
        illustrative_note(wp.actions)
        return
    if view == "rollen":
        overview = werkplan.role_overview(wp.roles, wp.matrix, wp.actions, today)
        with st.container(key="wp_roles"):
            st.html(wp_tables.frame_html(wp_tables.roles_table(overview, wp.themes), numeric=["Acties", "Lopend", "Te laat"]))
        for r in overview.itertuples():
            with st.expander(f"{r.role} ({md(r.body)}): {fmt.count(r.actions, 'actie', 'acties')}, {fmt.number(r.late)} te laat"):
                own = werkplan.actions_of_role(wp.actions, r.role, today)
                if own.empty:
                    st.caption("Geen acties met deze rol als trekker.")
                else:
                    table = wp_tables.with_status_symbols(wp_tables.actions_table(own, today, wp.themes, names))
                    actions_frame(table, key=f"wp_role_{r.Index}")
        illustrative_note(wp.actions)
        return

    chosen = _filters(wp)
    shown = werkplan.filter_actions(wp.actions, chosen["thema"], chosen["rol"], chosen["status"], chosen["jaar"])
    st.caption(f"{fmt.number(len(shown))} van {fmt.number(len(wp.actions))} acties · te laat: deadline "
               f"verstreken en niet afgerond of gestopt (vandaag {fmt.day(today)}). "
               + wp_tables.budget_line(shown))
    status_badges(shown)
    illustrative_note(shown)
    for label, table in wp_tables.theme_tables(shown, wp.themes, today, names):
        st.subheader(md(label))
        actions_frame(table[wp_tables.PAGE_COLUMNS], key=f"wp_theme_{label[0]}")
    if shown.empty:
        st.info("Geen acties bij deze keuze.")
    if auth.is_editor():
        _editor(wp)
