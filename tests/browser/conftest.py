"""The browser tests' fixtures (one chromium per run, a page per test, servers stopped at teardown),
from tests.support.browser."""

from tests.support.browser import chromium, page, server_factory, shared_tmp, streamlit_server  # noqa: F401
