import plotly.graph_objects as go
import streamlit as st
from bare_frame import values

df = values()
one = df[df["indicator"] == "banen"]
st.title("Banen")
st.metric("Nieuwste waarde", f"{one['waarde'].iloc[-1]:,.1f}")
st.plotly_chart(go.Figure(go.Scatter(x=one["jaar"], y=one["waarde"], mode="lines+markers")), key="chart")
st.dataframe(one, hide_index=True)
