from pathlib import Path

import streamlit as st

st.metric("Aantal banen", "4.210")
st.page_link(str(Path(__file__).resolve().parent / "two.py"), label="Details")
