"""The import's check rules: one `Rule` per check with its Dutch message, run together as one
lazy pandera schema, every failure translated to a Problem naming file, row and column. Used by
every import kind (figures, targets, actions, subscribers)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from kpi.importer.model import Problem


@dataclass(frozen=True)
class Rule:
    """One check: `test` gets the column (when `column` is set) or the whole frame."""

    name: str
    field: str
    test: Callable[[pd.Series | pd.DataFrame], pd.Series]
    message: Callable[[Mapping], str]
    column: str | None = None


@dataclass
class Validated:
    """The rows that passed (only meaningful without problems), the problems, new areas."""

    frame: pd.DataFrame
    problems: list[Problem]
    new_areas: list[str]


# How a file writes yes and no (ja/nee columns of gebieden and subscriber lists).
YES, NO = ("ja", "j", "yes", "y", "1", "waar", "true"), ("nee", "n", "no", "0", "onwaar", "false")


def flag(text: str) -> bool | None:
    """A ja/nee cell as True or False; None for anything else (a rule then names the cell)."""
    key = str(text).strip().casefold()
    return True if key in YES else False if key in NO else None


def yes_no(value: bool) -> str:
    """A stored flag as the file writes it: 'ja' or 'nee'."""
    return "ja" if value else "nee"


def first_of(values: pd.Series, files: pd.Series, rows: pd.Series) -> pd.Series:
    """Per row the earlier row with the same (non-empty) value, as 'rij 3' (or 'rij 3 van x.csv'
    when it is in another file); '' for the first. A value may be a tuple of a row's key fields."""
    first: dict[object, tuple[int, str]] = {}
    out = []
    for value, row, file in zip(values, rows, files, strict=True):
        if value and value in first:
            r, other = first[value]
            out.append(f"rij {r}" if other == file else f"rij {r} van {other}")
        else:
            if value:
                first[value] = (int(row), file)
            out.append("")
    return pd.Series(out, index=values.index, dtype=object)


def decimal_hint(row: Mapping) -> str:
    """The end of a message for a number written with the other decimal mark than the file uses."""
    word, example = ("een komma", "21,9") if row["decimaal"] == "," else ("een punt", "21.9")
    return f"is geen getal in dit bestand: het gebruikt {word} als decimaalteken (bijvoorbeeld {example})"


def run_rules(frame: pd.DataFrame, rules: list[Rule], file_order: dict[str, int]) -> list[Problem]:
    """Run the rules as one lazy pandera schema; translate every failure case."""
    # pandera takes most of a second to import: only an import that checks rows pays for it.
    import pandera.pandas as pa

    columns: dict[str, list[pa.Check]] = {}
    frame_checks = []
    for rule in rules:
        # The tests handle missing values themselves; ignore_na=False also spares pandera an
        # isna() over the frame for every check.
        check = pa.Check(rule.test, name=rule.name, ignore_na=False)
        if rule.column is not None:
            columns.setdefault(rule.column, []).append(check)
        else:
            frame_checks.append(check)
    schema = pa.DataFrameSchema(
        {name: pa.Column(checks=checks, nullable=True) for name, checks in columns.items()},
        checks=frame_checks,
    )
    needed = [c for c in frame.columns if c not in ("bestand", "rij") and not c.startswith("kolom_")]
    try:
        schema.validate(frame[needed], lazy=True)
    except pa.errors.SchemaErrors as err:
        failures = err.failure_cases
    else:
        return []
    by_name = {rule.name: rule for rule in rules}
    order = {rule.name: i for i, rule in enumerate(rules)}
    seen = set()
    problems = []
    for check, index in zip(failures["check"], failures["index"], strict=True):
        if check not in by_name or index is None:
            raise RuntimeError(f"unexpected validation failure: {check} at {index}")
        if (check, index) in seen:  # a frame-level check reports each column of a failing row
            continue
        seen.add((check, index))
        row = frame.loc[index]
        rule = by_name[check]
        problems.append((
            (file_order.get(row["bestand"], 0), int(row["rij"]), order[check]),
            Problem(row["bestand"], int(row["rij"]), row.get(f"kolom_{rule.field}"), rule.message(row)),
        ))
    return [p for _, p in sorted(problems, key=lambda item: item[0])]
