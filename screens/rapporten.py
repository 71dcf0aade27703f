"""Rapporten en downloads: the briefing as PDF or PowerPoint, each chart as PNG, all figures as
CSV and XLSX; for today or as known on an earlier date (?stand=2026-10-01)."""

import datetime as dt

import streamlit as st

from kpi import formatting as fmt
from kpi import reports
from kpi.briefing.model import CONCEPT
from kpi.names import slug
from kpi.periods import EARLIEST_DAY
from kpi.reports.model import assemble, known_at
from ui import auth, data
from ui.components import flash, show_flash, wrapped_table

DOWNLOAD_NAMES = {"pdf": "PDF-rapport", "pptx": "PowerPoint", "png": "afbeelding",
                  "briefing_pdf": "PDF van de briefing", "briefing_pptx": "PowerPoint van de briefing"}


def _offer(kind: str, what: str, label: str, make, moment) -> None:
    """A button that makes a file, then a download button for it (kept per session and moment)."""
    stamp = (kind, what, moment)
    if st.button(label, key=f"make_{kind}", icon=":material/build:"):
        with st.spinner("Bezig met maken…"):
            try:
                st.session_state[f"made_{kind}"] = (stamp, make())
            except reports.ReportError as exc:
                st.error(str(exc))
    made = st.session_state.get(f"made_{kind}")
    if made and made[0] == stamp:
        # Named by what it downloads: two buttons both called "Downloaden" could not be told apart.
        st.download_button(f"{DOWNLOAD_NAMES[kind]} downloaden ({what})", made[1], file_name=what, key=f"download_{kind}", on_click="ignore",
                           mime=reports.FORMATS[what.rsplit(".", 1)[1]][0], icon=":material/download:")


def _record(today: dt.date) -> None:
    """Editors: store a briefing as a record (concept, or definitief once every KPI that is achter
    or risico has a duiding), and make a stored one again."""
    st.subheader("Briefing vastleggen")
    st.caption("Een vastgelegde briefing bewaart de stand van de gegevens, de duiding en de instellingen van nu, "
               "zodat hetzelfde document later opnieuw te maken is. Definitief kan pas als elke KPI die achter "
               "of risico is een duiding van de regiegroep heeft.")
    with st.form("briefing_form"):
        period = st.text_input("Periode", value=data.current_period(today), max_chars=20, key="briefing_period")
        final = st.checkbox("Definitief", value=False, key="briefing_final")
        user = auth.name_field("Uw naam", key="briefing_user")
        submitted = st.form_submit_button("Briefing vastleggen", type="primary")
    if submitted:
        try:
            number = data.make_briefing(period, user or "redacteur", final)
        except data.BriefingRefused as exc:
            flash(str(exc), "error")
        else:
            flash(f"Briefing {number} vastgelegd ({'definitief' if final else 'concept'}).", "success")
        st.rerun()
    stored = data.briefings()
    if stored.empty:
        return
    wrapped_table(data.briefings_table(stored), key="briefings_table", name="Vastgelegde briefings")
    states = dict(zip(stored["id"], stored["state"], strict=True))
    number = st.selectbox("Vastgelegde briefing", list(stored["id"]), key="briefing_number",
                          format_func=lambda n: f"Briefing {n} ({states[n]})")
    chosen = stored[stored["id"] == number].iloc[0]
    if said := st.session_state.pop(_PROMOTED, None):
        getattr(st, said[0])(said[1])
    if chosen["state"] == CONCEPT and chosen["promoted_to"] is None:
        _promote(int(number))
    left, right = st.columns(2)
    with left:
        _offer("briefing_pdf", f"briefing-{number}.pdf", "PDF van deze briefing maken",
               lambda: data.briefing_document(int(number), "pdf"), number)
    with right:
        _offer("briefing_pptx", f"briefing-{number}.pptx", "PowerPoint van deze briefing maken",
               lambda: data.briefing_document(int(number), "pptx"), number)


_PROMOTED = "promote_result"  # what the last click on 'Concept N definitief maken' gave


def _promote(number: int) -> None:
    """Editors: make the chosen concept definitief with the state of now (same rule and record as
    'Definitief' above), saying what changed since the concept."""
    with st.form("promote_form"):
        st.caption(f"Concept {number} definitief maken legt een nieuwe, definitieve briefing vast met de stand van "
                   "nu (gegevens, duiding, instellingen), gekoppeld aan dit concept; het concept blijft bewaard.")
        user = auth.name_field("Uw naam", key="promote_user")
        go = st.form_submit_button(f"Concept {number} definitief maken", type="primary", key="promote_briefing")
    if go:
        # Said here, beside the button, not at the top of a long page (on a phone out of sight).
        try:
            done = data.promote_briefing(number, user or "redacteur")
        except data.BriefingRefused as exc:
            st.session_state[_PROMOTED] = ("error", str(exc))
        else:
            st.session_state[_PROMOTED] = ("success", f"Concept {number} is definitief gemaakt als briefing "
                                                      f"{done.number}. {done.since_concept}")
        st.rerun()


def render() -> None:
    today = dt.date.today()
    try:
        default = min(dt.date.fromisoformat(str(st.query_params.get("stand", ""))), today)
    except ValueError:
        default = today
    default = max(default, EARLIEST_DAY)  # ?stand=0001-01-01 must not overflow the time zone sums

    st.title("Rapporten en downloads")
    show_flash()
    day_col, time_col = st.columns([2, 1])
    day = day_col.date_input("Stand van", value=default, min_value=EARLIEST_DAY, max_value=today,
                             format="DD-MM-YYYY", key="report_day",
                             help="Een eerdere datum geeft de cijfers zoals ze aan het einde van die dag bekend waren.")
    try:
        default_time = dt.time.fromisoformat(str(st.query_params.get("tijd", "")))
    except ValueError:
        default_time = None
    at_time = time_col.time_input("Tijdstip (leeg: einde van de dag)", value=default_time, step=60,
                                  key="report_time", help="Twee imports op één dag zijn zo uit elkaar te houden.")
    if day != today or at_time is not None:
        st.query_params["stand"] = day.isoformat()
    elif "stand" in st.query_params:
        del st.query_params["stand"]
    if at_time is not None:
        st.query_params["tijd"] = at_time.strftime("%H:%M")
    elif "tijd" in st.query_params:
        del st.query_params["tijd"]
    as_of = None if (day == today and at_time is None) else fmt.known_at(day, at_time)
    period = data.current_period(day)
    report = assemble(data.snapshot(as_of), data.settings(), day, data.events(as_of), data.batches(),
                      werkplan=data.werkplan_brief(as_of, day), duiding=data.duiding(period, as_of),
                      briefing=data.briefing_info(period, as_of))
    if as_of is not None:
        st.caption(f"Alles op deze pagina geeft de cijfers zoals bekend op {known_at(as_of)}, "
                   "met de status op die datum.")
    if report.illustrative:
        st.caption("De briefing noemt op de eerste pagina welke oordelen en waarden op illustratieve waarden rusten.")

    st.subheader("Briefing")
    left, right = st.columns(2)
    with left:
        _offer("pdf", reports.file_name(report, "pdf"), "PDF-rapport maken",
               lambda: reports.render(data.briefing_report(as_of, day), "pdf"), (day, at_time))
    with right:
        _offer("pptx", reports.file_name(report, "pptx"), "PowerPoint maken",
               lambda: reports.render(data.briefing_report(as_of, day), "pptx"), (day, at_time))

    if auth.is_editor():
        _record(today)

    st.subheader("Alle cijfers")
    left, right = st.columns(2)
    left.download_button("Cijfers als Excel (XLSX)", lambda: reports.render(report, "xlsx"),
                         file_name=reports.file_name(report, "xlsx"), mime=reports.FORMATS["xlsx"][0],
                         key="download_xlsx", on_click="ignore", icon=":material/table:")
    right.download_button("Cijfers als CSV", reports.render(report, "csv"), file_name=reports.file_name(report, "csv"),
                          mime=reports.FORMATS["csv"][0], key="download_csv", on_click="ignore", icon=":material/csv:")

    st.subheader("Grafiek als afbeelding")
    names = {r.indicator.code: r.indicator.name for r in report.results}
    if names:
        code = st.selectbox("KPI", list(names), format_func=names.get, key="png_kpi")
        _offer("png", f"{code}-{slug(report.area)}-{day.isoformat()}.png", "Afbeelding maken", lambda: reports.chart_png(report, code), (day, at_time))

    st.subheader("Open data")
    name, make = data.opendata_zip()
    if make is None:
        st.caption(f"Niets te publiceren: {name}")
    else:
        st.caption("De cijfers (zonder illustratieve waarden), de doelen met hun versies en de huidige statussen, "
                   "met datapackage.json en DCAT-metadata: hetzelfde pakket als de opdracht python -m kpi opendata, "
                   "met de stand van nu.")
        st.download_button("Open-datapakket downloaden (zip)", make, file_name=name, mime="application/zip",
                           key="download_opendata", on_click="ignore", icon=":material/dataset:")
