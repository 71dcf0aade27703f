"""Excel templates (sjablonen) per kind of import file: the columns, one example row and
drop-down lists filled from the database (issue 19.8).

The example row is built from what is stored (the latest figure, the current target, a theme,
role and status that exist), so a template imports without problems as it comes; the editor
overwrites the example with real rows. The lists live on a second sheet, 'Keuzelijsten', which
the importer never reads (it reads the first visible sheet, or one named 'data').
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import formatting as fmt
from kpi import repository, units, werkplan
from kpi.briefing.period import period_of
from kpi.importer.layouts import ACTION_FIELDS, AREA_FIELDS, DUIDING_FIELDS, TARGET_FIELDS, THEME_FIELDS
from kpi.importer.model import ACTIONS, AREAS, DUIDING, OBSERVATIONS, ROLES, TARGETS, THEMES
from kpi.metrics import ABSOLUTE, COMPARISONS
from kpi.settings import Settings
from kpi.werkplan import store as wp_store

# Kind of import -> the word in the file name and on the command line (the importer's kinds):
# without an apostrophe, which a file name and a shell do not take well.
TEMPLATE_WORDS = {OBSERVATIONS: "cijfers", TARGETS: "doelen", ACTIONS: "acties", DUIDING: "duiding",
                  THEMES: "themas", ROLES: "rollen", AREAS: "gebieden"}
# Kind of import -> the word a reader sees (the page's buttons, the CLI's sentences), spelt as Dutch
# spells it: "Sjabloon thema's".
TEMPLATE_LABELS = {**TEMPLATE_WORDS, THEMES: "thema's"}
# What a user may type for a kind on the command line.
KIND_ALIASES = {
    "cijfers": OBSERVATIONS, "metingen": OBSERVATIONS, "observaties": OBSERVATIONS, "figures": OBSERVATIONS,
    "doelen": TARGETS, "targets": TARGETS, "acties": ACTIONS, "actions": ACTIONS, "werkplan": ACTIONS,
    "duiding": DUIDING, "themas": THEMES, "thema's": THEMES, "themes": THEMES, "rollen": ROLES, "roles": ROLES,
    "gebieden": AREAS, "centra": AREAS, "werkgroepen": AREAS,
}
OBSERVATION_COLUMNS = ["gebied", "indicator", "peildatum", "waarde", "bron", "toelichting"]
TARGET_COLUMNS = list(TARGET_FIELDS)
ACTION_COLUMNS = list(ACTION_FIELDS)
DUIDING_COLUMNS = list(DUIDING_FIELDS)
THEME_COLUMNS = list(THEME_FIELDS)
ROLE_COLUMNS = ["gebied", "rol", "organisatie", "soort", "volgorde", "thema's", "omschrijving", "bron"]
AREA_COLUMNS = list(AREA_FIELDS)
DATA_SHEET = "Invullen"
LISTS_SHEET = "Keuzelijsten"
# Rows that get the drop-down lists (the example row and room below it).
VALIDATED_ROWS = 1000


def template_kind(word: str) -> str:
    """The import kind for 'cijfers', 'metingen', 'doelen', 'acties' (and English words);
    ValueError with a Dutch message for anything else."""
    kind = KIND_ALIASES.get(word.strip().casefold())
    if kind is None:
        raise ValueError(f"Onbekende soort sjabloon '{word}'; kies uit: {', '.join(TEMPLATE_WORDS.values())}.")
    return kind


def template_file_name(kind: str) -> str:
    """'sjabloon-cijfers.xlsx'."""
    return f"sjabloon-{TEMPLATE_WORDS[kind]}.xlsx"


def template_lists(engine: Engine, area: str) -> dict[str, list[str]]:
    """The drop-down lists as the database has them now, themes and roles of the centre `area`
    (gebied): list name -> allowed values."""
    indicators = repository.load_indicators(engine)
    themes = wp_store.load_themes(engine, area)
    return {
        "indicator": [str(c) for c in indicators["code"]],
        "gebied": [str(a) for a in repository.load_areas(engine)["name"]],
        "thema": [str(t) for t in themes["label"]],
        "rol": [str(r) for r in wp_store.load_roles(engine, area)["name"]],
        "status": [s.code for s in werkplan.ACTION_STATUSES],
        "richting": ["hoger", "lager"],
        "vergelijking": list(COMPARISONS),
        "fonds": list(dict.fromkeys([*werkplan.FUNDS, *wp_store.centre_funds(engine, area)])),
        "soort": ["rol", "orgaan"],
        # The centre first: a template made for a centre fills in that centre.
        "centrum": [area],
        "letters": [str(x) for x in themes["letter"]],
        "ja_nee": ["ja", "nee"],
    }


def _amount(value: float, decimals: int) -> float | int:
    return int(round(value)) if decimals == 0 else round(float(value), decimals)


def _observation_example(engine: Engine, today: dt.date) -> dict[str, object]:
    """The latest stored figure of the first indicator (an import of it changes at most its source)."""
    indicators = repository.load_indicators(engine)
    first = indicators.iloc[0]
    areas = repository.load_areas(engine)
    obs = repository.load_observations(engine, indicator=str(first["code"]))
    if len(obs):
        latest = obs.sort_values("peildatum").iloc[-1]
        area, when = str(latest["area"]), fmt.peildatum(latest["peildatum"], latest["precision"])
        value = _amount(latest["value"], int(first["decimals"]))
    else:  # an empty database: a plain, valid figure for last year
        area, when = str(areas["name"].iloc[0]), str(today.year - 1)
        value = units.unit(str(first["unit"])).example
    return {"gebied": area, "indicator": str(first["code"]), "peildatum": when, "waarde": value,
            "bron": "Voorbeeld: vervang door de bron van het cijfer",
            "toelichting": "Voorbeeldrij: overschrijf of verwijder deze rij"}


def _target_example(engine: Engine, today: dt.date) -> dict[str, object]:
    """The current target of the first indicator that has one, as a new version with a reason."""
    targets = repository.load_current_targets(engine)
    indicators = repository.load_indicators(engine)
    if targets.empty:  # no target yet: an absolute one for the first indicator, from last year
        ind = indicators.iloc[0]
        area = str(repository.load_areas(engine)["name"].iloc[0])
        u = units.unit(str(ind["unit"]))
        value = u.example if u.example_target is None else u.example_target
        year = today.year
        return {"indicator": str(ind["code"]), "gebied": area, "basiswaarde": value, "basisjaar": year - 1,
                "doelwaarde": value, "doeljaar": year + 4, "richting": str(ind["direction"]),
                "vergelijking": ABSOLUTE, "bron": "Voorbeeld: vervang door de bron van het doel",
                "reden": "Voorbeeld: vervang door de reden van deze versie", "geldig_vanaf": "",
                "planningshorizon": "", "basis_landelijk": "", **_agreement_example("")}
    t = targets.iloc[0]
    ind = indicators.loc[t["indicator"]]
    dec = int(ind["decimals"])

    def num(v):
        return "" if v is None or pd.isna(v) else _amount(v, dec)

    def year(v):
        return "" if v is None or pd.isna(v) else int(v)

    return {
        "indicator": str(t["indicator"]), "gebied": str(t["area"]),
        "basiswaarde": num(t["baseline_value"]), "basisjaar": year(t["baseline_year"]),
        "doelwaarde": num(t["target_value"]), "doeljaar": year(t["target_year"]),
        "richting": str(ind["direction"]), "vergelijking": str(t["comparison"] or ABSOLUTE),
        "bron": str(t["source"] or "Voorbeeld: vervang door de bron van het doel"),
        "reden": "Voorbeeld: vervang door de reden van deze versie",
        "geldig_vanaf": "", "planningshorizon": year(t["horizon_year"]),
        "basis_landelijk": num(t["baseline_benchmark"]),
        **_agreement_example(t.get("agreement")),
    }


def _agreement_example(name) -> dict[str, object]:
    """The agreement columns of a targets example: the target's own agreement; its date, parties,
    source and end date empty (an empty cell keeps the stored value)."""
    return {"akkoord": "" if name is None or pd.isna(name) else str(name), "akkoord_datum": "", "partijen": "",
            "akkoord_bron": "", "afgesloten": "", "toelichting": ""}


def _action_example(engine: Engine, today: dt.date, lists: dict[str, list[str]]) -> dict[str, object]:
    """A new action with a theme, role, status and KPI that exist."""
    return {
        "code": "VOORBEELD-1", "titel": "Voorbeeldactie: overschrijf of verwijder deze rij",
        "thema": lists["thema"][0] if lists["thema"] else "", "eigenaar": "Programmabureau",
        "rol": lists["rol"][0] if lists["rol"] else "", "jaar": today.year,
        "start": f"1-1-{today.year}", "deadline": f"31-12-{today.year}", "status": "gepland",
        "budget": 10000, "besteed": 0, "fonds": lists["fonds"][0], "kpis": lists["indicator"][0],
        "toelichting": "", "bron": "Voorbeeld: werkplan", "gebied": lists["centrum"][0],
    }


def _theme_example(lists: dict[str, list[str]]) -> dict[str, object]:
    """A new theme of the centre: the first letter it does not use yet."""
    free = next((c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in lists["letters"]), "Z")
    return {"gebied": lists["centrum"][0], "letter": free, "naam": "Voorbeeldthema: overschrijf of verwijder deze rij",
            "omschrijving": "", "bron": "Voorbeeld: werkplan"}


def _role_example(lists: dict[str, list[str]]) -> dict[str, object]:
    """A new role of the centre on its first theme (if it has one)."""
    return {"gebied": lists["centrum"][0], "rol": "Voorbeeldrol: overschrijf of verwijder deze rij",
            "organisatie": "Programmabureau", "soort": "rol", "volgorde": 1,
            "thema's": lists["letters"][0] if lists["letters"] else "", "omschrijving": "",
            "bron": "Voorbeeld: werkplan"}


# Column -> the list that checks it, per kind. kpis may name several indicators, so its list
# suggests without refusing other input.
_VALIDATED = {
    OBSERVATIONS: {"gebied": "gebied", "indicator": "indicator"},
    TARGETS: {"gebied": "gebied", "indicator": "indicator", "richting": "richting", "vergelijking": "vergelijking"},
    ACTIONS: {"gebied": "gebied", "thema": "thema", "rol": "rol", "status": "status", "fonds": "fonds",
              "kpis": "indicator"},
    DUIDING: {"gebied": "gebied", "indicator": "indicator"},
    THEMES: {"gebied": "gebied"},
    ROLES: {"gebied": "gebied", "soort": "soort"},
    AREAS: {"illustratief": "ja_nee"},
}


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def template_xlsx(engine: Engine, kind: str, today: dt.date | None = None, area: str | None = None) -> bytes:
    """An .xlsx template for one kind of import file: headers, an example row, drop-down lists
    (themes, roles and funds of the centre `area`, default KPI_AREA's)."""
    import openpyxl  # slow to import; only a template needs it here
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    today = today or dt.date.today()
    lists = template_lists(engine, area or Settings.from_env().area)
    if kind == OBSERVATIONS:
        columns, example = OBSERVATION_COLUMNS, _observation_example(engine, today)
    elif kind == TARGETS:
        columns, example = TARGET_COLUMNS, _target_example(engine, today)
    elif kind == ACTIONS:
        columns, example = ACTION_COLUMNS, _action_example(engine, today, lists)
    elif kind == DUIDING:
        columns, example = DUIDING_COLUMNS, _duiding_example(today, lists)
    elif kind == THEMES:
        columns, example = THEME_COLUMNS, _theme_example(lists)
    elif kind == ROLES:
        columns, example = ROLE_COLUMNS, _role_example(lists)
    elif kind == AREAS:
        columns, example = AREA_COLUMNS, _area_example(engine)
    else:
        raise ValueError(f"Onbekende soort sjabloon '{kind}'.")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(columns)
    ws.append([example[c] for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[_column_letter(i)].width = max(12, min(40, len(str(example[col])) + 2, ))
    ws.freeze_panes = "A2"

    sheet = wb.create_sheet(LISTS_SHEET)
    used = list(dict.fromkeys(_VALIDATED[kind].values()))
    for i, name in enumerate(used, start=1):
        letter = _column_letter(i)
        sheet.cell(row=1, column=i, value=name).font = Font(bold=True)
        for r, value in enumerate(lists[name], start=2):
            sheet.cell(row=r, column=i, value=value)
        sheet.column_dimensions[letter].width = max(12, min(40, max((len(v) for v in lists[name]), default=0) + 2))
    for col, name in _VALIDATED[kind].items():
        i = used.index(name) + 1
        letter = _column_letter(i)
        source = f"{LISTS_SHEET}!${letter}$2:${letter}${max(2, len(lists[name]) + 1)}"
        # kpis may name several; a centre may name a fund of its own (funds are data per centre)
        strict = col not in ("kpis", "fonds")
        dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True,
                            showErrorMessage=strict, errorTitle="Onbekende waarde",
                            error=f"Kies een {col} uit de lijst (blad {LISTS_SHEET}).",
                            promptTitle=col, prompt=f"Kies uit de lijst (blad {LISTS_SHEET}).", showInputMessage=True)
        target = _column_letter(columns.index(col) + 1)
        dv.add(f"{target}2:{target}{VALIDATED_ROWS + 1}")
        ws.add_data_validation(dv)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _duiding_example(today: dt.date, lists: dict[str, list[str]]) -> dict[str, object]:
    """A duiding of the first KPI for the current period (datum empty: the day of the import)."""
    return {
        "gebied": lists["gebied"][0], "indicator": lists["indicator"][0], "periode": period_of(today),
        "oorzaak": "Voorbeeld: waarom staat de KPI waar hij staat?",
        "effect": "Voorbeeld: wat betekent dat voor het doel?",
        "bijsturing": "Voorbeeld: wat doet of stelt de regiegroep voor?",
        "auteur": "Regiegroep binnenstad", "datum": "",
    }


def _area_example(engine: Engine) -> dict[str, object]:
    """The first stored centre as it is (imports unchanged); the editor adds rows for new centres."""
    areas = repository.load_areas(engine)
    first = areas.iloc[0]
    return {"slug": str(first["slug"]), "naam": str(first["name"]), "soort": str(first["kind"]),
            "werkgroep": str(first["peer_group"] or ""), "illustratief": "ja" if bool(first["illustrative"]) else "nee",
            "toelichting": str(first["description"] or "")}
