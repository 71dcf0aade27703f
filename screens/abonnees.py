"""Abonnees (editors): who gets the digest, a form to add or change one (a one-row import),
the send log, and what the next `python -m kpi digest` run would send."""

import streamlit as st

from kpi.digest import views
from kpi.digest.subscribers import ALL_KPIS, areas_of, kpis_of
from ui import auth, data
from ui.components import flash, show_flash

NEW = "(nieuwe abonnee)"


def _table(frame, key: str, empty: str) -> None:
    # An empty st.dataframe says "empty" in English: say it in Dutch instead.
    if frame.empty:
        st.caption(empty)
    else:
        st.dataframe(frame, hide_index=True, key=key)


def render() -> None:
    auth.require_editor()
    st.title("Abonnees van de samenvatting")
    st.caption("Wie de samenvatting per e-mail krijgt als er iets verandert (de opdracht python -m kpi digest, zie "
               "docs/publiceren.md). Een lijst met abonnees kan ook via *Importeren*; elke wijziging is een "
               "importbatch die *Importgeschiedenis* kan terugdraaien.")
    show_flash()
    # A subscriber without centres follows the default centre (KPI_AREA), not the one chosen here.
    subs, names, area = data.subscribers(), data.kpi_names(), data.base_settings().area
    _table(views.subscribers_table(subs, names, area), "subscribers", "Er zijn nog geen abonnees.")

    st.subheader("Abonnee toevoegen of wijzigen")
    choice = st.selectbox("Abonnee", [NEW, *subs["email"]], key="subscriber_choice")
    row = None if choice == NEW else subs[subs["email"] == choice].iloc[0]
    kpis = ALL_KPIS if row is None else kpis_of(row["kpis"])
    stored = [] if row is None else list(areas_of(row["areas"]))
    areas = sorted(set(data.centres()["name"]) | {area} | set(stored))
    with st.form(f"subscriber_form_{choice}"):
        email = st.text_input("E-mailadres", value="" if row is None else row["email"], disabled=row is not None)
        name = st.text_input("Naam", value="" if row is None else row["name"])
        centres = st.multiselect("Centra (leeg: " + area + ")", areas, placeholder="Kies centra", default=stored)
        every = st.checkbox("Alle KPI's", value=kpis == ALL_KPIS)
        some = st.multiselect("Of alleen deze KPI's", list(names), format_func=names.get,
                              placeholder="Kies KPI's", default=[] if kpis == ALL_KPIS else [k for k in kpis if k in names])
        werkplan = st.checkbox("Werkplan volgen (acties te laat of afgerond)", value=False if row is None
                               else bool(row["werkplan"]))
        active = st.checkbox("Actief (uit: afgemeld)", value=True if row is None else bool(row["active"]))
        user = auth.name_field("Uw naam", key="subscriber_user")
        submitted = st.form_submit_button("Opslaan", type="primary")
    if submitted:
        try:
            batch = data.save_subscriber(email=email, name=name, areas=centres, kpis=ALL_KPIS if every else some,
                                         werkplan=werkplan, active=active, user=user or "redacteur",
                                         based_on=None if row is None else int(row["id"]))
        except data.ImportRefused as exc:
            flash(str(exc), "error")
        else:
            flash("Niets gewijzigd." if batch is None else f"Opgeslagen als importbatch {batch}.",
                  "info" if batch is None else "success")
        st.rerun()

    st.subheader("Wat de volgende run zou versturen")
    _table(views.preview_table(data.digest_preview()), "digest_preview", "Er zijn geen actieve abonnees.")
    st.subheader("Verzonden en mislukt")
    _table(views.log_table(data.digest_log()), "digest_log", "Er is nog geen samenvatting verstuurd.")
