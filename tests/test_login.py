"""The editor password (issue 12, point 10): weak and example passwords refused at start, failed
tries slowed down and locked out per session and per client address, every try logged with
time and client but never the password."""

from __future__ import annotations

import logging
import re
import tomllib

import pytest

from kpi import login
from kpi.login import LoginThrottle, weak_password_reason
from tests.apptest import run_app
from tests.browser import ROOT

PASSWORD = "een-echt-sterk-wachtwoord"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_delay_doubles_and_five_failures_lock_for_five_minutes():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    keys = ["sessie:a", "client:10.0.0.1"]
    delays = []
    for _ in range(5):
        assert throttle.locked_for(keys) == 0
        delays.append(throttle.failed(keys))
        clock.now += 1
    assert delays == [1, 2, 4, 8, 8]
    assert throttle.locked_for(keys) == pytest.approx(299)
    assert throttle.locked_for(["client:10.0.0.1"]) == pytest.approx(299)  # a new session, same client
    assert throttle.locked_for(["sessie:b", "client:10.0.0.2"]) == 0  # another client is not affected
    clock.now += 300
    assert throttle.locked_for(keys) == 0
    throttle.failed(keys)  # still five failures in the window: one more locks again
    assert throttle.locked_for(keys) == pytest.approx(300)
    clock.now += 15 * 60 + 1
    assert throttle.locked_for(keys) == 0
    throttle.failed(keys)
    assert throttle.locked_for(keys) == 0  # the window forgot the old failures


def test_a_success_clears_the_failures():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(4):
        throttle.failed(["client:x"])
    throttle.succeeded(["client:x"])
    assert throttle.failed(["client:x"]) == 1


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


def _try(at, password: str):
    at.sidebar.text_input(key="auth_password").input(password)
    at.sidebar.button[0].click()  # the form's submit button
    return at.run()


def test_brute_force_is_slowed_locked_out_per_client_and_logged(monkeypatch, sqlite_url, caplog):
    from ui import auth

    monkeypatch.setattr(auth, "THROTTLE", LoginThrottle())
    waited: list[float] = []
    monkeypatch.setattr(auth, "_sleep", waited.append)
    with caplog.at_level(logging.INFO, logger="kpi.auth"):
        at = run_app(monkeypatch, sqlite_url, password=PASSWORD)
        for i in range(5):
            at = _try(at, f"fout-{i}")
            assert [e.value for e in at.sidebar.error] == ["Onjuist wachtwoord."]
        assert waited == [1, 2, 4, 8, 8]
        at = _try(at, PASSWORD)  # the right one, but this session is locked now
        assert [e.value for e in at.sidebar.error] == ["Te veel mislukte pogingen. Probeer het over 5 minuten "
                                                       "opnieuw."]
        assert not auth.is_editor() and not any(c.value == "Ingelogd als redacteur." for c in at.sidebar.caption)
        # A fresh session from the same client address is locked as well.
        other = run_app(monkeypatch, sqlite_url, password=PASSWORD)
        other = _try(other, PASSWORD)
        assert [e.value for e in other.sidebar.error][0].startswith("Te veel mislukte pogingen")
        assert not any(c.value == "Ingelogd als redacteur." for c in other.sidebar.caption)
        # After the lockout the right password works and is logged.
        auth.THROTTLE.succeeded(["client:lokaal", f"sessie:{other.session_state['auth_session']}"])
        other = _try(other, PASSWORD)
        assert not other.exception
        assert any(c.value == "Ingelogd als redacteur." for c in other.sidebar.caption)
    lines = [r.getMessage() for r in caplog.records if r.name == "kpi.auth"]
    assert sum("Mislukte inlogpoging als redacteur" in line for line in lines) == 5
    assert sum("Inlogpoging geweigerd (geblokkeerd)" in line for line in lines) == 2
    assert sum("Redacteur ingelogd" in line for line in lines) == 1
    assert all("client lokaal" in line and "tijd 20" in line for line in lines)
    assert not any(PASSWORD in line or "fout-" in line for line in lines)


def test_the_readme_example_password_is_refused():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"KPI_EDITOR_PASSWORD='([^']+)'", readme) + re.findall(r'editor_password = "([^"]+)"', readme)
    assert examples
    for example in examples:
        assert weak_password_reason(example) and "voorbeeld" in weak_password_reason(example)
