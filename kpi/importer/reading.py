"""From uploaded bytes to a grid of cells: extension and size checks, text decoding, the CSV
separator, and the right sheet of an .xlsx workbook. Every failure is a Dutch Problem.

Every file gets a budget (Limits): file size, unpacked size of an .xlsx, rows, columns,
cells and line length. CSV shapes are measured on the text before pandas parses it; an
.xlsx is measured on its zip directory and then on a streaming pass over the sheet's XML
before openpyxl builds any cell, so a small file cannot make the import hold gigabytes.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from kpi.export import CONTROL_CHARACTERS
from kpi.importer.model import Problem
from kpi.importer.parsing import Percent
from kpi.settings import Settings

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Characters no cell may hold (ANSI escapes start with ESC or CSI); the exports drop the same set.
CELL_CONTROL = CONTROL_CHARACTERS
# How many cells with control characters or infinite numbers a file reports before counting.
_REPORT_AT_MOST = 20
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


@dataclass(frozen=True)
class Limits:
    """The budget of one import file (Settings.max_*); see the README's Beveiliging section."""

    # The defaults are Settings' own (declared once there, with their environment variables).
    upload_mb: float = Settings.max_upload_mb
    unpacked_mb: float = Settings.max_unpacked_mb
    rows: int = Settings.max_rows
    columns: int = Settings.max_columns
    cells: int = Settings.max_cells
    line_chars: int = Settings.max_line_chars

    @classmethod
    def of(cls, settings) -> Limits:
        """The limits a Settings object configures."""
        return cls(settings.max_upload_mb, settings.max_unpacked_mb, settings.max_rows,
                   settings.max_columns, settings.max_cells, settings.max_line_chars)


def _n(value: float) -> str:
    """A count the Dutch way: 200.000."""
    return f"{value:,.0f}".replace(",", ".")


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def read_sheet(name: str, data: bytes, limits: Limits | float = Limits()) -> tuple[Sheet | None, list[Problem]]:
    """The file's grid of cells, or the problems that stop it being read.

    `limits` may be a bare number: the largest file in MB, with the other limits at their defaults.
    """
    if not isinstance(limits, Limits):
        limits = Limits(upload_mb=limits)
    ext = PurePath(name).suffix.lower()
    if ext not in CSV_EXTENSIONS | XLSX_EXTENSIONS:
        hint = "Sla het in Excel op als .xlsx of als CSV." if ext == ".xls" else "Gebruik een .csv- of .xlsx-bestand."
        shown = f"'{ext}'" if ext else "zonder extensie"
        return None, [Problem(name, None, None, f"Onbekende bestandssoort ({shown}). {hint}")]
    if len(data) > limits.upload_mb * 1024 * 1024:
        return None, [Problem(name, None, None, f"Het bestand is te groot ({_mb(len(data))} MB); "
                              f"de grens is {_n(limits.upload_mb)} MB.")]
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return None, [Problem(name, None, None, "Het bestand is leeg.")]
    if ext in XLSX_EXTENSIONS:
        return _read_xlsx(name, data, limits)
    return _read_csv(name, data, limits)


def _row_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text without a BOM, else None.

    Latin text in UTF-16 has a NUL in every other byte: at odd offsets (little-endian) or
    at even offsets (big-endian); binary files have NULs scattered over both.
    """
    sample = data[:65536]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _mixed_encoding(name: str, data: bytes) -> Problem | None:
    """A problem when some lines are UTF-8 (with accents) and others Windows-1252.

    Decoding such a file one way turns half of its accents into 'Ã©'; it is refused instead.
    """
    utf8_row = cp1252_row = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            cp1252_row = cp1252_row or number
        else:
            utf8_row = utf8_row or number
        if utf8_row and cp1252_row:
            return Problem(name, cp1252_row, None,
                           f"Het bestand mengt twee tekencoderingen: rij {utf8_row} is UTF-8, rij "
                           f"{cp1252_row} is Windows-1252 (ANSI). Sla het in Excel opnieuw op als 'CSV UTF-8'.")
    return None


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
    if (utf16 := _utf16_without_bom(data)) is not None:
        try:
            return data.decode(utf16), None
        except UnicodeDecodeError:
            return None, Problem(name, None, None, "Het bestand lijkt UTF-16-tekst zonder BOM, maar is zo "
                                 "niet te lezen. Sla het in Excel opnieuw op als 'CSV UTF-8'.")
    if b"\x00" in data[:65536]:
        return None, Problem(name, None, None, "Het bestand is geen tekstbestand (CSV); het bevat binaire "
                             "gegevens. Kies het CSV- of Excel-bestand met de cijfers.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if (mixed := _mixed_encoding(name, data)) is not None:
            return None, mixed
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
    # The first line with a separator among the first 20: a title line above the headers has none.
    lines = (line for line in io.StringIO(text) if line.strip())
    first = next((line for _, line in zip(range(20), lines) if any(sep in line for sep in ";,\t")), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] > 0 else ","


def _csv_shape_problem(name: str, text: str, sep: str, limits: Limits) -> Problem | None:
    """The first limit the text breaks (lines, line length, columns, cells), before any parsing.

    Fields are counted by separators, ignoring quotes: an upper bound, exact for plain files.
    """
    # Blank lines become rows of the grid too, so every physical line counts.
    lines = max(text.count("\n"), text.count("\r")) + (0 if text.endswith(("\n", "\r")) else 1)
    if lines > limits.rows:
        return Problem(name, None, None, f"Het bestand heeft {_n(lines)} regels; de grens is "
                       f"{_n(limits.rows)} rijen (KPI_MAX_ROWS). Splits het bestand.")
    # Lines end at \r\n, \r or \n; split in C (a regex loop over the lines cost 0,4 s for 100.000
    # lines). Only the lines that may break a limit are looked at one by one, in order, so the
    # first problem found is the one a loop over every line finds.
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    filled = [bool(line.strip()) for line in parts]
    counted = [line.count(sep) + 1 if full else 0 for line, full in zip(parts, filled, strict=True)]
    for index in [i for i, (line, fields) in enumerate(zip(parts, counted, strict=True))
                  if len(line) > limits.line_chars or fields > limits.columns]:
        line, number = parts[index], index + 1
        if len(line) > limits.line_chars:
            return Problem(name, number, None, f"Deze regel is {_n(len(line))} tekens lang; de grens is "
                           f"{_n(limits.line_chars)} tekens per regel (KPI_MAX_LINE_CHARS).")
        # Separators counted ignoring quotes are an upper bound; the csv module counts exactly.
        counted[index] = len(next(csv.reader([line], delimiter=sep), []))
        if counted[index] > limits.columns:
            return Problem(name, number, None, f"Deze regel heeft {_n(counted[index])} kolommen; de grens is "
                           f"{_n(limits.columns)} kolommen (KPI_MAX_COLUMNS).")
    rows, widest = sum(filled), max(counted, default=0)
    if rows * widest > limits.cells:
        return Problem(name, None, None, f"Het bestand heeft {_n(rows)} rijen van {_n(widest)} kolommen, "
                       f"{_n(rows * widest)} cellen; de grens is {_n(limits.cells)} cellen (KPI_MAX_CELLS).")
    return None


def _read_csv(name: str, data: bytes, limits: Limits) -> tuple[Sheet | None, list[Problem]]:
    text, problem = _decode(name, data)
    if problem is not None:
        return None, [problem]
    # A trailing Ctrl-Z is the end-of-file mark of old DOS tools, not data.
    stripped = text.rstrip()
    if stripped.endswith("\x1a"):
        text = stripped.rstrip("\x1a")
    sep = _separator(text)
    if (problem := _csv_shape_problem(name, text, sep, limits)) is not None:
        return None, [problem]
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
    if (problem := _long_cell(name, grid, limits)) is not None:
        return None, [problem]
    grid = grid.apply(lambda col: col.astype("str").str.strip())
    return _sheet(name, grid, "," if sep in (";", "\t") else ".")


def _long_cell(name: str, grid: pd.DataFrame, limits: Limits) -> Problem | None:
    """The first cell longer than the limit. The line check before parsing cannot see a quoted
    cell spread over many short lines; the limit is for a cell, so it is checked per cell too."""
    for col in grid.columns:
        lengths = grid[col].astype("str").str.len()
        too_long = lengths[lengths > limits.line_chars]
        if not too_long.empty:
            row = int(too_long.index[0])
            header = str(grid.iat[0, col]) if len(grid) else ""
            column = header if header and len(header) <= 60 and row != 1 else f"kolom {col + 1}"
            return Problem(name, row, column, f"Deze cel is {_n(int(too_long.iloc[0]))} tekens lang (ook als ze over "
                           f"regels verdeeld is); de grens is {_n(limits.line_chars)} tekens per cel "
                           "(KPI_MAX_LINE_CHARS).")
    return None


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


_INVALID_XLSX = ("Het bestand is geen geldig Excel-bestand (.xlsx). "
                 "Open het in Excel en sla het opnieuw op als .xlsx, of als CSV.")
_DAMAGED_XLSX = "Het Excel-bestand is beschadigd en niet te lezen. Open het in Excel en sla het opnieuw op."
# More parts than any workbook of a few sheets has; a zip of thousands of members is not one.
_MAX_ZIP_MEMBERS = 1_000
# More formats, fonts, fills and borders than Excel itself allows in a workbook (64.000 cell
# formats); openpyxl builds every one of them as a Python object before any cell is read.
_MAX_STYLE_ELEMENTS = 70_000
_STYLE_TAGS = {"xf", "numFmt", "font", "fill", "border", "dxf", "cellStyle", "tableStyle"}
_STYLES_PART = "xl/styles.xml"  # the fixed name openpyxl reads the stylesheet from


def _zip_problem(name: str, data: bytes, limits: Limits) -> Problem | None:
    """A problem when the zip directory declares more than the unpacked-size budget.

    Python's zipfile never unpacks a member past its declared size (it stops there and the
    CRC check fails), so the declared sizes bound what openpyxl can unpack.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return Problem(name, None, None, _INVALID_XLSX)
    if len(members) > _MAX_ZIP_MEMBERS:
        return Problem(name, None, None, f"Het Excel-bestand bestaat uit {_n(len(members))} delen; de grens "
                       f"is {_n(_MAX_ZIP_MEMBERS)}. Sla het in Excel opnieuw op als .xlsx, of als CSV.")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_mb * 1024 * 1024:
        return Problem(name, None, None, f"Het Excel-bestand is uitgepakt te groot ({_mb(unpacked)} MB); de "
                       f"grens is {_n(limits.unpacked_mb)} MB (KPI_MAX_UNPACKED_MB). Sla alleen het werkblad "
                       "met de cijfers op, of sla het op als CSV.")
    return None


def _styles_problem(name: str, data: bytes) -> Problem | None:
    """A problem when the stylesheet holds more formats than any real workbook.

    openpyxl parses xl/styles.xml whole and builds an object per format, even in read-only
    mode, so 1,25 million formats in a 0,35 MB file cost gigabytes. This pass streams the part
    and stops counting at the limit, so it holds at most that many small elements.
    """
    from openpyxl.xml.functions import iterparse  # defusedxml's when installed, as openpyxl uses

    count = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _STYLES_PART not in archive.namelist():
                return None
            with archive.open(_STYLES_PART) as source:
                for event, element in iterparse(source, events=("start", "end")):
                    if event == "start" and _local(element.tag) in _STYLE_TAGS:
                        count += 1
                        if count > _MAX_STYLE_ELEMENTS:
                            return Problem(name, None, None, "Het Excel-bestand heeft meer dan "
                                           f"{_n(_MAX_STYLE_ELEMENTS)} opmaakstijlen; dat is meer dan Excel "
                                           "zelf toestaat. Sla het werkblad op als CSV, of kopieer alleen "
                                           "de cijfers naar een nieuw Excel-bestand.")
                    elif event == "end":
                        element.clear()
    except Exception:  # a damaged part: openpyxl reports it as a damaged file below
        return None
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_shape_problem(name: str, ws, limits: Limits) -> Problem | None:
    """The first limit the sheet breaks, found by streaming its XML before openpyxl builds cells.

    openpyxl pads every row up to its last cell (one cell in column XFD makes 16.384) and
    builds a whole <row> element before yielding it; this pass counts <c> elements as they
    start, so neither a far column, a long row nor millions of rows get that far.
    """
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from openpyxl.xml.functions import iterparse  # defusedxml's when installed, as openpyxl uses

    cells = in_row = 0
    row_number = 0
    column = 0
    with ws._get_source() as source:  # openpyxl 3.1 (pinned): the sheet's XML stream
        for event, element in iterparse(source, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start" and tag == "row":
                in_row, column = 0, 0
                row_number = int(element.get("r") or row_number + 1)
                if row_number > limits.rows:
                    return Problem(name, row_number, None, f"Het werkblad '{ws.title}' loopt door tot rij "
                                   f"{_n(row_number)}; de grens is {_n(limits.rows)} rijen (KPI_MAX_ROWS).")
            elif event == "start" and tag == "c":
                in_row += 1
                cells += 1
                ref = element.get("r")
                try:
                    column = column_index_from_string(coordinate_from_string(ref)[0]) if ref else column + 1
                except ValueError:
                    column += 1
                if column > limits.columns or in_row > limits.columns:
                    return Problem(name, row_number, None, f"Het werkblad '{ws.title}' heeft een cel in kolom "
                                   f"{_n(max(column, in_row))}; de grens is {_n(limits.columns)} kolommen "
                                   "(KPI_MAX_COLUMNS).")
                if cells > limits.cells:
                    return Problem(name, row_number, None, f"Het werkblad '{ws.title}' heeft meer dan "
                                   f"{_n(limits.cells)} cellen; dat is de grens (KPI_MAX_CELLS).")
            elif event == "end" and tag in ("v", "t") and element.text and len(element.text) > limits.line_chars:
                return Problem(name, row_number, None, f"Een cel is {_n(len(element.text))} tekens lang; de grens "
                               f"is {_n(limits.line_chars)} tekens (KPI_MAX_LINE_CHARS).")
            elif event == "end" and tag == "row":
                element.clear()
    return None


def _choose_sheet(sheets: list):
    """The visible sheet named 'data', else the first visible sheet; hidden sheets never count."""
    visible = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
    return next((s for s in visible if s.title.strip().lower() == "data"), visible[0] if visible else None)


def _read_xlsx(name: str, data: bytes, limits: Limits) -> tuple[Sheet | None, list[Problem]]:
    import openpyxl  # local: only needed for Excel files, and slow to import
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    if (problem := _zip_problem(name, data, limits) or _styles_problem(name, data)) is not None:
        return None, [problem]
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for damaged or foreign files
        return None, [Problem(name, None, None, _INVALID_XLSX)]
    try:
        if not wb.worksheets:
            return None, [Problem(name, None, None, "Het Excel-bestand heeft geen werkblad.")]
        ws = _choose_sheet(wb.worksheets)
        if ws is None:
            return None, [Problem(name, None, None, "Het Excel-bestand heeft geen zichtbaar werkblad.")]
        if (problem := _sheet_shape_problem(name, ws, limits)) is not None:
            return None, [problem]
        # openpyxl's own row parser, without the padding of ReadOnlyWorksheet.iter_rows:
        # only cells that hold a value are kept, keyed by their real row and column.
        rows: dict[int, dict[int, object]] = {}
        with ws._get_source() as source:
            parser = WorkSheetParser(source, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                     date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            for number, cells in parser.parse():
                values = {}
                for cell in cells:
                    value = _cell_value(ReadOnlyCell(ws, **cell))
                    if value != "":
                        values[cell["column"]] = value
                if values:
                    rows[number] = values
    except Exception:
        return None, [Problem(name, None, None, _DAMAGED_XLSX)]
    finally:
        wb.close()
    if not rows:
        return None, [Problem(name, None, None, f"Het werkblad '{ws.title}' is leeg.")]
    width = max(max(v) for v in rows.values())
    if len(rows) * width > limits.cells:
        return None, [Problem(name, None, None, f"Het werkblad '{ws.title}' heeft {_n(len(rows))} rijen van "
                              f"{_n(width)} kolommen, {_n(len(rows) * width)} cellen; de grens is "
                              f"{_n(limits.cells)} cellen (KPI_MAX_CELLS).")]
    grid = pd.DataFrame(
        [[v.get(c, "") for c in range(1, width + 1)] for v in rows.values()], index=list(rows), dtype=object
    )
    return _sheet(name, grid, ",")


def header_text(value: object) -> str:
    """A header cell as text: 2024 (not 2024.0), a date as 1-1-2025."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day}-{value.month}-{value.year}"
    return str(value).strip()


def _cell_problems(name: str, grid: pd.DataFrame, headers: list[str]) -> list[Problem]:
    """Cells no import may store: control characters (an ANSI escape, NUL) and infinite numbers."""
    problems: list[Problem] = []
    found = 0
    for position, col in enumerate(grid.columns):
        values = grid[col]
        column = headers[position] if position < len(headers) and headers[position] else f"kolom {position + 1}"
        if values.dtype == object:
            strings = values[values.map(lambda v: isinstance(v, str)).astype(bool)].astype("str")
            numbers = values[values.map(lambda v: isinstance(v, float)).astype(bool)].astype(float)
            infinite = numbers.index[~numbers.map(math.isfinite).astype(bool)] if len(numbers) else []
        else:
            strings, infinite = values.astype("str"), []
        for row in infinite:
            found += 1
            if found <= _REPORT_AT_MOST:
                problems.append(Problem(name, int(row), column, "Dit getal is te groot (oneindig); "
                                        "vul een gewoon getal in."))
        bad = strings[strings.str.contains(CELL_CONTROL.pattern, regex=True).astype(bool)] if len(strings) else strings
        for row, text in bad.items():
            found += 1
            if found <= _REPORT_AT_MOST:
                char = CELL_CONTROL.search(text).group()
                problems.append(Problem(name, int(row), column, f"Deze cel bevat een onzichtbaar stuurteken "
                                        f"(U+{ord(char):04X}); verwijder het en lever het bestand opnieuw aan."))
    if found > _REPORT_AT_MOST:
        more = found - _REPORT_AT_MOST
        problems.append(Problem(name, None, None, f"En nog {_n(more)} {'cel' if more == 1 else 'cellen'} met een "
                                "stuurteken of een oneindig getal."))
    return problems


def _sheet(name: str, grid: pd.DataFrame, default_decimal: str) -> tuple[Sheet | None, list[Problem]]:
    filled = pd.Series(False, index=grid.index)
    for col in grid.columns:
        filled |= grid[col].map(lambda v: v != "").astype(bool) if grid[col].dtype == object else grid[col] != ""
    if not filled.any():
        return None, [Problem(name, None, None, "Het bestand is leeg.")]
    header_row = int(filled.idxmax())
    header_values = list(grid.loc[header_row])
    headers = [CELL_CONTROL.sub("", header_text(v)) for v in header_values]
    body = grid.loc[filled & (grid.index >= header_row)]
    if problems := _cell_problems(name, body, headers):
        return None, problems
    body = body.loc[body.index > header_row]
    return Sheet(
        file=name, header_row=header_row, headers=[header_text(v) for v in header_values],
        header_values=header_values, cells=body, default_decimal=default_decimal,
    ), []
