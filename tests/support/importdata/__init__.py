"""Import test data as code: small CSV and Excel files built in memory, and a database
fingerprint to prove that a refused import wrote nothing."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from kpi.importer import Preview
from kpi.settings import Settings

SETTINGS = Settings()


def xlsx(rows: list[list], *, sheet: str = "Blad1", before: list[str] | None = None,
         formats: dict[str, str] | None = None, offset: int = 0) -> bytes:
    """An .xlsx file: `rows` on sheet `sheet` starting at row 1 + offset; `before` adds sheets
    in front of it; `formats` sets number formats by cell ('C3': '0.0%')."""
    wb = openpyxl.Workbook()
    first = wb.active
    for i, name in enumerate(before or []):
        ws = first if i == 0 else wb.create_sheet(name)
        ws.title = name
        ws["A1"] = "Toelichting bij de cijfers"
    ws = wb.create_sheet(sheet) if before else first
    ws.title = sheet
    for r, row in enumerate(rows, start=1 + offset):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for ref, number_format in (formats or {}).items():
        ws[ref].number_format = number_format
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv(text: str, encoding: str = "utf-8") -> bytes:
    """CSV bytes; lines are joined with CRLF as Excel writes them."""
    return "\r\n".join(text.strip("\n").split("\n")).encode(encoding) + b"\r\n"


def db_state(engine: sa.engine.Engine) -> object:
    """SQLite: SHA-256 of the database file (engine disposed first, so nothing is pending).
    PostgreSQL: every row of every table, ordered, as lists."""
    if engine.dialect.name == "sqlite":
        engine.dispose()
        return hashlib.sha256(Path(engine.url.database).read_bytes()).hexdigest()
    md = sa.MetaData()
    md.reflect(engine)
    state = {}
    with engine.connect() as conn:
        for table in md.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            state[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*order))]
    return state


def counts(preview: Preview) -> tuple[int, int, int]:
    """(added, changed, unchanged) of a preview."""
    return len(preview.added), len(preview.changed), len(preview.unchanged)
