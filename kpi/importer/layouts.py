"""Recognise a sheet's layout and turn it into one row per figure (or per target).

- tidy: one row per figure: gebied, indicator, peildatum or jaar, waarde, bron[, toelichting];
- wide: one row per area and indicator, one column per year (or date);
- targets (doelen): the columns of data/reference/akkoord-doelen.csv plus `reden`;
- actions (acties): the werkplan's action list, one row per action (ACTION_FIELDS);
- subscribers (abonnees): who gets the digest, one row per e-mail address (SUBSCRIBER_FIELDS);
- duiding: the regiegroep's duiding, one row per area, KPI and briefing period (DUIDING_FIELDS);
- themes (themas) and roles (rollen) of a centre's werkplan (THEME_FIELDS, ROLE_FIELDS).

Headers are matched case-insensitively, with English aliases. Every output row keeps its
file, spreadsheet row and the header text of each field, so a message can point at the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from kpi.importer.model import (
    ACTIONS,
    AREAS,
    DUIDING,
    OBSERVATIONS,
    ROLES,
    SUBSCRIBERS,
    TARGETS,
    THEMES,
    Problem,
)
from kpi.importer.parsing import display_text, infer_decimal, parse_numbers
from kpi.importer.reading import Sheet, header_text
from kpi.periods import parse_peildatum

OBSERVATION_FIELDS: dict[str, tuple[str, ...]] = {
    "gebied": ("gebied", "area"),
    "indicator": ("indicator",),
    "peildatum": ("peildatum", "date", "datum"),
    "jaar": ("jaar", "year"),
    "waarde": ("waarde", "value"),
    "bron": ("bron", "source"),
    "toelichting": ("toelichting", "note", "notes", "opmerking"),
}
TARGET_FIELDS: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator",),
    "gebied": ("gebied", "area"),
    "basiswaarde": ("basiswaarde", "baseline", "baseline_value"),
    "basisjaar": ("basisjaar", "baseline_year"),
    "doelwaarde": ("doelwaarde", "target", "target_value"),
    "doeljaar": ("doeljaar", "target_year"),
    "richting": ("richting", "direction"),
    "vergelijking": ("vergelijking", "comparison"),
    "bron": ("bron", "source"),
    "reden": ("reden", "reason"),
    "geldig_vanaf": ("geldig_vanaf", "valid_from"),
    "planningshorizon": ("planningshorizon", "horizon", "horizon_year"),
    "basis_landelijk": ("basis_landelijk", "baseline_benchmark"),
    # Issue 21, all optional: the agreement the target belongs to and, for a new or changed
    # agreement, its date, parties, source and end date (afgesloten). Without `akkoord` a target
    # keeps the agreement it has.
    "akkoord": ("akkoord", "agreement"),
    "akkoord_datum": ("akkoord_datum", "akkoorddatum", "agreement_date"),
    "partijen": ("partijen", "parties"),
    "akkoord_bron": ("akkoord_bron", "agreement_source"),
    "afgesloten": ("afgesloten", "einddatum", "end_date"),
    "toelichting": ("toelichting", "note"),
}
# Any of these columns makes a file a targets file.
TARGET_MARKERS = {"basiswaarde", "basisjaar", "doelwaarde", "doeljaar", "vergelijking"}
TARGET_REQUIRED = ["indicator", "gebied", "basiswaarde", "basisjaar", "doelwaarde", "doeljaar", "vergelijking", "reden"]
# The werkplan's action list (issue 9): one row per action.
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "titel": ("titel", "title"),
    "thema": ("thema", "theme"),
    "eigenaar": ("eigenaar", "owner"),
    "rol": ("rol", "role"),
    "jaar": ("jaar", "year"),
    "start": ("start", "startdatum", "start_date"),
    "deadline": ("deadline", "due", "einddatum", "due_date"),
    "status": ("status",),
    "budget": ("budget",),
    "besteed": ("besteed", "spent"),
    "fonds": ("fonds", "fund"),
    "kpis": ("kpis", "kpi", "kpi's"),
    "toelichting": ("toelichting", "note", "notes", "opmerking"),
    "bron": ("bron", "source"),
    # The centre (issue 21.3); without the column, the centre chosen on the page or with --gebied.
    "gebied": ("gebied", "area", "centrum"),
}
# `status` with any of these makes a file an action list (a figures file has no status).
ACTION_MARKERS = {"deadline", "titel", "thema"}
ACTION_REQUIRED = ["code", "titel", "thema", "status"]
# Subscribers of the digest (issue 22): an e-mail column makes a file a subscriber list.
SUBSCRIBER_FIELDS: dict[str, tuple[str, ...]] = {
    "naam": ("naam", "name"),
    "e-mail": ("e_mail", "email", "mail", "e_mailadres", "emailadres"),
    "centra": ("centra", "centrum", "gebied", "gebieden", "areas"),
    "kpis": ("kpis", "kpi", "kpi's"),
    "werkplan": ("werkplan",),
    "actief": ("actief", "active"),
}
# The regiegroep's duiding (issue 20): an oorzaak or bijsturing column makes a file a duiding file.
DUIDING_FIELDS: dict[str, tuple[str, ...]] = {
    "gebied": ("gebied", "area"),
    "indicator": ("indicator", "kpi"),
    "periode": ("periode", "period", "briefingperiode"),
    "oorzaak": ("oorzaak", "cause"),
    "effect": ("effect", "effect_op_doel", "gevolg"),
    "bijsturing": ("bijsturing", "maatregel", "maatregelen", "steering"),
    "auteur": ("auteur", "author", "door"),
    "datum": ("datum", "date", "geschreven_op"),
}
DUIDING_MARKERS = {"oorzaak", "bijsturing"}
DUIDING_REQUIRED = ["gebied", "indicator", "periode", "oorzaak", "effect", "bijsturing", "auteur"]
# A centre's werkplan themes (issue 21.3): a `letter` column makes a file a themes file.
THEME_FIELDS: dict[str, tuple[str, ...]] = {
    "gebied": ("gebied", "area", "centrum"),
    "letter": ("letter", "themaletter"),
    "naam": ("naam", "name", "thema"),
    "omschrijving": ("omschrijving", "description"),
    "bron": ("bron", "source"),
}
THEME_REQUIRED = ["letter", "naam"]
# A centre's roles and bodies: `rol` with `organisatie` or `soort`, and no `status`, makes a roles file.
ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "gebied": ("gebied", "area", "centrum"),
    "rol": ("rol", "role"),
    "organisatie": ("organisatie", "body"),
    "soort": ("soort", "kind"),
    "volgorde": ("volgorde", "order"),
    "themas": ("themas", "thema's", "thema", "themes"),
    "omschrijving": ("omschrijving", "description"),
    "bron": ("bron", "source"),
}
ROLE_MARKERS = {"organisatie", "soort"}
ROLE_REQUIRED = ["rol"]

# Centres and their werkgroep (issue 21): a `slug` column makes a file a gebieden file.
AREA_FIELDS: dict[str, tuple[str, ...]] = {
    "slug": ("slug",),
    "naam": ("naam", "name", "gebied"),
    "soort": ("soort", "kind"),
    "werkgroep": ("werkgroep", "vergelijkingsgroep", "peer_group"),
    "illustratief": ("illustratief", "fictief", "illustrative"),
    "toelichting": ("toelichting", "omschrijving", "description"),
}
AREA_REQUIRED = ["slug", "naam"]


@dataclass
class Extracted:
    """One file as rows of figures or targets, or the problems that prevent it."""

    kind: str
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-]+", "_", header.replace("\ufeff", "").strip().lower())


def _lookup(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: name for name, aliases in fields.items() for alias in aliases}


def _period(value: object) -> bool:
    if isinstance(value, str) and not re.match(r"^\s*\d", value):
        return False
    try:
        parse_peildatum(value)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def _has_data(col: pd.Series) -> pd.Series:
    return col.map(lambda v: v != "").astype(bool) if col.dtype == object else col != ""


def _expected(fields: dict[str, tuple[str, ...]]) -> str:
    return ", ".join(fields)


def _map_columns(sheet: Sheet, fields: dict[str, tuple[str, ...]], periods_allowed: bool):
    """field -> column position, period columns, and header problems (duplicates, unknown)."""
    lookup = _lookup(fields)
    found: dict[str, int] = {}
    periods: list[int] = []
    problems: list[Problem] = []
    for pos, header in enumerate(sheet.headers):
        key = _norm(header)
        used = bool(_has_data(sheet.cells[pos]).any()) if len(sheet.cells) else False
        if key == "":
            if used:
                first = int(sheet.cells.index[_has_data(sheet.cells[pos])][0])
                problems.append(Problem(sheet.file, first, None,
                                        f"De {pos + 1}e kolom heeft geen kop maar bevat wel gegevens; "
                                        "geef de kolom een kop of maak hem leeg."))
            continue
        name = lookup.get(key)
        if name is None and periods_allowed and _period(sheet.header_values[pos]):
            periods.append(pos)
            continue
        if name is None:
            if used:
                problems.append(Problem(sheet.file, sheet.header_row, header,
                                        f"Onbekende kolom. Verwachte kolommen: {_expected(fields)}."))
            continue
        if name in found:
            other = sheet.headers[found[name]]
            problems.append(Problem(sheet.file, sheet.header_row, header,
                                    f"Deze kolom komt dubbel voor (ook '{other}'); houd er één over."))
            continue
        found[name] = pos
    return found, periods, problems


def detect_kind(sheet: Sheet) -> str:
    """'doelen' when the headers are those of a targets file, 'acties' for an action list,
    'abonnees' for a subscriber list, 'duiding' for a duiding file, else 'observaties'."""
    keys = {_lookup(TARGET_FIELDS).get(_norm(h)) for h in sheet.headers}
    if {_lookup(DUIDING_FIELDS).get(_norm(h)) for h in sheet.headers} & DUIDING_MARKERS:
        return DUIDING
    if "e-mail" in {_lookup(SUBSCRIBER_FIELDS).get(_norm(h)) for h in sheet.headers}:
        return SUBSCRIBERS
    if "letter" in {_lookup(THEME_FIELDS).get(_norm(h)) for h in sheet.headers}:
        return THEMES
    role_keys = {_lookup(ROLE_FIELDS).get(_norm(h)) for h in sheet.headers}
    if "rol" in role_keys and role_keys & ROLE_MARKERS and "status" not in {_norm(h) for h in sheet.headers}:
        return ROLES
    if "slug" in {_lookup(AREA_FIELDS).get(_norm(h)) for h in sheet.headers}:
        return AREAS
    if keys & TARGET_MARKERS:
        return TARGETS
    action_keys = {_lookup(ACTION_FIELDS).get(_norm(h)) for h in sheet.headers}
    if "status" in action_keys and action_keys & ACTION_MARKERS:
        return ACTIONS
    return OBSERVATIONS


def _text(sheet: Sheet, pos: int | None, fill: str = "") -> pd.Series:
    if pos is None:
        return pd.Series(fill, index=sheet.cells.index, dtype="str")
    return display_text(sheet.cells[pos])


def _missing(sheet: Sheet, name: str, aliases: tuple[str, ...], extra: str = "") -> Problem:
    alt = f" (of '{aliases[1]}')" if len(aliases) > 1 else ""
    found = ", ".join(h for h in sheet.headers if h) or "geen"
    return Problem(sheet.file, sheet.header_row, None,
                   f"De kolom '{name}'{alt} ontbreekt.{extra} Gevonden kolommen: {found}.")


def _no_rows(sheet: Sheet) -> Problem:
    return Problem(sheet.file, None, None, "Het bestand bevat alleen een kopregel en geen gegevens.")


def _source(sheet: Sheet, pos: int | None, default_source: str | None) -> tuple[pd.Series, pd.Series | None]:
    """The source per row (the file-wide default fills empty cells) and the header shown."""
    src = _text(sheet, pos)
    if default_source:
        src = src.where(src != "", default_source.strip())
    header = None if pos is None else sheet.headers[pos]
    return src, header


SOURCE_HINT = " Voeg een kolom 'bron' toe of geef één bron op voor het hele bestand (--bron)."


# A title or a note may stand above the column headers; they are looked for this far down.
HEADER_SEARCH_ROWS = 20
# The columns without which a file of each kind cannot be read, as a message names them.
REQUIRED_HEADERS = {
    "cijfers": ["gebied", "indicator", "peildatum of jaar", "waarde"],
    "doelen": TARGET_REQUIRED,
    "acties": ACTION_REQUIRED,
    "duiding": DUIDING_REQUIRED,
    "thema's": THEME_REQUIRED,
    "rollen": [*ROLE_REQUIRED, "organisatie of soort"],
    "gebieden": AREA_REQUIRED,
}


def _missing_headers(headers: list[str], values: list[object]) -> dict[str, list[str]]:
    """Per kind of file, the required columns these headers lack (an empty list: it fits)."""
    keys = {_norm(h) for h in headers if h}
    observed = {name for alias, name in _lookup(OBSERVATION_FIELDS).items() if alias in keys}
    missing_obs = [n for n in ("gebied", "indicator") if n not in observed]
    # A wide file has a column per year instead of 'waarde' and 'jaar'; only worth checking
    # on a row that names area and indicator (a data row full of numbers does not).
    lookup = _lookup(OBSERVATION_FIELDS)
    wide = not missing_obs and any(_period(v) for h, v in zip(headers, values) if _norm(h) not in lookup)
    if not wide:
        missing_obs += [] if observed & {"peildatum", "jaar"} else ["peildatum of jaar"]
        missing_obs += [] if "waarde" in observed else ["waarde"]
    missing_obs.sort(key=REQUIRED_HEADERS["cijfers"].index)
    targets = {name for alias, name in _lookup(TARGET_FIELDS).items() if alias in keys}
    actions = {name for alias, name in _lookup(ACTION_FIELDS).items() if alias in keys}
    duiding = {name for alias, name in _lookup(DUIDING_FIELDS).items() if alias in keys}
    themes = {name for alias, name in _lookup(THEME_FIELDS).items() if alias in keys}
    roles = {name for alias, name in _lookup(ROLE_FIELDS).items() if alias in keys}
    areas = {name for alias, name in _lookup(AREA_FIELDS).items() if alias in keys}
    return {"cijfers": missing_obs, "doelen": [n for n in TARGET_REQUIRED if n not in targets],
            "acties": [n for n in ACTION_REQUIRED if n not in actions],
            "duiding": [n for n in DUIDING_REQUIRED if n not in duiding],
            "thema's": [n for n in THEME_REQUIRED if n not in themes],
            "rollen": [n for n in ROLE_REQUIRED if n not in roles] + ([] if roles & ROLE_MARKERS
                                                                     else ["organisatie of soort"]),
            "gebieden": [n for n in AREA_REQUIRED if n not in areas]}


def _known_headers(headers: list[str]) -> int:
    """How many cells of a row are column names the importer knows (of any kind of file)."""
    known = (set(_lookup(OBSERVATION_FIELDS)) | set(_lookup(TARGET_FIELDS)) | set(_lookup(ACTION_FIELDS))
             | set(_lookup(DUIDING_FIELDS)) | set(_lookup(THEME_FIELDS)) | set(_lookup(ROLE_FIELDS))
             | set(_lookup(AREA_FIELDS)))
    return len({_norm(h) for h in headers if h} & known)


def _header_at(sheet: Sheet, row: int) -> Sheet:
    """The sheet read with `row` as its header row; the rows above it are left out."""
    values = list(sheet.cells.loc[row])
    return replace(sheet, header_row=row, headers=[header_text(v) for v in values], header_values=values,
                   cells=sheet.cells.loc[sheet.cells.index > row])


def find_header(sheet: Sheet) -> tuple[Sheet, Problem | None]:
    """The sheet with its header row: the first of the first 20 filled rows that holds the
    required columns of a kind of file (a title row above the headers is skipped, issue 19.8).

    When no row does, the row that looks most like a header row is used and a problem says
    where it is ('De kolomkoppen staan in rij 3'), or, when no row has two known column names,
    that the required columns are not in the first 20 rows. Row numbers stay the spreadsheet's.
    """
    rows = [sheet.header_row, *sheet.cells.index[:HEADER_SEARCH_ROWS - 1]]
    scores, missing = [], []
    for row in rows:
        if row == sheet.header_row:
            headers, values = sheet.headers, sheet.header_values
        else:
            values = list(sheet.cells.loc[row])
            headers = [header_text(v) for v in values]
        lacking = _missing_headers(headers, values)
        if any(not m for m in lacking.values()):
            return (sheet if row == sheet.header_row else _header_at(sheet, row)), None
        scores.append(_known_headers(headers))
        missing.append(min(lacking.values(), key=len))
    best = rows[scores.index(max(scores))]
    if max(scores) < 2:
        needed = "; ".join(f"{kind}: {', '.join(cols)}" for kind, cols in REQUIRED_HEADERS.items())
        return sheet, Problem(sheet.file, None, None,
                              f"De kolomkoppen zijn niet gevonden: geen van de eerste {HEADER_SEARCH_ROWS} rijen "
                              f"heeft de verplichte kolommen ({needed}).")
    if best == sheet.header_row:
        return sheet, None  # the messages about its missing columns say the rest
    lacking = missing[scores.index(max(scores))]
    what = (f"ontbreekt de kolom '{lacking[0]}'" if len(lacking) == 1
            else "ontbreken de kolommen " + ", ".join(f"'{c}'" for c in lacking))
    return _header_at(sheet, best), Problem(sheet.file, best, None,
                                            f"De kolomkoppen staan in rij {best} (de rijen erboven, zoals een titel, "
                                            f"worden overgeslagen), maar daar {what}.")


def extract(sheet: Sheet, default_source: str | None) -> Extracted:
    """The sheet as rows of figures (tidy or wide) or of targets, with their problems."""
    sheet, header_problem = find_header(sheet)
    found = _extract(sheet, default_source)
    if header_problem is not None and found.problems:
        found.problems.insert(0, header_problem)
    return found


def _extract(sheet: Sheet, default_source: str | None) -> Extracted:
    kind = detect_kind(sheet)
    if kind == TARGETS:
        return _targets(sheet, default_source)
    if kind == ACTIONS:
        return _actions(sheet, default_source)
    if kind == SUBSCRIBERS:
        return _subscribers(sheet)
    if kind == DUIDING:
        return _duiding(sheet)
    if kind == THEMES:
        return _reference_list(sheet, THEMES, THEME_FIELDS, THEME_REQUIRED, default_source)
    if kind == ROLES:
        return _reference_list(sheet, ROLES, ROLE_FIELDS, ROLE_REQUIRED, default_source)
    if kind == AREAS:
        return _areas(sheet)
    lookup = _lookup(OBSERVATION_FIELDS)
    has_value_column = any(lookup.get(_norm(h)) == "waarde" for h in sheet.headers)
    found, periods, problems = _map_columns(sheet, OBSERVATION_FIELDS, periods_allowed=not has_value_column)
    if periods:
        return _wide(sheet, found, periods, problems, default_source)
    return _tidy(sheet, found, problems, default_source)


def _decimal_of(sheet: Sheet, values: list[pd.Series]) -> str:
    """The decimal separator of the numbers written as text in these columns."""
    texts = [v for v in values if v.dtype != object] + [
        v[v.map(lambda x: isinstance(x, str))].astype("str") for v in values if v.dtype == object
    ]
    joined = pd.concat(texts) if texts else pd.Series([], dtype="str")
    return infer_decimal(joined, sheet.default_decimal)


def _tidy(sheet: Sheet, found: dict[str, int], problems: list[Problem], default_source: str | None) -> Extracted:
    for name in ("gebied", "indicator", "waarde"):
        if name not in found:
            problems.append(_missing(sheet, name, OBSERVATION_FIELDS[name]))
    if "peildatum" in found and "jaar" in found:
        problems.append(Problem(sheet.file, sheet.header_row, sheet.headers[found["jaar"]],
                                "Het bestand heeft zowel 'peildatum' als 'jaar'; houd er één over."))
    elif "peildatum" not in found and "jaar" not in found:
        problems.append(_missing(sheet, "peildatum", ("peildatum", "jaar")))
    if "bron" not in found and not default_source:
        problems.append(_missing(sheet, "bron", OBSERVATION_FIELDS["bron"], SOURCE_HINT))
    if problems:
        return Extracted(OBSERVATIONS, None, problems)
    if sheet.cells.empty:
        return Extracted(OBSERVATIONS, None, [_no_rows(sheet)])
    date_pos = found.get("peildatum", found.get("jaar"))
    raw_values = sheet.cells[found["waarde"]]
    decimal = _decimal_of(sheet, [raw_values])
    numbers = parse_numbers(raw_values, decimal)
    source, source_header = _source(sheet, found.get("bron"), default_source)
    frame = pd.DataFrame({
        "bestand": sheet.file,
        "rij": sheet.cells.index.astype(int),
        "gebied": _text(sheet, found["gebied"]),
        "indicator": _text(sheet, found["indicator"]),
        "peildatum": sheet.cells[date_pos],
        "peildatum_tekst": _text(sheet, date_pos),
        "jaar_kolom": "jaar" in found,
        "waarde": numbers["tekst"],
        "getal": numbers["getal"],
        "getal_status": numbers["status"],
        "procent": numbers["procent"],
        "decimaal": decimal,
        "bron": source,
        "toelichting": _text(sheet, found.get("toelichting")),
        "kolom_gebied": sheet.headers[found["gebied"]],
        "kolom_indicator": sheet.headers[found["indicator"]],
        "kolom_peildatum": sheet.headers[date_pos],
        "kolom_waarde": sheet.headers[found["waarde"]],
        "kolom_bron": source_header,
    })
    return Extracted(OBSERVATIONS, frame.reset_index(drop=True))


def _wide(sheet: Sheet, found: dict[str, int], periods: list[int], problems: list[Problem],
          default_source: str | None) -> Extracted:
    for name in ("gebied", "indicator"):
        if name not in found:
            problems.append(_missing(sheet, name, OBSERVATION_FIELDS[name]))
    for name in ("peildatum", "jaar", "waarde"):
        if name in found:
            problems.append(Problem(sheet.file, sheet.header_row, sheet.headers[found[name]],
                                    "Een breed bestand (één kolom per jaar) heeft geen kolom "
                                    f"'{sheet.headers[found[name]]}'; haal hem weg."))
    if "bron" not in found and not default_source:
        problems.append(_missing(sheet, "bron", OBSERVATION_FIELDS["bron"], SOURCE_HINT))
    if problems:
        return Extracted(OBSERVATIONS, None, problems)
    if sheet.cells.empty:
        return Extracted(OBSERVATIONS, None, [_no_rows(sheet)])
    decimal = _decimal_of(sheet, [sheet.cells[p] for p in periods])
    area, indicator = _text(sheet, found["gebied"]), _text(sheet, found["indicator"])
    source, source_header = _source(sheet, found.get("bron"), default_source)
    note = _text(sheet, found.get("toelichting"))
    parts = []
    for pos in periods:
        values = sheet.cells[pos]
        filled = _has_data(values)
        if not filled.any():
            continue
        numbers = parse_numbers(values[filled], decimal)
        header = sheet.headers[pos]
        parts.append(pd.DataFrame({
            "bestand": sheet.file,
            "rij": values.index[filled].astype(int),
            "gebied": area[filled],
            "indicator": indicator[filled],
            "peildatum": pd.Series([sheet.header_values[pos]] * int(filled.sum()), index=values.index[filled],
                                   dtype=object),
            "peildatum_tekst": header,
            "jaar_kolom": False,
            "waarde": numbers["tekst"],
            "getal": numbers["getal"],
            "getal_status": numbers["status"],
            "procent": numbers["procent"],
            "decimaal": decimal,
            "bron": source[filled],
            "toelichting": note[filled],
            "kolom_gebied": sheet.headers[found["gebied"]],
            "kolom_indicator": sheet.headers[found["indicator"]],
            "kolom_peildatum": header,
            "kolom_waarde": header,
            "kolom_bron": source_header,
        }))
    if not parts:
        return Extracted(OBSERVATIONS, None, [Problem(sheet.file, None, None,
                                                      "Het bestand bevat geen cijfers: alle jaarkolommen zijn leeg.")])
    frame = pd.concat(parts).sort_values(["rij"], kind="stable").reset_index(drop=True)
    return Extracted(OBSERVATIONS, frame)


def _cells(sheet: Sheet, pos: int | None) -> pd.Series | str:
    """The raw cells of a column (dates stay dates), '' for an absent column."""
    return sheet.cells[pos] if pos is not None else ""


def _targets(sheet: Sheet, default_source: str | None) -> Extracted:
    found, _, problems = _map_columns(sheet, TARGET_FIELDS, periods_allowed=False)
    for name in TARGET_REQUIRED:
        if name not in found:
            extra = " Geef per doel de reden van de (nieuwe) versie op." if name == "reden" else ""
            problems.append(_missing(sheet, name, TARGET_FIELDS[name], extra))
    if "bron" not in found and not default_source:
        problems.append(_missing(sheet, "bron", TARGET_FIELDS["bron"], SOURCE_HINT))
    if problems:
        return Extracted(TARGETS, None, problems)
    if sheet.cells.empty:
        return Extracted(TARGETS, None, [_no_rows(sheet)])
    base_raw, target_raw = sheet.cells[found["basiswaarde"]], sheet.cells[found["doelwaarde"]]
    decimal = _decimal_of(sheet, [base_raw, target_raw])
    base, target = parse_numbers(base_raw, decimal), parse_numbers(target_raw, decimal)
    bench_pos = found.get("basis_landelijk")
    bench = parse_numbers(sheet.cells[bench_pos] if bench_pos is not None else pd.Series("", index=sheet.cells.index),
                          decimal)
    source, source_header = _source(sheet, found.get("bron"), default_source)
    valid_pos = found.get("geldig_vanaf")
    frame = pd.DataFrame({
        "bestand": sheet.file,
        "rij": sheet.cells.index.astype(int),
        "indicator": _text(sheet, found["indicator"]),
        "gebied": _text(sheet, found["gebied"]),
        "basiswaarde": base["tekst"], "basis_getal": base["getal"], "basis_status": base["status"],
        "basis_procent": base["procent"],
        "doelwaarde": target["tekst"], "doel_getal": target["getal"], "doel_status": target["status"],
        "doel_procent": target["procent"],
        "decimaal": decimal,
        "basisjaar": _text(sheet, found["basisjaar"]),
        "doeljaar": _text(sheet, found["doeljaar"]),
        "richting": _text(sheet, found.get("richting")),
        "vergelijking": _text(sheet, found["vergelijking"]),
        "bron": source,
        "reden": _text(sheet, found["reden"]),
        "geldig_vanaf": sheet.cells[valid_pos] if valid_pos is not None else "",
        "geldig_vanaf_tekst": _text(sheet, valid_pos),
        # Optional (issue 8): an absent column keeps the stored value; see plan_targets.
        "planningshorizon": _text(sheet, found.get("planningshorizon")),
        "basis_landelijk": bench["tekst"], "bench_getal": bench["getal"], "bench_status": bench["status"],
        "bench_procent": bench["procent"],
        "akkoord": _text(sheet, found.get("akkoord")),
        "akkoord_datum": _cells(sheet, found.get("akkoord_datum")),
        "akkoord_datum_tekst": _text(sheet, found.get("akkoord_datum")),
        "partijen": _text(sheet, found.get("partijen")),
        "akkoord_bron": _text(sheet, found.get("akkoord_bron")),
        "afgesloten": _cells(sheet, found.get("afgesloten")),
        "afgesloten_tekst": _text(sheet, found.get("afgesloten")),
        **{f"kolom_{name}": (sheet.headers[pos] if (pos := found.get(name)) is not None else None)
           for name in TARGET_FIELDS},
    })
    frame["kolom_bron"] = source_header
    return Extracted(TARGETS, frame.reset_index(drop=True))


def _euro_cells(values: pd.Series) -> pd.Series:
    """Amounts with the euro sign taken off ('€ 12.500' -> '12.500'); numbers stay numbers."""
    out = values.map(lambda v: v.replace("€", "").strip() if isinstance(v, str) else v)
    # map() makes a column of Excel numbers int64; keep it cells (object), as the parsing expects.
    return out.astype(object) if values.dtype == object else out


def _actions(sheet: Sheet, default_source: str | None) -> Extracted:
    """An action list: the contract's columns as text (numbers parsed, dates as cells).

    Optional columns the file does not have are listed in `ontbreekt`, so that the plan
    keeps those fields of a known action instead of clearing them.
    """
    found, _, problems = _map_columns(sheet, ACTION_FIELDS, periods_allowed=False)
    for name in ACTION_REQUIRED:
        if name not in found:
            problems.append(_missing(sheet, name, ACTION_FIELDS[name]))
    if "bron" not in found and not default_source:
        problems.append(_missing(sheet, "bron", ACTION_FIELDS["bron"], SOURCE_HINT))
    if problems:
        return Extracted(ACTIONS, None, problems)
    if sheet.cells.empty:
        return Extracted(ACTIONS, None, [_no_rows(sheet)])
    idx = sheet.cells.index

    def cells(name: str) -> pd.Series:
        pos = found.get(name)
        return sheet.cells[pos] if pos is not None else pd.Series([None] * len(idx), index=idx, dtype=object)

    budget_raw, spent_raw = _euro_cells(cells("budget")), _euro_cells(cells("besteed"))
    # Amounts in an action list are Dutch euros: "12.500" is twelve thousand five hundred
    # unless the file shows it writes a decimal point ("12500.50").
    decimal = _decimal_of(replace(sheet, default_decimal=","), [budget_raw, spent_raw])
    budget, spent = parse_numbers(budget_raw, decimal), parse_numbers(spent_raw, decimal)
    source, source_header = _source(sheet, found.get("bron"), default_source)
    absent = tuple(name for name in ACTION_FIELDS if name not in found and name not in ("bron", "gebied"))
    frame = pd.DataFrame({
        "bestand": sheet.file,
        "rij": idx.astype(int),
        **{name: _text(sheet, found.get(name)) for name in
           ("code", "titel", "thema", "eigenaar", "rol", "jaar", "status", "fonds", "kpis", "toelichting",
            "gebied")},
        "start": cells("start"), "start_tekst": _text(sheet, found.get("start")),
        "deadline": cells("deadline"), "deadline_tekst": _text(sheet, found.get("deadline")),
        "budget": budget["tekst"], "budget_getal": budget["getal"], "budget_status": budget["status"],
        "besteed": spent["tekst"], "besteed_getal": spent["getal"], "besteed_status": spent["status"],
        "decimaal": decimal,
        "bron": source,
        "ontbreekt": [absent] * len(idx),
        **{f"kolom_{name}": (sheet.headers[pos] if (pos := found.get(name)) is not None else None)
           for name in ACTION_FIELDS},
    })
    frame["kolom_bron"] = source_header
    return Extracted(ACTIONS, frame.reset_index(drop=True))


def _reference_list(sheet: Sheet, kind: str, fields: dict[str, tuple[str, ...]], required: list[str],
                    default_source: str | None) -> Extracted:
    """A werkplan's themes or roles: every column as text, the source from the file or --bron."""
    found, _, problems = _map_columns(sheet, fields, periods_allowed=False)
    for name in required:
        if name not in found:
            problems.append(_missing(sheet, name, fields[name]))
    if "bron" not in found and not default_source:
        problems.append(_missing(sheet, "bron", fields["bron"], SOURCE_HINT))
    if problems:
        return Extracted(kind, None, problems)
    if sheet.cells.empty:
        return Extracted(kind, None, [_no_rows(sheet)])
    idx = sheet.cells.index
    source, source_header = _source(sheet, found.get("bron"), default_source)
    frame = pd.DataFrame({
        "bestand": sheet.file,
        "rij": idx.astype(int),
        **{name: _text(sheet, found.get(name)) for name in fields if name != "bron"},
        "bron": source,
        **{f"kolom_{name}": (sheet.headers[pos] if (pos := found.get(name)) is not None else name)
           for name in fields},
    })
    frame["kolom_bron"] = source_header or "bron"
    return Extracted(kind, frame.reset_index(drop=True))


def _subscribers(sheet: Sheet) -> Extracted:
    """A subscriber list: every column as text; optional columns the file lacks are listed in
    `ontbreekt`, so that a known subscriber keeps those fields."""
    found, _, problems = _map_columns(sheet, SUBSCRIBER_FIELDS, periods_allowed=False)
    if problems:
        return Extracted(SUBSCRIBERS, None, problems)
    if sheet.cells.empty:
        return Extracted(SUBSCRIBERS, None, [_no_rows(sheet)])
    idx = sheet.cells.index
    absent = tuple(name for name in SUBSCRIBER_FIELDS if name not in found)
    frame = pd.DataFrame({
        "bestand": sheet.file,
        "rij": idx.astype(int),
        **{name: _text(sheet, found.get(name)) for name in SUBSCRIBER_FIELDS},
        "ontbreekt": [absent] * len(idx),
        **{f"kolom_{name}": (sheet.headers[pos] if (pos := found.get(name)) is not None else name)
           for name in SUBSCRIBER_FIELDS},
    })
    return Extracted(SUBSCRIBERS, frame.reset_index(drop=True))


def _duiding(sheet: Sheet) -> Extracted:
    """A duiding file: every column as text, the date also as its cells (a form passes a date)."""
    found, _, problems = _map_columns(sheet, DUIDING_FIELDS, periods_allowed=False)
    for name in DUIDING_REQUIRED:
        if name not in found:
            problems.append(_missing(sheet, name, DUIDING_FIELDS[name]))
    if problems:
        return Extracted(DUIDING, None, problems)
    if sheet.cells.empty:
        return Extracted(DUIDING, None, [_no_rows(sheet)])
    idx = sheet.cells.index
    pos = found.get("datum")
    frame = pd.DataFrame({
        "bestand": sheet.file,
        "rij": idx.astype(int),
        **{name: _text(sheet, found.get(name)) for name in DUIDING_FIELDS},
        "datum_cel": sheet.cells[pos] if pos is not None else pd.Series([None] * len(idx), index=idx, dtype=object),
        **{f"kolom_{name}": (sheet.headers[p] if (p := found.get(name)) is not None else name)
           for name in DUIDING_FIELDS},
    })
    return Extracted(DUIDING, frame.reset_index(drop=True))


def _areas(sheet: Sheet) -> Extracted:
    """A gebieden file: every column as text; optional columns the file lacks are listed in
    `ontbreekt`, so that a known centre keeps those fields."""
    found, _, problems = _map_columns(sheet, AREA_FIELDS, periods_allowed=False)
    for name in AREA_REQUIRED:
        if name not in found:
            problems.append(_missing(sheet, name, AREA_FIELDS[name]))
    if problems:
        return Extracted(AREAS, None, problems)
    if sheet.cells.empty:
        return Extracted(AREAS, None, [_no_rows(sheet)])
    idx = sheet.cells.index
    absent = tuple(name for name in AREA_FIELDS if name not in found)
    frame = pd.DataFrame({
        "bestand": sheet.file,
        "rij": idx.astype(int),
        **{name: _text(sheet, found.get(name)) for name in AREA_FIELDS},
        "ontbreekt": [absent] * len(idx),
        **{f"kolom_{name}": (sheet.headers[p] if (p := found.get(name)) is not None else name)
           for name in AREA_FIELDS},
    })
    return Extracted(AREAS, frame.reset_index(drop=True))
