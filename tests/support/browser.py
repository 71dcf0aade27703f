"""Shared pieces for the browser, load, fault and hostile-input tests (and the benchmarks):
a real Streamlit server on a free loopback port, and Debian chromium driven by Playwright.

Tests under tests/browser/ get the fixtures from its conftest.py. Without
chromium the browser tests are skipped, except under CI, `make test` or KPI_REQUIRE_BROWSER, where
they fail: CI must prove they ran. (PYTEST_DONT_REWRITE: helpers only, imported by the test modules.)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kpi.db import ensure_ready, make_engine
from tests.support.pgserver import free_port
from tests.support.required import required, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
# Generous: on 2 busy cores a cold Streamlit start plus seeding can take a while. These are
# upper bounds for waiting, never assertions about speed.
START_TIMEOUT_S = 90
UI_TIMEOUT_MS = 60_000
# Run a process as root but without the capabilities that let root ignore file modes, so a
# 0444 file or a 0555 folder really is read-only for it (the tests run as root, where a
# plain chmod stops nothing). The interpreter lives under /root, so `nobody` cannot run it.
WITHOUT_DAC_OVERRIDE = [
    "setpriv", "--bounding-set=-dac_override,-dac_read_search",
    "--inh-caps=-dac_override,-dac_read_search", "--",
]
# What must never appear in a server log of a healthy run.
LOG_ALARMS = ("Traceback", "Exception", "Error:")


def browser_required() -> bool:
    """CI, `make test` (KPI_REQUIRE_ALL) and KPI_REQUIRE_BROWSER turn a missing chromium into a failure."""
    return required("BROWSER")


def require_chromium() -> None:
    """Skip (or fail, when required) without Debian chromium and Python Playwright."""
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} missing (`make test` installs the Debian package)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Python package playwright missing (requirements-dev.txt)"
    if reason:
        skip_or_fail("BROWSER", reason)


@dataclass
class StreamlitServer:
    """A running `streamlit run` on 127.0.0.1, its log file, and how it was started."""

    proc: subprocess.Popen
    port: int
    log_path: Path
    started_at: float = field(default_factory=time.perf_counter)
    env: dict[str, str] = field(default_factory=dict)  # what start_streamlit added

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_url(self) -> str:
        return self.env.get("KPI_DATABASE_URL") or os.environ.get("KPI_DATABASE_URL", "")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alarms(self) -> list[str]:
        """Lines of the log that show an exception or traceback."""
        return [line for line in self.log_text().splitlines() if any(a in line for a in LOG_ALARMS)]

    def rss_bytes(self) -> int:
        """Resident memory of the server and all its descendants, from /proc."""
        return sum(_rss(pid) for pid in _process_tree(self.proc.pid))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
            except ProcessLookupError:
                pass


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids


def _process_tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def wait_healthy(url: str, proc: subprocess.Popen | None = None, timeout: float = START_TIMEOUT_S,
                 log_path: Path | None = None) -> None:
    """Poll /_stcore/health until it answers `ok`; fail early when the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            log = log_path.read_text(errors="replace")[-3000:] if log_path and log_path.exists() else ""
            raise RuntimeError(f"streamlit exited with {proc.returncode} before it was healthy:\n{log}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.02)
    raise RuntimeError(f"streamlit at {url} not healthy after {timeout} s")


def start_streamlit(
    log_path: Path,
    env: dict[str, str] | None = None,
    app: str | Path = "server.py",
    cwd: Path = ROOT,
    prefix: list[str] | None = None,
    wait: bool = True,
) -> StreamlitServer:
    """Start `python -m streamlit run APP` on a free loopback port; wait for health unless told not to.

    APP defaults to server.py, the entry `make run` uses (app.py inside st.App, warmed up at start).

    `env` is added to a copy of this process's environment (KPI_DATABASE_URL belongs in it);
    `prefix` runs the server under another command (e.g. WITHOUT_DAC_OVERRIDE).
    """
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for _attempt in range(3):  # a free port can be taken between asking and binding
        port = free_port()
        cmd = [
            *(prefix or []), sys.executable, "-m", "streamlit", "run", str(app),
            "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
        ]
        log = open(log_path, "ab")  # noqa: SIM115 - handed to the child, closed with it
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        server = StreamlitServer(proc=proc, port=port, log_path=log_path, started_at=started, env=dict(env or {}))
        if not wait:
            return server
        try:
            wait_healthy(server.url, proc, log_path=log_path)
            return server
        except RuntimeError as exc:
            server.stop()
            last_error = exc
            if "address already in use" not in server.log_text().lower():
                break
    raise RuntimeError(str(last_error))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def seeded_sqlite(path: Path) -> str:
    """The URL of a new SQLite database at `path`, created and seeded as on a first start (so a
    test can compute what to expect before its server runs)."""
    url = sqlite_url(path)
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    return url


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium for the whole run (sync Playwright)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:  # a broken browser install: same rule as a missing one
        pw.stop()
        skip_or_fail("BROWSER", f"chromium does not start: {exc}")
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture(scope="session")
def iphone(chromium):
    """Playwright's iPhone 13 descriptor (390x664 window, touch, device scale 3) for chromium: its
    default browser, webkit, is dropped. Read with async Playwright: the session's sync one owns
    this thread's event loop."""
    async def descriptor():
        from playwright.async_api import async_playwright

        async with async_playwright() as pw:
            return dict(pw.devices["iPhone 13"])

    device = run_async(descriptor)
    device.pop("default_browser_type")
    return device


@pytest.fixture
def page(chromium):
    """A fresh browser context and page; JavaScript dialogs are recorded in `page.dialogs`."""
    context = chromium.new_context(viewport=VIEWPORT, locale="nl-NL", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(UI_TIMEOUT_MS)
    pg.dialogs = []  # type: ignore[attr-defined]

    def _on_dialog(dialog):
        pg.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    pg.on("dialog", _on_dialog)
    yield pg
    context.close()


@pytest.fixture
def server_factory(tmp_path) -> Iterator[Callable[..., StreamlitServer]]:
    """Start servers with `server_factory(db_url, **kw)`; all are stopped at teardown."""
    started: list[StreamlitServer] = []

    def _start(db_url: str, name: str = "server", env: dict[str, str] | None = None, **kw) -> StreamlitServer:
        log_path = tmp_path / f"{name}-{len(started)}.log"
        server = start_streamlit(log_path, env={"KPI_DATABASE_URL": db_url, **(env or {})}, **kw)
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()
        # keep the logs for a look after a failure
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(server.log_path, ARTIFACTS / f"server-{server.port}.log")


@pytest.fixture
def streamlit_server(server_factory, tmp_path) -> StreamlitServer:
    """The dashboard on a fresh SQLite file (seeded by the app on first start)."""
    return server_factory(sqlite_url(tmp_path / "dashboard.db"), name="dashboard")


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder that processes without root's file-mode override can enter."""
    path = Path(tempfile.mkdtemp(prefix="kpi-shared-"))
    path.chmod(0o755)
    yield path
    for sub in [path, *path.rglob("*")]:
        if sub.is_dir():
            sub.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- page helpers


def open_page(pg, url: str, ready: str = "[data-testid=stMetricValue]"):
    """Go to `url` and wait until the app has rendered `ready` and stopped running."""
    pg.goto(url)
    pg.wait_for_selector(ready, state="visible")
    wait_idle(pg)
    return pg


def wait_idle(pg) -> None:
    """Wait until Streamlit reports that the script run has finished."""
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")


def metric_values(pg, scope: str = "") -> list[str]:
    return [e.inner_text().strip() for e in pg.query_selector_all(f"{scope} [data-testid=stMetricValue]".strip())]


def exceptions_on(pg) -> list[str]:
    return [e.inner_text() for e in pg.query_selector_all("[data-testid=stException]")]



UPLOAD_CSV = "gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2025;4.310;LISA\n"


def upload_on_import_page(pg, tmp_path: Path) -> list[int]:
    """On the Importeren page, upload a one-figure CSV and wait for its preview; the HTTP statuses
    the upload requests got (the guard answers an upload it refuses with 403)."""
    path = tmp_path / "cijfers.csv"
    path.write_text(UPLOAD_CSV, encoding="utf-8")
    statuses: list[int] = []
    pg.on("response", lambda r: statuses.append(r.status) if "/_stcore/upload_file/" in r.url else None)
    pg.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    pg.locator("[data-testid=stMain]", has_text="Voorbeeld: 0 nieuw, 1 gewijzigd").wait_for(state="visible")
    wait_idle(pg)
    return statuses

# The app's own sidebar menu (ui.frame.sidebar_menu): its container's key, the one selector every
# browser test finds menu links by (through the helpers below).
MENU = ".st-key-menu"


def open_menu(pg) -> None:
    """Open the sidebar when it is folded away (a phone starts with it closed) and wait for the menu."""
    if pg.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") == "true":
        pg.locator("[data-testid=stExpandSidebarButton]").click()
    pg.locator(MENU).wait_for(state="visible")


def menu_link(pg, title: str):
    """The menu's link to the page with this title (exactly this title: "Importeren" is not
    "Importgeschiedenis")."""
    return pg.locator(MENU).get_by_role("link", name=title, exact=True)


def menu_titles(pg) -> list[str]:
    """The titles of the pages the menu lists, in order (without the icons' ligature text), once
    the menu is drawn (every menu lists the overview)."""
    pg.locator(f"{MENU} a").first.wait_for(state="attached")
    return [t.strip() for t in pg.locator(f"{MENU} a [data-testid=stMarkdownContainer]").all_inner_texts()]


def menu_hrefs(pg) -> list[str]:
    """The absolute addresses the menu links to, once the menu is drawn."""
    pg.locator(f"{MENU} a").first.wait_for(state="attached")
    return pg.locator(f"{MENU} a").evaluate_all("els => els.map(e => e.href)")


def screenshot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    pg.screenshot(path=str(path))
    return path


def run_async(coro_factory: Callable[[], object]):
    """Run an asyncio coroutine in its own thread: the session's sync Playwright owns this
    thread's event loop, and asyncio.run refuses to nest."""
    result: dict[str, object] = {}

    def _target():
        try:
            result["value"] = asyncio.run(coro_factory())
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=_target, name="async-playwright")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result.get("value")


def open_select(pg, field) -> None:
    """Open a selectbox's option list. A click whose scroll-into-view moves Streamlit's main
    container closes the list it just opened (seen on Importgeschiedenis once its table wraps and
    the form sits below the fold); a user scrolls first and then clicks. So: scroll first, then
    click until the list is open."""
    field.scroll_into_view_if_needed()
    for attempt in range(3):
        wait_idle(pg)
        field.click()
        try:
            pg.wait_for_function("e => e.getAttribute('aria-expanded') === 'true'", arg=field.element_handle(),
                                 timeout=5_000, polling=100)
            return
        except Exception:
            if attempt == 2:
                raise


def click_until(pg, target, condition: str, attempts: int = 3, wait_ms: int = 20_000) -> None:
    """Click `target` until the JavaScript expression `condition` holds. A click that lands while
    a rerun redraws the button is lost (CI: a meeting step's Volgende left the URL at stap=5 for
    60 s); click again then, once the page is idle, rather than wait for ever."""
    for attempt in range(attempts):
        wait_idle(pg)
        target.click()
        try:
            pg.wait_for_function(f"() => {condition}", timeout=wait_ms, polling=100)
            return
        except Exception:
            if attempt == attempts - 1:
                raise


def sign_in(pg, password: str, *, expect: str = "Ingelogd als redacteur") -> None:
    """Sign in as editor through the sidebar's form. The form is HTML that a rerun renders anew,
    emptying a field typed just before it; its password field is `required`, so a click then posts
    nothing (seen in CI: no attempt in the server log). So: type once the page is idle, and type
    again if a rerun emptied the field, before clicking. `expect` is the sidebar text that follows
    (a wrong password's test expects "Onjuist wachtwoord.")."""
    outcome = pg.locator("[data-testid=stSidebar]", has_text=expect)
    for attempt in range(3):
        if attempt and outcome.count():  # the post arrived after all, only late
            break
        if pg.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") == "true":
            pg.locator("[data-testid=stExpandSidebarButton]").click()
        field = pg.locator("[data-testid=stSidebar] input[type=password]")
        if not field.is_visible():
            pg.locator("[data-testid=stSidebar] [data-testid=stExpander] summary", has_text="Inloggen").click()
        field.wait_for(state="visible")
        for _ in range(3):
            wait_idle(pg)
            field.fill(password)
            wait_idle(pg)
            if field.input_value() == password:
                break
        assert field.input_value() == password
        pg.locator("[data-testid=stSidebar] button:has-text('Inloggen')").click()
        # A rerun between the check above and the click still empties the field, and the click
        # posts nothing (CI, a11y phone tab: no attempt in the server log): then try again.
        try:
            outcome.wait_for(state="attached", timeout=20_000)
            break
        except Exception:
            if attempt == 2:
                raise
    wait_idle(pg)
