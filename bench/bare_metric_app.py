"""Baseline for the cold-start benchmark: a bare Streamlit app that shows one st.metric."""

import streamlit as st

st.metric("Aantal banen", "4.210")
