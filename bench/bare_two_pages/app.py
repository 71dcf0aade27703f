"""Baseline for the page-switch benchmark: two pages, the second with one plotly chart."""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
nav = st.navigation([
    st.Page(str(HERE / "one.py"), title="Een", url_path="een", default=True),
    st.Page(str(HERE / "two.py"), title="Twee", url_path="twee"),
])
nav.run()
