"""Baseline for the load benchmark: a bare Streamlit data app with the same two steps a viewer of
the dashboard takes. The overview reads a small pandas frame and shows five st.metric values and a
link; the detail page shows a metric, one plotly chart and an st.dataframe of the same frame.
No database, no frame, no styles: what any Streamlit data app pays under the same load."""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
nav = st.navigation([
    st.Page(str(HERE / "overview.py"), title="Overzicht", url_path="overzicht", default=True),
    st.Page(str(HERE / "detail.py"), title="Details", url_path="details"),
])
nav.run()
