"""One settings object, built from the environment with working defaults."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kpi.access import EditorAreas, parse_editor_areas

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def _default_database_url() -> str:
    return f"sqlite:///{DATA_DIR / 'binnenstad.db'}"


def _list(value: str | None) -> tuple[str, ...]:
    """A comma-separated setting as a tuple of its non-empty, stripped parts."""
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _yes(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "nee")


def _word(value: str) -> str:
    return value.strip().lower()


def _address(value: str) -> str:
    return value.rstrip("/")


def setting(default: Any = None, env: str = "", help: str = "", *, parse: Callable[[str], Any] = str,
            factory: Callable[[], Any] | None = None, empty_is_value: bool = False) -> Any:
    """One setting, declared once: its default, environment variable, help text and parser.
    `from_env`, the documented list (ENVIRONMENT_VARIABLES) and its test derive from this."""
    metadata = {"env": env, "help": help, "parse": parse, "empty_is_value": empty_is_value}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Settings:
    """Application settings; every field has an environment variable (see README)."""

    database_url: str = setting(
        None,
        "KPI_DATABASE_URL",
        "SQLAlchemy URL of the database (default: SQLite in data/binnenstad.db)",
        factory=_default_database_url,
    )
    # The monitored centre; other centres run the same product with another area.
    area: str = setting("Assen binnenstad", "KPI_AREA", "name of the monitored area (default: Assen binnenstad)")
    benchmark_area: str = setting(
        "Nederland",
        "KPI_BENCHMARK_AREA",
        "name of the benchmark area (default: Nederland)",
    )
    # Empty means: no editor password configured, so nobody can edit.
    editor_password: str = setting(
        "",
        "KPI_EDITOR_PASSWORD",
        "editor password (alternative to .streamlit/secrets.toml)",
        empty_is_value=True,
    )
    # Named editors when OIDC login ([auth] in .streamlit/secrets.toml) is on: e-mail addresses and
    # groups (values of the `editor_group_claim` claim) that may edit; every other signed-in user views.
    editor_emails: tuple[str, ...] = setting(
        (),
        "KPI_EDITOR_EMAILS",
        "comma-separated e-mail addresses of editors when OIDC login is on",
        parse=_list,
    )
    editor_groups: tuple[str, ...] = setting(
        (),
        "KPI_EDITOR_GROUPS",
        "comma-separated groups whose members are editors when OIDC login is on",
        parse=_list,
    )
    editor_group_claim: str = setting(
        "groups",
        "KPI_EDITOR_GROUP_CLAIM",
        "ID-token claim that lists a user's groups (default: groups)",
    )
    # Editors per centre (kpi.access): identities (e-mail, OIDC group, `wachtwoord`) to the areas they
    # may edit. Empty: every editor edits every centre; otherwise an unlisted editor edits none.
    editor_areas: EditorAreas = setting(
        (),
        "KPI_EDITOR_AREAS",
        "editors per centre: 'identity=Area|Area; identity=*' (e-mail, group or wachtwoord; empty: all centres)",
        parse=parse_editor_areas,
    )
    # Viewers per centre (kpi.access.viewable_areas): the centres (names or slugs) anyone may see.
    # Empty: every centre. A signed-in editor also sees the centres they may edit (KPI_EDITOR_AREAS).
    viewer_areas: tuple[str, ...] = setting(
        (),
        "KPI_VIEWER_AREAS",
        "comma-separated centres (name or slug) viewers may see; editors also see theirs (empty: all centres)",
        parse=_list,
    )
    # How long an editor stays signed in (the signed editor cookie), in hours.
    editor_session_hours: float = setting(
        8.0,
        "KPI_EDITOR_SESSION_HOURS",
        "hours an editor stays signed in (signed cookie; default 8)",
        parse=float,
    )
    # The key that signs the editor cookie. Empty: a random key per process start (editors sign in
    # again after a restart); set the same value on every process behind one proxy.
    session_secret: str = setting(
        "",
        "KPI_SESSION_SECRET",
        "key that signs the editor cookie; the same on every process (default: random per start)",
    )
    # Database connections per process (PostgreSQL; SQLAlchemy's QueuePool): at most
    # pool_size + max_overflow each. Several processes on one server: keep their sum below
    # PostgreSQL's max_connections (docs/beheer.md).
    db_pool_size: int = setting(5, "KPI_DB_POOL_SIZE", "database connections kept open per process (default 5)",
                                parse=int)
    db_max_overflow: int = setting(10, "KPI_DB_MAX_OVERFLOW",
                                   "extra database connections a process may open at a peak (default 10)", parse=int)
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks);
    # empty: nobody's, the client address is the connecting address.
    trusted_proxies: tuple[str, ...] = setting(
        (),
        "KPI_TRUSTED_PROXIES",
        "comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is believed",
        parse=_list,
    )
    # The import budget: every file is checked against these before and while it is parsed,
    # so that no file, however small or odd, makes an import hold more than a few hundred MB.
    max_upload_mb: int = setting(
        20,
        "KPI_MAX_UPLOAD_MB",
        "largest file accepted by the import, in MB (default 20)",
        parse=int,
    )
    max_unpacked_mb: int = setting(
        100,
        "KPI_MAX_UNPACKED_MB",
        "largest unpacked size of an .xlsx file, in MB (default 100)",
        parse=int,
    )
    max_rows: int = setting(200_000, "KPI_MAX_ROWS", "most rows in an import file (default 200000)", parse=int)
    max_columns: int = setting(1_000, "KPI_MAX_COLUMNS", "most columns in an import file (default 1000)", parse=int)
    max_cells: int = setting(
        2_000_000,
        "KPI_MAX_CELLS",
        "most cells (rows x columns) in an import file (default 2000000)",
        parse=int,
    )
    max_line_chars: int = setting(
        100_000,
        "KPI_MAX_LINE_CHARS",
        "longest line of a CSV file and longest cell, in characters (default 100000)",
        parse=int,
    )
    # The largest budget or spending of an action, in euros.
    max_euro: int = setting(
        100_000_000,
        "KPI_MAX_EURO",
        "largest budget or spending of an action, in euros (default 100000000)",
        parse=int,
    )
    # What one browser session may hold in uploaded files at a time (freed when the session ends).
    max_session_uploads: int = setting(
        10,
        "KPI_MAX_SESSION_UPLOADS",
        "most uploaded files one browser session holds at a time (default 10)",
        parse=int,
    )
    max_session_upload_mb: int = setting(
        60,
        "KPI_MAX_SESSION_UPLOAD_MB",
        "most MB of uploaded files one browser session holds at a time (default 60)",
        parse=int,
    )
    # Seed the reference figures (and illustrative series) into an empty database.
    seed_demo: bool = setting(
        True,
        "KPI_SEED_DEMO",
        "0 to seed an empty database without illustrative series",
        parse=_yes,
    )
    # The digest (issue 22): SMTP server, sender, and the dashboard's address for the links.
    # smtp_tls: 'starttls' (port 587), 'ssl' (port 465) or 'geen' (a relay on the local network).
    smtp_host: str = setting("", "KPI_SMTP_HOST", "SMTP server for the digest (empty: no mail is sent)")
    smtp_port: int = setting(587, "KPI_SMTP_PORT", "SMTP port (default 587)", parse=int)
    smtp_tls: str = setting("starttls", "KPI_SMTP_TLS", "starttls (default), ssl or geen", parse=_word)
    smtp_user: str = setting("", "KPI_SMTP_USER", "SMTP user name (empty: no login)")
    smtp_password: str = setting("", "KPI_SMTP_PASSWORD", "SMTP password (from the secrets store, never in git)")
    mail_from: str = setting("", "KPI_MAIL_FROM", "sender address of the digest")
    base_url: str = setting(
        "http://localhost:8501",
        "KPI_BASE_URL",
        "address of the dashboard, for the links in the digest (default http://localhost:8501)",
        parse=_address,
    )
    # Open data (DCAT-AP-DONL): who publishes, who to contact, under which licence.
    publisher: str = setting(
        "Gemeente Assen",
        "KPI_PUBLISHER",
        "publisher in the open data metadata (default Gemeente Assen)",
    )
    contact_name: str = setting(
        "Programmabureau Binnenstad",
        "KPI_CONTACT_NAME",
        "contact point in the open data metadata",
    )
    contact_email: str = setting("", "KPI_CONTACT_EMAIL", "contact e-mail address in the open data metadata")
    licence: str = setting(
        "http://creativecommons.org/publicdomain/zero/1.0/deed.nl",
        "KPI_LICENCE",
        "licence URI of the open data (default CC0 1.0)",
    )
    # Where the directory `python -m kpi opendata` writes is served; '' means KPI_BASE_URL/opendata.
    opendata_url: str = setting(
        "",
        "KPI_OPENDATA_URL",
        "address where the open data directory is served (default KPI_BASE_URL/opendata)",
        parse=_address,
    )


    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings from these environment variables (os.environ by default); a variable that is
        unset (or empty, except where an empty value means something) keeps the default."""
        env = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or (raw == "" and not f.metadata["empty_is_value"]):
                continue
            values[f.name] = f.metadata["parse"](raw)
        return cls(**values)


# Every setting's variable and help text, derived from the fields: tests/test_settings.py checks the
# settings table in docs against these keys.
ENVIRONMENT_VARIABLES = {f.metadata["env"]: f.metadata["help"] for f in fields(Settings)}
