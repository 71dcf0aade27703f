"""The Importeren page parses an upload once per file (issue 12, point 4): reruns (typing a name,
ticking a box) reuse the parsed sheet, keyed by the file's name and SHA-256."""

from kpi import importer
from kpi.importer import reading
from tests.support.apptest import run_app

CSV = (
    "gebied;indicator;jaar;waarde;bron\n"
    "Assen binnenstad;banen;2026;4.350;LISA 2026\n"
).encode("utf-8-sig")


def test_a_rerun_does_not_parse_the_upload_again(monkeypatch, sqlite_url):
    parsed = []
    original = reading.read_sheet

    def counting(name, data, limits):
        parsed.append(name)
        return original(name, data, limits)

    # Wherever the page's path reads a file from: the reading module or the importer's own name.
    monkeypatch.setattr(reading, "read_sheet", counting)
    monkeypatch.setattr(importer, "read_sheet", counting)
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("lisa-parse-once.csv", CSV, "text/csv").run()
    assert not at.exception and any("1 nieuw" in i.value for i in at.info)
    assert parsed == ["lisa-parse-once.csv"]
    at.text_input(key="import_source").input("LISA").run()  # a rerun with the same file
    at.checkbox(key="import_new_areas").check().run()
    assert not at.exception and any("1 nieuw" in i.value for i in at.info)
    assert parsed == ["lisa-parse-once.csv"]
    # Other bytes under the same name are another file: parsed once more.
    at.file_uploader[0].upload("lisa-parse-once.csv", CSV.replace(b"4.350", b"4.351"), "text/csv").run()
    assert not at.exception
    assert parsed == ["lisa-parse-once.csv"] * 2
