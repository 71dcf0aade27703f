import plotly.graph_objects as go
import streamlit as st

years = list(range(2017, 2026))
fig = go.Figure(go.Scatter(x=years, y=[3800 + 50 * i for i in range(len(years))], mode="lines+markers"))
st.plotly_chart(fig, key="chart")
