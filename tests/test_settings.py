"""kpi.settings: one frozen settings object from the environment, with working defaults; the
README's settings table names exactly the variables the code reads."""

import dataclasses
import re
from pathlib import Path

import pytest

from kpi.settings import ENVIRONMENT_VARIABLES, Settings

README = Path(__file__).resolve().parent.parent / "docs" / "beheer.md"  # the settings table


def _readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_defaults_work_without_environment():
    s = Settings.from_env({})
    assert s == Settings()
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("data/binnenstad.db")
    assert (s.area, s.benchmark_area, s.editor_password, s.max_upload_mb, s.seed_demo) == (
        "Assen binnenstad", "Nederland", "", 20, True)


def test_every_documented_variable_is_read():
    env = {
        "KPI_DATABASE_URL": "postgresql+psycopg://u@h/db", "KPI_AREA": "Emmen centrum",
        "KPI_BENCHMARK_AREA": "Drenthe", "KPI_EDITOR_PASSWORD": "lang-en-geheim",
        "KPI_MAX_UPLOAD_MB": "5", "KPI_SEED_DEMO": "0",
    }
    s = Settings.from_env(env)
    assert (s.database_url, s.area, s.benchmark_area, s.editor_password, s.max_upload_mb, s.seed_demo) == (
        "postgresql+psycopg://u@h/db", "Emmen centrum", "Drenthe", "lang-en-geheim", 5, False)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().area = "elders"  # type: ignore[misc]


def test_readme_settings_table_matches_the_code():
    documented = re.findall(r"^\| `(KPI_[A-Z_]+)` \|", _readme_section("Configuratie"), flags=re.M)
    assert sorted(documented) == sorted(ENVIRONMENT_VARIABLES)


def test_streamlit_limits_for_strangers_are_set():
    """Issue 23: no raw CSV export from tables (formula injection), a websocket message limit far
    below Streamlit's 200 MB default (uploads go over HTTP)."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
    assert 1 <= config["server"]["maxMessageSize"] <= 16


def test_every_setting_is_declared_once_and_read_from_its_variable():
    """Issue 18.5: name, variable, default, parser and help live on the field; from_env and the
    documented list derive from it. Each variable, set alone, changes exactly its own setting."""
    samples = {"int": "7", "float": "2.5", "bool": "0", "tuple[str, ...]": "a@b.nl, c", "str": "Waarde/",
               "EditorAreas": "a@b.nl=Assen binnenstad"}
    declared = dataclasses.fields(Settings)
    assert len({f.metadata["env"] for f in declared}) == len(declared) == len(ENVIRONMENT_VARIABLES)
    for f in declared:
        assert f.metadata["env"].startswith("KPI_") and f.metadata["help"], f.name
        changed = Settings.from_env({f.metadata["env"]: samples[f.type]})
        differs = [g.name for g in declared if getattr(changed, g.name) != getattr(Settings(), g.name)]
        assert differs == [f.name], (f.name, differs)
        assert Settings.from_env({f.metadata["env"]: ""}) == (
            dataclasses.replace(Settings(), **{f.name: ""}) if f.metadata["empty_is_value"] else Settings())


@pytest.mark.postgres
def test_pool_sizes_from_the_settings_reach_a_real_postgresql_pool(pg_server):
    """KPI_DB_POOL_SIZE and KPI_DB_MAX_OVERFLOW: a process holds at most pool + overflow
    connections at once; the next waits (and times out) instead of opening one more."""
    import sqlalchemy as sa

    from kpi import cli
    from tests.conftest import _new_pg_database

    s = Settings.from_env({"KPI_DATABASE_URL": _new_pg_database(pg_server), "KPI_DB_POOL_SIZE": "2",
                           "KPI_DB_MAX_OVERFLOW": "1", "KPI_SEED_DEMO": "0"})
    engine = cli._engine(s)  # the CLI's opener; the UI's passes the same two settings
    try:
        assert (engine.pool.size(), engine.pool._max_overflow) == (2, 1)
        held = [engine.connect() for _ in range(3)]
        with pytest.raises(sa.exc.TimeoutError):
            engine.pool._timeout = 0.5
            engine.connect()
        for conn in held:
            conn.close()
    finally:
        engine.dispose()
