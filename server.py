"""The server process: `streamlit run server.py` (what `make run`, the browser tests and the bench start).

Streamlit's `st.App` around the frame in app.py, for two things a plain `streamlit run app.py` lacks:
- ui.guard.Guard, an ASGI middleware with the editor sign-in and sign-out routes (the signed
  HttpOnly cookie), that refuses uploads from sessions not bound to an editor's credential, bounds
  the uploads a session holds, hides /_stcore/metrics and forbids framing by other sites
  (docs/beveiliging.md);
- forwarded headers (X-Forwarded-For, X-Forwarded-Proto) believed only from the proxies in
  KPI_TRUSTED_PROXIES: uvicorn, which serves st.App, believes them from 127.0.0.1 by default, so
  anyone on this machine (or a proxy that passes the header on) could pose as any address;
- a lifespan hook that warms up in the background as soon as the process starts: it imports what the
  pages need (pandas, SQLAlchemy, plotly) and fills the caches with today's figures while the first
  browser is still loading Streamlit's page (README "Opschalen", bench/NOTES.md).
`streamlit run app.py` still works, without those bounds and doing the warm-up in the first request.
"""

import os
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
import uvicorn.config
from starlette.middleware import Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from kpi.settings import Settings
from ui.guard import Guard

TRUSTED_PROXIES = list(Settings.from_env().trusted_proxies)


class _TrustedProxyHeaders(ProxyHeadersMiddleware):
    """uvicorn's forwarded-header middleware, believing only KPI_TRUSTED_PROXIES."""

    def __init__(self, app, trusted_hosts=None) -> None:
        super().__init__(app, trusted_hosts=TRUSTED_PROXIES)


# Streamlit builds uvicorn's Config (reading FORWARDED_ALLOW_IPS, default "127.0.0.1,::1") before it
# imports this module; uvicorn wraps the app in its ProxyHeadersMiddleware just after the import,
# by this module-level name. tests/test_login.py proves the spoofed header is ignored.
uvicorn.config.ProxyHeadersMiddleware = _TrustedProxyHeaders
os.environ["FORWARDED_ALLOW_IPS"] = ",".join(TRUSTED_PROXIES)  # for a runner that reads it later


def _warm_up() -> None:
    from ui import warmup  # the import itself is half the work: done here, not in a request

    warmup.warm_up()


@asynccontextmanager
async def _lifespan(_app):
    # Not awaited: the server answers (health check, first page) while this runs.
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    yield


app = st.App(str(Path(__file__).resolve().parent / "app.py"), middleware=[Middleware(Guard)], lifespan=_lifespan)
