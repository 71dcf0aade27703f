"""From uploaded bytes to a grid of cells: extension and size checks, text decoding, the CSV
separator, and the right sheet of an .xlsx workbook. Every failure is a Dutch Problem."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from kpi.importer.model import Problem
from kpi.importer.parsing import Percent

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SIGNATURES = {
    b"PK\x03\x04": "Het lijkt een Excel-bestand (.xlsx) met een andere extensie; "
    "geef het de extensie .xlsx of sla het in Excel op als CSV.",
    b"\xd0\xcf\x11\xe0": "Het lijkt een oud Excel-bestand (.xls); sla het in Excel op als .xlsx of als CSV.",
    b"%PDF": "Het is een PDF-bestand; kies het Excel- of CSV-bestand met de cijfers.",
}


@dataclass
class Sheet:
    """The cells of one file: the header row and the non-empty rows below it.

    `cells` has one column per header position and the spreadsheet row number as index;
    CSV cells are stripped text, xlsx cells may also be numbers, Percent values or dates.
    """

    file: str
    header_row: int
    headers: list[str]
    header_values: list[object]
    cells: pd.DataFrame
    default_decimal: str


def read_sheet(name: str, data: bytes, max_upload_mb: float) -> tuple[Sheet | None, list[Problem]]:
    """The file's grid of cells, or the problems that stop it being read."""
    ext = PurePath(name).suffix.lower()
    if ext not in CSV_EXTENSIONS | XLSX_EXTENSIONS:
        hint = "Sla het in Excel op als .xlsx of als CSV." if ext == ".xls" else "Gebruik een .csv- of .xlsx-bestand."
        shown = f"'{ext}'" if ext else "zonder extensie"
        return None, [Problem(name, None, None, f"Onbekende bestandssoort ({shown}). {hint}")]
    limit = max_upload_mb * 1024 * 1024
    if len(data) > limit:
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        return None, [Problem(name, None, None, f"Het bestand is te groot ({size} MB); de grens is {max_upload_mb} MB.")]
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return None, [Problem(name, None, None, "Het bestand is leeg.")]
    if ext in XLSX_EXTENSIONS:
        return _read_xlsx(name, data)
    return _read_csv(name, data)


def _row_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _decode(name: str, data: bytes) -> tuple[str | None, Problem | None]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), None
        except UnicodeDecodeError as exc:
            row = _row_of(data, exc.start + len(codecs.BOM_UTF8))
            return None, Problem(name, row, None, "Het bestand zegt UTF-8 te zijn, maar bevat tekens die "
                                 "geen UTF-8 zijn. Sla het in Excel opnieuw op als 'CSV UTF-8'.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, Problem(name, None, None, "Het bestand is niet te lezen als UTF-16-tekst. "
                                 "Sla het in Excel opnieuw op als 'CSV UTF-8'.")
    for signature, message in _SIGNATURES.items():
        if data.startswith(signature):
            return None, Problem(name, None, None, f"Het bestand is geen tekstbestand (CSV). {message}")
    if b"\x00" in data[:65536]:
        return None, Problem(name, None, None, "Het bestand is geen tekstbestand (CSV); het bevat binaire "
                             "gegevens. Kies het CSV- of Excel-bestand met de cijfers.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            return None, Problem(name, _row_of(data, exc.start), None,
                                 "Het bestand bevat tekens die niet te lezen zijn (geen UTF-8 en geen "
                                 "Windows-1252). Sla het in Excel opnieuw op als 'CSV UTF-8'.")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(3, len(sample) // 100):
        return None, Problem(name, None, None, "Het bestand is geen tekstbestand (CSV); het bevat binaire "
                             "gegevens. Kies het CSV- of Excel-bestand met de cijfers.")
    return text, None


def _separator(text: str) -> str:
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] > 0 else ","


def _read_csv(name: str, data: bytes) -> tuple[Sheet | None, list[Problem]]:
    text, problem = _decode(name, data)
    if problem is not None:
        return None, [problem]
    sep = _separator(text)
    try:
        grid = pd.read_csv(
            io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError:
        # Rows longer than the first one: read record by record and pad.
        try:
            records = list(csv.reader(io.StringIO(text), delimiter=sep))
        except csv.Error as exc:
            return None, [Problem(name, None, None, f"Het CSV-bestand is niet te lezen ({exc}).")]
        width = max(len(r) for r in records)
        grid = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype="str")
    except (pd.errors.EmptyDataError, UnicodeError) as exc:
        return None, [Problem(name, None, None, f"Het CSV-bestand is niet te lezen ({exc}).")]
    grid = grid.fillna("")
    grid.columns = range(grid.shape[1])
    grid.index = range(1, len(grid) + 1)
    grid = grid.apply(lambda col: col.astype("str").str.strip())
    return _sheet(name, grid, "," if sep in (";", "\t") else ".")


_LITERALS = re.compile(r'"[^"]*"|\\.')


def is_percent_format(number_format: str | None) -> bool:
    """True for a real percent format ('0.0%'): the cell shows its value times 100.

    A quoted or escaped percent sign ('0.0"%"', '0.0\\%') is only text after the number.
    """
    return "%" in _LITERALS.sub("", number_format or "")


def _cell_value(cell) -> object:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, (int, float)):
        if is_percent_format(cell.number_format):
            return Percent(round(float(v) * 100, 10))
        return v
    if isinstance(v, (dt.datetime, dt.date)):
        return v
    return str(v).strip()


def _read_xlsx(name: str, data: bytes) -> tuple[Sheet | None, list[Problem]]:
    import openpyxl  # local: only needed for Excel files, and slow to import

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for damaged or foreign files
        return None, [Problem(name, None, None, "Het bestand is geen geldig Excel-bestand (.xlsx). "
                              "Open het in Excel en sla het opnieuw op als .xlsx, of als CSV.")]
    try:
        sheets = wb.worksheets
        if not sheets:
            return None, [Problem(name, None, None, "Het Excel-bestand heeft geen werkblad.")]
        ws = next((s for s in sheets if s.title.strip().lower() == "data"), sheets[0])
        ws.reset_dimensions()
        rows: dict[int, list] = {}
        number = 0
        for row in ws.iter_rows(min_row=1):
            number += 1
            for cell in row:
                if getattr(cell, "row", None):
                    number = cell.row
                    break
            values = [_cell_value(c) for c in row]
            if any(v != "" for v in values):
                rows[number] = values
    except Exception:
        return None, [Problem(name, None, None, "Het Excel-bestand is beschadigd en niet te lezen. "
                              "Open het in Excel en sla het opnieuw op.")]
    finally:
        wb.close()
    if not rows:
        return None, [Problem(name, None, None, f"Het werkblad '{ws.title}' is leeg.")]
    width = max(len(v) for v in rows.values())
    grid = pd.DataFrame(
        [v + [""] * (width - len(v)) for v in rows.values()], index=list(rows), dtype=object
    )
    return _sheet(name, grid, ",")


def _header_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day}-{value.month}-{value.year}"
    return str(value).strip()


def _sheet(name: str, grid: pd.DataFrame, default_decimal: str) -> tuple[Sheet | None, list[Problem]]:
    filled = pd.Series(False, index=grid.index)
    for col in grid.columns:
        filled |= grid[col].map(lambda v: v != "").astype(bool) if grid[col].dtype == object else grid[col] != ""
    if not filled.any():
        return None, [Problem(name, None, None, "Het bestand is leeg.")]
    header_row = int(filled.idxmax())
    header_values = list(grid.loc[header_row])
    body = grid.loc[filled & (grid.index > header_row)]
    return Sheet(
        file=name, header_row=header_row, headers=[_header_text(v) for v in header_values],
        header_values=header_values, cells=body, default_decimal=default_decimal,
    ), []
