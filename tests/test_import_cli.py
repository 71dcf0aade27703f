"""`python -m kpi import` and `python -m kpi undo` as a user runs them, on SQLite and PostgreSQL:
exit codes, the printed Dutch summary, --dry-run, and the issue's done-when: a Dutch-Excel CSV
and a wide .xlsx both import and `python -m kpi status --json` shows the new values."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from kpi import repository
from kpi.db import ensure_ready, make_engine
from tests.support.cli import run_kpi
from tests.support.importdata import csv, db_state, xlsx

ROOT = Path(__file__).resolve().parent.parent
A, NL = "Assen binnenstad", "Nederland"


def kpi(db_url: str, *args: str) -> subprocess.CompletedProcess:
    return run_kpi(db_url, *args)


def ready_engine(db_url: str):
    engine = make_engine(db_url)
    ensure_ready(engine)
    return engine


def test_dutch_csv_and_wide_xlsx_import_and_status_shows_them(db_url, tmp_path):
    dutch = tmp_path / "lisa-locatus-2025.csv"
    dutch.write_bytes(csv(
        "gebied;indicator;jaar;waarde;bron;toelichting\n"
        f"{A};banen;2025;4.310;LISA, via gemeente Assen (overleg Café de Markt);\n"
        f"{A};leegstand;2025;14,2%;Locatus;verkooppunten\n"
        f"{NL};leegstand;2025;7,1%;Locatus;landelijk", encoding="cp1252"))
    wide = tmp_path / "lisa-breed.xlsx"
    wide.write_bytes(xlsx([["gebied", "indicator", "bron", 2024, 2025],
                           [A, "bedrijven", "LISA", 455, 462],
                           [A, "waardering", "Bezoekersonderzoek 2024", "7,4", None]], sheet="data", before=["Uitleg"]))
    engine = ready_engine(db_url)
    before = db_state(engine)

    dry = kpi(db_url, "import", str(dutch), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Gewijzigd (3):" in dry.stdout
    assert f"{A} · banen · 2025: 4.210 (illustratief) → 4.310" in dry.stdout
    assert "Proefrun (--dry-run): er is niets opgeslagen." in dry.stdout
    assert db_state(engine) == before

    done = kpi(db_url, "import", str(dutch))
    assert done.returncode == 0, done.stderr
    assert "lisa-locatus-2025.csv: 0 nieuw, 3 gewijzigd, 0 ongewijzigd" in done.stdout
    first = int(re.search(r"Opgeslagen als importbatch (\d+) \(gebruiker: cli-tester\)", done.stdout).group(1))

    done = kpi(db_url, "import", str(wide))
    assert done.returncode == 0, done.stderr
    assert "lisa-breed.xlsx: 0 nieuw, 3 gewijzigd, 0 ongewijzigd" in done.stdout
    second = int(re.search(r"importbatch (\d+)", done.stdout).group(1))

    again = kpi(db_url, "import", str(dutch))
    assert again.returncode == 0 and "Ongewijzigd: 3" in again.stdout and "Niets gewijzigd." in again.stdout

    status = kpi(db_url, "status", "--json")
    assert status.returncode == 0, status.stderr
    by = {r["indicator"]: r for r in json.loads(status.stdout)}
    assert (by["banen"]["value"], by["banen"]["date"], by["banen"]["illustrative"]) == (4310.0, "2025", False)
    assert by["banen"]["source"] == "LISA, via gemeente Assen (overleg Café de Markt)"
    assert (by["leegstand"]["value"], by["leegstand"]["national_value"]) == (14.2, 7.1)
    assert (by["bedrijven"]["value"], by["bedrijven"]["source"]) == (462.0, "LISA")
    assert (by["waardering"]["value"], by["waardering"]["date"]) == (7.4, "2024")

    undone = kpi(db_url, "undo", str(second), "--gebruiker", "beheerder")
    assert undone.returncode == 0 and f"Importbatch {second} is ongedaan gemaakt." in undone.stdout
    twice = kpi(db_url, "undo", str(second))
    assert twice.returncode == 1 and f"Importbatch {second} is al ongedaan gemaakt" in twice.stderr
    batches = repository.load_batches(engine).set_index("id")
    assert batches.loc[first, "created_by"] == "cli-tester"
    assert batches.loc[second, "undone_by"] == "beheerder"
    jobs = repository.load_observations(engine, area=A, indicator="bedrijven")
    assert jobs[jobs["peildatum"].dt.year == 2025][["value", "illustrative"]].values.tolist() == [[458.0, True]]
    engine.dispose()


def test_invalid_file_prints_every_problem_exits_1_and_writes_nothing(db_url, tmp_path):
    bad = tmp_path / "fout.csv"
    bad.write_bytes(csv("gebied;indicator;jaar;waarde;bron\n"
                        f"{A};banen;2024;4.18O;LISA\n"
                        f"Utrecht;banen;2024;9000;LISA\n"
                        f"{A};leegstand;2024;120%;Locatus"))
    engine = ready_engine(db_url)
    before = db_state(engine)
    res = kpi(db_url, "import", str(bad))
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert lines == [
        "fout.csv, rij 2, kolom 'waarde': '4.18O' is geen getal.",
        "fout.csv, rij 3, kolom 'gebied': Onbekend gebied 'Utrecht'. Bekende gebieden: Assen binnenstad, "
        "Nederland. Is het een nieuw gebied, kies dan 'nieuwe gebieden toevoegen' (of --nieuw-gebied).",
        "fout.csv, rij 4, kolom 'waarde': '120%' ligt buiten het bereik van een percentage (0 tot en met 100).",
        "3 problemen gevonden; er is niets opgeslagen.",
    ]
    assert res.stdout == ""
    assert db_state(engine) == before
    engine.dispose()


def test_missing_file_and_unreachable_database_give_dutch_messages(tmp_path):
    missing = kpi(f"sqlite:///{tmp_path / 'x.db'}", "import", str(tmp_path / "bestaat-niet.csv"))
    assert missing.returncode == 1 and "het bestand is niet te openen" in missing.stderr
    assert not (tmp_path / "x.db").exists()
    data = tmp_path / "c.csv"
    data.write_bytes(csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2024;4100;LISA"))
    down = kpi("postgresql+psycopg://postgres@127.0.0.1:1/none", "import", str(data))
    assert down.returncode == 2 and "De database is niet bereikbaar" in down.stderr
    assert "Traceback" not in down.stderr + missing.stderr


def test_targets_dry_run_shows_a_change_to_only_horizon_or_benchmark(db_url, tmp_path):
    # Issue 8 leftover: a new planningshorizon or basis_landelijk alone read as "gewijzigd" with no visible difference.
    from tests.test_import_page import TARGETS

    path = tmp_path / "doelen.csv"
    path.write_bytes(TARGETS)
    ready_engine(db_url).dispose()
    dry = kpi(db_url, "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[0] == "Gewijzigde doelen (2):"
    assert lines[1].startswith(f"  {A} · banen: doelwaarde 5.000, planningshorizon 2030 → 2032, basiswaarde 3.800, "
                               "basisjaar 2017, vergelijking absoluut (versie 2, geldig vanaf ")
    # Percentages with % and the comparison in words (issue 19.9, 19.16).
    assert lines[2].startswith(f"  {A} · leegstand: planningshorizon 2030, basiswaarde 21,9%, basisjaar 2017, "
                               "landelijk bij de start 7,8% → 7,9%, vergelijking onder landelijk (versie 2, ")


# ---- issue 23.9: what the CLI reads, and what it prints ------------------------------------------

def _cli(monkeypatch, capsys, db_url, *args):
    from kpi import cli

    monkeypatch.setenv("KPI_DATABASE_URL", db_url)
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_fifo_or_folder_is_refused_without_reading(monkeypatch, capsys, sqlite_url, tmp_path):
    import os

    fifo = tmp_path / "pijp.csv"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    code, _, err = _cli(monkeypatch, capsys, sqlite_url, "import", str(fifo))
    assert code == 1 and "geen gewoon bestand" in err
    code, _, err = _cli(monkeypatch, capsys, sqlite_url, "import", str(tmp_path))
    assert code == 1 and "geen gewoon bestand" in err


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch, capsys, sqlite_url, tmp_path):
    big = tmp_path / "groot.csv"
    with big.open("wb") as f:  # sparse: 3 GB on paper, nothing on disk
        f.truncate(3 * 1024**3)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("read")))
    code, _, err = _cli(monkeypatch, capsys, sqlite_url, "import", str(big))
    assert code == 1 and "3.072,0 MB; de grens is 20 MB (KPI_MAX_UPLOAD_MB)" in err


def test_file_names_reach_the_terminal_escaped(monkeypatch, capsys, sqlite_url, tmp_path):
    name = "x\nOpgeslagen als importbatch 999\x1b[2J.csv"
    path = tmp_path / name
    path.write_text("gebied;indicator;jaar;waarde;bron\nAtlantis;banen;2026;1;LISA\n", encoding="utf-8")
    code, out, err = _cli(monkeypatch, capsys, sqlite_url, "import", str(path))
    assert code == 1
    assert "\x1b" not in out + err and "\nOpgeslagen als importbatch 999" not in out + err
    assert "x\\x0aOpgeslagen als importbatch 999\\x1b[2J.csv" in err
