"""One centre's open data package: the CSVs, datapackage.json and DCAT-AP-DONL, in memory,
as files (each written atomically) or as a zip."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import formatting as fmt
from kpi import repository
from kpi.export import safe_frame
from kpi.opendata import dcat, tables
from kpi.service import Snapshot, load_snapshot
from kpi.settings import Settings

FIGURES, TARGETS, VERDICTS = "cijfers.csv", "doelen.csv", "statussen.csv"
DATAPACKAGE, DCAT = "datapackage.json", "dcat.jsonld"
FILE_NAMES = (FIGURES, TARGETS, VERDICTS, DATAPACKAGE, DCAT)


class NothingToPublish(Exception):
    """Nothing may be published (only illustrative figures, an unknown area); Dutch reason."""


def slug(area: str) -> str:
    """The area's stable directory name: 'Assen binnenstad' -> 'assen-binnenstad'."""
    plain = unicodedata.normalize("NFKD", area).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "gebied"


# Table schemas (Frictionless Table Schema), one per CSV; titles and descriptions in Dutch.
_FIELDS = {
    FIGURES: [
        ("gebied", "string", "Het gebied (centrum)"),
        ("indicator", "string", "Code van de indicator"),
        ("peildatum", "string", "Peildatum: een jaar (2017) of een dag (2025-04-01)"),
        ("waarde", "number", "De waarde, in de eenheid"),
        ("eenheid", "string", "aantal, procent, cijfer of positie"),
        ("bron", "string", "Waar het cijfer vandaan komt"),
    ],
    TARGETS: [
        ("gebied", "string", "Het gebied (centrum)"), ("indicator", "string", "Code van de indicator"),
        ("versie", "integer", "Versie van het doel"), ("geldig_vanaf", "date", "Geldig vanaf"),
        ("basiswaarde", "number", "Basiswaarde"), ("basisjaar", "integer", "Basisjaar"),
        ("doelwaarde", "number", "Doelwaarde (leeg bij een doel onder het landelijke cijfer)"),
        ("doeljaar", "integer", "Doeljaar (leeg als het akkoord geen jaar noemt)"),
        ("planningshorizon", "integer", "Aangenomen jaar waar het akkoord geen doeljaar noemt"),
        ("basis_landelijk", "number", "Landelijk cijfer dat het akkoord bij de basiswaarde noemt"),
        ("vergelijking", "string", "absoluut of onder_landelijk"), ("reden", "string", "Reden van deze versie"),
        ("bron", "string", "Besluit of akkoord"),
    ],
    VERDICTS: [
        ("gebied", "string", "Het gebied (centrum)"), ("indicator", "string", "Code van de indicator"),
        ("beoordeeld_op", "date", "Datum van het oordeel"),
        ("status", "string", "gehaald, op koers, risico, achter of geen recente data"),
        ("toelichting", "string", "Waarom deze status"), ("waarde", "number", "Nieuwste meting"),
        ("peildatum", "string", "Peildatum van de nieuwste meting"), ("doelversie", "integer", "Gebruikte doelversie"),
    ],
}
_KEYS = {FIGURES: ["gebied", "indicator", "peildatum"], TARGETS: ["gebied", "indicator", "versie"],
         VERDICTS: ["gebied", "indicator"]}
_TITLES = {FIGURES: "Cijfers", TARGETS: "Doelen en doelversies", VERDICTS: "Huidige statussen"}
STATUS_WORDS = ["gehaald", "op koers", "risico", "achter", "geen recente data"]


def table_schema(name: str) -> dict:
    """The Frictionless table schema of one CSV."""
    fields = []
    for field, kind, description in _FIELDS[name]:
        spec = {"name": field, "type": kind, "description": description}
        if field in _KEYS[name]:
            spec["constraints"] = {"required": True}
        if name == VERDICTS and field == "status":
            spec["constraints"] = {"required": True, "enum": STATUS_WORDS}
        fields.append(spec)
    return {"fields": fields, "primaryKey": _KEYS[name], "missingValues": [""]}


def datapackage(area: str, settings: Settings, modified: dt.date) -> dict:
    """datapackage.json (Frictionless Data Package) for the area's three CSVs."""
    return {
        "profile": "tabular-data-package",
        "name": f"binnenstadmonitor-{slug(area)}",
        "title": f"Binnenstadmonitor {area}",
        "description": dcat.description(area),
        "homepage": settings.base_url,
        "version": modified.isoformat(),
        "created": f"{modified.isoformat()}T00:00:00Z",
        "licenses": [{"path": settings.licence, "title": dcat.licence_title(settings.licence)}],
        "contributors": [{"title": settings.publisher, "role": "publisher"}],
        "resources": [{
            "name": name.removesuffix(".csv"), "path": name, "title": _TITLES[name],
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": True},
            "schema": table_schema(name),
        } for name in (FIGURES, TARGETS, VERDICTS)],
    }


def _number_text(v) -> str:
    """3800.0 as '3800', 21.9 as '21.9' (the shortest exact form); '' for a missing number."""
    if v is None or pd.isna(v):
        return ""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def _csv(frame: pd.DataFrame) -> bytes:
    # Machine-readable: comma, decimal point, UTF-8 without BOM, empty for missing. Text that a
    # spreadsheet would run as a formula gets an apostrophe, as in every export (kpi.export);
    # numbers are written after that, so a negative number stays a number.
    out = safe_frame(frame)
    for col in out.columns:
        if out[col].dtype.kind in "fi" or str(out[col].dtype) == "Int64":
            out[col] = pd.Series([_number_text(v) for v in out[col]], index=out.index, dtype=object)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def publishable_areas(snap: Snapshot, settings: Settings) -> list[str]:
    """Areas with at least one real figure, the benchmark area excepted, in name order."""
    obs = snap.observations
    real = obs[~obs["illustrative"]]
    return sorted(set(real["area"]) - {settings.benchmark_area})


def _refusal(snap: Snapshot, area: str, known: list[str]) -> str:
    obs = snap.observations[snap.observations["area"] == area]
    if area not in known:
        return f"Onbekend gebied '{area}'. Bekende gebieden: {', '.join(known)}."
    if obs.empty:
        return f"Voor {area} zijn geen cijfers opgeslagen; er is niets te publiceren."
    return (f"Voor {area} zijn alleen illustratieve (demo)cijfers opgeslagen ({fmt.number(len(obs))}); "
            "illustratieve waarden worden nooit gepubliceerd. Importeer eerst echte cijfers.")


def package_files(snap: Snapshot, history: pd.DataFrame, settings: Settings, area: str,
                  today: dt.date, known_areas: list[str] | None = None) -> dict[str, bytes]:
    """The five files of one area's package, by stable name; NothingToPublish (Dutch) when the
    area has no real figure."""
    figures = tables.figures(snap, area)
    if figures.empty:
        raise NothingToPublish(_refusal(snap, area, known_areas if known_areas is not None else [area]))
    meta = datapackage(area, settings, today)
    return {
        FIGURES: _csv(figures),
        TARGETS: _csv(tables.targets(history, area)),
        VERDICTS: _csv(tables.verdicts(snap, settings, area, today)),
        DATAPACKAGE: (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        DCAT: (json.dumps(dcat.dataset(area, slug(area), settings, today, [FIGURES, TARGETS, VERDICTS]),
                          ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a harvester never reads half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load(engine: Engine) -> tuple[Snapshot, pd.DataFrame, list[str]]:
    snap = load_snapshot(engine)
    return snap, repository.load_target_history(engine), list(repository.load_areas(engine)["name"])


def write_packages(engine: Engine, settings: Settings, directory: Path, area: str | None = None,
                   today: dt.date | None = None) -> list[tuple[str, Path, list[str]]]:
    """Write the package of `area` (or of every publishable area) under `directory`;
    (area, folder, file names) per area written. NothingToPublish when there is nothing."""
    today = today or dt.date.today()
    snap, history, known = _load(engine)
    areas = [area] if area is not None else publishable_areas(snap, settings)
    if not areas:
        raise NothingToPublish("Er zijn alleen illustratieve (demo)cijfers opgeslagen; illustratieve waarden "
                               "worden nooit gepubliceerd. Importeer eerst echte cijfers.")
    built = [(a, package_files(snap, history, settings, a, today, known)) for a in areas]  # all, then write
    written = []
    for a, files in built:
        folder = Path(directory) / slug(a)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            _write_atomically(folder / name, data)
        written.append((a, folder, list(files)))
    return written


def zip_bytes(snap: Snapshot, history: pd.DataFrame, settings: Settings, area: str, today: dt.date) -> bytes:
    """The area's package as a zip with the same layout (<slug>/<file>), for a download."""
    files = package_files(snap, history, settings, area, today)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{slug(area)}/{name}", data)
    return buffer.getvalue()
