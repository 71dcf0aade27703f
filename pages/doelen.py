"""Doelen beheren (editors): revise a target as a new version with date and reason."""

import streamlit as st

from ui import frame

frame.ensure()

import datetime as dt  # noqa: E402

from kpi import repository  # noqa: E402
from kpi.targets import TargetRefused, revise_target  # noqa: E402
from ui import auth, data  # noqa: E402
from ui.components import md  # noqa: E402

auth.require_editor()
st.title("Doelen beheren")
st.caption("Een herzien akkoord legt een nieuwe doelversie vast; eerdere versies blijven zichtbaar onder "
           "*Bronnen en definities*. Een doelenbestand kan ook via *Importeren*.")
results = data.results()
by_code = {r.indicator.code: r for r in results}
code = st.selectbox("KPI", list(by_code), format_func=lambda c: by_code[c].indicator.name, key="target_kpi")
t = by_code[code].target
st.markdown(f"Huidige versie {t.version}: {md(t.reason)} (geldig vanaf {t.valid_from})")

with st.form("target_form"):
    comparison = st.radio("Vergelijking", ["absoluut", "onder_landelijk"],
                          index=0 if t.comparison == "absoluut" else 1, horizontal=True,
                          format_func={"absoluut": "vaste doelwaarde", "onder_landelijk": "onder het landelijke cijfer"}.get)
    c1, c2 = st.columns(2)
    baseline = c1.number_input("Basiswaarde", value=t.baseline_value, format="%.2f", key="target_baseline")
    baseline_year = c2.number_input("Basisjaar", value=t.baseline_year, step=1, min_value=1990, max_value=2100,
                                    key="target_baseline_year")
    target_value = c1.number_input("Doelwaarde", value=t.target_value, format="%.2f", key="target_value")
    target_year = c2.number_input("Doeljaar (leeg = geen)", value=t.target_year, step=1, min_value=1990,
                                  max_value=2100, key="target_year")
    valid_from = st.date_input("Geldig vanaf", value=dt.date.today(), format="DD-MM-YYYY")
    source = st.text_input("Bron (besluit of akkoord)", value=t.source)
    reason = st.text_input("Reden van de wijziging", key="target_reason")
    user = st.text_input("Uw naam", max_chars=200, key="target_user")
    submitted = st.form_submit_button("Nieuwe doelversie opslaan", type="primary")

if submitted:
    try:
        version = revise_target(
            data.engine(), indicator=code, area=t.area, baseline_value=baseline,
            baseline_year=None if baseline_year is None else int(baseline_year),
            target_value=target_value, target_year=None if target_year is None else int(target_year),
            comparison=comparison, source=source, valid_from=valid_from, reason=reason,
            user=user or "redacteur",
        )
    except TargetRefused as exc:
        st.error(str(exc))
    else:
        data.clear_after_change()
        st.success(f"Doelversie {version} opgeslagen.")

st.subheader("Alle versies van dit doel")
hist = repository.load_target_history(data.engine())
st.dataframe(hist[hist["indicator"] == code][["version", "baseline_value", "baseline_year", "target_value",
                                               "target_year", "comparison", "valid_from", "reason", "created_by", "created_at"]]
             .rename(columns={"version": "Versie", "baseline_value": "Basis", "baseline_year": "Basisjaar",
                              "target_value": "Doel", "target_year": "Doeljaar", "comparison": "Vergelijking",
                              "valid_from": "Geldig vanaf", "reason": "Reden", "created_by": "Door",
                              "created_at": "Vastgelegd (UTC)"}),
             hide_index=True, key="target_versions")
