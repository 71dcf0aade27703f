"""One settings object, built from the environment with working defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def _default_database_url() -> str:
    return f"sqlite:///{DATA_DIR / 'binnenstad.db'}"


def _list(value: str | None) -> tuple[str, ...]:
    """A comma-separated setting as a tuple of its non-empty, stripped parts."""
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Application settings; every field has an environment variable (see README)."""

    database_url: str = field(default_factory=_default_database_url)
    # The monitored centre; other centres run the same product with another area.
    area: str = "Assen binnenstad"
    benchmark_area: str = "Nederland"
    # Empty means: no editor password configured, so nobody can edit.
    editor_password: str = ""
    # Named editors when OIDC login ([auth] in .streamlit/secrets.toml) is on: e-mail addresses and
    # groups (values of the `editor_group_claim` claim) that may edit; every other signed-in user views.
    editor_emails: tuple[str, ...] = ()
    editor_groups: tuple[str, ...] = ()
    editor_group_claim: str = "groups"
    # How long an editor stays signed in (the signed editor cookie), in hours.
    editor_session_hours: float = 8.0
    # The key that signs the editor cookie. Empty: a random key per process start (editors sign in
    # again after a restart); set the same value on every process behind one proxy.
    session_secret: str = ""
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks);
    # empty: nobody's, the client address is the connecting address.
    trusted_proxies: tuple[str, ...] = ()
    # The import budget: every file is checked against these before and while it is parsed,
    # so that no file, however small or odd, makes an import hold more than a few hundred MB.
    max_upload_mb: int = 20
    max_unpacked_mb: int = 100
    max_rows: int = 200_000
    max_columns: int = 1_000
    max_cells: int = 2_000_000
    max_line_chars: int = 100_000
    # The largest budget or spending of an action, in euros.
    max_euro: int = 100_000_000
    # What one browser session may hold in uploaded files at a time (freed when the session ends).
    max_session_uploads: int = 10
    max_session_upload_mb: int = 60
    # Seed the reference figures (and illustrative series) into an empty database.
    seed_demo: bool = True
    # The digest (issue 22): SMTP server, sender, and the dashboard's address for the links.
    # smtp_tls: 'starttls' (port 587), 'ssl' (port 465) or 'geen' (a relay on the local network).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = ""
    base_url: str = "http://localhost:8501"
    # Open data (DCAT-AP-DONL): who publishes, who to contact, under which licence.
    publisher: str = "Gemeente Assen"
    contact_name: str = "Programmabureau Binnenstad"
    contact_email: str = ""
    licence: str = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
    # Where the directory `python -m kpi opendata` writes is served; '' means KPI_BASE_URL/opendata.
    opendata_url: str = ""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        return replace(
            base,
            database_url=env.get("KPI_DATABASE_URL") or base.database_url,
            area=env.get("KPI_AREA") or base.area,
            benchmark_area=env.get("KPI_BENCHMARK_AREA") or base.benchmark_area,
            editor_password=env.get("KPI_EDITOR_PASSWORD", base.editor_password),
            editor_emails=_list(env.get("KPI_EDITOR_EMAILS")) or base.editor_emails,
            editor_groups=_list(env.get("KPI_EDITOR_GROUPS")) or base.editor_groups,
            editor_group_claim=env.get("KPI_EDITOR_GROUP_CLAIM") or base.editor_group_claim,
            editor_session_hours=float(env.get("KPI_EDITOR_SESSION_HOURS") or base.editor_session_hours),
            session_secret=env.get("KPI_SESSION_SECRET") or base.session_secret,
            trusted_proxies=_list(env.get("KPI_TRUSTED_PROXIES")) or base.trusted_proxies,
            max_upload_mb=int(env.get("KPI_MAX_UPLOAD_MB") or base.max_upload_mb),
            max_unpacked_mb=int(env.get("KPI_MAX_UNPACKED_MB") or base.max_unpacked_mb),
            max_rows=int(env.get("KPI_MAX_ROWS") or base.max_rows),
            max_columns=int(env.get("KPI_MAX_COLUMNS") or base.max_columns),
            max_cells=int(env.get("KPI_MAX_CELLS") or base.max_cells),
            max_line_chars=int(env.get("KPI_MAX_LINE_CHARS") or base.max_line_chars),
            max_euro=int(env.get("KPI_MAX_EURO") or base.max_euro),
            max_session_uploads=int(env.get("KPI_MAX_SESSION_UPLOADS") or base.max_session_uploads),
            max_session_upload_mb=int(env.get("KPI_MAX_SESSION_UPLOAD_MB") or base.max_session_upload_mb),
            seed_demo=(env.get("KPI_SEED_DEMO", "1") not in ("0", "false", "nee")),
            smtp_host=env.get("KPI_SMTP_HOST") or base.smtp_host,
            smtp_port=int(env.get("KPI_SMTP_PORT") or base.smtp_port),
            smtp_tls=(env.get("KPI_SMTP_TLS") or base.smtp_tls).strip().lower(),
            smtp_user=env.get("KPI_SMTP_USER") or base.smtp_user,
            smtp_password=env.get("KPI_SMTP_PASSWORD") or base.smtp_password,
            mail_from=env.get("KPI_MAIL_FROM") or base.mail_from,
            base_url=(env.get("KPI_BASE_URL") or base.base_url).rstrip("/"),
            publisher=env.get("KPI_PUBLISHER") or base.publisher,
            contact_name=env.get("KPI_CONTACT_NAME") or base.contact_name,
            contact_email=env.get("KPI_CONTACT_EMAIL") or base.contact_email,
            licence=env.get("KPI_LICENCE") or base.licence,
            opendata_url=(env.get("KPI_OPENDATA_URL") or base.opendata_url).rstrip("/"),
        )


# Documented settings: tests/test_settings.py checks the README's settings table against these keys.
ENVIRONMENT_VARIABLES = {
    "KPI_DATABASE_URL": "SQLAlchemy URL of the database (default: SQLite in data/binnenstad.db)",
    "KPI_AREA": "name of the monitored area (default: Assen binnenstad)",
    "KPI_BENCHMARK_AREA": "name of the benchmark area (default: Nederland)",
    "KPI_EDITOR_PASSWORD": "editor password (alternative to .streamlit/secrets.toml)",
    "KPI_EDITOR_EMAILS": "comma-separated e-mail addresses of editors when OIDC login is on",
    "KPI_EDITOR_GROUPS": "comma-separated groups whose members are editors when OIDC login is on",
    "KPI_EDITOR_GROUP_CLAIM": "ID-token claim that lists a user's groups (default: groups)",
    "KPI_EDITOR_SESSION_HOURS": "hours an editor stays signed in (signed cookie; default 8)",
    "KPI_SESSION_SECRET": "key that signs the editor cookie; the same on every process (default: random per start)",
    "KPI_TRUSTED_PROXIES": "comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is believed",
    "KPI_MAX_UPLOAD_MB": "largest file accepted by the import, in MB (default 20)",
    "KPI_MAX_UNPACKED_MB": "largest unpacked size of an .xlsx file, in MB (default 100)",
    "KPI_MAX_ROWS": "most rows in an import file (default 200000)",
    "KPI_MAX_COLUMNS": "most columns in an import file (default 1000)",
    "KPI_MAX_CELLS": "most cells (rows x columns) in an import file (default 2000000)",
    "KPI_MAX_LINE_CHARS": "longest line of a CSV file and longest cell, in characters (default 100000)",
    "KPI_MAX_EURO": "largest budget or spending of an action, in euros (default 100000000)",
    "KPI_MAX_SESSION_UPLOADS": "most uploaded files one browser session holds at a time (default 10)",
    "KPI_MAX_SESSION_UPLOAD_MB": "most MB of uploaded files one browser session holds at a time (default 60)",
    "KPI_SEED_DEMO": "0 to seed an empty database without illustrative series",
    "KPI_SMTP_HOST": "SMTP server for the digest (empty: no mail is sent)",
    "KPI_SMTP_PORT": "SMTP port (default 587)",
    "KPI_SMTP_TLS": "starttls (default), ssl or geen",
    "KPI_SMTP_USER": "SMTP user name (empty: no login)",
    "KPI_SMTP_PASSWORD": "SMTP password (from the secrets store, never in git)",
    "KPI_MAIL_FROM": "sender address of the digest",
    "KPI_BASE_URL": "address of the dashboard, for the links in the digest (default http://localhost:8501)",
    "KPI_PUBLISHER": "publisher in the open data metadata (default Gemeente Assen)",
    "KPI_CONTACT_NAME": "contact point in the open data metadata",
    "KPI_CONTACT_EMAIL": "contact e-mail address in the open data metadata",
    "KPI_LICENCE": "licence URI of the open data (default CC0 1.0)",
    "KPI_OPENDATA_URL": "address where the open data directory is served (default KPI_BASE_URL/opendata)",
}
