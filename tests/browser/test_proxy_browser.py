"""Several dashboard processes behind a real nginx (issue 21, "When a platform hosts many
centres"): the project's own deploy/nginx-binnenstadmonitor.conf in front of two processes on
one PostgreSQL database; chromium talks to nginx only. An editor pinned to process a signs in,
uploads and imports; a viewer pinned to process b sees the figure on its next load; nginx's access
log shows that every request of each browser, websocket, upload and sign-in post included, reached
that browser's own process."""

from __future__ import annotations

import concurrent.futures
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.browser import VIEWPORT, exceptions_on, metric_values, open_page, sign_in, wait_idle
from tests.support.nginx import NginxUnavailable, nginx_binary, start_nginx
from tests.support.required import skip_or_fail

pytestmark = pytest.mark.browser

A = "Assen binnenstad"
PASSWORD = "redacteur-proxy-test"
COOKIE = "binnenstadmonitor_proces"


@pytest.fixture
def proxied(server_factory, shared_postgres, tmp_path):
    """Two processes (a, b) on one PostgreSQL database, and nginx in front of them."""
    try:
        nginx_binary()
    except NginxUnavailable as exc:
        skip_or_fail("TOOLS", str(exc))
    env = {"KPI_EDITOR_PASSWORD": PASSWORD, "KPI_TRUSTED_PROXIES": "127.0.0.1",
           "KPI_SESSION_SECRET": "proxy-test-sleutel-die-lang-genoeg-is-0123456789"}
    servers = {name: server_factory(shared_postgres, name=f"proces-{name}", env=env) for name in "ab"}
    proxy = start_nginx(tmp_path / "nginx", {name: s.port for name, s in servers.items()})
    try:
        yield proxy, servers
    finally:
        proxy.stop()


def _pinned(chromium, proxy, process: str):
    """A browser whose cookie pins it to one process, as nginx itself would have set it."""
    context = chromium.new_context(viewport=VIEWPORT, locale="nl-NL")
    context.add_cookies([{"name": COOKIE, "value": process, "url": proxy.url}])
    return context.new_page()


def _upstream_ports(log: list[str], process: str, pattern: str) -> set[str]:
    """The ports of the processes that served a pinned browser's requests matching `pattern`."""
    found = set()
    for line in log:
        m = re.match(rf"{process} -> 127\.0\.0\.1:(\d+) \d+ \"(.*)\"", line)
        if m and re.search(pattern, m.group(2)):
            found.add(m.group(1))
    return found


def _process_cookie(resp) -> str:
    """The proxy's Set-Cookie among the response's (Streamlit sets its own XSRF cookie too)."""
    return next((c for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith(f"{COOKIE}=")), "")


def test_a_new_browser_is_assigned_a_process_and_keeps_it(proxied):
    proxy, servers = proxied
    with urllib.request.urlopen(f"{proxy.url}/_stcore/health", timeout=10) as resp:
        assert resp.read().decode().strip() == "ok"
        cookie = _process_cookie(resp)
    m = re.match(rf"{COOKIE}=([ab]); Path=/; HttpOnly; SameSite=Lax", cookie)
    assert m, cookie
    # The same browser comes back with its cookie: the same process, every time.
    for _ in range(5):
        req = urllib.request.Request(f"{proxy.url}/_stcore/health", headers={"Cookie": f"{COOKIE}={m.group(1)}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert _process_cookie(resp).startswith(f"{COOKIE}={m.group(1)};")
    # A tampered value is not a process: it is assigned one of the two.
    req = urllib.request.Request(f"{proxy.url}/_stcore/health", headers={"Cookie": f"{COOKIE}=../../etc"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert re.match(rf"{COOKIE}=[ab];", _process_cookie(resp))
    served = {line.split(" -> ")[1].split()[0].rsplit(":", 1)[1] for line in proxy.access_log()}
    assert served <= {str(s.port) for s in servers.values()}, served


def test_import_through_the_proxy_on_one_process_shows_on_the_other(proxied, chromium, tmp_path):
    proxy, servers = proxied
    editor, viewer = _pinned(chromium, proxy, "a"), _pinned(chromium, proxy, "b")
    try:
        open_page(viewer, f"{proxy.url}/kpi?kpi=leegstand")
        assert metric_values(viewer, "[data-testid=stMain]")[0] == "13,8%"  # cached in b from here on

        csv = tmp_path / "leegstand-2026.csv"
        csv.write_text(f"gebied;indicator;jaar;waarde;bron\n{A};leegstand;2026;12,4;Locatus 2026\n", encoding="utf-8")
        open_page(editor, proxy.url)
        sign_in(editor, PASSWORD)
        # A new page load: the signed editor cookie keeps the editor signed in (on the same process).
        open_page(editor, f"{proxy.url}/importeren", ready="[data-testid=stFileUploader]")
        editor.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(csv))
        editor.locator("[data-testid=stAlert]", has_text="Voorbeeld:").wait_for(state="visible")
        wait_idle(editor)
        editor.locator(".st-key-import_save button").click()
        editor.locator("[data-testid=stAlert]", has_text="Opgeslagen als importbatch").wait_for(state="visible")
        assert exceptions_on(editor) == []

        viewer.reload()
        viewer.wait_for_selector("[data-testid=stMetricValue]", state="visible")
        wait_idle(viewer)
        assert metric_values(viewer, "[data-testid=stMain]")[0] == "12,4%"
        assert exceptions_on(viewer) == []
    finally:
        editor.context.close()
        viewer.context.close()
    proxy.stop()  # nginx writes a websocket's line when it closes: stop it before reading the log

    log = proxy.access_log()
    port = {name: str(s.port) for name, s in servers.items()}
    # Each browser reached only its own process, for every kind of request that keeps state.
    assert _upstream_ports(log, "a", r".") == {port["a"]}, log
    assert _upstream_ports(log, "b", r".") == {port["b"]}, log
    assert _upstream_ports(log, "a", r"^GET /_stcore/stream ") == {port["a"]}, log
    assert _upstream_ports(log, "b", r"^GET /_stcore/stream ") == {port["b"]}, log
    assert _upstream_ports(log, "a", r"^PUT /_stcore/upload_file/") == {port["a"]}, log
    assert _upstream_ports(log, "a", r"^POST /_kpi/inloggen ") == {port["a"]}, log
    # The websocket was upgraded (101), not refused.
    assert any(re.match(r"[ab] -> \S+ 101 \"GET /_stcore/stream ", line) for line in log), log
    # The editor's process saw the sign-in from the client, through the trusted proxy.
    assert "Redacteur ingelogd" in servers["a"].log_text()
    assert servers["a"].alarms() == [] and servers["b"].alarms() == []
    assert "[emerg]" not in proxy.error_log() and "[crit]" not in proxy.error_log()


def _post(proxy, path: str, process: str, form: dict[str, str], cookie: str = "") -> int:
    """A form post through nginx, pinned to one process (no redirects followed)."""
    data = urllib.parse.urlencode(form).encode()
    headers = {"Cookie": f"{COOKIE}={process}" + (f"; {cookie}" if cookie else "")}
    request = urllib.request.Request(f"{proxy.url}{path}", data=data, method="POST", headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_guesses_spread_over_both_processes_meet_one_limit(proxied):
    """Issue 23.5 with several processes: the throttle's count lives in the shared database, so a
    guesser who switches process (drops or sets the process cookie) meets the limit of one."""
    proxy, servers = proxied
    # Five wrong guesses, alternating a, b, a, b, a; sent together, since each answer waits its delay.
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        codes = list(pool.map(lambda i: _post(proxy, "/_kpi/inloggen", "ab"[i % 2], {"wachtwoord": f"gok-{i}"}),
                              range(5)))
    assert codes == [303] * 5
    assert _post(proxy, "/_kpi/inloggen", "b", {"wachtwoord": "gok-5"}) == 303
    assert _post(proxy, "/_kpi/inloggen", "a", {"wachtwoord": "gok-6"}) == 303
    logs = {name: s.log_text() for name, s in servers.items()}
    assert logs["a"].count("Mislukte inlogpoging") + logs["b"].count("Mislukte inlogpoging") == 5, logs
    # The sixth and seventh were refused, each by its own process, without checking the password.
    for name in "ab":
        assert "Inlogpoging geweigerd (geblokkeerd: 5 mislukte pogingen van dit clientadres)" in logs[name], logs[name]
    assert "gok-" not in logs["a"] + logs["b"]


def test_a_cookie_signed_out_on_one_process_is_refused_by_the_other(proxied, chromium):
    proxy, _servers = proxied
    editor, copy = _pinned(chromium, proxy, "a"), _pinned(chromium, proxy, "b")
    try:
        open_page(editor, proxy.url)
        sign_in(editor, PASSWORD)
        cookie = next(c for c in editor.context.cookies() if c["name"] == "kpi_redacteur")
        copy.context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": proxy.url}])
        open_page(copy, proxy.url)  # process b: the same signing key, so the copy is an editor there
        copy.locator("[data-testid=stSidebar]", has_text="Ingelogd als redacteur").wait_for()
        assert _post(proxy, "/_kpi/uitloggen", "a", {"terug": "/"}, cookie=f"kpi_redacteur={cookie['value']}") == 303
        open_page(copy, proxy.url)
        copy.locator("[data-testid=stSidebar]", has_text="Inloggen als redacteur").wait_for()
        assert copy.locator("[data-testid=stSidebar]", has_text="Ingelogd als redacteur").count() == 0
    finally:
        editor.context.close()
        copy.context.close()
