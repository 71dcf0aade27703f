"""Who may edit. The editor password (the embedded default), hardened: weak or example passwords
refused at start, failed tries slowed down and locked out per session and per client address,
every try logged (never the password). Named editors (the production option): a user signed in
through the municipality's identity provider (OIDC) is an editor when listed by e-mail or group.
Streamlit-free, so the rules are tested on their own; ui/auth.py applies them."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kpi.export import CONTROL_CHARACTERS

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
    # The example in the README's Starten section (a test keeps the README and this set equal).
    "een-lang-eigen-wachtwoord", "een lang eigen wachtwoord",
})

# Streamlit signs its OIDC identity cookie with [auth] cookie_secret: whoever knows the secret can
# sign a cookie for any editor's e-mail. The example from secrets.toml.example (a test keeps the
# two equal), values people paste, and anything shorter than 32 characters are refused.
EXAMPLE_COOKIE_SECRET = "een-lange-willekeurige-tekenreeks"
MIN_COOKIE_SECRET_LENGTH = 32
KNOWN_COOKIE_SECRETS = frozenset({
    EXAMPLE_COOKIE_SECRET, "een lange willekeurige tekenreeks", "xxx", "secret", "geheim", "changeme",
    "cookie_secret", "cookie-secret", "your-secret-here", "your_cookie_secret", "supersecret",
    "this-is-a-secret", "streamlit", "binnenstadmonitor",
})


def weak_cookie_secret_reason(secret: str) -> str | None:
    """Why this OIDC cookie_secret is refused (Dutch), or None when it may be used."""
    text = str(secret or "")
    if text.strip().lower() in KNOWN_COOKIE_SECRETS:
        return ("De cookie_secret in [auth] van .streamlit/secrets.toml is een voorbeeld- of bekende waarde "
                "(zoals die uit secrets.toml.example): daarmee kan iedereen zich als redacteur voordoen. "
                "Maak een eigen geheim, bijvoorbeeld met "
                "python -c \"import secrets; print(secrets.token_urlsafe(32))\"; tot dan is bewerken uitgeschakeld.")
    if len(text) < MIN_COOKIE_SECRET_LENGTH:
        return (f"De cookie_secret in [auth] van .streamlit/secrets.toml is te kort ({len(text)} tekens; minimaal "
                f"{MIN_COOKIE_SECRET_LENGTH}). Maak een lang willekeurig geheim, bijvoorbeeld met "
                "python -c \"import secrets; print(secrets.token_urlsafe(32))\"; tot dan is bewerken uitgeschakeld.")
    return None


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


# ---------------------------------------------------------------- named editors (OIDC)

# The longest identity the history can record: import_batches.created_by, targets.created_by and
# events.created_by/deleted_by are all String(200).
MAX_IDENTITY_LENGTH = 200


def _clean(value: object) -> str:
    """A claim as one line of plain text: no control characters, collapsed white space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(value)).split()) if value is not None else ""


def claim_values(claims: Mapping[str, object], name: str) -> list[str]:
    """A claim as a list of strings: identity providers send groups as a list or as one string."""
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [_clean(v) for v in value if _clean(v)]
    return [_clean(value)] if _clean(value) else []


def verified_email(claims: Mapping[str, object]) -> str:
    """The e-mail claim, lower case; empty when missing or when the provider says it is unverified."""
    if claims.get("email_verified") in (False, "false", "False"):
        return ""
    return _clean(claims.get("email")).lower()


def is_listed_editor(claims: Mapping[str, object], emails: Iterable[str], groups: Iterable[str],
                     group_claim: str = "groups") -> bool:
    """True when the signed-in user's verified e-mail or one of their groups is on the editors' list."""
    email = verified_email(claims)
    if email and email in {e.strip().lower() for e in emails if e.strip()}:
        return True
    listed = {g.strip() for g in groups if g.strip()}
    return bool(listed & set(claim_values(claims, group_claim)))


def identity(claims: Mapping[str, object]) -> str:
    """How a signed-in user is recorded in the history ("Naam (e-mail)"), at most 200 characters.

    The name comes from `name`, else `given_name` + `family_name`, else `preferred_username`;
    the e-mail from `email`; `sub` when the provider gives neither.
    """
    name = (_clean(claims.get("name"))
            or " ".join(p for p in (_clean(claims.get("given_name")), _clean(claims.get("family_name"))) if p)
            or _clean(claims.get("preferred_username")))
    email = _clean(claims.get("email"))
    if name and email and name.lower() != email.lower():
        suffix = f" ({email})"
        if len(suffix) < MAX_IDENTITY_LENGTH // 2:
            return name[: MAX_IDENTITY_LENGTH - len(suffix)].rstrip() + suffix
        return name[:MAX_IDENTITY_LENGTH]
    text = name or email or _clean(claims.get("sub")) or "onbekende gebruiker"
    return text[:MAX_IDENTITY_LENGTH]


def log_signed_in(who: str, editor: bool, client: str, session: str) -> None:
    """One log line per session that arrives signed in through the identity provider."""
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    role = "redacteur" if editor else "kijker (niet op de lijst van redacteuren)"
    log.info("Ingelogd via OIDC als %s: %s, tijd %s, client %s, sessie %s", role, who, when, client, session)
