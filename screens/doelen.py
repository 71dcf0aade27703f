"""Doelen beheren (editors): revise a target as a new version with date and reason.

The form's row goes through the importer like a targets file (kpi.importer.forms.revise_target)."""

import datetime as dt

import pandas as pd
import streamlit as st

from kpi import formatting as fmt
from kpi.metrics import ABSOLUTE, BELOW_NATIONAL, COMPARISONS, INCREASE
from kpi.tables import target_history_table
from ui import auth, data
from ui.components import flash, md, show_flash

COMPARISON_LABELS = {ABSOLUTE: "vaste doelwaarde", BELOW_NATIONAL: "onder het landelijke cijfer",
                     INCREASE: "toename sinds het basisjaar"}
# The form's keyed number fields: Streamlit keeps a keyed widget's value when only its default
# changes, so without forgetting them another KPI's form would show (and store) the previous one's.
NUMBER_KEYS = ("target_baseline", "target_baseline_year", "target_value", "target_year", "target_horizon",
               "target_benchmark")


def _forget_numbers() -> None:
    for key in NUMBER_KEYS:
        st.session_state.pop(key, None)


def render() -> None:
    auth.require_editor()
    st.title("Doelen beheren")
    show_flash()
    st.caption("Een herzien akkoord legt een nieuwe doelversie vast; eerdere versies blijven zichtbaar onder "
               "*Bronnen en definities*. Een doelenbestand kan ook via *Importeren*.")
    results = data.results()
    by_code = {r.indicator.code: r for r in results}
    if not by_code:  # a centre without targets (a new one, or the demo's peers): nothing to revise yet
        st.info(f"{md(data.settings().area)} heeft nog geen KPI's met een doel. Het eerste doel van een "
                "centrum komt er met een doelenbestand op *Importeren*; daarna past u het hier aan.")
        return
    code = st.selectbox("KPI", list(by_code), format_func=lambda c: by_code[c].indicator.name, key="target_kpi",
                        on_change=_forget_numbers)
    today = dt.date.today()
    history = data.target_history()
    # The form starts from the newest stored version, also when it is valid from a later date:
    # starting from the one in force today would have every save refused as "intussen gewijzigd".
    newest, in_force = data.target_form_versions(history, code, by_code[code].target.area, today)
    t = newest or by_code[code].target
    scheduled = newest is not None and (in_force is None or in_force.version != newest.version)
    if not scheduled:
        st.markdown(f"Huidige versie {t.version}: {md(t.reason)} (geldig vanaf {fmt.day(t.valid_from)})")
    else:
        now = "Nog geen versie geldig." if in_force is None else (
            f"Nu geldig: versie {in_force.version}: {md(in_force.reason)} (geldig vanaf {fmt.day(in_force.valid_from)}).")
        st.markdown(f"{now}  \nGepland: versie {t.version}: {md(t.reason)} (geldig vanaf {fmt.day(t.valid_from)}). "
                    "Het formulier toont de geplande versie; een nieuwe versie bouwt daarop voort.")
    # The KPI's own decimals: a count as 3800, not 3800.00 (the box itself cannot show 3.800).
    number_format = f"%.{by_code[code].indicator.decimals}f"

    with st.form("target_form"):
        comparison = st.radio("Vergelijking", COMPARISONS, index=COMPARISONS.index(t.comparison),
                              horizontal=True, format_func=COMPARISON_LABELS.get)
        c1, c2 = st.columns(2)
        baseline = c1.number_input("Basiswaarde", value=t.baseline_value, format=number_format, key="target_baseline")
        baseline_year = c2.number_input("Basisjaar", value=t.baseline_year, step=1, min_value=1990,
                                        max_value=2100, key="target_baseline_year")
        target_value = c1.number_input("Doelwaarde", value=t.target_value, format=number_format, key="target_value")
        target_year = c2.number_input("Doeljaar (leeg = geen)", value=t.target_year, step=1, min_value=1990,
                                      max_value=2100, key="target_year")
        # Issue 8's two fields travel with every version, so a revision keeps them unless changed.
        horizon = c1.number_input("Planningshorizon (leeg = geen)", value=t.horizon_year, step=1, min_value=1990,
                                  max_value=2100, key="target_horizon",
                                  help="Alleen als het akkoord geen doeljaar noemt: het jaar waarin de "
                                       "regiegroep het doel wil halen. Wordt als aanname getoond.")
        benchmark = c2.number_input("Landelijk cijfer bij de start (leeg = geen)", value=t.baseline_benchmark,
                                    format=number_format, key="target_benchmark",
                                    help="Bij een doel onder het landelijke cijfer: het landelijke cijfer dat "
                                         "het akkoord zelf naast de basiswaarde noemt.")
        # A revision of a scheduled version is by default valid from the same later date.
        valid_from = st.date_input("Geldig vanaf", value=pd.Timestamp(t.valid_from).date() if scheduled else today,
                                   format="DD-MM-YYYY")
        source = st.text_input("Bron (besluit of akkoord)", value=t.source)
        reason = st.text_input("Reden van de wijziging", key="target_reason")
        user = auth.name_field("Uw naam", key="target_user")
        submitted = st.form_submit_button("Nieuwe doelversie opslaan", type="primary")

    # The version the form showed when the editor opened it (the previous run), so that a
    # revision stored meanwhile by someone else is refused instead of silently overwritten.
    opened = st.session_state.get("target_form_opened")
    if submitted:
        try:
            version = data.revise_target(
                indicator=code, area=t.area, baseline_value=baseline,
                baseline_year=None if baseline_year is None else int(baseline_year),
                target_value=target_value, target_year=None if target_year is None else int(target_year),
                comparison=comparison, source=source, valid_from=valid_from, reason=reason,
                horizon_year=None if horizon is None else int(horizon), baseline_benchmark=benchmark,
                user=user or "redacteur",
                based_on_version=opened[1] if opened and opened[0] == code else t.version,
            )
        except data.ImportRefused as exc:
            flash(str(exc), "error")
        else:
            if version is None:
                flash("Niets gewijzigd: dit doel staat er al precies zo in.", "info")
            else:
                flash(f"Doelversie {version} opgeslagen.")
        # Rerun so that the form shows (and remembers) the version stored now.
        st.session_state["target_form_opened"] = None
        st.rerun()
    st.session_state["target_form_opened"] = (code, t.version)

    st.subheader("Alle versies van dit doel")
    indicators = {r.indicator.code: r.indicator for r in results}
    st.dataframe(target_history_table(history[history["indicator"] == code], indicators).drop(columns="KPI"),
                 hide_index=True, key="target_versions")
