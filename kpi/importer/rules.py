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
