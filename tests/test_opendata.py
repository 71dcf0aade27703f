"""Open data (issue 22), on SQLite and PostgreSQL: `python -m kpi opendata DIR` writes per
centre a package that the frictionless library validates, with every DCAT-AP-DONL field
present, stable file names, and never an illustrative value; a centre with only illustrative
figures publishes nothing and says why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pandas as pd
import pytest
import sqlalchemy as sa
from frictionless import validate

from kpi import cli, importer, repository, schema
from kpi.opendata import FILE_NAMES, NothingToPublish, package_files, write_packages, zip_bytes
from kpi.opendata.dcat import REQUIRED
from kpi.service import load_snapshot
from kpi.settings import Settings

FIGURES = (b"gebied;indicator;jaar;waarde;bron\n"
           b"Assen binnenstad;banen;2026;4.900;LISA\n"
           b"Assen binnenstad;leegstand;2026;9,5;=HYPERLINK(\"x\")\n")
SETTINGS = Settings(base_url="https://monitor.assen.example", contact_email="binnenstad@assen.example",
                    opendata_url="https://data.assen.example/binnenstad")


def _import(engine, data: bytes, name: str = "cijfers.csv", create_areas: bool = False):
    preview = importer.prepare(engine, [(name, data)], Settings(), create_areas=create_areas)
    assert preview.ok, preview.problems
    return importer.apply(engine, preview, "redacteur", confirmed=True)


def _add_illustrative_area(engine, area: str = "Emmen centrum") -> None:
    """A centre with only illustrative figures (as a demo series would store them)."""
    now = repository.utcnow()
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas).values(name=area))
        area_id = repository.area_ids(conn)[area]
        batch = repository.create_batch(conn, "demo", "demo.csv", "seed", rows_total=2)
        conn.execute(sa.insert(schema.observations), [
            dict(area_id=area_id, indicator_code="banen", peildatum=dt.date(y, 1, 1), precision="jaar", value=v,
                 source="demo", note="", illustrative=True, batch_id=batch, recorded_at=now)
            for y, v in ((2024, 1000), (2025, 1100))])


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_package_validates_and_has_every_dcat_field(engine, tmp_path):
    _import(engine, FIGURES)
    written = write_packages(engine, SETTINGS, tmp_path)
    assert [(a, f.name) for a, f, _ in written] == [("Assen binnenstad", "assen-binnenstad")]
    folder = tmp_path / "assen-binnenstad"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILE_NAMES)  # no temporary files left
    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    meta = json.loads((folder / "dcat.jsonld").read_text(encoding="utf-8"))
    assert all(meta.get(key) for key in REQUIRED), [k for k in REQUIRED if not meta.get(k)]
    assert meta["@type"] == "dcat:Dataset"
    assert meta["dct:identifier"] == "https://data.assen.example/binnenstad/assen-binnenstad"
    assert meta["dct:license"] == {"@id": SETTINGS.licence}
    assert meta["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:binnenstad@assen.example"}
    assert meta["dct:publisher"]["foaf:name"] == "Gemeente Assen"
    assert meta["dct:publisher"]["@id"].endswith("/Assen_(gemeente)")
    assert meta["dct:language"]["@id"].endswith("/NLD") and meta["adms:status"]["@id"].endswith("/beschikbaar")
    urls = {d["dcat:downloadURL"]["@id"] for d in meta["dcat:distribution"]}
    assert urls == {f"https://data.assen.example/binnenstad/assen-binnenstad/{n}" for n in FILE_NAMES[:4]}
    figures = _rows((folder / "cijfers.csv").read_bytes())
    assert list(figures[0]) == ["gebied", "indicator", "peildatum", "waarde", "eenheid", "bron"]
    assert {"gebied": "Assen binnenstad", "indicator": "banen", "peildatum": "2026", "waarde": "4900",
            "eenheid": "aantal", "bron": "LISA"} in figures
    assert {"peildatum": "2026", "waarde": "9.5", "bron": "'=HYPERLINK(\"x\")"}.items() <= next(
        r for r in figures if r["indicator"] == "leegstand" and r["peildatum"] == "2026").items()


def test_illustrative_values_are_never_published(engine, tmp_path):
    snap = load_snapshot(engine)
    mine = snap.observations[snap.observations["area"] == "Assen binnenstad"]
    assert mine["illustrative"].any()  # the seeded demo series are there
    write_packages(engine, SETTINGS, tmp_path)
    figures = pd.read_csv(tmp_path / "assen-binnenstad" / "cijfers.csv", dtype=str)
    real = mine[~mine["illustrative"]]
    assert len(figures) == len(real)
    assert "demo" not in " ".join(figures["bron"]).lower()
    # The verdicts are judged on the published figures only.
    verdicts = pd.read_csv(tmp_path / "assen-binnenstad" / "statussen.csv", dtype=str)
    assert set(verdicts["waarde"].dropna()) <= set(figures["waarde"])


def test_a_centre_with_only_illustrative_figures_publishes_nothing_and_says_why(engine, tmp_path, capsys,
                                                                                  monkeypatch):
    _add_illustrative_area(engine)
    with pytest.raises(NothingToPublish, match="alleen illustratieve"):
        write_packages(engine, SETTINGS, tmp_path, area="Emmen centrum")
    assert not (tmp_path / "emmen-centrum").exists()
    # Without --gebied it is left out, not published empty.
    assert [a for a, _, _ in write_packages(engine, SETTINGS, tmp_path)] == ["Assen binnenstad"]
    monkeypatch.setenv("KPI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert cli.main(["opendata", str(tmp_path / "uit"), "--gebied", "Emmen centrum"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("Niets gepubliceerd: Voor Emmen centrum zijn alleen illustratieve (demo)cijfers")
    assert not (tmp_path / "uit" / "emmen-centrum").exists()
    assert cli.main(["opendata", str(tmp_path / "uit"), "--gebied", "Utrecht"]) == 4
    assert "Onbekend gebied 'Utrecht'" in capsys.readouterr().err


def test_the_cli_writes_stable_names_and_the_zip_has_the_same_files(engine, tmp_path, capsys, monkeypatch):
    _import(engine, FIGURES)
    _import(engine, b"gebied;indicator;jaar;waarde;bron\nEmmen centrum;banen;2025;2.100;LISA\n", "emmen.csv",
            create_areas=True)
    monkeypatch.setenv("KPI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert cli.main(["opendata", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Assen binnenstad: 5 bestanden" in out and "Emmen centrum: 5 bestanden" in out
    assert not (tmp_path / "nederland").exists()  # the benchmark is not a centre
    first = (tmp_path / "emmen-centrum" / "cijfers.csv").read_bytes()
    assert cli.main(["opendata", str(tmp_path), "--gebied", "Emmen centrum"]) == 0  # same names, overwritten
    assert (tmp_path / "emmen-centrum" / "cijfers.csv").read_bytes() == first
    assert validate(tmp_path / "emmen-centrum" / "datapackage.json").valid
    snap, history = load_snapshot(engine), repository.load_target_history(engine)
    today = dt.date.today()
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(snap, history, SETTINGS, "Assen binnenstad", today)))
    assert sorted(archive.namelist()) == sorted(f"assen-binnenstad/{n}" for n in FILE_NAMES)
    files = package_files(snap, history, SETTINGS, "Assen binnenstad", today)
    assert archive.read("assen-binnenstad/cijfers.csv") == files["cijfers.csv"]


def test_a_failed_write_leaves_the_published_file_whole(engine, tmp_path, monkeypatch):
    import os

    write_packages(engine, SETTINGS, tmp_path)
    before = (tmp_path / "assen-binnenstad" / "cijfers.csv").read_bytes()
    _import(engine, FIGURES)

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_packages(engine, SETTINGS, tmp_path)
    assert (tmp_path / "assen-binnenstad" / "cijfers.csv").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "assen-binnenstad").iterdir()) == sorted(FILE_NAMES)
