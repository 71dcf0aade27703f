"""The editor password (issue 12.10, issue 23.5 and 23.8): weak and example passwords refused at
start; failed tries slowed down per client and refused per client address and per account, but
never for a browser that signed in before, so a stranger cannot lock an editor out; forwarded
addresses believed only from proxies named in KPI_TRUSTED_PROXIES; every try and every refusal
logged with time and client, never the password; the signed editor cookie refuses tampering,
another purpose, another key and expiry."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kpi import login
from kpi.login import (
    BROWSER_COOKIE,
    EDITOR_COOKIE,
    LoginThrottle,
    safe_return_path,
    sign,
    verified,
    weak_password_reason,
)
from tests.support.apptest import run_app
from tests.support.browser import ROOT, start_streamlit
from ui import guard

PASSWORD = "een-echt-sterk-wachtwoord"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------- the throttle, on its own


def test_a_client_is_slowed_then_refused_and_other_clients_are_not():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    delays = []
    for _ in range(5):
        assert throttle.refusal("10.0.0.1", "redacteur") is None
        delays.append(throttle.failed("10.0.0.1", "redacteur"))
        clock.now += 1
    assert delays == [1, 2, 4, 8, 8]
    refused = throttle.refusal("10.0.0.1", "redacteur")
    assert refused.wait_s == pytest.approx(299) and "dit clientadres" in refused.reason
    assert throttle.refusal("10.0.0.2", "redacteur") is None  # another client is not affected
    clock.now += 300
    assert throttle.refusal("10.0.0.1", "redacteur") is None
    clock.now += 15 * 60
    assert throttle.failed("10.0.0.1", "redacteur") == 1  # the window forgot the old failures


def test_guesses_spread_over_many_addresses_stop_unknown_browsers_but_never_a_known_one():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for i in range(20):  # a botnet: one guess per address
        assert throttle.refusal(f"10.1.0.{i}", "redacteur") is None
        assert throttle.failed(f"10.1.0.{i}", "redacteur") == 1  # each address's first: 1 s
    refused = throttle.refusal("192.168.1.7", "redacteur")  # a browser that never signed in
    assert refused is not None and "onbekende browsers" in refused.reason
    # The editor's browser signed in before: never refused, from any address.
    assert throttle.refusal("192.168.1.7", "redacteur", browser="editors-laptop") is None
    assert throttle.refusal("10.1.0.3", "redacteur", browser="editors-laptop") is None


def test_a_known_browser_is_only_slowed_by_its_own_typos():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    assert [throttle.failed("10.0.0.1", "redacteur", browser="b") for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    assert throttle.refusal("10.0.0.1", "redacteur", browser="b") is None
    assert throttle.refusal("10.0.0.1", "redacteur") is None  # its typos lock nobody out
    throttle.succeeded("10.0.0.1", browser="b")
    assert throttle.failed("10.0.0.1", "redacteur", browser="b") == 1


# ---------------------------------------------------------------- the signed cookie


def test_the_signed_cookie_refuses_tampering_other_purposes_keys_and_expiry():
    key = b"k" * 32
    value = sign(key, EDITOR_COOKIE, {"id": "abc", "exp": 2_000_000_000})
    assert verified(key, EDITOR_COOKIE, value)["id"] == "abc"
    version, body, mac = value.split(".")
    forged = login.base64.urlsafe_b64encode(b'{"id":"abc","exp":9999999999,"p":"kpi_redacteur"}').decode()
    for bad in (f"{version}.{forged}.{mac}", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"), "", "x.y",
                None, "v2." + body + "." + mac, value + "."):
        assert verified(key, EDITOR_COOKIE, bad) is None, bad
    assert verified(key, BROWSER_COOKIE, value) is None  # a browser cookie is no editor cookie
    assert verified(b"o" * 32, EDITOR_COOKIE, value) is None
    assert verified(key, EDITOR_COOKIE, value, now=2_000_000_001) is None  # expired


def test_only_a_path_on_this_site_is_a_way_back():
    assert safe_return_path("/kpi?kpi=banen") == "/kpi?kpi=banen"
    for bad in ("//evil.example/", "https://evil.example/", "javascript:alert(1)", "/x\r\nSet-Cookie: a=b",
                "\\\\evil", "", None):
        assert safe_return_path(bad) == "/", bad


# ---------------------------------------------------------------- weak passwords


def test_the_example_password_of_the_secrets_file_is_refused():
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())["editor_password"]
    assert example == login.EXAMPLE_PASSWORD
    assert "voorbeeld" in weak_password_reason(example)
    assert "voorbeeld" in weak_password_reason(" Wachtwoord ")
    assert weak_password_reason("kort-pw") == ("Het ingestelde redacteurswachtwoord is te kort (7 tekens; "
                                                "minimaal 10). Kies een langer wachtwoord; tot dan is bewerken "
                                                "uitgeschakeld.")
    assert weak_password_reason(PASSWORD) is None
    assert weak_password_reason("") is None  # no password: editing is simply off


def test_the_app_refuses_to_log_in_with_the_example_password(monkeypatch, sqlite_url, caplog):
    from ui import data

    data.report_weak_password.clear()
    with caplog.at_level(logging.INFO, logger="kpi.auth"):
        at = run_app(monkeypatch, sqlite_url, password=login.EXAMPLE_PASSWORD)
    assert not at.exception
    assert any("voorbeeld- of bekend wachtwoord" in e.value for e in at.sidebar.error)
    assert not at.sidebar.text_input  # no password field to try it in
    assert any("voorbeeld- of bekend wachtwoord" in r.getMessage() and r.levelno == logging.ERROR
               for r in caplog.records)


def test_the_sign_in_form_comes_back_to_this_page_with_its_query(monkeypatch, sqlite_url):
    """st.context.url has no query: signing in on Brugdorp's leegstand came back to the default
    centre's first KPI. The form's way back now keeps the page's query."""
    monkeypatch.setattr(guard, "ACTIVE", True)  # as under `streamlit run server.py`: the form is drawn
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "leegstand"})
    forms = [h.proto.body for h in at.sidebar.get("html") if "kpi-auth-form" in h.proto.body]
    assert len(forms) == 1 and 'name="terug" value="/?kpi=leegstand"' in forms[0], forms


def test_the_readme_example_password_is_refused():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"KPI_EDITOR_PASSWORD='([^']+)'", readme) + re.findall(r'editor_password = "([^"]+)"', readme)
    assert examples
    for example in examples:
        assert weak_password_reason(example) and "voorbeeld" in weak_password_reason(example)


# ---------------------------------------------------------------- the sign-in route (ASGI)


def _post(path: str, form: dict, client: str = "10.0.0.1", cookies: dict | None = None,
          origin: str | None = "http://monitor.test") -> tuple[int, dict[str, list[str]]]:
    """POST a form through ui.guard.Guard (around a stub app); status and response headers."""
    body = urllib.parse.urlencode(form).encode()
    headers = [(b"host", b"monitor.test"), (b"content-type", b"application/x-www-form-urlencoded")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    sent: list[dict] = []

    async def app(scope, receive, send):  # pragma: no cover - the routes answer themselves
        raise AssertionError("reached the app")

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": "POST", "headers": headers, "client": (client, 5000),
             "scheme": "http"}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guard.Guard(app)(scope, receive, send)).result()
    out: dict[str, list[str]] = {}
    for k, v in sent[0]["headers"]:
        out.setdefault(k.decode(), []).append(v.decode())
    return sent[0]["status"], out


def _set_cookies(headers) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in headers.get("set-cookie", [])}


def _value(set_cookie: str) -> str:
    return set_cookie.split("=", 1)[1].split(";", 1)[0]


@pytest.fixture
def route(monkeypatch):
    """The sign-in route with a strong password, a fresh throttle, and delays recorded, not waited."""
    monkeypatch.setenv("KPI_EDITOR_PASSWORD", PASSWORD)
    monkeypatch.delenv("KPI_EDITOR_SESSION_HOURS", raising=False)
    monkeypatch.setattr(guard, "THROTTLE", LoginThrottle())
    waited: list[float] = []

    async def pause(seconds):
        waited.append(seconds)

    monkeypatch.setattr(guard, "_pause", pause)
    return waited


def test_the_right_password_sets_a_signed_httponly_strict_cookie_and_goes_back(route, caplog):
    with caplog.at_level(logging.INFO, logger="kpi.auth"):
        status, headers = _post("/_kpi/inloggen", {"wachtwoord": PASSWORD, "terug": "/importeren?x=1"})
    assert status == 303 and headers["location"] == ["/importeren?x=1"]
    cookies = _set_cookies(headers)
    editor = cookies[EDITOR_COOKIE]
    assert "HttpOnly" in editor and "SameSite=Strict" in editor and "Max-Age=28800" in editor and "Path=/" in editor
    assert guard.editor_cookie(_value(editor)) is not None
    assert "HttpOnly" in cookies[BROWSER_COOKIE] and verified(guard._key(), BROWSER_COOKIE, _value(cookies[BROWSER_COOKIE]))
    assert PASSWORD not in str(headers)  # never in the URL or a cookie
    # The page that follows says so in a toast and closes the sidebar on a phone, once.
    assert guard.take_flash(_value(cookies[guard.FLASH_COOKIE])) == guard.SIGNED_IN
    assert cookies[guard.SIDEBAR_COOKIE].startswith(f"{guard.SIDEBAR_COOKIE}=1; Max-Age=120;")
    assert "Redacteur ingelogd" in caplog.text and "client 10.0.0.1" in caplog.text and PASSWORD not in caplog.text


def test_a_wrong_password_is_slowed_logged_and_said_on_the_page(route, caplog):
    with caplog.at_level(logging.INFO, logger="kpi.auth"):
        for _ in range(3):
            status, headers = _post("/_kpi/inloggen", {"wachtwoord": "fout-wachtwoord", "terug": "//evil.example"})
    assert status == 303 and headers["location"] == ["/"]  # never back to another site
    assert EDITOR_COOKIE not in _set_cookies(headers)
    assert guard.SIDEBAR_COOKIE not in _set_cookies(headers)  # its message is in the sidebar: keep it open
    assert route == [1, 2, 4]
    assert guard.take_flash(_value(_set_cookies(headers)[guard.FLASH_COOKIE])) == "Onjuist wachtwoord."
    assert caplog.text.count("Mislukte inlogpoging als redacteur (vertraagd met") == 3
    assert "fout-wachtwoord" not in caplog.text


def test_a_form_posted_from_another_site_is_refused(route):
    assert _post("/_kpi/inloggen", {"wachtwoord": PASSWORD}, origin="https://evil.example")[0] == 403


def test_a_strangers_guesses_do_not_stop_the_editor_signing_in(route, caplog):
    """Issue 23.5: one wrong guess every few minutes from a shared address kept the editor out."""
    # Monday: the editor signs in from the office (shared address 10.9.9.9); the browser is known.
    _, headers = _post("/_kpi/inloggen", {"wachtwoord": PASSWORD, "terug": "/"}, client="10.9.9.9")
    known = {BROWSER_COOKIE: _value(_set_cookies(headers)[BROWSER_COOKIE])}
    # A stranger behind the same address, and more from elsewhere: far over every limit.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kpi.auth"):
        for i in range(8):
            _post("/_kpi/inloggen", {"wachtwoord": f"gok-{i}"}, client="10.9.9.9")
        for i in range(25):
            _post("/_kpi/inloggen", {"wachtwoord": f"gok-{i}"}, client=f"172.16.0.{i}")
        # The stranger is refused now, without his password being checked ...
        status, headers = _post("/_kpi/inloggen", {"wachtwoord": PASSWORD}, client="10.9.9.9")
        assert EDITOR_COOKIE not in _set_cookies(headers)
        assert guard.take_flash(_value(_set_cookies(headers)[guard.FLASH_COOKIE])).startswith("Te veel mislukte pogingen")
        # ... and the editor's browser, from the same address, signs in at once.
        status, headers = _post("/_kpi/inloggen", {"wachtwoord": PASSWORD}, client="10.9.9.9", cookies=known)
    assert status == 303 and guard.editor_cookie(_value(_set_cookies(headers)[EDITOR_COOKIE])) is not None
    assert "Inlogpoging geweigerd (geblokkeerd: " in caplog.text  # every lockout is logged with its reason
    assert caplog.text.count("Redacteur ingelogd") == 1


# ---------------------------------------------------------------- forwarded addresses, in a real server


def _post_real(url: str, password: str, forwarded_for: str) -> int:
    data = urllib.parse.urlencode({"wachtwoord": password, "terug": "/"}).encode()
    request = urllib.request.Request(f"{url}/_kpi/inloggen", data=data, method="POST",
                                     headers={"X-Forwarded-For": forwarded_for})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("trusted", ["", "127.0.0.1"])
def test_a_spoofed_forwarded_for_from_this_machine_gives_no_extra_guesses(tmp_path, trusted):
    """Issue 23.5: uvicorn believed X-Forwarded-For from 127.0.0.1, so every guess could come from
    a new 'address'. Now only proxies in KPI_TRUSTED_PROXIES are believed (the positive control:
    with 127.0.0.1 named as proxy, the forwarded addresses are used)."""
    server = start_streamlit(tmp_path / "server.log", app="server.py", env={
        "KPI_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "KPI_EDITOR_PASSWORD": PASSWORD,
        "KPI_TRUSTED_PROXIES": trusted})
    try:
        for i in range(6):
            assert _post_real(server.url, f"gok-{i}", f"203.0.113.{i + 1}") == 303
        deadline = time.monotonic() + 10
        while "gok" not in server.log_text() and "geblokkeerd" not in server.log_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log_text()
    finally:
        server.stop()
    if trusted:
        assert "client 203.0.113.6" in log and "geblokkeerd" not in log
    else:
        assert "203.0.113." not in log and "client 127.0.0.1" in log
        assert "Inlogpoging geweigerd (geblokkeerd: 5 mislukte pogingen van dit clientadres)" in log
    assert "gok-" not in log
