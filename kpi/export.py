"""Spreadsheet-safe exports: text cells that a spreadsheet would run as a formula are neutralised,
and control characters (an ANSI escape, NUL) that XML-based formats cannot carry are dropped."""

from __future__ import annotations

import io
import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls except tab and line ends, DEL and the C1 controls. The importer refuses them;
# text stored before it did (or written by other tools) may still hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value: object) -> object:
    """Text without control characters (tabs and line ends stay); other values unchanged."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def neutralise(value: object) -> object:
    """Printable text, prefixed with an apostrophe when it starts like a formula; numbers stay numbers."""
    value = printable(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and header) neutralised."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for Dutch Excel: semicolon, decimal comma, UTF-8 with BOM, formulas neutralised."""
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, sep=";", decimal=",", index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def _cell(value: object) -> object:
    """A value openpyxl can store: NaN/NaT/None become empty, timestamps plain datetimes."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return value.item()
    return value


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per frame, formulas neutralised as in csv_bytes.

    Every text cell is also stored with the string type, so no cell is ever a formula,
    whatever openpyxl would infer from its first character.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, df in sheets.items():
        # Sheet names: at most 31 characters, no []:*?/\ (Excel's rules).
        name = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or "Blad"
        ws = wb.create_sheet(name)
        safe = safe_frame(df)
        ws.append([str(c) for c in safe.columns])
        for row in safe.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, col in enumerate(safe.columns, start=1):
            longest = max([len(str(col))] + [len(str(v)) for v in safe[col].head(500)])
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
