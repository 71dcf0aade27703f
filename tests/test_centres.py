"""Several centres (issue 21.1, 21.6): slugs, choosing a centre, the CLI's --gebied, `gebieden`,
`benchmark` and `demo` on both databases, the migration of existing areas, and the pages."""

from __future__ import annotations

import json

import pandas as pd
import sqlalchemy as sa
from alembic import command

from kpi import repository, schema
from kpi.centres import choose
from kpi.db import _config, make_engine, migrate
from kpi.names import slug
from tests.support.apptest import BANEN_METRIC, html_tables, open_page, run_app, texts
from tests.support.cli import run_kpi

CENTRES = pd.DataFrame({"slug": ["assen-binnenstad", "brugdorp-centrum"],
                        "name": ["Assen binnenstad", "Brugdorp centrum"], "kind": "binnenstad",
                        "peer_group": "g", "illustrative": [False, True]})


def test_slug_is_the_name_without_accents_in_lower_case_joined_by_hyphens():
    assert slug("Assen binnenstad") == "assen-binnenstad"
    assert slug("  Café 't Hoogeveen–Centrum ") == "cafe-t-hoogeveen-centrum"
    assert slug("???") == "gebied"


def test_choose_a_centre_by_slug_or_name_and_the_default_with_a_message_otherwise():
    assert choose(CENTRES, "brugdorp-centrum", "Assen binnenstad").area == "Brugdorp centrum"
    assert choose(CENTRES, "Brugdorp  Centrum", "Assen binnenstad").slug == "brugdorp-centrum"
    assert choose(CENTRES, None, "Assen binnenstad") == choose(CENTRES, "", "Assen binnenstad")
    unknown = choose(CENTRES, "<b>x</b>", "Assen binnenstad")
    assert unknown.area == "Assen binnenstad" and unknown.slug == "assen-binnenstad"
    assert unknown.message.startswith("Het gebied ‘<b>x</b>’ bestaat niet; u ziet Assen binnenstad.")
    assert "brugdorp-centrum" in unknown.message


def test_migration_gives_existing_areas_unique_slugs(db_url):
    eng = make_engine(db_url)
    cfg = _config()
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    old = sa.table("areas", sa.column("name"))
    with eng.begin() as conn:
        conn.execute(sa.insert(old), [{"name": "Assen binnenstad"}, {"name": "Assen-Binnenstad"}, {"name": "Émmen"}])
    migrate(eng)
    with eng.connect() as conn:
        rows = conn.execute(sa.select(schema.areas.c.name, schema.areas.c.slug, schema.areas.c.peer_group)
                            .order_by(schema.areas.c.id)).all()
    assert [tuple(r) for r in rows] == [("Assen binnenstad", "assen-binnenstad", ""),
                                        ("Assen-Binnenstad", "assen-binnenstad-2", ""), ("Émmen", "emmen", "")]
    with eng.begin() as conn:  # a new area with a taken slug gets the next free one
        conn.execute(sa.insert(schema.areas), repository.area_rows(conn, ["ASSEN binnenstad"]))
        assert conn.execute(sa.select(schema.areas.c.slug).where(schema.areas.c.name == "ASSEN binnenstad")
                            ).scalar() == "assen-binnenstad-3"
    eng.dispose()


def test_cli_centres_benchmark_and_demo_on_both_databases(db_url):
    added = run_kpi(db_url, "demo")
    assert added.returncode == 0 and "7 centra en 223 cijfers toegevoegd" in added.stdout
    assert "0 centra en 0 cijfers toegevoegd" in run_kpi(db_url, "demo").stdout  # twice adds nothing
    centres = json.loads(run_kpi(db_url, "gebieden", "--json").stdout)
    by_slug = {c["slug"]: c for c in centres}
    assert set(by_slug) >= {"assen-binnenstad", "brugdorp-centrum", "groningen-binnenstad", "utrecht-centrum"}
    assert "nederland" not in by_slug  # the benchmark area is no centre
    assert by_slug["brugdorp-centrum"] == {"slug": "brugdorp-centrum", "naam": "Brugdorp centrum",
                                           "soort": "binnenstad", "werkgroep": "Voorbeeldwerkgroep",
                                           "illustratief": True}
    assert by_slug["groningen-binnenstad"]["illustratief"] is False
    assert 5 <= len([c for c in centres if c["werkgroep"] == "Voorbeeldwerkgroep"]) <= 8

    out = run_kpi(db_url, "benchmark", "--json", "--gebied", "assen-binnenstad", "--indicator", "leegstand")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["maatstaf"] for r in rows} == {"Leegstand (verkooppunten), eenheid procent"}
    ranked = [r for r in rows if r["rang"] is not None]
    assert [r["rang"] for r in ranked] == sorted(r["rang"] for r in ranked)
    assen = next(r for r in rows if r["gekozen"])
    assert assen["gebied"] == "Assen binnenstad" and assen["peildatum"] == "2025-01-01"
    better = sum(1 for r in ranked if r["waarde"] < assen["waarde"])
    assert assen["rang"] == 1 + better
    assert all(r["fictief"] and r["illustratief"] for r in rows if r["slug"] == "brugdorp-centrum")
    # Utrecht's published figure is floor area: never in the outlets ranking, but in its own.
    assert next(r for r in rows if r["slug"] == "utrecht-centrum")["waarde"] is None
    vvo = json.loads(run_kpi(db_url, "benchmark", "--json", "--indicator", "leegstand_vvo").stdout)
    utrecht = next(r for r in vvo if r["slug"] == "utrecht-centrum")
    assert (utrecht["waarde"], utrecht["peildatum"], utrecht["illustratief"]) == (8.7, "2024-01-01", False)

    other = json.loads(run_kpi(db_url, "benchmark", "--json", "--gebied", "brugdorp-centrum",
                               "--indicator", "banen").stdout)
    assert next(r for r in other if r["gekozen"])["gebied"] == "Brugdorp centrum"
    assert json.loads(run_kpi(db_url, "status", "--json", "--gebied", "brugdorp-centrum").stdout) == []
    assen_status = json.loads(run_kpi(db_url, "status", "--json", "--gebied", "assen-binnenstad").stdout)
    assert {r["area"] for r in assen_status} == {"Assen binnenstad"} and len(assen_status) == 7

    for args in (("status", "--gebied", "atlantis"), ("benchmark", "--gebied", "atlantis")):
        refused = run_kpi(db_url, *args)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert refused.stderr.startswith("Fout: --gebied: het gebied ‘atlantis’ bestaat niet.")
    wrong = run_kpi(db_url, "benchmark", "--indicator", "onzin")
    assert wrong.returncode == 1 and "Te vergelijken: banen, bedrijven, leegstand" in wrong.stderr

    # Denominators: illustrative for the fictional centres only; Assen has none, so it has no place
    # per 1.000 inwoners and the ranking is the fictional centres' alone.
    per = json.loads(run_kpi(db_url, "benchmark", "--json", "--indicator", "banen", "--weergave",
                             "per_inwoners").stdout)
    assert {r["gebied"] for r in per if r["rang"] is not None} == {
        "Voorbeeldstad centrum", "Brugdorp centrum", "Proefhaven binnenstad", "Modelveen centrum", "Demodam binnenstad"}
    assert all(r["illustratief"] for r in per if r["rang"] is not None)
    assert next(r for r in per if r["gekozen"])["rang"] is None
    engine = make_engine(db_url)
    o = schema.observations
    with engine.connect() as conn:
        def denominators():
            return conn.execute(sa.select(o.c.illustrative).where(
                o.c.indicator_code.in_(["inwoners", "winkelvloeroppervlak"]))).scalars().all()
        assert len(denominators()) == 80 and all(denominators())

    removed = run_kpi(db_url, "demo", "--remove")
    assert ", 5 fictieve centra en " in removed.stdout
    left = {c["slug"] for c in json.loads(run_kpi(db_url, "gebieden", "--json").stdout)}
    assert "brugdorp-centrum" not in left and {"groningen-binnenstad", "utrecht-centrum"} <= left
    vvo = json.loads(run_kpi(db_url, "benchmark", "--json", "--indicator", "leegstand_vvo").stdout)
    assert next(r for r in vvo if r["slug"] == "utrecht-centrum")["waarde"] == 8.7  # real figures stay
    with engine.connect() as conn:
        assert denominators() == []  # the illustrative denominators went with the demo
    engine.dispose()


# ---- pages (AppTest) ----------------------------------------------------------------------------

def _with_demo(sqlite_url):
    assert run_kpi(sqlite_url, "demo").returncode == 0


def test_gebied_in_the_url_chooses_the_centre_on_every_page_and_is_kept(monkeypatch, sqlite_url):
    _with_demo(sqlite_url)
    at = run_app(monkeypatch, sqlite_url, query={"gebied": "brugdorp-centrum"})
    assert not at.exception
    assert at.sidebar.selectbox(key="centre_choice").value == "brugdorp-centrum"
    assert "Centrum: Brugdorp centrum" in [c.value for c in at.sidebar.caption]
    assert "**Brugdorp centrum** · nog geen KPI's" in [m.value for m in at.main.markdown]
    open_page(at, "vergelijken").run()  # a page change keeps the centre, and the parameter
    assert not at.exception and at.query_params["gebied"] in ("brugdorp-centrum", ["brugdorp-centrum"])
    assert "Brugdorp centrum staat in 2025 op plaats" in texts(at)
    # Switching in the sidebar: the overview is Assen's again, and the default needs no parameter.
    at.sidebar.selectbox(key="centre_choice").set_value("assen-binnenstad").run()
    open_page(at, "overzicht").run()
    assert not at.exception and "gebied" not in at.query_params
    assert at.metric[BANEN_METRIC].value == "4.210"


def test_an_unknown_gebied_says_so_in_dutch_and_shows_the_default_centre(monkeypatch, sqlite_url):
    _with_demo(sqlite_url)
    at = run_app(monkeypatch, sqlite_url, query={"gebied": "atlantis"})
    assert not at.exception and not at.error
    assert [w.value.split(";")[0] for w in at.main.warning] == ["Het gebied ‘atlantis’ bestaat niet"]
    assert "Centrum: Assen binnenstad" in [c.value for c in at.sidebar.caption]
    assert at.metric[BANEN_METRIC].value == "4.210"


def test_one_centre_has_no_switcher(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception and not at.sidebar.selectbox


def test_benchmark_page_views_from_the_url(monkeypatch, sqlite_url):
    _with_demo(sqlite_url)
    at = run_app(monkeypatch, sqlite_url, page="vergelijken",
                 query={"indicator": "leegstand", "weergave": "index", "basisjaar": "2019"})
    assert not at.exception and not at.error
    assert at.main.selectbox(key="bm_indicator").value == "leegstand"
    assert at.main.selectbox(key="bm_basisjaar").value == 2019
    body = texts(at)
    assert "Maatstaf: Leegstand (verkooppunten), eenheid procent, index 2019 = 100" in body
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles[0].startswith("<b>") and "Assen binnenstad<br>(gekozen, illustratief)" in titles[0]
    assert any("Brugdorp centrum<br>(fictief, illustratief)" in t for t in titles)
    assert "fictieve centra met verzonnen cijfers" in " ".join(i.value for i in at.main.info)
    table = html_tables(at)[0]
    assert list(table.columns) == ["Plaats", "Centrum", "Waarde", "Peildatum", "Maatstaf", "Herkomst"]
    assert "Brugdorp centrum" in set(table["Centrum"])
    # Per 1.000 inwoners: the fictional centres have illustrative denominators, Assen none: its
    # place is 'niet beschikbaar' naming the denominator, the others are ranked among themselves.
    at.main.selectbox(key="bm_indicator").set_value("banen").run()
    at.main.selectbox(key="bm_weergave").set_value("per_inwoners").run()
    assert not at.exception and at.get("plotly_chart")
    assert at.query_params["weergave"] in ("per_inwoners", ["per_inwoners"])
    assert ("**Per 1.000 inwoners: niet beschikbaar voor Assen binnenstad. De noemer (indicator ‘inwoners’)"
            in texts(at))
    table = html_tables(at)[0].set_index("Centrum")
    assert table.loc["Assen binnenstad (gekozen)", "Plaats"] == "–"
    assert table.loc["Assen binnenstad (gekozen)", "Peildatum"].startswith("niet beschikbaar: geen noemer (inwoners)")
    assert table.loc["Brugdorp centrum", "Plaats"] != "–"
    # Per 1.000 m² winkelvloeroppervlak: a percentage is never divided.
    at.main.selectbox(key="bm_indicator").set_value("leegstand").run()
    at.main.selectbox(key="bm_weergave").set_value("per_wvo").run()
    assert not at.exception and not at.get("plotly_chart")
    assert any("niet beschikbaar" in i.value for i in at.main.info)


def test_benchmark_page_without_a_werkgroep_explains_how_to_get_one(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="vergelijken")
    assert not at.exception
    assert "hoort bij geen werkgroep" in at.main.info[0].value
