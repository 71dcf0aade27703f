from pathlib import Path

import streamlit as st
from bare_frame import values

df = values()
st.title("Stand van de binnenstad")
newest = df[df["jaar"] == df["jaar"].max()].set_index("indicator")["waarde"]
for column, (code, value) in zip(st.columns(5), newest.items(), strict=True):
    column.metric(code, f"{value:,.1f}")
st.page_link(str(Path(__file__).resolve().parent / "detail.py"), label="Details")
