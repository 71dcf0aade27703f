"""The rules a figure or target must meet, checked with pandera and reported in Dutch.

Each rule is one row in a table: its name (the pandera check name), the field whose
column the message points at, a vectorised test (True where the row is fine) and the
Dutch message. Tests skip values another rule already rejects (an empty value is only
reported as empty), so every problem is reported once. pandera runs them all lazily,
and each failure case becomes a Problem naming file, spreadsheet row and column header.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi import formatting as fmt
from kpi import units
from kpi.importer.parsing import (
    EMPTY,
    NOT_A_NUMBER,
    OK,
    OTHER_DECIMAL,
    parse_dates,
    parse_years,
    per_distinct,
)
from kpi.importer.rules import Rule, Validated, decimal_hint, run_rules
from kpi.metrics import ABSOLUTE, COMPARISONS, INCREASE
from kpi.names import indicator_lookup, name_key
from kpi.periods import YEAR

AREA_NAME_MAX = 200

def _number_text(v: str) -> str:
    return f"'{v}'"


def _areas(frame: pd.DataFrame, areas: pd.DataFrame, create_areas: bool) -> tuple[pd.Series, list[str]]:
    """Canonical area name per row (None when unknown) and the names that would be new.

    Names match ignoring case, accents, repeated spaces and hyphens (kpi.names); a new area keeps
    its first spelling.
    """
    known = {name_key(name): name for name in areas["name"]}
    new: dict[str, str] = {}

    def canonical(text: str) -> str | None:
        key = name_key(text)
        if key in known or not key:
            return known.get(key)
        if create_areas:
            return new.setdefault(key, " ".join(text.split()))
        return None

    names = pd.Series(per_distinct(frame["gebied"], canonical), index=frame.index, dtype=object)
    return names, [n for n in new.values() if len(n) <= AREA_NAME_MAX]


def _indicators(frame: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """The indicator code per row, matching code or name as users write them (None when unknown)."""
    lookup = indicator_lookup(indicators)
    codes = per_distinct(frame["indicator"], lambda text: lookup.get(name_key(text)))
    return pd.Series(codes, index=frame.index, dtype=object)


def _known_list(values) -> str:
    return ", ".join(sorted(values))


def _duplicate_of(frame: pd.DataFrame, keys: list[str], valid: pd.Series) -> pd.Series:
    """For each repeated key, where it first occurs ('rij 3' or 'rij 3 van a.csv'); else ''."""
    out = pd.Series("", index=frame.index, dtype=object)
    sub = frame.loc[valid]
    if sub.empty:
        return out
    # One int64 per key column (factorized), so duplicated() hashes plain integers.
    codes = pd.DataFrame({k: pd.factorize(sub[k], use_na_sentinel=False)[0] for k in keys}, index=sub.index)
    dup = codes.duplicated(keep="first")
    if not dup.any():
        return out
    first = codes.loc[~dup].reset_index().set_index(keys)["index"]
    firsts = first.loc[pd.MultiIndex.from_frame(codes.loc[dup])].to_numpy()
    rows, files = frame.loc[firsts, "rij"].to_numpy(), frame.loc[firsts, "bestand"].to_numpy()
    own = frame.loc[dup[dup].index, "bestand"].to_numpy()
    out[dup[dup].index] = [f"rij {r}" if f == o else f"rij {r} van {f}" for r, f, o in zip(rows, files, own, strict=True)]
    return out


def _area_rules(known_areas: list[str], create_areas: bool) -> list[Rule]:
    rules = [Rule("gebied_leeg", "gebied", lambda s: s != "", lambda r: "Het gebied is leeg.", column="gebied")]
    if create_areas:
        rules.append(Rule("gebied_te_lang", "gebied", lambda s: s.str.len() <= AREA_NAME_MAX,
                          lambda r: f"De gebiedsnaam is langer dan {AREA_NAME_MAX} tekens.", column="gebied"))
    else:
        rules.append(Rule(
            "gebied_onbekend", "gebied", lambda f: (f["gebied"] == "") | f["gebied_naam"].notna(),
            lambda r: (f"Onbekend gebied '{r['gebied']}'. Bekende gebieden: {_known_list(known_areas)}. "
                       "Is het een nieuw gebied, kies dan 'nieuwe gebieden toevoegen' (of --nieuw-gebied)."),
        ))
    return rules


def _indicator_rules(known_codes: list[str]) -> list[Rule]:
    return [
        Rule("indicator_leeg", "indicator", lambda s: s != "", lambda r: "De indicator is leeg.", column="indicator"),
        Rule("indicator_onbekend", "indicator", lambda f: (f["indicator"] == "") | f["indicator_code"].notna(),
             lambda r: f"Onbekende indicator '{r['indicator']}'. Bekende indicatoren: {', '.join(known_codes)}."),
    ]


def _suffixes(names: pd.Series) -> pd.Series:
    """The suffix ('%') of each row's unit, looked up once per unit (a row-wise map cost 0,8 s
    for 100.000 rows)."""
    return pd.Series(per_distinct(names, lambda n: units.unit(n).suffix), index=names.index, dtype=object)


def _number_rules(prefix: str, field: str, label: str, required: bool) -> list[Rule]:
    """Rules for a number column: empty, not a number, other decimal mark, percent sign, range."""
    status, number, pct = f"{prefix}_status", f"{prefix}_getal", f"{prefix}_procent"
    rules = []
    if required:
        rules.append(Rule(f"{field}_leeg", field, lambda s: s != EMPTY, lambda r: f"De {label} is leeg.", column=status))
    rules += [
        Rule(f"{field}_geen_getal", field, lambda s: s != NOT_A_NUMBER,
             lambda r: f"{_number_text(r[field])} is geen getal.", column=status),
        Rule(f"{field}_decimaalteken", field, lambda s: s != OTHER_DECIMAL,
             lambda r: f"{_number_text(r[field])} {decimal_hint(r)}.", column=status),
        Rule(f"{field}_procentteken", field,
             lambda f: ~f[pct] | f["eenheid"].isna() | (_suffixes(f["eenheid"]) == "%"),
             lambda r: (f"{_number_text(r[field])} heeft een procentteken, maar {r['indicator_code']} "
                        "is geen percentage.")),
        Rule(f"{field}_bereik", field,
             lambda f: units.fits(f[number].where(f[status] == OK), f["eenheid"]),
             lambda r: units.unit(r["eenheid"]).out_of_range.format(v=_number_text(r[field]))),
    ]
    return rules


def validate_observations(frame: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, *,
                          create_areas: bool, today: dt.date, file_order: dict[str, int]) -> Validated:
    """Check figures: known area and indicator, valid past peildatum, numbers within the unit's
    range, a source, and no figure twice (same gebied, indicator, peildatum)."""
    f = frame.copy()
    f["gebied_naam"], new_areas = _areas(f, areas, create_areas)
    f["indicator_code"] = _indicators(f, indicators)
    f["eenheid"] = f["indicator_code"].map(indicators.set_index("code")["unit"])
    f["datum"], f["precisie"] = parse_dates(f["peildatum"])
    date_ok = f["datum"].notna() & (~f["jaar_kolom"] | (f["precisie"] == YEAR))
    future = {d for d in f["datum"].dropna().unique() if d > today}
    f["toekomst"] = date_ok & f["datum"].isin(future)
    f["datum_ok"] = date_ok
    f["waarde_status"] = f["getal_status"]
    f["waarde_getal"] = f["getal"]
    f["waarde_procent"] = f["procent"]
    keyed = f["gebied_naam"].notna() & f["indicator_code"].notna() & date_ok
    f["dubbel_van"] = _duplicate_of(f, ["gebied_naam", "indicator_code", "datum", "precisie"], keyed)

    def date_text(r):
        return "Het jaar" if r["jaar_kolom"] else "De peildatum"

    rules = [
        *_area_rules(list(areas["name"]), create_areas),
        *_indicator_rules(list(indicators["code"])),
        Rule("peildatum_leeg", "peildatum", lambda s: s != "", lambda r: f"{date_text(r)} is leeg.",
             column="peildatum_tekst"),
        Rule("peildatum_ongeldig", "peildatum", lambda f: (f["peildatum_tekst"] == "") | f["datum_ok"],
             lambda r: (f"'{r['peildatum_tekst']}' is geen geldig jaartal (bijvoorbeeld 2021)." if r["jaar_kolom"]
                        else f"'{r['peildatum_tekst']}' is geen geldige peildatum; gebruik een jaar (2021) "
                             "of een datum (1-4-2021 of 2021-04-01).")),
        Rule("peildatum_toekomst", "peildatum", lambda s: ~s,
             lambda r: (f"{date_text(r)} {fmt.peildatum(r['datum'], r['precisie'])} ligt in de toekomst "
                        f"(vandaag is {fmt.peildatum(today, 'dag')})."), column="toekomst"),
        *_number_rules("waarde", "waarde", "waarde", required=True),
        Rule("bron_leeg", "bron", lambda s: s != "",
             lambda r: "De bron is leeg; vul de bron in (of geef één bron op voor het hele bestand).",
             column="bron"),
        Rule("dubbel", "peildatum", lambda s: s == "",
             lambda r: (f"{r['gebied_naam']} / {r['indicator_code']} / "
                        f"{fmt.peildatum(r['datum'], r['precisie'])} komt dubbel voor; staat ook in {r['dubbel_van']}."),
             column="dubbel_van"),
    ]
    problems = run_rules(f, rules, file_order)
    # The checked rows leave the file's vocabulary here: English from now on (see importer/model.py).
    clean = pd.DataFrame({
        "area": f["gebied_naam"], "indicator": f["indicator_code"], "day": f["datum"],
        "precision": f["precisie"], "value": f["getal"], "source": f["bron"], "note": f["toelichting"],
        "file": f["bestand"], "row": f["rij"],
    })
    return Validated(clean, problems, new_areas if not problems else [])


def validate_targets(frame: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, *,
                     create_areas: bool, file_order: dict[str, int],
                     agreements: pd.DataFrame | None = None) -> Validated:
    """Check target versions: known indicator and area, numbers in range, plain years,
    a known comparison, a doelwaarde for an absolute target, a source and a reason; and the
    agreement (akkoord) each belongs to: a new one needs a date and parties, rows of one
    agreement agree on them, and an end date (afgesloten) is not before its date."""
    f = frame.copy()
    stored = set(agreements["agreement"]) if agreements is not None else set()
    f["akkoord_dag"], _ = parse_dates(f["akkoord_datum"]) if "akkoord_datum" in f else (pd.Series(None, index=f.index), None)
    f["afgesloten_dag"], _ = parse_dates(f["afgesloten"]) if "afgesloten" in f else (pd.Series(None, index=f.index), None)
    for col in ("akkoord", "akkoord_datum_tekst", "partijen", "akkoord_bron", "afgesloten_tekst"):
        if col not in f:
            f[col] = ""
    for label, differs in _agreement_disagreement(f).items():
        f[f"verschil_{label}"] = differs
    f["gebied_naam"], new_areas = _areas(f, areas, create_areas)
    f["indicator_code"] = _indicators(f, indicators)
    by_code = indicators.set_index("code")
    f["eenheid"] = f["indicator_code"].map(by_code["unit"])
    f["richting_indicator"] = f["indicator_code"].map(by_code["direction"])
    f["basis_jaar"] = parse_years(f["basisjaar"])
    f["doel_jaar"] = parse_years(f["doeljaar"])
    f["horizon_jaar"] = parse_years(f["planningshorizon"])
    f["vergelijking_norm"] = f["vergelijking"].str.casefold().str.replace(" ", "_").replace("", ABSOLUTE)
    valid_from, _ = parse_dates(f["geldig_vanaf"])
    f["geldig_datum"] = valid_from
    keyed = f["gebied_naam"].notna() & f["indicator_code"].notna()
    f["dubbel_van"] = _duplicate_of(f, ["gebied_naam", "indicator_code"], keyed)

    def year_rule(column: str, parsed: str) -> Rule:
        return Rule(f"{column}_ongeldig", column, lambda f: (f[column] == "") | f[parsed].notna(),
                    lambda r: f"'{r[column]}' is geen jaartal (bijvoorbeeld 2021).")

    rules = [
        *_indicator_rules(list(indicators["code"])),
        *_area_rules(list(areas["name"]), create_areas),
        *_number_rules("basis", "basiswaarde", "basiswaarde", required=False),
        year_rule("basisjaar", "basis_jaar"),
        *_number_rules("doel", "doelwaarde", "doelwaarde", required=False),
        Rule("doelwaarde_nodig", "doelwaarde",
             lambda f: (f["vergelijking_norm"] != ABSOLUTE) | (f["doel_status"] != EMPTY),
             lambda r: "Een absoluut doel heeft een doelwaarde nodig."),
        year_rule("doeljaar", "doel_jaar"),
        year_rule("planningshorizon", "horizon_jaar"),
        *_number_rules("bench", "basis_landelijk", "basis_landelijk", required=False),
        Rule("doeljaar_voor_basisjaar", "doeljaar",
             lambda f: ~(f["doel_jaar"] < f["basis_jaar"]),
             lambda r: f"Het doeljaar {int(r['doel_jaar'])} ligt vóór het basisjaar {int(r['basis_jaar'])}."),
        Rule("richting_onjuist", "richting",
             lambda f: (f["richting"] == "") | f["richting_indicator"].isna()
             | (f["richting"].str.casefold() == f["richting_indicator"]),
             lambda r: (f"Richting '{r['richting']}' past niet bij {r['indicator_code']}: "
                        f"daar is '{r['richting_indicator']}' beter.")),
        Rule("vergelijking_onbekend", "vergelijking", lambda s: s.isin(COMPARISONS),
             lambda r: (f"'{r['vergelijking']}' is geen bekende vergelijking; gebruik 'absoluut', 'onder_landelijk' "
                        "of 'toename'."),
             column="vergelijking_norm"),
        Rule("toename_zonder_basisjaar", "basisjaar",
             lambda f: (f["vergelijking_norm"] != INCREASE) | f["basis_jaar"].notna(),
             lambda r: "Een doel als toename heeft een basisjaar nodig: de toename telt vanaf dat jaar."),
        Rule("akkoord_datum_ongeldig", "akkoord_datum",
             lambda f: (f["akkoord_datum_tekst"] == "") | f["akkoord_dag"].notna(),
             lambda r: f"'{r['akkoord_datum_tekst']}' is geen geldige datum (bijvoorbeeld 7-2-2018)."),
        Rule("afgesloten_ongeldig", "afgesloten",
             lambda f: (f["afgesloten_tekst"] == "") | f["afgesloten_dag"].notna(),
             lambda r: f"'{r['afgesloten_tekst']}' is geen geldige datum (bijvoorbeeld 31-12-2025)."),
        Rule("akkoord_nieuw_onvolledig", "akkoord",
             lambda f: (f["akkoord"] == "") | f["akkoord"].isin(stored)
             | ((f["akkoord_datum_tekst"] != "") & (f["partijen"] != "")),
             lambda r: (f"Akkoord '{r['akkoord']}' is nieuw: vul ook akkoord_datum en partijen in "
                        "(en bij voorkeur akkoord_bron).")),
        Rule("afgesloten_voor_akkoord", "afgesloten",
             lambda f: pd.Series([e is None or d is None or e >= d
                                  for e, d in zip(f["afgesloten_dag"], f["akkoord_dag"], strict=True)],
                                 index=f.index, dtype=bool),
             lambda r: (f"Het akkoord is afgesloten op {fmt.day(r['afgesloten_dag'])}, vóór zijn datum "
                        f"{fmt.day(r['akkoord_dag'])}.")),
        *(Rule(f"akkoord_{label}_verschilt", label, lambda s: s == "",
               lambda r, label=label: r[f"verschil_{label}"], column=f"verschil_{label}")
          for label in AGREEMENT_FIELDS.values()),
        Rule("bron_leeg", "bron", lambda s: s != "",
             lambda r: "De bron is leeg; vul de bron in (of geef één bron op voor het hele bestand).", column="bron"),
        Rule("reden_leeg", "reden", lambda s: s != "",
             lambda r: "De reden is leeg; geef op waarom deze doelversie geldt.", column="reden"),
        Rule("geldig_vanaf_ongeldig", "geldig_vanaf",
             lambda f: (f["geldig_vanaf_tekst"] == "") | f["geldig_datum"].notna(),
             lambda r: f"'{r['geldig_vanaf_tekst']}' is geen geldige datum (bijvoorbeeld 1-1-2027)."),
        Rule("dubbel", "indicator", lambda s: s == "",
             lambda r: (f"Het doel voor {r['indicator_code']} in {r['gebied_naam']} komt dubbel voor; "
                        f"staat ook in {r['dubbel_van']}."), column="dubbel_van"),
    ]
    problems = run_rules(f, rules, file_order)
    clean = pd.DataFrame({
        "area": f["gebied_naam"], "indicator": f["indicator_code"],
        "baseline_value": f["basis_getal"], "baseline_year": f["basis_jaar"],
        "target_value": f["doel_getal"], "target_year": f["doel_jaar"],
        "comparison": f["vergelijking_norm"], "source": f["bron"], "reason": f["reden"],
        "valid_from": f["geldig_datum"], "file": f["bestand"], "row": f["rij"],
        "horizon_year": f["horizon_jaar"], "baseline_benchmark": f["bench_getal"],
        # Whether the file had the optional column; without it plan_targets keeps the stored value.
        "horizon_given": f["kolom_planningshorizon"].notna(),
        "baseline_benchmark_given": f["kolom_basis_landelijk"].notna(),
        "agreement": f["akkoord"].where(f["akkoord"] != "", None),
        "agreement_date": f["akkoord_dag"], "parties": f["partijen"], "agreement_source": f["akkoord_bron"],
        "agreement_end": f["afgesloten_dag"],
        "agreement_given": f.get("kolom_akkoord", pd.Series(None, index=f.index)).notna(),
        "agreement_end_given": f.get("kolom_afgesloten", pd.Series(None, index=f.index)).notna(),
    })
    return Validated(clean, problems, new_areas if not problems else [])


AGREEMENT_FIELDS = {"akkoord_datum_tekst": "akkoord_datum", "partijen": "partijen", "akkoord_bron": "akkoord_bron",
                    "afgesloten_tekst": "afgesloten"}


def _agreement_disagreement(f: pd.DataFrame) -> dict[str, pd.Series]:
    """Per agreement column (akkoord_datum, partijen, ...), per row: '' or the message that the
    filled cell differs from the first filled one of the same agreement in the file (one
    agreement has one date, one set of parties, ...)."""
    out = {label: pd.Series("", index=f.index, dtype=object) for label in AGREEMENT_FIELDS.values()}
    named = f[f["akkoord"] != ""]
    for _, rows in named.groupby("akkoord", sort=False):
        for col, label in AGREEMENT_FIELDS.items():
            filled = rows[rows[col] != ""]
            if filled.empty:
                continue
            first = filled.iloc[0]
            for idx, r in filled.iloc[1:].iterrows():
                if r[col] != first[col]:
                    out[label][idx] = (f"Akkoord '{r['akkoord']}': {label} '{r[col]}' verschilt van '{first[col]}' "
                                       f"in rij {int(first['rij'])}; één akkoord heeft één {label}.")
    return out
