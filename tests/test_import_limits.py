"""The import budget (issue 12, points 1, 2, 5-8): hostile files, generated here, are refused
by `python -m kpi import --dry-run` with a Dutch message naming the limit and the file, in a
subprocess whose peak memory is measured, and nothing is stored; odd but honest files
(UTF-16 without BOM, a trailing Ctrl-Z, a hidden sheet named data) are read correctly."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from kpi import importer
from kpi.db import ensure_ready, make_engine
from kpi.importer import reading
from kpi.settings import Settings
from tests.support.importdata import csv, db_state, xlsx

ROOT = Path(__file__).resolve().parent.parent
A = "Assen binnenstad"
HEADER = "gebied;indicator;jaar;waarde;bron"
# Python, pandas, SQLAlchemy and openpyxl take about 150 MB before any file is read; the
# hostile files below took 1 to 4,4 GB before the budget existed. The worst file within the
# budget (one cell of 95 MB of whitespace) peaks near 380 MB.
MAX_RSS_MB = 500
MAX_SECONDS = 20


# `python -m kpi ...` inside a wrapper that writes the process's own peak memory (VmHWM, in kB)
# to a file when it ends. Not ru_maxrss: on Linux a child's ru_maxrss keeps the high-water mark
# it inherited from pytest at fork, across exec, so it grew with every test run before it.
_MEASURED = """
import os, runpy, sys
try:
    sys.argv = ["kpi", *sys.argv[1:]]
    runpy.run_module("kpi", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["KPI_TEST_PEAK_FILE"], "w") as out:
        out.write(peak)
"""


def _rss_of(args: list[str], env: dict) -> tuple[int, str, str, float, float]:
    """Run `python -m kpi ...`; (exit code, stdout, stderr, seconds, peak RSS in MB of that process)."""
    assert args[1:3] == ["-m", "kpi"], args
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        start = time.monotonic()
        try:
            res = subprocess.run([args[0], "-c", _MEASURED, *args[3:]], cwd=ROOT,
                                 env={**env, "KPI_TEST_PEAK_FILE": str(peak_file)},
                                 capture_output=True, timeout=120)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"{args[3:]} did not end within 120 s") from exc
        seconds = time.monotonic() - start
        peak_mb = int(peak_file.read_text()) / 1024
    return (res.returncode, res.stdout.decode("utf-8", "replace"), res.stderr.decode("utf-8", "replace"),
            seconds, peak_mb)


def dry_run(db_url: str, path: Path) -> tuple[int, str, float, float]:
    """`python -m kpi import PATH --dry-run`: exit code, stderr, seconds and peak RSS (MB)."""
    env = {"KPI_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin", "LOGNAME": "limits-tester"}
    code, _, err, seconds, rss = _rss_of([sys.executable, "-m", "kpi", "import", str(path), "--dry-run"], env)
    return code, err, seconds, rss


def _far_column_xlsx(rows: int) -> bytes:
    """The issue's 27 KB workbook: `rows` rows, each with one cell in column XFD (16.384)."""
    sheet = ['<?xml version="1.0" encoding="UTF-8"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    sheet += [f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(1, rows + 1)]
    sheet.append("</sheetData></worksheet>")
    return _workbook({"xl/worksheets/sheet1.xml": "".join(sheet).encode()})


def _workbook(parts: dict[str, bytes], sheets: list[tuple[str, str]] | None = None) -> bytes:
    """A minimal .xlsx zip with the given parts; `sheets` are (name, state) for sheet1, sheet2..."""
    sheets = sheets or [("data", "visible")]
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
          + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
          '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          + "".join(f'<sheet name="{n}" sheetId="{i}" state="{s}" r:id="rId{i}"/>'
                    for i, (n, s) in enumerate(sheets, start=1))
          + "</sheets></workbook>")
    wb_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
               'package/2006/relationships">'
               + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                         f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, len(sheets) + 1))
               + "</Relationships>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ONE_ROW_SHEET = (f'<worksheet xmlns="{_MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is>'
                  '</c></row></sheetData></worksheet>').encode()


def _style_bomb_xlsx(path: Path, element: str, count: int) -> None:
    """The issue's small workbook whose styles.xml holds `count` formats (cell formats or number formats)."""
    if element == "xf":
        body = f'<cellXfs count="{count}">' + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * count
        body += "</cellXfs>"
    else:
        body = f'<numFmts count="{count}">' + "".join(
            f'<numFmt numFmtId="{164 + i}" formatCode="0.0"/>' for i in range(count)) + "</numFmts>"
    styles = f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN_NS}">{body}</styleSheet>'
    path.write_bytes(_workbook({"xl/worksheets/sheet1.xml": _ONE_ROW_SHEET, "xl/styles.xml": styles.encode()}))


def _whitespace_xlsx(path: Path, megabytes: int) -> None:
    """The issue's small workbook holding a sheet of `megabytes` MB of whitespace, streamed to disk."""
    chunk = b" " * (1024 * 1024)
    small = zipfile.ZipFile(io.BytesIO(_far_column_xlsx(1)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in small.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, small.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</t></is></c></row></sheetData></worksheet>")


@pytest.fixture
def ready(db_url):
    engine = make_engine(db_url)
    ensure_ready(engine)
    yield db_url, engine
    engine.dispose()


HOSTILE = {
    # name: (file builder, text the refusal must contain)
    "kolom-xfd.xlsx": (lambda p: p.write_bytes(_far_column_xlsx(5_000)),
                       "heeft een cel in kolom 16.384; de grens is 1.000 kolommen"),
    "witruimte.xlsx": (lambda p: _whitespace_xlsx(p, 400),
                       "is uitgepakt te groot (400,0 MB); de grens is 100 MB"),
    "witruimte-in-cel.xlsx": (lambda p: _whitespace_xlsx(p, 95),
                              "rij 1: Een cel is 99.614.720 tekens lang; de grens is 100.000 tekens"),
    "stijlen.xlsx": (lambda p: _style_bomb_xlsx(p, "xf", 1_250_000),
                     "heeft meer dan 70.000 opmaakstijlen"),
    "getalnotaties.xlsx": (lambda p: _style_bomb_xlsx(p, "numFmt", 1_000_000),
                           "heeft meer dan 70.000 opmaakstijlen"),
    "kolommen.csv": (lambda p: p.write_bytes(
        (HEADER + "\n" + "\n".join(f"{A};banen;{2000 + i};1;x" + ";" * 50_000 for i in range(24))).encode()),
        "rij 2: Deze regel heeft 50.005 kolommen; de grens is 1.000 kolommen"),
    "een-regel.csv": (lambda p: p.write_bytes(b"x;" * 9_500_000),
                      "rij 1: Deze regel is 19.000.000 tekens lang; de grens is 100.000 tekens per regel"),
    "rijen.xlsx": (lambda p: p.write_bytes(xlsx([["gebied", "indicator", "jaar", "waarde"], [A, "banen", 2025, 1]],
                                                offset=1_048_570)),
                   "loopt door tot rij 1.048.571; de grens is 200.000 rijen"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_quickly_with_bounded_memory_and_nothing_stored(name, ready, tmp_path):
    db_url, engine = ready
    build, expected = HOSTILE[name]
    path = tmp_path / name
    build(path)
    assert path.stat().st_size < 20 * 1024 * 1024  # under the upload limit: only the budget stops it
    before = db_state(engine)

    code, err, seconds, rss_mb = dry_run(db_url, path)

    assert code == 1, err
    assert f"{name}" in err and expected in err, err
    assert "Traceback" not in err
    assert rss_mb < MAX_RSS_MB, f"peak RSS {rss_mb:.0f} MB"
    assert seconds < MAX_SECONDS, f"{seconds:.1f} s"
    assert db_state(engine) == before


def test_a_zip_member_larger_than_it_declares_is_not_unpacked_past_its_declared_size(tmp_path):
    """The unpacked-size check trusts the zip directory; a member that lies about its size is
    cut off there by zipfile (and fails its CRC), so the lie cannot smuggle gigabytes in."""
    data = bytearray(xlsx([["gebied", "indicator", "jaar", "waarde", "bron"], [A, "banen", 2025, 4310, "LISA"]],
                          sheet="data"))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    # Declare the sheet 10 bytes long in the central directory (offset 24 of its entry).
    entry = bytes(data).find(b"PK\x01\x02", 0)
    while entry != -1:
        name_len = int.from_bytes(data[entry + 28:entry + 30], "little")
        if data[entry + 46:entry + 46 + name_len] == info.filename.encode():
            data[entry + 24:entry + 28] = (10).to_bytes(4, "little")
            break
        entry = bytes(data).find(b"PK\x01\x02", entry + 4)
    assert entry != -1
    sheet, problems = reading.read_sheet("gelogen.xlsx", bytes(data))
    assert sheet is None
    assert [str(p) for p in problems] == [
        "gelogen.xlsx: Het Excel-bestand is beschadigd en niet te lezen. Open het in Excel en sla het opnieuw op."
    ] or [str(p) for p in problems] == [
        "gelogen.xlsx: Het bestand is geen geldig Excel-bestand (.xlsx). Open het in Excel en sla het opnieuw op "
        "als .xlsx, of als CSV."
    ]


@pytest.mark.parametrize(("limits", "message"), [
    (reading.Limits(rows=2), "limieten.csv: Het bestand heeft 3 regels; de grens is 2 rijen (KPI_MAX_ROWS)."),
    (reading.Limits(columns=4), "limieten.csv, rij 1: Deze regel heeft 5 kolommen; de grens is 4 kolommen"),
    (reading.Limits(cells=10), "limieten.csv: Het bestand heeft 3 rijen van 5 kolommen, 15 cellen; de grens is "
                               "10 cellen (KPI_MAX_CELLS)."),
    (reading.Limits(line_chars=20), "limieten.csv, rij 1: Deze regel is 33 tekens lang; de grens is 20 tekens"),
])
def test_each_csv_limit_is_named_in_its_refusal(limits, message):
    data = csv(f"{HEADER}\n{A};banen;2024;4.210;LISA\n{A};banen;2025;4.310;LISA")
    sheet, problems = reading.read_sheet("limieten.csv", data, limits)
    assert sheet is None
    assert len(problems) == 1 and str(problems[0]).startswith(message), problems
    assert reading.read_sheet("limieten.csv", data)[0] is not None  # the default budget admits it


@pytest.mark.parametrize(("limits", "message"), [
    (reading.Limits(rows=2), "limieten.xlsx, rij 3: Het werkblad 'data' loopt door tot rij 3; de grens is 2 rijen"),
    (reading.Limits(columns=4), "limieten.xlsx, rij 1: Het werkblad 'data' heeft een cel in kolom 5; de grens is 4"),
    (reading.Limits(cells=12), "limieten.xlsx, rij 3: Het werkblad 'data' heeft meer dan 12 cellen"),
    (reading.Limits(line_chars=10), "limieten.xlsx, rij 2: Een cel is 16 tekens lang; de grens is 10 tekens"),
    (reading.Limits(unpacked_mb=0.001), "limieten.xlsx: Het Excel-bestand is uitgepakt te groot ("),
])
def test_each_xlsx_limit_is_named_in_its_refusal(limits, message):
    data = xlsx([["gebied", "indicator", "jaar", "waarde", "bron"], [A, "banen", 2024, 4210, "LISA"],
                 [A, "banen", 2025, 4310, "LISA"]], sheet="data")
    sheet, problems = reading.read_sheet("limieten.xlsx", data, limits)
    assert sheet is None
    assert len(problems) == 1 and str(problems[0]).startswith(message), problems
    assert reading.read_sheet("limieten.xlsx", data)[0] is not None


def test_limits_come_from_the_environment():
    s = Settings.from_env({"KPI_MAX_UNPACKED_MB": "7", "KPI_MAX_ROWS": "8", "KPI_MAX_COLUMNS": "9",
                           "KPI_MAX_CELLS": "10", "KPI_MAX_LINE_CHARS": "11", "KPI_MAX_UPLOAD_MB": "3"})
    assert reading.Limits.of(s) == reading.Limits(upload_mb=3, unpacked_mb=7, rows=8, columns=9, cells=10,
                                                  line_chars=11)


# ---- odd values and odd files (points 5 to 8) ---------------------------------------------

TIDY = "gebied;indicator;jaar;waarde;bron;toelichting"


def _prepare(engine, name: str, data: bytes):
    return importer.prepare(engine, [(name, data)], Settings(database_url=str(engine.url)))


@pytest.mark.parametrize(("cell", "code"), [
    ("\x1b[31mLISA\x1b[0m", "U+001B"), ("LISA\x9b2J", "U+009B"), ("LISA\x07", "U+0007")])
def test_control_characters_are_refused_with_row_and_column_and_nothing_stored(engine, cell, code):
    before = db_state(engine)
    data = csv(f"{TIDY}\n{A};banen;2024;4.210;LISA;\n{A};banen;2025;4.310;{cell};")
    preview = _prepare(engine, "stuur.csv", data)
    assert [str(p) for p in preview.problems] == [
        f"stuur.csv, rij 3, kolom 'bron': Deze cel bevat een onzichtbaar stuurteken ({code}); verwijder het "
        "en lever het bestand opnieuw aan."]
    assert db_state(engine) == before


def test_nul_after_the_first_64_kb_is_refused_with_its_row_on_both_databases(engine):
    """Before: a traceback with 70 KB of SQL parameters on PostgreSQL, stored on SQLite."""
    before = db_state(engine)
    filler = "".join(f"{A};banen;{1900 + i % 100};{i};LISA;{'x' * 60}\n" for i in range(1200))
    data = f"{TIDY}\n{filler}{A};banen;2025;4.310;LISA;na\x00nul\n".encode()
    assert data.index(b"\x00") > 65536
    preview = _prepare(engine, "nul.csv", data)
    assert [str(p) for p in preview.problems] == [
        "nul.csv, rij 1202, kolom 'toelichting': Deze cel bevat een onzichtbaar stuurteken (U+0000); "
        "verwijder het en lever het bestand opnieuw aan."]
    assert db_state(engine) == before


@pytest.mark.parametrize("value", ["9" * 400, "1E999"])
def test_an_infinite_number_in_a_csv_is_not_a_number(engine, value):
    preview = _prepare(engine, "oneindig.csv", csv(f"{TIDY}\n{A};banen;2025;{value};LISA;"))
    assert len(preview.problems) == 1
    problem = preview.problems[0]
    assert (problem.file, problem.row, problem.column) == ("oneindig.csv", 2, "waarde")
    assert "is geen getal" in problem.message


def test_an_infinite_number_in_an_xlsx_is_refused_with_row_and_column(engine):
    before = db_state(engine)
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                                                  for col, v in zip("ABCE", vals, strict=True))
                       + (f'<c r="D{r}"><v>{num}</v></c>' if num else f'<c r="D{r}" t="inlineStr"><is><t>waarde'
                          '</t></is></c>') + "</row>"
                       for r, (vals, num) in enumerate([(["gebied", "indicator", "jaar", "bron"], None),
                                                        ([A, "banen", "2025", "LISA"], "1E999")], start=1))
             + "</sheetData></worksheet>")
    data = _workbook({"xl/worksheets/sheet1.xml": sheet.encode()})
    preview = _prepare(engine, "oneindig.xlsx", data)
    assert [str(p) for p in preview.problems] == [
        "oneindig.xlsx, rij 2, kolom 'waarde': Dit getal is te groot (oneindig); vul een gewoon getal in."]
    assert db_state(engine) == before


def test_a_trailing_ctrl_z_is_the_end_of_the_file_not_a_row(sqlite_url):
    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    data = csv(f"{TIDY}\n{A};banen;2025;4.310;LISA;", encoding="cp1252") + b"\x1a"
    preview = _prepare(engine, "dos.csv", data)
    assert preview.ok, preview.problems
    assert preview.summary() == "0 nieuw, 1 gewijzigd, 0 ongewijzigd"
    engine.dispose()


def test_mixed_utf8_and_windows_1252_lines_are_refused_naming_both_rows():
    data = (f"{TIDY}\n".encode() + f"{A};banen;2024;4.210;Café één;\n".encode()
            + f"{A};banen;2025;4.310;Café twee;\n".encode("cp1252"))
    sheet, problems = reading.read_sheet("gemengd.csv", data)
    assert sheet is None
    assert [str(p) for p in problems] == [
        "gemengd.csv, rij 3: Het bestand mengt twee tekencoderingen: rij 2 is UTF-8, rij 3 is Windows-1252 "
        "(ANSI). Sla het in Excel opnieuw op als 'CSV UTF-8'."]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_as_text(encoding):
    data = f"{TIDY}\r\n{A};banen;2025;4.310;Café;\r\n".encode(encoding)
    sheet, problems = reading.read_sheet("utf16.csv", data)
    assert problems == []
    assert sheet.headers == TIDY.split(";")
    assert sheet.cells.loc[2].tolist() == [A, "banen", "2025", "4.310", "Café", ""]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_named_data_is_ignored_for_the_visible_one(state):
    def sheet_xml(rows):
        return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                + "".join(f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row)
                          + "</row>" for r, row in enumerate(rows, start=1))
                + "</sheetData></worksheet>").encode()

    visible = [["gebied", "indicator", "jaar", "waarde", "bron"], [A, "banen", "2025", "4310", "zichtbaar"]]
    hidden = [["gebied", "indicator", "jaar", "waarde", "bron"], [A, "banen", "2025", "1", "verborgen"]]
    data = _workbook({"xl/worksheets/sheet1.xml": sheet_xml(visible), "xl/worksheets/sheet2.xml": sheet_xml(hidden)},
                     sheets=[("Cijfers", "visible"), ("data", state)])
    sheet, problems = reading.read_sheet("verborgen.xlsx", data)
    assert problems == []
    assert sheet.cells.loc[2].tolist()[-1] == "zichtbaar"


def test_a_user_name_over_200_characters_is_refused_at_the_cli_and_in_apply(ready, tmp_path):
    """Before: a traceback on PostgreSQL (value too long), silently stored on SQLite."""
    db_url, engine = ready
    path = tmp_path / "cijfers.csv"
    path.write_bytes(csv(f"{TIDY}\n{A};banen;2025;4.310;LISA;"))
    before = db_state(engine)
    env = {"KPI_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin", "LOGNAME": "limits-tester"}
    code, out, err, _, _ = _rss_of([sys.executable, "-m", "kpi", "import", str(path), "--gebruiker", "n" * 201], env)
    assert code == 1
    assert err == "Fout: --gebruiker: De naam is te lang (201 tekens); de grens is 200 tekens. Er is niets opgeslagen.\n"
    assert db_state(engine) == before

    preview = _prepare(engine, "cijfers.csv", path.read_bytes())
    assert preview.ok
    with pytest.raises(importer.ImportRefused, match=r"De naam is te lang \(201 tekens\); de grens is 200"):
        importer.apply(engine, preview, user="n" * 201)
    with pytest.raises(importer.ImportRefused, match="stuurteken"):
        importer.apply(engine, preview, user="redacteur\x1b[2J")
    assert db_state(engine) == before
    assert importer.apply(engine, preview, user="n" * 200) is not None


def test_the_pages_bound_the_name_field(monkeypatch, sqlite_url):
    from tests.support.apptest import run_app

    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    assert not at.exception
    assert at.text_input(key="import_user").proto.max_chars == 200


def test_every_setting_is_in_the_readme_and_every_limit_in_its_security_section():
    from kpi.settings import ENVIRONMENT_VARIABLES

    readme = (ROOT / "docs" / "beheer.md").read_text()
    security = (ROOT / "docs" / "beveiliging.md").read_text().split("## Beveiliging", 1)[1]
    for name in ENVIRONMENT_VARIABLES:
        assert f"| `{name}` |" in readme, name
        if name.startswith("KPI_MAX_"):
            assert f"`{name}`" in security, name


def test_a_quoted_cell_spread_over_many_short_lines_meets_the_cell_limit(engine):
    """Issue 23.4: 18 MB in one quoted cell over 180.000 short lines passed the per-line check."""
    from kpi import importer
    from tests.support.importdata import SETTINGS, db_state

    cell = "\n".join(["aaaaaaaaa"] * 20_000)  # 200.000 characters, no line longer than 9
    data = ("gebied;indicator;jaar;waarde;bron\n"
            f'Assen binnenstad;banen;2026;4.350;"{cell}"\n').encode()
    before = db_state(engine)
    preview = importer.prepare(engine, [("lang.csv", data)], SETTINGS)
    assert [str(p) for p in preview.problems] == [
        "lang.csv, rij 2, kolom 'bron': Deze cel is 199.999 tekens lang (ook als ze over regels verdeeld is); "
        "de grens is 100.000 tekens per cel (KPI_MAX_LINE_CHARS)."]
    assert db_state(engine) == before
