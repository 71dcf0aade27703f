"""KPI in detail (URL /kpi); the choice lives in the URL (?kpi=banen) so a link can be shared.
(Not kpi.py, which would shadow the `kpi` package.)

The chart comes first, under the verdict in one sentence: its top half is on the first screen at
1440x900 and 1280x720 (issue 19); the figures and the reasoning follow below it."""

import streamlit as st

from kpi import formatting as fmt
from kpi.briefing.period import HINT, parse_period
from kpi.briefing.text import duiding_parts, missing_text, written_by
from kpi.charts import CHART_CONFIG
from kpi.metrics import BELOW_NATIONAL, horizon_text
from kpi.names import slug
from kpi.tables import kpi_events_table
from kpi.text import NO_TARGET, chart_text, currency_text, summary_sentence, target_short, value_text
from ui import auth, data
from ui.components import flash, md, show_flash, status_badge, wrapped_table
from ui.werkplan_parts import kpi_section


def _chosen() -> None:
    """The box's choice goes into the URL before the run, so the run reads one source."""
    if st.session_state.kpi_choice is not None:
        st.query_params["kpi"] = st.session_state.kpi_choice


def _choice(names: dict[str, str], with_target: set[str]) -> str | None:
    """The indicator in the URL, or the first KPI; None (after saying so) for a code that is no
    indicator: never another KPI's figures under a code that was asked for."""
    requested = st.query_params.get("kpi")
    if requested is None:  # the first KPI with a verdict, else the first indicator
        requested = next((c for c in names if c in with_target), next(iter(names)))
    unknown = requested not in names
    if unknown:
        st.warning(f"Er is geen KPI of indicator met de code ‘{md(requested)}’. Kies er hieronder een.",
                   icon=":material/help:")
    # The box shows what the URL asks for (a link followed within the session included).
    st.session_state.kpi_choice = None if unknown else requested
    st.selectbox("KPI", list(names), placeholder="Kies een KPI", on_change=_chosen, key="kpi_choice",
                 format_func=lambda c: names[c] + ("" if c in with_target else f" ({NO_TARGET})"))
    if not unknown:
        st.query_params["kpi"] = requested
    return None if unknown else requested


def _monitored(code: str) -> None:
    """An indicator without a target: what is known, without a verdict."""
    sentence, table = data.monitored(code)
    st.title(md(data.indicator_names()[code]))
    st.badge(f"Gevolgd – {NO_TARGET}", icon=":material/visibility:", color="gray")
    st.markdown(md(sentence))
    st.subheader("Metingen")
    wrapped_table(table, key="kpi_table", name="Metingen", numeric=("Waarde",))


def _duiding(code: str, status: str) -> None:
    """The regiegroep's duiding of this KPI for the current period (plain text), and for editors
    a form to write or revise it (a one-row import of a duiding file, undone per batch)."""
    st.subheader("Duiding van de regiegroep")
    period = data.current_period()
    editor = auth.is_editor()
    if editor:
        typed = st.text_input("Periode", value=period, key="duiding_period", max_chars=20,
                              help=f"De briefingperiode; {HINT}.")
        period = parse_period(typed) or period
        if parse_period(typed) is None:
            st.error(f"'{md(typed[:40])}' is geen briefingperiode; {HINT}.")
    rows = data.duiding_rows(period)
    mine = rows[rows["indicator"] == code]
    found = data.duiding(period).get(code)
    if found is None:
        st.caption(missing_text(status, period))
    else:
        with st.container(key="duiding_text"):
            for label, text in duiding_parts(found):
                st.markdown(f"**{label}:** {md(text)}")
            st.caption(md(written_by(found)))
    if not editor:
        return
    based_on = None if mine.empty else int(mine["id"].iloc[0])
    with st.form(f"duiding_form_{code}_{period}"):
        cause = st.text_area("Oorzaak", value="" if found is None else found.cause, key=f"duiding_cause_{code}_{period}",
                             help="Waarom staat de KPI waar hij staat?")
        effect = st.text_area("Effect op het doel", value="" if found is None else found.effect, key=f"duiding_effect_{code}_{period}")
        bijsturing = st.text_area("Bijsturing", value="" if found is None else found.bijsturing,
                                  key=f"duiding_bijsturing_{code}_{period}", help="Wat wordt gedaan of voorgesteld?")
        author = st.text_input("Auteur (namens de regiegroep)", value="" if found is None else found.author,
                               key=f"duiding_author_{code}_{period}", max_chars=200)
        user = auth.name_field("Uw naam", key="duiding_user")
        submitted = st.form_submit_button("Duiding opslaan", type="primary")
    if submitted:
        try:
            batch = data.save_duiding(indicator=code, period=period, cause=cause, effect=effect,
                                      bijsturing=bijsturing, author=author, user=user or author or "redacteur",
                                      based_on=based_on)
        except data.ImportRefused as exc:
            flash(str(exc), "error")
        else:
            flash("Niets gewijzigd." if batch is None else
                  f"Duiding opgeslagen als importbatch {batch} (terug te draaien via Importgeschiedenis).",
                  "info" if batch is None else "success")
        st.rerun()


def render() -> None:
    show_flash()
    results = data.results()
    by_code = {r.indicator.code: r for r in results}
    names = data.indicator_names()
    if not names:
        st.info("Er zijn nog geen KPI's met een doel vastgelegd.")
        return
    code = _choice(names, set(by_code))
    if code is None:
        return
    if code not in by_code:
        _monitored(code)
        return
    r = by_code[code]
    ind = r.indicator

    st.title(md(ind.name))
    status_badge(r.status)
    # The notice on illustrative values is said once here, in the warning below (and in the banner).
    st.markdown(md(summary_sentence(r, demo_note=False)))

    with st.container(key="kpi_chart_block", gap="small"):
        st.plotly_chart(data.figure(code), key="kpi_chart", config=CHART_CONFIG)
        # The chart's text alternative, right under it; the numbers are in the table below.
        st.caption(f"{md(chart_text(r, demo_note=False))} De cijfers staan in de tabel *Metingen* hieronder.")

    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Nieuwste waarde", value_text(r))
    c2.metric("Peildatum", fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "–")
    c3.metric("Doel" + (f" ({r.target.target_year})" if r.target.target_year else "")
              + (" – landelijk cijfer" if r.target.comparison == BELOW_NATIONAL else ""), target_short(r))
    c4.metric("Voortgang", fmt.percent_against(r.progress_pct))
    if r.illustrative:
        st.warning("Het oordeel over deze KPI rust op illustratieve waarden (demo), geen metingen.",
                   icon=":material/science:")
    elif r.shows_illustrative:
        st.caption("Illustratieve waarden staan grijs in grafiek en tabel en tellen niet mee: er zijn echte metingen.")
    st.caption(f"Waarom deze status: {md(r.status_reason)} · "
               f"{md(currency_text(r))}")
    if r.projected_at_target_year is not None:
        st.markdown(f"Bij het huidige tempo: {fmt.value(r.projected_at_target_year, ind.unit, ind.decimals)} "
                    f"in {r.target.horizon}.")
    if r.latest is not None and (r.target.target_value is not None or r.gap_pp is not None):
        st.markdown("Doel bereikt bij het huidige tempo: "
                    + (f"**{r.year_reached}**" if r.year_reached else "**niet in dit tempo**")
                    + f" (horizon: {md(horizon_text(r.target))}).")
    if r.reached is not None:
        st.markdown(f"Eerst gehaald: {fmt.peildatum(r.reached.peildatum, r.reached.precision)}"
                    + ("" if r.reached_on_time is None else (", op tijd." if r.reached_on_time else ", na het doeljaar.")))
    if r.baseline_gap_basis:
        st.caption(f"Afstand tot landelijk bij de start: {fmt.number(r.baseline_gap_pp, 1)} procentpunt, "
                   f"{md(r.baseline_gap_basis)}.")

    _duiding(code, r.status)

    mine = data.events_for(code)
    if not mine.empty:
        st.subheader("Gebeurtenissen")
        st.dataframe(kpi_events_table(mine), hide_index=True, key="kpi_events")

    st.subheader("Metingen")
    table, total = data.measurements(code)
    wrapped_table(table, key="kpi_table", name="Metingen", numeric=("Waarde",))
    if len(table) < total:
        st.caption(f"{fmt.number(len(table))} van {fmt.number(total)} metingen getoond (de nieuwste); "
                   "de CSV-download bevat ze allemaal.")
    # Named by the centre too: two centres' downloads of one KPI are told apart.
    st.download_button("Download als CSV", data.kpi_csv(code), file_name=f"{code}-{slug(r.area)}.csv",
                       mime="text/csv", key="kpi_csv", on_click="ignore")

    st.subheader("Definitie en bron")
    st.markdown(md(ind.definition))
    st.caption(f"Bron: {md(ind.source)} · Frequentie: {md(ind.frequency)} · "
               f"Doel vastgelegd in: {md(r.target.source)}")

    # One demo notice besides the banner: the verdict's, or else the one on illustrative actions.
    kpi_section(code, ind.name, r.status, actions_note=not (r.illustrative or r.shows_illustrative))
