"""First-start data: indicators, areas, akkoord targets and published figures from data/,
the werkplan (themes, roles, role x theme matrix, the chapter-1 actions), plus optional
illustrative series and actions, each flagged as such."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import repository, schema
from kpi.periods import parse_peildatum
from kpi.settings import DATA_DIR
from kpi.werkplan import store as wp_store

INDICATORS_CSV = DATA_DIR / "indicatoren.csv"
AREAS_CSV = DATA_DIR / "gebieden.csv"
TARGETS_CSV = DATA_DIR / "reference" / "akkoord-doelen.csv"
FIGURES_CSV = DATA_DIR / "reference" / "gepubliceerde-cijfers.csv"
AGREEMENTS_CSV = DATA_DIR / "reference" / "akkoorden.csv"
VISIE_CSV = DATA_DIR / "reference" / "visie-2021-doelen.csv"
# The agreement of akkoord-doelen.csv, which names none itself (issue 21).
AKKOORD = "Binnenstadakkoord Assen 2018"
VISIE = "Binnenstadsvisie Assen 2021"
DEMO_CSV = DATA_DIR / "demo-reeksen.csv"
THEMES_CSV = DATA_DIR / "werkplan-themas.csv"
ROLES_CSV = DATA_DIR / "werkplan-rollen.csv"
ROLE_THEMES_CSV = DATA_DIR / "werkplan-rolmatrix.csv"
ACTIONS_CSV = DATA_DIR / "werkplan-acties.csv"
DEMO_ACTIONS_CSV = DATA_DIR / "werkplan-demo-acties.csv"
PEER_AREAS_CSV = DATA_DIR / "werkgroep-gebieden.csv"
PEER_SERIES_CSV = DATA_DIR / "werkgroep-reeksen.csv"
# One fictional demo centre's own werkplan (issue 21.3): the Platform's project themes, fictional
# roles and a few illustrative actions; `demo --remove` removes them with the centre.
PEER_THEMES_CSV = DATA_DIR / "werkgroep-werkplan-themas.csv"
PEER_ROLES_CSV = DATA_DIR / "werkgroep-werkplan-rollen.csv"
PEER_ACTIONS_CSV = DATA_DIR / "werkgroep-werkplan-acties.csv"
# The date the Binnenstadakkoord was signed: the first target version is valid from then.
AKKOORD_SIGNED = dt.date(2018, 2, 7)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _none_if_blank(value: str, cast):
    return cast(value) if str(value).strip() != "" else None


def seed_reference(engine: Engine) -> None:
    """Insert indicators, areas, the akkoord targets and the published figures."""
    now = repository.utcnow()
    with engine.begin() as conn:
        ind = _read(INDICATORS_CSV)
        conn.execute(
            sa.insert(schema.indicators),
            [
                dict(
                    code=r.code, name=r.naam, unit=r.eenheid, direction=r.richting,
                    decimals=int(r.decimalen), max_age_years=int(r.max_leeftijd_jaren),
                    frequency=r.frequentie, theme=r.thema, sort_order=int(r.volgorde),
                    definition=r.definitie, source=r.bron,
                    plausible_jump=_none_if_blank(getattr(r, "plausibele_sprong", ""), float),
                )
                for r in ind.itertuples()
            ],
        )
        areas = _read(AREAS_CSV)
        for r in areas.itertuples():
            conn.execute(sa.insert(schema.areas), repository.area_rows(
                conn, [r.naam], kind=r.soort, description=r.toelichting,
                peer_group=getattr(r, "werkgroep", "")))
        ids = repository.area_ids(conn)
        batch = repository.create_batch(conn, "doelen", f"data/reference/{TARGETS_CSV.name}", "seed")
        agreements = _insert_agreements(conn, batch)
        targets = _read(TARGETS_CSV)
        conn.execute(
            sa.insert(schema.targets),
            [
                dict(
                    indicator_code=r.indicator, area_id=ids[r.gebied], version=1,
                    agreement_id=agreements[getattr(r, "akkoord", "") or AKKOORD],
                    baseline_value=_none_if_blank(r.basiswaarde, float),
                    baseline_year=_none_if_blank(r.basisjaar, int),
                    target_value=_none_if_blank(r.doelwaarde, float),
                    target_year=_none_if_blank(r.doeljaar, int),
                    comparison=r.vergelijking, source=r.bron, valid_from=AKKOORD_SIGNED,
                    horizon_year=_none_if_blank(getattr(r, "planningshorizon", ""), int),
                    baseline_benchmark=_none_if_blank(getattr(r, "basis_landelijk", ""), float),
                    reason="Binnenstadakkoord ondertekend", created_at=now, created_by="seed",
                    batch_id=batch,
                )
                for r in targets.itertuples()
            ],
        )
        _insert_figures(conn, _read(FIGURES_CSV), "seed", f"data/reference/{FIGURES_CSV.name}", False)
        repository.touch_data_version(conn)
    seed_werkplan(engine)
    seed_agreements(engine)


def _insert_agreements(conn: Connection, batch: int) -> dict[str, int]:
    """The agreements of akkoorden.csv not stored yet; returns name -> id of every current one."""
    g = schema.agreements
    stored = dict(conn.execute(sa.select(g.c.name, g.c.id).where(g.c.superseded_at.is_(None))).all())
    now = repository.utcnow()
    new = [dict(name=r.akkoord, agreement_date=parse_peildatum(r.datum)[0], parties=r.partijen, source=r.bron,
                end_date=parse_peildatum(r.afgesloten)[0] if r.afgesloten.strip() else None,
                batch_id=batch, recorded_at=now)
           for r in _read(AGREEMENTS_CSV).itertuples() if r.akkoord not in stored]
    if new:
        conn.execute(sa.insert(g), new)
    return dict(conn.execute(sa.select(g.c.name, g.c.id).where(g.c.superseded_at.is_(None))).all())


def has_visie(engine: Engine) -> bool:
    """True when the Binnenstadsvisie 2021 is stored (or was, and was changed)."""
    g = schema.agreements
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(g).where(g.c.name == VISIE)).scalar() > 0


def _insert_missing_indicators(conn: Connection) -> int:
    """Insert the indicators of data/indicatoren.csv the database does not have yet; how many."""
    known = set(conn.execute(sa.select(schema.indicators.c.code)).scalars())
    ind = _read(INDICATORS_CSV)
    ind = ind[~ind["code"].isin(known)]
    if not ind.empty:
        conn.execute(sa.insert(schema.indicators), [
            dict(code=r.code, name=r.naam, unit=r.eenheid, direction=r.richting,
                 decimals=int(r.decimalen), max_age_years=int(r.max_leeftijd_jaren),
                 frequency=r.frequentie, theme=r.thema, sort_order=int(r.volgorde),
                 definition=r.definitie, source=r.bron,
                 plausible_jump=_none_if_blank(getattr(r, "plausibele_sprong", ""), float))
            for r in ind.itertuples()
        ])
    return len(ind)


def missing_indicators(engine: Engine) -> bool:
    """True when data/indicatoren.csv names an indicator the database lacks (a database made
    before it was added, such as `inwoners`, the benchmark's denominator)."""
    with engine.connect() as conn:
        known = set(conn.execute(sa.select(schema.indicators.c.code)).scalars())
    return not set(_read(INDICATORS_CSV)["code"]) <= known


def add_missing_indicators(engine: Engine) -> int:
    """Add the indicators a database made earlier lacks (never changes stored ones); how many."""
    with engine.begin() as conn:
        added = _insert_missing_indicators(conn)
        if added:
            repository.touch_data_version(conn)
    return added


def seed_agreements(engine: Engine) -> None:
    """The later agreements beside the akkoord (issue 21): the Binnenstadsvisie 2021 with its
    indicators and goals for 2030. Also run for a database made before agreements existed
    (migration 0010 put its targets in the akkoord); indicators and targets already there stay."""
    now = repository.utcnow()
    with engine.begin() as conn:
        _insert_missing_indicators(conn)
        batch = repository.create_batch(conn, "doelen", f"data/reference/{VISIE_CSV.name}", "seed")
        agreements = _insert_agreements(conn, batch)
        t = schema.targets
        ids = repository.area_ids(conn)
        has_target = {(c, a) for c, a in conn.execute(sa.select(t.c.indicator_code, t.c.area_id)).all()}
        rows = [
            dict(indicator_code=r.indicator, area_id=ids[r.gebied], version=1, agreement_id=agreements[r.akkoord],
                 baseline_value=_none_if_blank(r.basiswaarde, float), baseline_year=_none_if_blank(r.basisjaar, int),
                 target_value=_none_if_blank(r.doelwaarde, float), target_year=_none_if_blank(r.doeljaar, int),
                 comparison=r.vergelijking, source=r.bron,
                 valid_from=parse_peildatum(_read(AGREEMENTS_CSV).set_index("akkoord").loc[r.akkoord, "datum"])[0],
                 reason=f"{r.akkoord}: {r.toelichting}", created_at=now, created_by="seed", batch_id=batch)
            for r in _read(VISIE_CSV).itertuples()
            if r.gebied in ids and (r.indicator, ids[r.gebied]) not in has_target
        ]
        if rows:
            conn.execute(sa.insert(t), rows)
        repository.touch_data_version(conn)


def seed_demo(engine: Engine) -> None:
    """Insert the illustrative series and actions, flagged illustrative."""
    with engine.begin() as conn:
        _insert_figures(conn, _read(DEMO_CSV), "demo", f"data/{DEMO_CSV.name}", True)
        _insert_actions(conn, _read(DEMO_ACTIONS_CSV), "demo", f"data/{DEMO_ACTIONS_CSV.name}", True)
        repository.touch_data_version(conn)


def seed_peers(engine: Engine, area: str) -> tuple[int, int]:
    """Add the werkgroep of the benchmark demo (python -m kpi demo): fictional centres with
    illustrative series, and the published peer figures with their measure as real ones; `area`
    (the default centre) joins the werkgroep when it is in none. Running it again adds nothing.
    Returns (centres added, figures added)."""
    areas = _read(PEER_AREAS_CSV)
    series = _read(PEER_SERIES_CSV)
    group = str(areas["werkgroep"].iloc[0])
    with engine.begin() as conn:
        _insert_missing_indicators(conn)  # the denominators (inwoners) of a database made before them
        known = repository.area_ids(conn)
        new = areas[~areas["naam"].isin(known)]
        for r in new.itertuples():
            conn.execute(sa.insert(schema.areas), repository.area_rows(
                conn, [r.naam], kind=r.soort, description=r.toelichting, peer_group=r.werkgroep,
                illustrative=r.illustratief == "ja"))
        a = schema.areas
        conn.execute(sa.update(a).where(a.c.name == area, a.c.peer_group == "").values(peer_group=group))
        ids = repository.area_ids(conn)
        o = schema.observations
        present = {(r.area_id, r.indicator_code, r.peildatum, r.precision) for r in conn.execute(
            sa.select(o.c.area_id, o.c.indicator_code, o.c.peildatum, o.c.precision)
            .where(o.c.superseded_at.is_(None), o.c.area_id.in_([ids[n] for n in areas["naam"]])))}
        fresh = series[[(ids[r.gebied], r.indicator, *parse_peildatum(r.peildatum)) not in present
                        for r in series.itertuples()]]
        for flag, part in fresh.groupby("illustratief"):
            _insert_figures(conn, part, "demo", f"data/{PEER_SERIES_CSV.name}", flag == "ja")
        _seed_peer_werkplan(conn, ids)
        repository.touch_data_version(conn)
    return len(new), len(fresh)


def _seed_peer_werkplan(conn: Connection, ids: dict[str, int]) -> None:
    """The demo werkplan of a fictional centre, unless that centre has themes already."""
    themes, roles, actions = _read(PEER_THEMES_CSV), _read(PEER_ROLES_CSV), _read(PEER_ACTIONS_CSV)
    area_id = ids[str(themes["gebied"].iloc[0])]
    t = schema.themes
    if conn.execute(sa.select(sa.func.count()).where(t.c.area_id == area_id)).scalar():
        return
    conn.execute(sa.insert(t), [dict(area_id=area_id, letter=r.letter, name=r.naam, description=r.omschrijving,
                                     source=r.bron) for r in themes.itertuples()])
    for r in roles.to_dict("records"):
        role_id = conn.execute(sa.insert(schema.roles).values(
            area_id=area_id, name=r["naam"], body=r["organisatie"], kind=r["soort"], sort_order=int(r["volgorde"]),
            description=r["omschrijving"], source=r["bron"])).inserted_primary_key[0]
        conn.execute(sa.insert(schema.role_themes), [
            dict(role_id=role_id, area_id=area_id, theme_letter=x.strip(), source=r["bron"])
            for x in r["thema's"].split(",") if x.strip()])
    batch = repository.create_batch(conn, "demo", f"data/{PEER_ACTIONS_CSV.name}", "seed", rows_total=len(actions),
                                    rows_added=len(actions))
    wp_store.save_actions(conn, action_frame(actions, True).assign(area_id=area_id), batch, repository.utcnow())


def werkplan_area_id(conn: Connection) -> int:
    """The centre whose werkplan data/werkplan-*.csv hold: the monitored centre of data/gebieden.csv
    (Assen binnenstad), else the first area."""
    a = schema.areas
    found = conn.execute(sa.select(a.c.id).where(a.c.name == str(_read(AREAS_CSV)["naam"].iloc[0]))).scalar()
    return found if found is not None else conn.execute(sa.select(sa.func.min(a.c.id))).scalar()


def seed_werkplan(engine: Engine) -> None:
    """Insert Assen's themes, roles and bodies, the role x theme matrix and the werkplan's own
    actions (deel A, chapter 1). Also run for a database made before the werkplan existed."""
    with engine.begin() as conn:
        area_id = werkplan_area_id(conn)
        themes = _read(THEMES_CSV)
        conn.execute(
            sa.insert(schema.themes),
            [dict(area_id=area_id, letter=r.letter, name=r.naam, description=r.omschrijving, source=r.bron)
             for r in themes.itertuples()],
        )
        roles = _read(ROLES_CSV)
        conn.execute(
            sa.insert(schema.roles),
            [dict(area_id=area_id, name=r.naam, body=r.organisatie, kind=r.soort, sort_order=int(r.volgorde),
                  description=r.omschrijving, source=r.bron) for r in roles.itertuples()],
        )
        ids = wp_store.role_ids(conn)
        matrix = _read(ROLE_THEMES_CSV)
        conn.execute(
            sa.insert(schema.role_themes),
            [dict(role_id=ids[(area_id, r.rol.lower())], area_id=area_id, theme_letter=r.thema, source=r.bron)
             for r in matrix.itertuples()],
        )
        _insert_actions(conn, _read(ACTIONS_CSV), "acties", f"data/{ACTIONS_CSV.name}", False)
        repository.touch_data_version(conn)


def action_frame(df: pd.DataFrame, illustrative: bool) -> pd.DataFrame:
    """An action list with the contract's Dutch headers as the frame save_actions writes."""
    def day(text: str):
        return parse_peildatum(text)[0] if text.strip() else None

    return pd.DataFrame({
        "code": df["code"], "title": df["titel"], "theme": df["thema"], "owner": df["eigenaar"],
        "role": df["rol"], "year": [_none_if_blank(v, int) for v in df["jaar"]],
        "start": [day(v) for v in df["start"]], "due": [day(v) for v in df["deadline"]],
        "status": df["status"], "budget": [_none_if_blank(v, float) for v in df["budget"]],
        "spent": [_none_if_blank(v, float) for v in df["besteed"]],
        "fund": [v or None for v in df["fonds"]],
        "kpis": [tuple(k.strip() for k in v.split(",") if k.strip()) for v in df["kpis"]],
        "note": df["toelichting"], "source": df["bron"], "illustrative": illustrative,
    })


def _insert_actions(conn: Connection, df: pd.DataFrame, kind: str, name: str, illustrative: bool) -> None:
    batch = repository.create_batch(conn, kind, name, "seed", rows_total=len(df), rows_added=len(df))
    actions = action_frame(df, illustrative).assign(area_id=werkplan_area_id(conn))
    # A database from before the werkplan may lack an indicator the seed links to: keep the
    # action, drop that link (the KPIs it is meant to move can be added by an import).
    known = set(conn.execute(sa.select(schema.indicators.c.code)).scalars())
    actions["kpis"] = [tuple(k for k in kpis if k in known) for kpis in actions["kpis"]]
    wp_store.save_actions(conn, actions, batch, repository.utcnow())


def _insert_figures(conn: Connection, df: pd.DataFrame, kind: str, name: str, illustrative: bool) -> None:
    ids = repository.area_ids(conn)
    now = repository.utcnow()
    batch = repository.create_batch(
        conn, kind, name, "seed", rows_total=len(df), rows_added=len(df)
    )
    rows = []
    for r in df.itertuples():
        day, precision = parse_peildatum(r.peildatum)
        rows.append(
            dict(
                area_id=ids[r.gebied], indicator_code=r.indicator, peildatum=day,
                precision=precision, value=float(r.waarde), source=r.bron, note=r.toelichting,
                illustrative=illustrative, batch_id=batch, recorded_at=now,
            )
        )
    conn.execute(sa.insert(schema.observations), rows)
