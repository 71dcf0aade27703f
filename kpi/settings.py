"""One settings object, built from the environment with working defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def _default_database_url() -> str:
    return f"sqlite:///{DATA_DIR / 'binnenstad.db'}"


@dataclass(frozen=True)
class Settings:
    """Application settings; every field has an environment variable (see README)."""

    database_url: str = field(default_factory=_default_database_url)
    # The monitored centre; other centres run the same product with another area.
    area: str = "Assen binnenstad"
    benchmark_area: str = "Nederland"
    # Empty means: no editor password configured, so nobody can edit.
    editor_password: str = ""
    # The import budget: every file is checked against these before and while it is parsed,
    # so that no file, however small or odd, makes an import hold more than a few hundred MB.
    max_upload_mb: int = 20
    max_unpacked_mb: int = 100
    max_rows: int = 200_000
    max_columns: int = 1_000
    max_cells: int = 2_000_000
    max_line_chars: int = 100_000
    # Seed the reference figures (and illustrative series) into an empty database.
    seed_demo: bool = True

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
            max_upload_mb=int(env.get("KPI_MAX_UPLOAD_MB") or base.max_upload_mb),
            max_unpacked_mb=int(env.get("KPI_MAX_UNPACKED_MB") or base.max_unpacked_mb),
            max_rows=int(env.get("KPI_MAX_ROWS") or base.max_rows),
            max_columns=int(env.get("KPI_MAX_COLUMNS") or base.max_columns),
            max_cells=int(env.get("KPI_MAX_CELLS") or base.max_cells),
            max_line_chars=int(env.get("KPI_MAX_LINE_CHARS") or base.max_line_chars),
            seed_demo=(env.get("KPI_SEED_DEMO", "1") not in ("0", "false", "nee")),
        )


# Documented settings: tests/test_settings.py checks the README's settings table against these keys.
ENVIRONMENT_VARIABLES = {
    "KPI_DATABASE_URL": "SQLAlchemy URL of the database (default: SQLite in data/binnenstad.db)",
    "KPI_AREA": "name of the monitored area (default: Assen binnenstad)",
    "KPI_BENCHMARK_AREA": "name of the benchmark area (default: Nederland)",
    "KPI_EDITOR_PASSWORD": "editor password (alternative to .streamlit/secrets.toml)",
    "KPI_MAX_UPLOAD_MB": "largest file accepted by the import, in MB (default 20)",
    "KPI_MAX_UNPACKED_MB": "largest unpacked size of an .xlsx file, in MB (default 100)",
    "KPI_MAX_ROWS": "most rows in an import file (default 200000)",
    "KPI_MAX_COLUMNS": "most columns in an import file (default 1000)",
    "KPI_MAX_CELLS": "most cells (rows x columns) in an import file (default 2000000)",
    "KPI_MAX_LINE_CHARS": "longest line of a CSV file and longest cell, in characters (default 100000)",
    "KPI_SEED_DEMO": "0 to seed an empty database without illustrative series",
}
