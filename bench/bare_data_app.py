"""Second baseline for the cold start: the bare app plus the imports any data dashboard pays
for on its first run (pandas, SQLAlchemy). Shows how much of the gap is those imports."""

import pandas as pd  # noqa: F401
import sqlalchemy  # noqa: F401
import streamlit as st

st.metric("Aantal banen", "4.210")
