"""The server process: `streamlit run serve.py` (what `make run` starts).

Streamlit's `st.App` around the frame in app.py, for its lifespan hook: as soon as the process
starts, a background thread imports what the pages need (pandas, SQLAlchemy, plotly) and fills
the caches with today's figures, while the first browser is still loading Streamlit's page. A
plain `streamlit run app.py` works too; it only does all of that in the first request.
"""

import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st


def _warm_up() -> None:
    from ui import data  # the import itself is half the work: done here, not in a request

    data.warm_up()


@asynccontextmanager
async def _lifespan(_app):
    # Not awaited: the server answers (health check, first page) while this runs.
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    yield


app = st.App(str(Path(__file__).resolve().parent / "app.py"), lifespan=_lifespan)
