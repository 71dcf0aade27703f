"""Who may edit. The editor password (the embedded default), hardened: weak or example passwords
refused at start, failed tries slowed down per client and refused per client address and per
account, except from a browser that signed in before; every try logged (never the password).
Editor rights live in a signed cookie (HMAC), whose rules are here. Named editors (the production option): a user signed in
through the municipality's identity provider (OIDC) is an editor when listed by e-mail or group.
Streamlit-free, so the rules are tested on their own; ui/auth.py applies them."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from kpi import schema
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


# ---------------------------------------------------------------- throttling sign-in tries

# Sign-in with the password has one account; named editors sign in at the identity provider.
PASSWORD_ACCOUNT = "redacteur"


@dataclass(frozen=True)
class Refusal:
    """Why a try is not checked now, and for how long (seconds)."""

    wait_s: float
    reason: str  # Dutch, for the log: whose failures caused it


class MemoryState:
    """Sign-in state in this process's memory: failed tries per throttle key and signed-out
    cookie ids. Used alone without a database, and as the fall-back when it cannot be reached."""

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._revoked: dict[str, float] = {}
        self._lock = threading.Lock()

    def failures(self, keys: Iterable[str], since: float) -> dict[str, list[float]]:
        with self._lock:
            found = {}
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if t > since]
                if recent:
                    self._failures[key] = found[key] = recent
                else:
                    self._failures.pop(key, None)
            return found

    def add_failure(self, keys: Iterable[str], at: float) -> None:
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(at)

    def forget(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def revoke(self, cookie_id: str, until: float, now: float) -> None:
        with self._lock:
            self._revoked[cookie_id] = until
            for old in [k for k, exp in self._revoked.items() if exp < now]:
                del self._revoked[old]

    def is_revoked(self, cookie_id: str) -> bool:
        with self._lock:
            return cookie_id in self._revoked

    def snapshot(self) -> tuple[dict[str, list[float]], dict[str, float]]:
        """Everything held: failures per key and revoked cookie ids with their expiry."""
        with self._lock:
            return {k: list(v) for k, v in self._failures.items()}, dict(self._revoked)

    def take_failures(self) -> dict[str, list[float]]:
        """All failures held, removed from memory in the same step (to be moved elsewhere)."""
        with self._lock:
            taken, self._failures = self._failures, {}
            return taken


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


class DatabaseState:
    """Sign-in state in the database (table login_state), shared by every app process on it:
    behind a proxy a guesser who drops the process cookie meets the same limits on every process,
    and a signed-out cookie is refused everywhere. Keys are stored as SHA-256 digests.

    When the database cannot be reached, the state falls back to this process's memory (still
    throttled, logged once per failure), so a database outage never opens the door to guessing.
    What memory holds always counts too: a try recorded there while the database was out of reach
    (as while a starting process still migrates it) is not forgotten when the database answers."""

    def __init__(self, engine, carried: MemoryState | None = None) -> None:
        """`carried`: the memory this process used before it opened the database (tries made
        while it started). Its failures move into the database; it stays this state's memory, so
        a try that lands in it while the switch happens still counts."""
        self.engine = engine
        self.fallback = carried if carried is not None else MemoryState()
        for key, times in self.fallback.take_failures().items():
            for at in times:
                self.add_failure([key], at)  # back into memory if the database cannot take it
        for cookie_id, until in self.fallback.snapshot()[1].items():
            self._run("uitloggen", self._revoke_work(cookie_id, until, time.time()), lambda: None)

    def _run(self, what: str, work, fallback):
        try:
            with self.engine.begin() as conn:
                return work(conn)
        except sa.exc.SQLAlchemyError as exc:
            log.warning("Inlogstatus (%s) niet in de database: %s; dit proces houdt hem zelf bij",
                        what, type(exc).__name__)
            return fallback()

    def failures(self, keys: Iterable[str], since: float) -> dict[str, list[float]]:
        keys = list(keys)
        digests = {_digest(k): k for k in keys}

        def work(conn):
            t = schema.login_state
            rows = conn.execute(sa.select(t.c.key, t.c.at).where(
                t.c.kind == "failure", t.c.key.in_(list(digests)), t.c.at > since).order_by(t.c.at))
            found: dict[str, list[float]] = {}
            for digest, at in rows:
                found.setdefault(digests[digest], []).append(float(at))
            return found

        held = self.fallback.failures(keys, since)
        stored = self._run("lezen", work, dict)
        return {key: sorted(stored.get(key, []) + held.get(key, [])) for key in keys if key in stored or key in held}

    def add_failure(self, keys: Iterable[str], at: float) -> None:
        keys = list(keys)

        def work(conn):
            t = schema.login_state
            conn.execute(t.insert(), [{"kind": "failure", "key": _digest(k), "at": at} for k in keys])
            # Older than any window: nobody asks for them again.
            conn.execute(t.delete().where(t.c.kind == "failure", t.c.at < at - FAILURE_MEMORY_S))

        self._run("mislukte poging", work, lambda: self.fallback.add_failure(keys, at))

    def forget(self, keys: Iterable[str]) -> None:
        keys = list(keys)

        def work(conn):
            t = schema.login_state
            conn.execute(t.delete().where(t.c.kind == "failure", t.c.key.in_([_digest(k) for k in keys])))

        self.fallback.forget(keys)
        self._run("vergeten", work, lambda: None)

    @staticmethod
    def _revoke_work(cookie_id: str, until: float, now: float):
        def work(conn):
            t = schema.login_state
            conn.execute(t.insert().values(kind="revoked", key=_digest(cookie_id), at=until))
            conn.execute(t.delete().where(t.c.kind == "revoked", t.c.at < now))
        return work

    def revoke(self, cookie_id: str, until: float, now: float) -> None:
        self.fallback.revoke(cookie_id, until, now)  # this process knows at once, whatever happens
        self._run("uitloggen", self._revoke_work(cookie_id, until, now), lambda: None)

    def is_revoked(self, cookie_id: str) -> bool:
        def work(conn):
            t = schema.login_state
            return conn.execute(sa.select(t.c.id).where(
                t.c.kind == "revoked", t.c.key == _digest(cookie_id)).limit(1)).first() is not None

        return self.fallback.is_revoked(cookie_id) or self._run("uitloggen lezen", work, lambda: False)


# Failed tries older than this are deleted (longer than any throttle window).
FAILURE_MEMORY_S = 24 * 3600


@dataclass
class LoginThrottle:
    """Failed tries per client address, per account and per known browser, kept in `state`
    (memory, or the database shared by all processes).

    A stranger must not be able to lock an editor out, so:
    - every failed try is answered after a delay that doubles per failure of that client (or
      known browser): 1, 2, 4, 8 s at most (a slow-down, holding only the guesser's request);
    - a client address with `client_limit` failures within `window_s` is refused for `lockout_s`
      after its last failure, and all browsers that never signed in are refused while the account
      has `account_limit` failures from such browsers in the window (guesses spread over many
      addresses);
    - a known browser (one that signed in before and holds the signed browser cookie) is never
      refused: only its own failures slow it down. Its correct password always works.
    Times are wall-clock seconds, so that processes sharing the database agree.
    """

    client_limit: int = 5
    account_limit: int = 20
    window_s: float = 15 * 60
    lockout_s: float = 5 * 60
    base_delay_s: float = 1.0
    max_delay_s: float = 8.0
    clock: object = time.time
    state: object = field(default_factory=MemoryState)

    def refusal(self, client: str, account: str, browser: str | None = None) -> Refusal | None:
        """Why a try from this client for this account is refused now, or None: check it.
        A known browser (`browser`, the id in its signed cookie) is never refused."""
        if browser:
            return None
        now = self.clock()
        keys = {"client": f"client:{client}", "account": f"account:{account}"}
        recent = self.state.failures(keys.values(), now - self.window_s)
        found = []
        if len(times := recent.get(keys["client"], [])) >= self.client_limit:
            found.append(Refusal(times[-1] + self.lockout_s - now, f"{len(times)} mislukte pogingen van dit clientadres"))
        if len(times := recent.get(keys["account"], [])) >= self.account_limit:
            found.append(Refusal(times[-1] + self.lockout_s - now,
                                 f"{len(times)} mislukte pogingen voor dit account vanuit onbekende browsers"))
        found = [r for r in found if r.wait_s > 0]
        return max(found, key=lambda r: r.wait_s) if found else None

    def failed(self, client: str, account: str, browser: str | None = None) -> float:
        """Record a failed try; the delay (s) before it is answered."""
        now = self.clock()
        # A known browser's typos count for that browser only: they never lock anyone out.
        keys = [f"browser:{browser}"] if browser else [f"client:{client}", f"account:{account}"]
        self.state.add_failure(keys, now)
        count = len(self.state.failures([keys[0]], now - self.window_s).get(keys[0], [])) or 1
        return min(self.base_delay_s * 2 ** (count - 1), self.max_delay_s)

    def succeeded(self, client: str, browser: str | None = None) -> None:
        """Forget the failures of this client and browser (not the account's: a stranger's
        guesses elsewhere keep counting)."""
        self.state.forget([f"client:{client}", *([f"browser:{browser}"] if browser else [])])


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def log_attempt(success: bool, client: str, session: str, locked: bool = False, delay_s: float = 0,
                reason: str = "") -> None:
    """One log line per try, with UTC time, client address and browser; never the password.
    Every refusal (lockout) and every slow-down is logged with its reason."""
    when = _now_text()
    if success:
        log.info("Redacteur ingelogd: tijd %s, client %s, browser %s", when, client, session)
    elif locked:
        log.warning("Inlogpoging geweigerd (geblokkeerd: %s): tijd %s, client %s, browser %s",
                    reason, when, client, session)
    else:
        log.warning("Mislukte inlogpoging als redacteur (vertraagd met %g s): tijd %s, client %s, browser %s",
                    delay_s, when, client, session)


# ---------------------------------------------------------------- the signed editor cookie

EDITOR_COOKIE = "kpi_redacteur"  # editor rights, KPI_EDITOR_SESSION_HOURS
BROWSER_COOKIE = "kpi_browser"  # "this browser signed in before": exempt from lockouts, no rights
BROWSER_COOKIE_DAYS = 180


def sign(key: bytes, purpose: str, payload: Mapping[str, object]) -> str:
    """A cookie value: the payload (JSON, base64url) and its HMAC-SHA256 under `key` and `purpose`."""
    body = base64.urlsafe_b64encode(json.dumps({**payload, "p": purpose}, separators=(",", ":")).encode())
    mac = hmac.new(key, b"v1." + purpose.encode() + b"." + body, hashlib.sha256).digest()
    return f"v1.{body.decode()}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def verified(key: bytes, purpose: str, value: str | None, now: float | None = None) -> dict | None:
    """The payload of a cookie value signed by `sign` for this purpose and not expired, else None."""
    try:
        version, body, mac = str(value or "").split(".")
        if version != "v1":
            return None
        expected = hmac.new(key, b"v1." + purpose.encode() + b"." + body.encode(), hashlib.sha256).digest()
        given = base64.urlsafe_b64decode(mac + "=" * (-len(mac) % 4))
        if not hmac.compare_digest(expected, given):
            return None
        payload = json.loads(base64.urlsafe_b64decode(body))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict) or payload.get("p") != purpose or not isinstance(payload.get("exp"), int | float):
        return None
    return payload if payload["exp"] > (time.time() if now is None else now) else None


def fingerprint(value: str) -> str:
    """What the server keeps of a credential cookie to bind a session to it (never the cookie)."""
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()


def safe_return_path(value: str | None) -> str:
    """Where to go back to after signing in or out: a path on this site, else "/"."""
    text = str(value or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text or CONTROL_CHARACTERS.search(text) \
            or any(c in text for c in "\r\n\t") or len(text) > 2000:
        return "/"
    return text


def weak_session_secret_reason(secret: str) -> str | None:
    """Why KPI_SESSION_SECRET is refused (Dutch), or None (an empty one means: random per start)."""
    if secret and len(secret) < MIN_COOKIE_SECRET_LENGTH:
        return (f"KPI_SESSION_SECRET is te kort ({len(secret)} tekens; minimaal {MIN_COOKIE_SECRET_LENGTH}): "
                "er wordt een willekeurige sleutel per start gebruikt.")
    return None


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
    when = _now_text()
    role = "redacteur" if editor else "kijker (niet op de lijst van redacteuren)"
    log.info("Ingelogd via OIDC als %s: %s, tijd %s, client %s, sessie %s", role, who, when, client, session)


def check_password(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset, weak or example password never matches."""
    if not expected or weak_password_reason(expected):
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
