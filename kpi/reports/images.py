"""Charts to PNG with kaleido, which drives a headless Chromium (Debian's /usr/bin/chromium).

Starting Chromium takes about 2 s, an image on a running browser about 0.2 s; so a report
holds one kaleido server for all its charts (`with kaleido_server(): ...`). Kaleido's sync
server is a process-wide singleton that is not safe for two threads at once (results are
matched to requests by queue order), so leases are counted and each render is serialised.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import kaleido
import plotly.graph_objects as go
from choreographer.browsers.chromium import Chromium

from kpi.reports.errors import ReportError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ImageError(ReportError):
    """Charts cannot be turned into images; the message is Dutch and user-facing."""


class _ServerLease:
    """Reference count on kaleido's global server: started by the first user, stopped by the last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()
        self._users = 0

    def acquire(self) -> None:
        with self._lock:
            if self._users == 0:
                # Without a browser kaleido's server thread dies and a request would wait
                # forever: look first, as kaleido itself would.
                if Chromium.find_browser(skip_local=False) is None:
                    raise ImageError(
                        "Grafieken kunnen niet als afbeelding worden gemaakt: er is geen "
                        "Chromium-browser gevonden (installeer het Debian-pakket chromium)."
                    )
                # mathjax=False: kaleido would otherwise load MathJax from a CDN.
                kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                kaleido.stop_sync_server(silence_warnings=True)

    def render(self, fig: dict, opts: dict) -> bytes:
        with self._render_lock:
            return kaleido.calc_fig_sync(fig, opts=opts)


# One per process, like the kaleido server it counts.
_LEASE = _ServerLease()


@contextmanager
def kaleido_server() -> Iterator[None]:
    """Keep one Chromium running for the images made inside the block (re-entrant)."""
    _LEASE.acquire()
    try:
        yield
    finally:
        _LEASE.release()


def png(fig: go.Figure, width: int = 1000, height: int = 520, scale: float = 2) -> bytes:
    """The figure as PNG bytes, `width` x `height` layout pixels times `scale`."""
    with kaleido_server():
        try:
            data = _LEASE.render(
                fig.to_dict(), {"format": "png", "width": width, "height": height, "scale": scale}
            )
        except ImageError:
            raise
        except Exception as exc:  # kaleido/Chromium failures: report them in Dutch
            raise ImageError(f"Het maken van een grafiekafbeelding is mislukt ({type(exc).__name__}).") from exc
    if not data.startswith(PNG_SIGNATURE):
        raise ImageError("Het maken van een grafiekafbeelding gaf geen PNG-bestand.")
    return data
