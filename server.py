"""The server process: `streamlit run server.py` (what `make run`, the browser tests and the bench start).

Streamlit's `st.App` around the frame in app.py, for two things a plain `streamlit run app.py` lacks:
- ui.guard.Guard, an ASGI middleware that refuses uploads from sessions that are not logged in as
  editor, hides /_stcore/metrics and forbids framing by other sites (README "Beveiliging");
- a lifespan hook that warms up in the background as soon as the process starts: it imports what the
  pages need (pandas, SQLAlchemy, plotly) and fills the caches with today's figures while the first
  browser is still loading Streamlit's page (README "Opschalen", bench/NOTES.md).
`streamlit run app.py` still works, without those bounds and doing the warm-up in the first request.
"""

import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui.guard import Guard


def _warm_up() -> None:
    from ui import warmup  # the import itself is half the work: done here, not in a request

    warmup.warm_up()


@asynccontextmanager
async def _lifespan(_app):
    # Not awaited: the server answers (health check, first page) while this runs.
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    yield


app = st.App(str(Path(__file__).resolve().parent / "app.py"), middleware=[Middleware(Guard)], lifespan=_lifespan)
