"""The werkplan: domain on exact data, storage and seed on SQLite and PostgreSQL, versioning
and as-of views, demo removal, the migration from an 0003 database, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command

from kpi import repository, schema, werkplan
from kpi.db import _config, ensure_ready, make_engine, migrate
from kpi.seed import DEMO_ACTIONS_CSV, action_frame
from kpi.werkplan import store as wp_store
from kpi.werkplan import tables as wp_tables
from tests.support.cli import run_kpi

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
WERKPLAN_A = "Werkplan Binnenstad Assen deel A, 19 september 2018"
THEMES = pd.DataFrame({
    "letter": list("ABCDEF"),
    "name": ["compact & compleet", "prettig & comfortabel", "bereikbaar", "historisch, cultureel & actief",
             "gastvrij, ondernemend & collectief samenwerkend", "goed bekend"],
})


def action(code, theme, status, due=None, role=None, kpis=(), year=None, **extra) -> dict:
    """One action row as load_actions returns it (test data as code)."""
    row = dict(
        id=0, code=code, title=f"Actie {code}", theme=theme, theme_name="", owner="", role=role,
        year=year, start=pd.NaT, due=pd.Timestamp(due) if due else pd.NaT, status=status,
        budget=float("nan"), spent=float("nan"), fund=None, kpis=tuple(kpis), note="", source="testbron",
        illustrative=False, batch_id=1, batch_kind="acties", recorded_by="test",
        recorded_at=pd.Timestamp("2026-01-01"), superseded_at=None,
    )
    row.update(extra)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=wp_store.ACTION_COLUMNS)
    df["year"] = df["year"].astype("Int64")
    return df


SAMPLE = frame(
    action("A1", "A", "lopend", "2026-12-31", "Acquisiteur", ("leegstand", "bedrijven"), 2026),
    action("A2", "A", "vertraagd", "2026-06-30", "Programmamanager", ("leegstand",), 2025),
    action("B1", "B", "lopend", "2026-11-21", "Huismeester", ("waardering",), 2026),  # late by one day
    action("B2", "B", "afgerond", "2025-10-01", "Programmateam", ("waardering",), 2025),
    action("C1", "C", "gepland", "2026-11-22", "Programmateam", ("waardering",), 2026),  # due today: not late
    action("D1", "D", "gestopt", "2026-05-01", "Event-coördinator", ("waardering",), 2025),
    action("F1", "F", "gepland", None, None, ("ranking",), None),  # no due date: never late
)


# ---- domain on exact data ---------------------------------------------------------------

def test_late_is_due_date_passed_and_not_done():
    assert werkplan.late(SAMPLE, TODAY).tolist() == [False, True, True, False, False, False, False]
    assert werkplan.late(SAMPLE, dt.date(2026, 11, 21)).tolist() == [False, True, False, False, False, False, False]
    assert werkplan.late(SAMPLE, dt.date(2028, 1, 1)).tolist() == [True, True, True, False, True, False, False]


def test_ordered_puts_late_first_then_theme_status_and_due():
    assert werkplan.ordered(SAMPLE, TODAY)["code"].tolist() == ["A2", "B1", "A1", "B2", "C1", "D1", "F1"]
    assert werkplan.ordered(SAMPLE, TODAY)["late"].tolist() == [True, True, False, False, False, False, False]


def test_ordered_sorts_codes_by_their_numbers():
    df = frame(*(action(c, "A", "gepland") for c in ["1.10", "1.2", "A-10", "A-9", "1.1"]))
    assert werkplan.ordered(df, TODAY)["code"].tolist() == ["1.1", "1.2", "1.10", "A-9", "A-10"]


@pytest.mark.parametrize("kwargs, codes", [
    (dict(theme="A"), ["A1", "A2"]),
    (dict(theme=["A", "F"]), ["A1", "A2", "F1"]),
    (dict(role="Programmateam"), ["B2", "C1"]),
    (dict(status="lopend"), ["A1", "B1"]),
    (dict(status=("gepland", "gestopt")), ["C1", "D1", "F1"]),
    (dict(year=2025), ["A2", "B2", "D1"]),
    (dict(theme="B", status="lopend", year=2026, role="Huismeester"), ["B1"]),
    (dict(theme=[], status=None), ["A1", "A2", "B1", "B2", "C1", "D1", "F1"]),
    (dict(theme="E"), []),
])
def test_filters_by_theme_role_status_and_year(kwargs, codes):
    assert werkplan.filter_actions(SAMPLE, **kwargs)["code"].tolist() == codes


def test_actions_per_kpi_and_the_warning_when_a_behind_kpi_has_no_running_action():
    assert werkplan.actions_for_kpi(SAMPLE, "leegstand")["code"].tolist() == ["A1", "A2"]
    statuses = {"leegstand": "achter", "waardering": "risico", "ranking": "achter", "banen": "op koers",
                "bedrijven": "gehaald"}
    ov = werkplan.kpi_actions(SAMPLE, statuses, TODAY)
    assert ov["indicator"].tolist() == ["leegstand", "waardering", "ranking", "banen", "bedrijven"]
    assert ov["linked"].tolist() == [2, 4, 1, 0, 1]
    # B1 is lopend but a day past its deadline: it does not count as running (issue 17, category 5)
    assert ov["running"].tolist() == [1, 0, 0, 0, 1]
    assert ov["late"].tolist() == [1, 1, 0, 0, 0]
    assert ov["behind"].tolist() == [True, True, True, False, False]
    # banen has no action at all but is on course: no warning; waardering's only lopend action is overdue
    assert ov["needs_action"].tolist() == [False, True, True, False, False]
    table = wp_tables.kpi_actions_table(ov, {"ranking": "Positie in ranking"})
    assert table.loc[2].tolist() == [
        "Positie in ranking", "achter", 1, 0, 0,
        "Positie in ranking staat op ‘achter’ en er loopt geen echte actie voor deze KPI "
        "(illustratieve acties en acties over hun deadline tellen niet mee).",
    ]
    assert (table.loc[[0, 3, 4], "Let op"] == "").all()


def test_only_real_running_actions_within_their_deadline_count_against_the_warning():
    statuses = {"leegstand": "achter"}
    demo_only = frame(action("X1", "A", "lopend", "2027-06-30", kpis=("leegstand",), illustrative=True))
    overdue = frame(action("X2", "A", "lopend", "2023-01-01", kpis=("leegstand",)))
    real = frame(action("X3", "A", "lopend", "2027-06-30", kpis=("leegstand",)))
    assert werkplan.without_running_action(demo_only, statuses, TODAY) == {"leegstand"}
    assert werkplan.without_running_action(overdue, statuses, TODAY) == {"leegstand"}
    assert werkplan.without_running_action(real, statuses, TODAY) == set()
    assert werkplan.late(overdue, TODAY).tolist() == [True]


def test_a_delayed_action_without_deadline_is_in_the_late_lists():
    delayed = frame(action("V1", "A", "vertraagd", None, kpis=("leegstand",)))
    assert werkplan.late(delayed, TODAY).tolist() == [True]
    assert werkplan.ordered(delayed, TODAY)["late"].tolist() == [True]


def test_coverage_counts_running_actions_per_kpi_and_theme():
    cov = werkplan.coverage(SAMPLE, ["banen", "leegstand", "waardering", "ranking"], list("ABCDEF"))
    assert cov.loc["leegstand"].tolist() == [1, 0, 0, 0, 0, 0]  # A2 is vertraagd, not lopend
    assert cov.loc["waardering"].tolist() == [0, 1, 0, 0, 0, 0]
    assert cov.loc["banen"].sum() == 0 and cov.loc["ranking"].sum() == 0
    assert "bedrijven" not in cov.index  # only the KPIs asked for
    table = wp_tables.coverage_table(cov, THEMES, {"leegstand": "Leegstand"})
    assert table.columns.tolist() == ["KPI", "A compact & compleet", "B prettig & comfortabel", "C bereikbaar",
                                      "D historisch, cultureel & actief",
                                      "E gastvrij, ondernemend & collectief samenwerkend", "F goed bekend",
                                      "Totaal lopend"]
    assert table["KPI"].tolist() == ["banen", "Leegstand", "waardering", "ranking"]
    assert table["Totaal lopend"].tolist() == [0, 1, 1, 0]


def test_role_overview_has_the_matrix_themes_and_the_role_actions():
    roles = pd.DataFrame({"name": ["Regisseur", "Huismeester", "Programmateam", "Regiegroep"],
                          "body": ["Vaart", "Vaart", "gemeente", "overleg"], "kind": ["rol", "rol", "rol", "orgaan"]})
    matrix = pd.DataFrame({"role": ["Regisseur"] * 6 + ["Huismeester"], "theme": list("FEDCBA") + ["B"]})
    ov = werkplan.role_overview(roles, matrix, SAMPLE, TODAY)
    assert ov["role"].tolist() == ["Regisseur", "Huismeester", "Programmateam"]  # bodies are not roles
    assert ov["themes"].tolist() == [tuple("ABCDEF"), ("B",), ()]
    assert ov[["actions", "running", "late"]].values.tolist() == [[0, 0, 0], [1, 1, 1], [2, 0, 0]]
    table = wp_tables.roles_table(ov, THEMES)
    assert table.loc[1].tolist() == ["Huismeester", "Vaart", "B prettig & comfortabel", 1, 1, 1]
    assert table.loc[2, "Thema's"] == "–"
    assert werkplan.actions_of_role(SAMPLE, "Programmateam", TODAY)["code"].tolist() == ["B2", "C1"]


def test_action_changes_between_two_moments():
    before = frame(
        action("A1", "A", "gepland", note="oud"),
        action("A2", "A", "lopend"),
        action("B1", "B", "lopend", note="oud"),
        action("C1", "C", "lopend"),
    )
    after = frame(
        action("A1", "A", "lopend", note="gestart", recorded_at=pd.Timestamp("2026-03-01 10:15")),
        action("A2", "A", "afgerond", recorded_at=pd.Timestamp("2026-03-02 09:00")),
        action("B1", "B", "lopend", note="alleen de toelichting is anders"),
        action("D1", "D", "gepland", illustrative=True, recorded_at=pd.Timestamp("2026-03-03 08:00")),
    )
    ch = werkplan.action_changes(before, after)
    assert ch[["change", "code", "status_before", "status_after"]].values.tolist() == [
        ["status gewijzigd", "A1", "gepland", "lopend"],
        ["status gewijzigd", "A2", "lopend", "afgerond"],
        ["vervallen", "C1", "lopend", None],
        ["nieuw", "D1", None, "gepland"],
    ]
    assert ch.loc[0, "note"] == "gestart"
    assert werkplan.finished(ch)["code"].tolist() == ["A2"]
    table = wp_tables.changes_table(ch, THEMES)
    assert table.values.tolist() == [
        ["A1 Actie A1", "A compact & compleet", "Gepland", "Loopt", "gestart", "1-3-2026 11:15"],  # stored UTC, shown in Amsterdam time
        ["A2 Actie A2", "A compact & compleet", "Loopt", "Afgerond", "", "2-3-2026 10:00"],
        ["C1 Actie C1", "C bereikbaar", "Loopt", "(vervallen)", "", "–"],
        ["D1 Actie D1 (illustratief)", "D historisch, cultureel & actief", "(nieuw)", "Gepland", "", "3-3-2026 09:00"],
    ]


def test_actions_table_is_dutch_and_late_first():
    df = frame(
        action("A1", "A", "lopend", "2027-03-01", "Acquisiteur", ("leegstand", "bedrijven"), 2026,
               start=pd.Timestamp("2026-02-01"), budget=12500.0, spent=4310.5, fund="binnenstadfonds",
               owner="Vaart in Assen", note="loopt", illustrative=True),
        action("F1", "F", "vertraagd", "2026-01-15"),
    )
    table = wp_tables.actions_table(df, TODAY, THEMES, {"leegstand": "Leegstand", "bedrijven": "Aantal bedrijven"})
    assert table.columns.tolist() == wp_tables.ACTION_TABLE_COLUMNS
    assert table.loc[0].tolist() == [
        "F1", "Actie F1", "F goed bekend", "Vertraagd", "ja", "15-1-2026", "–", "–", "–", "–", "–", "–", "–",
        "–", "", "testbron", "nee",
    ]
    assert table.loc[1].tolist() == [
        "A1", "Actie A1", "A compact & compleet", "Loopt", "", "1-3-2027", "Acquisiteur", "Vaart in Assen",
        "2026", "1-2-2026", "€ 12.500", "€ 4.310,50", "Binnenstadfonds", "Leegstand, Aantal bedrijven",
        "loopt", "testbron", "ja – voorbeeld",
    ]


def test_action_records_and_lookups():
    records = werkplan.action_records(SAMPLE.loc[[1, 6]], TODAY)
    assert records == [
        {"code": "A2", "title": "Actie A2", "theme": "A", "role": "Programmamanager", "owner": None,
         "status": "vertraagd", "due": "2026-06-30", "kpis": ["leegstand"], "late": True, "illustrative": False,
         "source": "testbron"},
        {"code": "F1", "title": "Actie F1", "theme": "F", "role": None, "owner": None, "status": "gepland",
         "due": None, "kpis": ["ranking"], "late": False, "illustrative": False, "source": "testbron"},
    ]
    assert werkplan.kpi_names(pd.DataFrame({"code": ["banen"], "name": ["Aantal banen"]})) == {"banen": "Aantal banen"}


@pytest.mark.parametrize("text, letter", [
    ("A", "A"), ("f", "F"), ("bereikbaar", "C"), ("  Goed   Bekend ", "F"), ("B prettig & comfortabel", "B"),
    ("G", None), ("compact", None), ("", None),
])
def test_resolve_theme(text, letter):
    assert werkplan.resolve_theme(THEMES, text) == letter


@pytest.mark.parametrize("text, code", [
    ("lopend", "lopend"), ("Loopt", "lopend"), ("AFGEROND", "afgerond"), (" gestopt ", "gestopt"),
    ("klaar", None), ("", None),
])
def test_resolve_status(text, code):
    assert werkplan.resolve_status(text) == code


def test_status_vocabulary_matches_the_database_check():
    (check,) = [c for c in schema.actions.constraints if isinstance(c, sa.CheckConstraint)]
    named = {part.strip(" '()") for part in str(check.sqltext).split("IN", 1)[1].split(",")}
    assert named == {s.code for s in werkplan.ACTION_STATUSES}
    assert set(werkplan.CLOSED) == {"afgerond", "gestopt"}


# ---- storage and seed, SQLite and PostgreSQL --------------------------------------------

def test_fresh_database_has_themes_roles_matrix_and_the_chapter_1_actions(engine):
    wp = werkplan.load_werkplan(engine, "Assen binnenstad")
    assert wp.themes["label"].tolist() == [
        "A compact & compleet", "B prettig & comfortabel", "C bereikbaar", "D historisch, cultureel & actief",
        "E gastvrij, ondernemend & collectief samenwerkend", "F goed bekend",
    ]
    assert (wp.themes["source"].str.startswith("Binnenstadakkoord Assen, 7 februari 2018, art. 3")).all()
    roles = wp.roles.set_index("name")
    assert roles.loc[roles["kind"] == "rol"].index.tolist() == [
        "Regisseur", "Verbinder", "Acquisiteur", "Marketeer", "Event-coördinator", "Huismeester",
        "Communicatie-medewerker", "Programmamanager", "Programmateam",
    ]
    assert roles.loc[roles["kind"] == "orgaan"].index.tolist() == [
        "Regiegroep", "Projectgroep", "ThemaTafels", "Raad van Advies"]
    assert roles.loc["Huismeester", "body"] == "uitvoeringsteam Vaart in Assen"
    assert roles.loc["Programmamanager", "body"] == "gemeente Assen"
    pairs = sorted(zip(wp.matrix["role"], wp.matrix["theme"]))
    assert pairs == sorted(
        [("Regisseur", t) for t in "ABCDEF"] + [("Verbinder", t) for t in "ABCDEF"]
        + [("Acquisiteur", "A"), ("Huismeester", "B"), ("Event-coördinator", "D"), ("Marketeer", "F")]
    )
    assert (wp.matrix["source"] == WERKPLAN_A).all()

    real = wp.actions[~wp.actions["illustrative"]]
    assert real["code"].tolist() == ["1.1", "1.2", "1.3"]
    assert real["title"].tolist() == [
        "Een groep ondernemers vormen die helpt een opdracht op te stellen en te begeleiden",
        "Een externe strategisch-economisch deskundige de opdracht geven",
        "Het einddoel vertalen naar strategieën voor de korte termijn",
    ]
    assert (real["source"] == WERKPLAN_A + ", hoofdstuk 1 (economische ontwikkelstrategie)").all()
    assert real["kpis"].tolist() == [("banen", "bedrijven")] * 3
    assert (real["batch_kind"] == "acties").all() and (real["recorded_by"] == "seed").all()


def test_illustrative_actions_are_flagged_and_spread(engine):
    acts = wp_store.load_actions(engine, "Assen binnenstad")
    demo = acts[acts["illustrative"]]
    assert len(demo) == 13 == wp_store.count_illustrative_actions(engine)
    assert (demo["source"] == "Illustratieve demoactie").all()
    assert (demo["batch_kind"] == "demo").all()
    assert set(demo["theme"]) == set("ABCDEF")
    assert set(demo["status"]) == {"gepland", "lopend", "afgerond", "vertraagd", "gestopt"}
    assert werkplan.filter_actions(demo, status="lopend")["code"].tolist() == ["A-01", "B-01", "C-01", "D-01", "E-01"]
    assert demo.loc[werkplan.late(demo, TODAY), "code"].tolist() == ["A-02", "C-01", "E-02"]
    assert demo.set_index("code").loc["A-01", "kpis"] == ("bedrijven", "leegstand")  # indicator order
    assert demo.set_index("code").loc["F-01", "budget"] == 45000.0
    assert demo.set_index("code").loc["F-01", "spent"] == 46200.0
    assert demo.set_index("code").loc["A-02", "due"] == pd.Timestamp("2026-06-30")


def test_without_demo_only_the_werkplan_actions_are_seeded(db_url):
    eng = make_engine(db_url)
    ensure_ready(eng, seed_demo=False)
    assert wp_store.load_actions(eng, "Assen binnenstad")["code"].tolist() == ["1.1", "1.2", "1.3"]
    eng.dispose()


def _batch(engine, user="Anna") -> int:
    with engine.begin() as conn:
        return repository.create_batch(conn, "acties", "acties.xlsx", user)


def _edit(engine, code: str, now: dt.datetime, **changes) -> int:
    """Write a new version of one action (what a one-row import will do)."""
    current = wp_store.load_actions(engine, "Assen binnenstad")
    row = current[current["code"] == code][[*wp_store.WRITE_COLUMNS, "area_id"]].copy()
    for key, value in changes.items():
        row[key] = [value]
    batch = _batch(engine)
    with engine.begin() as conn:
        wp_store.save_actions(conn, row, batch, now)
    return batch


def test_a_status_change_is_a_new_version_and_as_of_shows_the_old_one(engine):
    t1, t2 = dt.datetime(2030, 1, 10, 9), dt.datetime(2030, 2, 10, 9)
    b1 = _edit(engine, "1.1", t1, status="lopend", note="opdracht in voorbereiding")
    b2 = _edit(engine, "1.1", t2, status="afgerond", note="opdracht verleend", kpis=("banen",))

    now = wp_store.load_actions(engine, "Assen binnenstad").set_index("code").loc["1.1"]
    assert (now["status"], now["note"], now["kpis"], now["batch_id"], now["recorded_by"]) == (
        "afgerond", "opdracht verleend", ("banen",), b2, "Anna")
    in_jan = wp_store.load_actions(engine, "Assen binnenstad", as_of=dt.datetime(2030, 1, 31)).set_index("code").loc["1.1"]
    assert (in_jan["status"], in_jan["kpis"], in_jan["batch_id"]) == ("lopend", ("banen", "bedrijven"), b1)
    before = wp_store.load_actions(engine, "Assen binnenstad", as_of=dt.datetime(2030, 1, 1)).set_index("code").loc["1.1"]
    assert before["status"] == "gepland"

    a = schema.actions
    with engine.connect() as conn:
        versions = conn.execute(
            sa.select(a.c.status, a.c.batch_id, a.c.recorded_at, a.c.superseded_at, a.c.superseded_by_batch_id)
            .where(a.c.code == "1.1").order_by(a.c.id)
        ).all()
    assert [(v.status, v.superseded_at, v.superseded_by_batch_id) for v in versions] == [
        ("gepland", t1, b1), ("lopend", t2, b2), ("afgerond", None, None)]
    assert [v.batch_id for v in versions][1:] == [b1, b2] and versions[1].recorded_at == t1

    ch = werkplan.action_changes(
        wp_store.load_actions(engine, "Assen binnenstad", as_of=dt.datetime(2030, 1, 1)),
        wp_store.load_actions(engine, "Assen binnenstad", as_of=dt.datetime(2030, 3, 1)),
    )
    assert ch[["change", "code", "status_before", "status_after"]].values.tolist() == [
        ["status gewijzigd", "1.1", "gepland", "afgerond"]]
    assert ch.loc[0, "recorded_at"] == pd.Timestamp(t2)
    assert len(wp_store.load_actions(engine, "Assen binnenstad")) == 16  # still one current row per code


def test_the_database_keeps_one_current_version_a_known_status_and_real_kpis(engine):
    now = repository.utcnow()
    theme_row = dict(code="1.1", title="dubbel", theme_letter="A", status="gepland", source="x", recorded_at=now)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.insert(schema.actions).values(**theme_row))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.insert(schema.actions).values(**theme_row | dict(code="9.9", status="klaar")))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.insert(schema.actions).values(**theme_row | dict(code="9.9", theme_letter="G")))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        new_id = conn.execute(sa.insert(schema.actions).values(**theme_row | dict(code="9.9"))).inserted_primary_key[0]
        conn.execute(sa.insert(schema.action_kpis).values(action_id=new_id, indicator_code="bestaat_niet"))
    assert len(wp_store.load_actions(engine, "Assen binnenstad")) == 16  # nothing of the above was kept


def test_demo_remove_removes_illustrative_actions_and_keeps_the_real_ones(engine):
    # a real version that replaced a demo action stays (like real figures replacing demo ones)
    _edit(engine, "A-01", dt.datetime(2030, 1, 1), illustrative=False, source="Actielijst programmabureau")
    obs = repository.load_observations(engine)
    removed = repository.remove_illustrative(engine)
    assert removed == repository.Removed(values=int(obs["illustrative"].sum()), actions=12)
    assert removed.sentence() == f"{removed.values} illustratieve waarden en 12 illustratieve acties verwijderd."
    assert repository.Removed(1, 1).sentence() == "1 illustratieve waarde en 1 illustratieve actie verwijderd."
    left = wp_store.load_actions(engine, "Assen binnenstad")
    assert left["code"].tolist() == ["1.1", "1.2", "1.3", "A-01"]
    assert not left["illustrative"].any()
    assert left.set_index("code").loc["A-01", "kpis"] == ("bedrijven", "leegstand")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.actions)).scalar() == 4
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.action_kpis)).scalar() == 8


def test_demo_action_file_is_a_valid_action_list():
    df = action_frame(pd.read_csv(DEMO_ACTIONS_CSV, dtype=str, keep_default_na=False), True)
    assert df.columns.tolist() == wp_store.WRITE_COLUMNS
    assert df["code"].is_unique
    assert set(df["fund"].dropna()) <= set(werkplan.FUNDS)


# ---- migration from an 0003 database with data --------------------------------------------

def test_migration_from_0003_keeps_the_data_and_adds_the_werkplan(db_url):
    eng = make_engine(db_url)
    cfg = _config()
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    now = dt.datetime(2026, 1, 1, 12)
    with eng.begin() as conn:
        assert not sa.inspect(conn).has_table("actions")
        conn.execute(sa.insert(schema.indicators).values(code="banen", name="Aantal banen", unit="aantal",
                                                         direction="hoger"))
        # The 0003 table, not schema.areas: today's table has columns (slug, ...) added later.
        conn.execute(sa.insert(sa.table("areas", sa.column("name"))).values(name="Assen binnenstad"))
        batch = repository.create_batch(conn, "observaties", "oud.csv", "Anna")
        conn.execute(sa.insert(schema.observations).values(
            area_id=1, indicator_code="banen", peildatum=dt.date(2024, 1, 1), precision="jaar", value=4100.0,
            source="LISA", batch_id=batch, recorded_at=now))
        conn.execute(sa.insert(schema.events).values(event_date=dt.date(2024, 5, 1), text="garage",
                                                     created_at=now))
    migrate(eng)
    insp = sa.inspect(eng)
    for name in ("themes", "roles", "role_themes", "actions", "action_kpis"):
        assert {c["name"] for c in insp.get_columns(name)} == {c.name for c in schema.metadata.tables[name].columns}
    obs = repository.load_observations(eng)
    assert obs[["indicator", "value", "source", "batch_id"]].values.tolist() == [["banen", 4100.0, "LISA", batch]]
    # the next start adds the werkplan's reference data and own actions, no illustrative ones;
    # this old database lacks the indicator bedrijven, so that link is left out
    ensure_ready(eng)
    assert len(repository.load_observations(eng)) == 1
    wp = werkplan.load_werkplan(eng, "Assen binnenstad")
    assert len(wp.themes) == 6 and len(wp.matrix) == 16
    assert wp.actions["code"].tolist() == ["1.1", "1.2", "1.3"]
    assert wp.actions["kpis"].tolist() == [("banen",)] * 3
    assert not wp.actions["illustrative"].any()
    ensure_ready(eng)  # a second start seeds nothing twice
    assert len(wp_store.load_actions(eng, "Assen binnenstad")) == 3
    eng.dispose()


# ---- CLI -------------------------------------------------------------------------------------

def _kpi(db_url: str, *args: str) -> subprocess.CompletedProcess:
    return run_kpi(db_url, *args)


def test_cli_acties_json(db_url):
    out = _kpi(db_url, "acties", "--json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert len(records) == 16
    assert all(list(r) == ["code", "title", "theme", "role", "owner", "status", "due", "kpis", "late",
                           "illustrative", "source"] for r in records)
    today = dt.date.today()
    for r in records:
        due = None if r["due"] is None else dt.date.fromisoformat(r["due"])
        assert r["late"] == (due is not None and due < today and r["status"] not in ("afgerond", "gestopt"))
    by_code = {r["code"]: r for r in records}
    assert by_code["A-02"] == {
        "code": "A-02", "title": "Winkelpanden buiten het kernwinkelgebied ombouwen tot woningen", "theme": "A",
        "role": "Programmamanager", "owner": "gemeente", "status": "vertraagd", "due": "2026-06-30",
        "kpis": ["leegstand", "leegstand_vvo"], "late": True, "illustrative": True,
        "source": "Illustratieve demoactie",
    }
    assert by_code["1.1"]["role"] is None and by_code["1.1"]["owner"] is None and by_code["1.1"]["due"] is None
    assert by_code["1.1"]["source"] == WERKPLAN_A + ", hoofdstuk 1 (economische ontwikkelstrategie)"
    late_flags = [r["late"] for r in records]
    assert late_flags == sorted(late_flags, reverse=True)  # late first


def test_cli_acties_filters_and_text_table(sqlite_url):
    out = _kpi(sqlite_url, "acties", "--json", "--thema", "bereikbaar", "--status", "Loopt")
    assert [r["code"] for r in json.loads(out.stdout)] == ["C-01"]
    out = _kpi(sqlite_url, "acties", "--thema", "f")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["code", "thema", "status", "deadline", "rol", "actie"]
    assert lines[2].split()[:4] == ["F-02", "F", "Gepland", "30-6-2027"]
    assert lines[3].split()[:4] == ["F-01", "F", "Afgerond", "31-10-2026"]
    assert lines[-1] == "* illustratieve actie (voorbeeld), geen echte actie uit het werkplan"
    out = _kpi(sqlite_url, "acties", "--thema", "E", "--status", "afgerond")
    assert (out.returncode, out.stdout) == (0, "Geen acties gevonden.\n")


@pytest.mark.parametrize("args, message", [
    (("--thema", "Z"), "Fout: onbekend thema ‘Z’. Kies een letter of naam: A compact & compleet, "),
    (("--status", "klaar"), "Fout: onbekende status ‘klaar’. Kies uit: gepland, lopend, afgerond, vertraagd, gestopt."),
])
def test_cli_acties_refuses_unknown_theme_or_status(sqlite_url, args, message):
    out = _kpi(sqlite_url, "acties", *args)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.startswith(message)
    assert "Traceback" not in out.stderr


def test_cli_demo_remove_says_what_it_removed(sqlite_url):
    out = _kpi(sqlite_url, "demo", "--remove")
    assert out.returncode == 0
    assert out.stdout.strip().endswith("illustratieve waarden en 13 illustratieve acties verwijderd.")
    out = _kpi(sqlite_url, "acties", "--json")
    assert [r["code"] for r in json.loads(out.stdout)] == ["1.1", "1.2", "1.3"]


# ---- undo of an action batch (storage level; the importer's undo will call it) ---------------

def _undo(engine, batch_id: int, now: dt.datetime) -> list[tuple[int, str]]:
    b = schema.import_batches
    with engine.begin() as conn:
        later = repository.later_batches(conn, schema.actions, batch_id)
        if later:
            return later
        wp_store.undo_actions(conn, batch_id, now)
        conn.execute(sa.update(b).where(b.c.id == batch_id).values(undone_at=now, undone_by="Anna"))
    return []


def test_undo_restores_the_actions_exactly_and_keeps_the_history(engine):
    compared = [c for c in wp_store.ACTION_COLUMNS if c not in ("id", "recorded_at", "superseded_at")]
    before = wp_store.load_actions(engine, "Assen binnenstad")[compared]
    t1, t2, t3 = (dt.datetime(2030, m, 1) for m in (1, 2, 3))
    current = wp_store.load_actions(engine, "Assen binnenstad")
    edit = current[current["code"].isin(["1.1", "A-01"])][[*wp_store.WRITE_COLUMNS, "area_id"]].copy()
    edit["status"] = ["lopend", "afgerond"]
    new = pd.DataFrame([dict(code="G-01", title="Nieuwe actie", theme="C", owner="", role="Verbinder", year=2030,
                             start=None, due=dt.date(2030, 6, 1), status="gepland", budget=None, spent=None,
                             fund=None, kpis=("waardering",), note="", source="actielijst", illustrative=False,
                             area_id=int(current["area_id"].iloc[0]))])
    b1 = _batch(engine)
    with engine.begin() as conn:
        wp_store.save_actions(conn, pd.concat([edit, new], ignore_index=True), b1, t1)
    b2 = _edit(engine, "1.1", t2, status="vertraagd")

    assert _undo(engine, b1, t3) == [(b2, "acties.xlsx")]  # b2 replaced a version of b1: undo b2 first
    assert _undo(engine, b2, t3) == []
    assert wp_store.load_actions(engine, "Assen binnenstad").set_index("code").loc["1.1", "status"] == "lopend"
    assert _undo(engine, b1, t3) == []

    after = wp_store.load_actions(engine, "Assen binnenstad")
    assert after[compared].equals(before)
    assert set(after.loc[after["code"].isin(["1.1", "A-01"]), "recorded_at"]) == {pd.Timestamp(t3)}
    during = wp_store.load_actions(engine, "Assen binnenstad", as_of=dt.datetime(2030, 1, 15)).set_index("code")
    assert during.loc[["1.1", "A-01", "G-01"], "status"].tolist() == ["lopend", "afgerond", "gepland"]
    ch = werkplan.action_changes(wp_store.load_actions(engine, "Assen binnenstad", as_of=dt.datetime(2030, 1, 15)), after)
    assert ch[["change", "code", "status_before", "status_after"]].values.tolist() == [
        ["status gewijzigd", "1.1", "lopend", "gepland"],
        ["status gewijzigd", "A-01", "afgerond", "lopend"],
        ["vervallen", "G-01", "gepland", None],
    ]


# ---- the page's own HTML tables (issue 19) ------------------------------------------------------

HOSTILE = '<img src=x onerror=alert(1)>'


def _page_table(actions: pd.DataFrame) -> pd.DataFrame:
    return wp_tables.with_status_symbols(wp_tables.actions_table(actions, TODAY, THEMES, {"leegstand": "Leegstand"}))


def test_actions_html_has_every_field_of_an_action_in_one_row():
    rows = frame(action("A2", "A", "vertraagd", "2026-06-30", "Programmamanager", ("leegstand",), 2025,
                        owner="gemeente", budget=60000.0, spent=41000.0, note="Wacht op vergunning",
                        illustrative=True))
    out = wp_tables.actions_html(_page_table(rows))
    assert [h for h in wp_tables.HTML_ACTION_COLUMNS] == ["Actie", "Status", "Deadline", "Rol en eigenaar", "KPI's",
                                                          "Toelichting"]
    for part in ('<span class="wp-code">A2</span> Actie A2 <span class="wp-demo">illustratief</span>',
                 "⚠ Vertraagd</span> <span class=\"wp-late\">te laat</span>", "30-6-2026",
                 "budget € 60.000, besteed € 41.000", "Programmamanager<div class=\"wp-sub\">gemeente</div>",
                 '<td data-label="KPI&#x27;s">Leegstand</td>', '<td data-label="Toelichting">Wacht op vergunning</td>',
                 'class="wp-table wp-actions wp-cards"', '<th scope="col">Deadline</th>', 'class="wp-row-late"'):
        assert part in out, part
    assert "background-color: #ffedd5" in out  # the status colour, beside its word and symbol


def test_actions_html_escapes_every_user_text():
    rows = frame(action(HOSTILE, "A", "lopend", "2026-12-31", HOSTILE, ("leegstand", HOSTILE), 2026,
                        owner=HOSTILE, note=HOSTILE, title=HOSTILE))
    out = wp_tables.actions_html(_page_table(rows))
    assert "<img" not in out and "onerror=alert(1)&gt;" in out
    assert out.count("&lt;img src=x onerror=alert(1)&gt;") == 6  # code, title, role, owner, KPI, note
    table = pd.DataFrame({"Rol": [HOSTILE], "Thema's": ['"><script>x</script>']})
    framed = wp_tables.frame_html(table)
    assert "<img" not in framed and "<script>" not in framed and "&quot;&gt;&lt;script&gt;" in framed
    assert "<img" not in wp_tables.html_table([HOSTILE], [["1"]], css=HOSTILE, row_classes=[HOSTILE])


def test_frame_html_lets_only_a_very_long_word_break_anywhere():
    """Issue 19: a URL or file name in a source may break inside itself, so the table never grows
    wider than the screen; ordinary words (a date in a narrow column) stay whole."""
    url = "https://www.cbs.nl/nl-nl/cijfers/detail/" + "a" * 60
    table = pd.DataFrame({"Peildatum": ["30-6-2026"], "Bron": [f"CBS Statline, {url}"], "Rijen": [12]})
    out = wp_tables.frame_html(table, numeric=["Rijen"])
    assert f'<td data-label="Bron"><span class="wp-long">CBS Statline, {url}</span></td>' in out
    assert '<td data-label="Peildatum">30-6-2026</td>' in out
    assert '<td data-label="Rijen"><span class="num">12</span></td>' in out
    assert "wp-scroll" not in out


def test_frame_html_scroll_box_is_a_named_region_the_keyboard_reaches():
    table = pd.DataFrame({"Toelichting": [HOSTILE]})
    out = wp_tables.frame_html(table, scroll_label='Metingen "<b>"')
    assert out.startswith('<div class="wp-scroll" role="region" aria-label="Metingen &quot;&lt;b&gt;&quot;" '
                          'tabindex="0"><table class="wp-table wp-cards">')
    assert out.endswith("</table></div>") and "<img" not in out and "<b>" not in out


def test_coverage_html_leads_with_kpis_without_a_running_action_and_the_total():
    cov = werkplan.coverage(SAMPLE, ["banen", "leegstand", "waardering", "ranking"], list("ABCDEF"))
    table = wp_tables.coverage_table(cov, THEMES, {"leegstand": "Leegstand", "ranking": "Ranking <b>"})
    assert wp_tables.without_running_action(table) == ["banen", "Ranking <b>"]
    assert wp_tables.uncovered_line(table) == "Geen lopende actie voor 2 KPI’s: banen, Ranking <b>."
    out = wp_tables.coverage_html(table, THEMES)
    heads = out.split("<tbody>")[0]
    assert heads.count("<th scope") == 8 and ">KPI</th><th scope=\"col\">Lopend</th><th scope=\"col\">A</th>" in heads
    body = out.split("<tbody>")[1]
    assert body.index("banen") < body.index("Ranking &lt;b&gt;") < body.index("Leegstand")  # 0 first
    assert "<b>" not in out
    one = frame(action("A1", "A", "lopend", "2026-12-31", kpis=("banen",)))
    covered = wp_tables.coverage_table(werkplan.coverage(one, ["banen"], list("ABCDEF")), THEMES)
    assert wp_tables.uncovered_line(covered) == "Voor elke KPI loopt minstens één actie."
    assert wp_tables.theme_legend(THEMES).startswith("A compact & compleet · B prettig & comfortabel")
