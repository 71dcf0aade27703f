"""Warm-up at server start: import what the pages need and cache today's results, so the first
request finds them ready. Apart from ui/data.py, so that the data door does not import the frame
that imports it."""

from __future__ import annotations

import gc
import importlib
import inspect
import logging

import PIL.Image  # noqa: F401  (st.image's first use; imported here, at start, not on the first request)
from streamlit import string_util

from kpi import formatting as fmt
from kpi.text import summary_sentence
from ui import data, frame

log = logging.getLogger("binnenstadmonitor")


def warm_up() -> None:
    """At server start (server.py): import what the pages need and cache today's results, so the
    first request finds them ready. Never raises: a database that is down now is the first
    page's business (it shows the Dutch message and retries)."""
    try:
        for spec in frame.PAGES:  # the navigation imports every page module in the first run
            importlib.import_module(f"screens.{spec.module}")
        today = data.results()
        data.illustrative_count()
    except Exception as exc:
        log.warning("warm-up at start skipped: %s", type(exc).__name__)
        return
    try:
        # One-time costs the profile of a first run showed (bench/NOTES.md): pandas' date
        # fields and babel's Dutch number symbols, PIL for st.image, Streamlit's emoji table
        # for the page icon, and the file-to-module index that inspect builds on its first
        # use (Streamlit calls inspect.stack() once, on the first element of the process).
        for r in today:
            summary_sentence(r)
        fmt.number(1000)
        string_util.is_emoji("🏙️")
        inspect.stack()
    except Exception as exc:  # an internal that moved in a newer Streamlit: only slower
        log.warning("warm-up extras skipped: %s", type(exc).__name__)
    freeze_heap()


def freeze_heap() -> None:
    """Move everything alive now (the imported libraries, today's cached results) out of reach
    of the cyclic garbage collector. Streamlit runs a full `gc.collect(2)` after every script
    run, holding the interpreter lock: over ~190.000 objects that took 100-300 ms per page load,
    during which no other session ran, and with 30 viewers at once it was the largest share of
    the server's time (bench/NOTES.md, issue 23). Frozen objects are still freed by reference
    counting; only a reference cycle among them would stay, and they are loaded once per process."""
    gc.collect()  # garbage from the imports is freed, not frozen
    gc.freeze()
