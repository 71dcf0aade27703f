"""Charts to PNG with kaleido, which drives a headless Chromium (Debian's /usr/bin/chromium).

Starting Chromium takes about 2 s, an image on a running browser about 0.2 s; so a report
holds one browser for all its charts (`with kaleido_server(): ...`).

Why not kaleido's own `start_sync_server()`: its caller waits on a queue without a time
limit, so when the browser thread stalls (seen here on a loaded machine: a message from
Chromium arrived garbled and was dropped) the report hangs for good; and it matches answers
to requests by queue order, so two threads must never use it at once. Here the browser runs
on an event loop in its own thread, every call has a time limit, a stalled browser is
replaced once, and a counted lease shares one browser between nested or concurrent users.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import kaleido
import plotly.graph_objects as go
from choreographer.browsers.chromium import Chromium

from kpi.export import printable
from kpi.reports.errors import ReportError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
START_TIMEOUT_S = 60
RENDER_TIMEOUT_S = 60
CLOSE_TIMEOUT_S = 15


class ImageError(ReportError):
    """Charts cannot be turned into images; the message is Dutch and user-facing."""


class _Stalled(ImageError):
    """Chromium did not answer in time."""


class _Browser:
    """One kaleido browser on an event loop in a daemon thread; every call is time-limited."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()
        self._kaleido: kaleido.Kaleido | None = None
        # Chromium starts in the background; the caller builds its figures meanwhile and the
        # first render waits for the start.
        self._opening: concurrent.futures.Future | None = asyncio.run_coroutine_threadsafe(
            self._open(), self._loop)

    async def _open(self) -> None:
        # mathjax=False: kaleido would otherwise load MathJax from a CDN (no network here).
        self._kaleido = kaleido.Kaleido(n=1, mathjax=False, timeout=RENDER_TIMEOUT_S)
        await self._kaleido.open()

    def render(self, fig: dict, opts: dict) -> bytes:
        if self._opening is not None:
            self._wait(self._opening, START_TIMEOUT_S, "het starten")
            self._opening = None
        return self._call(self._kaleido.calc_fig(fig, opts=opts), RENDER_TIMEOUT_S + 5, "een grafiek")

    def close(self) -> None:
        if self._opening is not None:
            # Let a start in progress finish first: a Chromium half-started and then
            # abandoned would outlive this process.
            try:
                self._wait(self._opening, START_TIMEOUT_S, "het starten")
            except Exception:
                pass
            self._opening = None
        k = self._kaleido
        if k is not None:
            try:
                self._call(k.close(), CLOSE_TIMEOUT_S, "het afsluiten")
            except Exception:
                proc = getattr(k, "subprocess", None)
                if proc is not None and proc.poll() is None:
                    # choreographer starts Chromium in its own session: end the whole group.
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()

    def _call(self, coro, timeout: float, what: str):
        return self._wait(asyncio.run_coroutine_threadsafe(coro, self._loop), timeout, what)

    @staticmethod
    def _wait(future: concurrent.futures.Future, timeout: float, what: str):
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            raise _Stalled(f"Chromium reageerde niet binnen {timeout:.0f} s bij {what}.") from exc


class _ServerLease:
    """Reference count on one browser: started by the first user, stopped by the last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()
        self._users = 0
        self._browser: _Browser | None = None

    def acquire(self) -> None:
        with self._lock:
            if self._users == 0:
                if Chromium.find_browser(skip_local=False) is None:
                    raise ImageError(
                        "Grafieken kunnen niet als afbeelding worden gemaakt: er is geen "
                        "Chromium-browser gevonden (installeer het Debian-pakket chromium)."
                    )
                self._browser = _start()
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._browser is not None:
                browser, self._browser = self._browser, None
                browser.close()

    def render(self, fig: dict, opts: dict) -> bytes:
        with self._render_lock:
            try:
                return self._browser.render(fig, opts)
            except _Stalled:
                # One fresh browser, then give up: a second stall is not bad luck.
                with self._lock:
                    self._browser.close()
                    self._browser = _start()
                return self._browser.render(fig, opts)

    def close_all(self) -> None:
        with self._lock:
            if self._browser is not None:
                self._browser.close()
                self._browser = None


def _start() -> _Browser:
    try:
        return _Browser()
    except ImageError:
        raise
    except Exception as exc:  # choreographer/kaleido start failures, in Dutch
        raise ImageError(f"Chromium kon niet worden gestart ({type(exc).__name__}).") from exc


# One per process, like the browser it counts; closed at exit so no Chromium is left behind.
_LEASE = _ServerLease()
atexit.register(lambda: _LEASE.close_all())


@contextmanager
def kaleido_server() -> Iterator[None]:
    """Keep one Chromium running for the images made inside the block (re-entrant)."""
    _LEASE.acquire()
    try:
        yield
    finally:
        _LEASE.release()


def _printable_spec(value):
    """A figure dict with every string free of control characters (plotly.js fails on them)."""
    if isinstance(value, dict):
        return {k: _printable_spec(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable_spec(v) for v in value]
    if getattr(value, "dtype", None) is not None and value.dtype.kind in "OUS":  # text arrays
        return [_printable_spec(v) for v in value.tolist()]
    return printable(value)


def png(fig: go.Figure, width: int = 1000, height: int = 520, scale: float = 2) -> bytes:
    """The figure as PNG bytes, `width` x `height` layout pixels times `scale`."""
    with kaleido_server():
        try:
            data = _LEASE.render(
                _printable_spec(fig.to_dict()), {"format": "png", "width": width, "height": height, "scale": scale}
            )
        except ImageError:
            raise
        except Exception as exc:  # kaleido/Chromium failures: report them in Dutch
            raise ImageError(f"Het maken van een grafiekafbeelding is mislukt ({type(exc).__name__}).") from exc
    if not data.startswith(PNG_SIGNATURE):
        raise ImageError("Het maken van een grafiekafbeelding gaf geen PNG-bestand.")
    return data
