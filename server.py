"""Production entry point: `streamlit run server.py` serves app.py behind ui.guard.Guard, which
refuses uploads from sessions that are not logged in as editor, hides /_stcore/metrics and
forbids framing by other sites. `streamlit run app.py` still works, without those bounds."""

import streamlit as st
from starlette.middleware import Middleware

from ui.guard import Guard

app = st.App("app.py", middleware=[Middleware(Guard)])
