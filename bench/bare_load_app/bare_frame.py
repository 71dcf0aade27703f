"""The small frame both pages read: five indicators, nine years."""

import pandas as pd
import streamlit as st

CODES = ["banen", "bedrijven", "leegstand", "waardering", "ranking"]


@st.cache_data
def values() -> pd.DataFrame:
    years = list(range(2017, 2026))
    rows = [{"indicator": code, "jaar": year, "waarde": 100.0 * (i + 1) + 7.5 * j}
            for i, code in enumerate(CODES) for j, year in enumerate(years)]
    return pd.DataFrame(rows)
