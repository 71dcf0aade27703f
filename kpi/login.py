"""The editor password, hardened: weak or example passwords refused at start, failed tries
slowed down and locked out per session and per client address, every try logged (never
the password). Streamlit-free, so the rules are tested on their own; ui/auth.py applies them."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

log = logging.getLogger("kpi.auth")

MIN_PASSWORD_LENGTH = 10
# The example from .streamlit/secrets.toml.example (a test keeps the two equal) and passwords
# anyone tries first. Compared without case and surrounding spaces.
EXAMPLE_PASSWORD = "kies-een-sterk-wachtwoord"
KNOWN_PASSWORDS = frozenset({
    EXAMPLE_PASSWORD, "kies een sterk wachtwoord", "wachtwoord", "wachtwoord1", "wachtwoord123",
    "password", "password1", "password123", "welkom", "welkom01", "welkom123", "geheim", "geheim123",
    "admin", "admin123", "administrator", "redacteur", "redacteur123", "binnenstad", "binnenstad123",
    "binnenstadmonitor", "assen", "assen123", "gemeenteassen", "gemeente-assen", "changeme", "letmein",
    "qwerty", "qwertyuiop", "1234567890", "12345678901", "123456789012", "abcdefghij", "0000000000",
})


def weak_password_reason(password: str) -> str | None:
    """Why this editor password is refused (Dutch), or None when it may be used."""
    if not password:
        return None  # no password: editing is off, which is said elsewhere
    if password.strip().lower() in KNOWN_PASSWORDS:
        return ("Het ingestelde redacteurswachtwoord is een voorbeeld- of bekend wachtwoord (zoals dat uit "
                ".streamlit/secrets.toml.example). Kies een eigen, sterk wachtwoord; tot dan is bewerken "
                "uitgeschakeld.")
    if len(password) < MIN_PASSWORD_LENGTH:
        return (f"Het ingestelde redacteurswachtwoord is te kort ({len(password)} tekens; minimaal "
                f"{MIN_PASSWORD_LENGTH}). Kies een langer wachtwoord; tot dan is bewerken uitgeschakeld.")
    return None


@dataclass
class LoginThrottle:
    """Failed tries per key (a session, a client address), shared by all sessions of the process.

    Each failure is answered after a delay that doubles (1, 2, 4, 8 s at most); after
    `max_failures` failures within `window_s` a key is locked for `lockout_s`, and while its
    failures stay in the window every further failure locks it again. A success clears the keys.
    """

    max_failures: int = 5
    window_s: float = 15 * 60
    lockout_s: float = 5 * 60
    base_delay_s: float = 1.0
    max_delay_s: float = 8.0
    clock: object = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _recent(self, key: str, now: float) -> list[float]:
        recent = [t for t in self._failures.get(key, []) if now - t < self.window_s]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent

    def locked_for(self, keys: Iterable[str]) -> float:
        """Seconds until these keys may try again (0: they may try now)."""
        now = self.clock()
        with self._lock:
            waits = [recent[-1] + self.lockout_s - now for key in keys
                     if len(recent := self._recent(key, now)) >= self.max_failures]
        return max([0.0, *waits])

    def failed(self, keys: Iterable[str]) -> float:
        """Record a failed try for every key; the delay (s) before the answer is shown."""
        now = self.clock()
        with self._lock:
            counts = []
            for key in keys:
                recent = self._recent(key, now)
                recent.append(now)
                self._failures[key] = recent
                counts.append(len(recent))
        return min(self.base_delay_s * 2 ** (max(counts, default=1) - 1), self.max_delay_s)

    def succeeded(self, keys: Iterable[str]) -> None:
        """Forget the failures of these keys."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def log_attempt(success: bool, client: str, session: str, locked: bool = False) -> None:
    """One log line per try, with UTC time, client address and session; never the password."""
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if success:
        log.info("Redacteur ingelogd: tijd %s, client %s, sessie %s", when, client, session)
    elif locked:
        log.warning("Inlogpoging geweigerd (geblokkeerd): tijd %s, client %s, sessie %s", when, client, session)
    else:
        log.warning("Mislukte inlogpoging als redacteur: tijd %s, client %s, sessie %s", when, client, session)
