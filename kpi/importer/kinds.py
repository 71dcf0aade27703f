"""The kinds of import file as one table: for each, how its rows are checked, compared with the
database (a plan), written as one batch and undone. `kpi.importer.prepare/apply/undo` look the
kind up here instead of branching on it; a new kind is one row.

Every plan has the same protocol: `writes` (anything to store?) and `same_outcome(other)` (is a
plan made again inside the writing transaction the one the user saw?).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
from sqlalchemy.engine import Connection

from kpi import repository
from kpi.importer import actions, areas, duiding, plausibility, store, subscribers, werkplan_basis
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
from kpi.importer.plan import (
    observation_frames,
    plan_observations,
    plan_targets,
    same_year_conflicts,
    target_frames,
)
from kpi.importer.rules import Validated
from kpi.importer.validation import validate_observations, validate_targets


class Plan(Protocol):
    """What every kind's plan offers the importer."""

    @property
    def writes(self) -> bool: ...

    def same_outcome(self, other: Any) -> bool: ...


@dataclass(frozen=True)
class Checking:
    """What the checks of a file may need: the database's vocabularies and the import's options."""

    conn: Connection
    indicators: pd.DataFrame
    areas: pd.DataFrame
    file_order: dict[str, int]
    create_areas: bool
    today: dt.date
    max_euro: float
    # The centre of rows that name none (an action list without `gebied`): the chosen centre.
    default_area: str = ""


@dataclass(frozen=True)
class Kind:
    """One kind of import file."""

    code: str
    # Shown when a file of this kind is chosen together with files of another kind.
    not_mixed: str | None
    check: Callable[[pd.DataFrame, Checking], Validated]
    plan: Callable[[Connection, pd.DataFrame, dt.date], Plan]
    # (added, changed, unchanged) frames of a plan, for the preview.
    frames: Callable[[Plan], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]
    write: Callable[[Connection, Plan, dict, str, dict], int]
    undo: Callable[[Connection, int, dt.datetime, str], None]
    # A form's row: the versions it was opened on are checked, and this says they changed.
    check_versions: Callable[[Plan, dict], None] | None = None
    changed_since_form: str = store.TARGET_CHANGED
    # Problems and plausibility questions found only by comparing with the database.
    compare: Callable[[Connection, Plan], tuple[list[Problem], list[Problem]]] = field(
        default=lambda conn, plan: ([], []))


def _observation_findings(conn: Connection, plan) -> tuple[list[Problem], list[Problem]]:
    conflicts = same_year_conflicts(plan)
    return conflicts, ([] if conflicts else plausibility.questions(plan.rows, plan.stored,
                                                                 plausibility.jumps(conn)))


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind(
        OBSERVATIONS,
        not_mixed=None,  # the other file of a mixed choice says what is wrong
        check=lambda frame, c: validate_observations(frame, c.indicators, c.areas, create_areas=c.create_areas,
                                                     today=c.today, file_order=c.file_order),
        plan=lambda conn, rows, today: plan_observations(conn, rows),
        frames=observation_frames,
        write=lambda conn, plan, meta, user, confirmed: store.write_observations(conn, plan, meta, user, confirmed),
        undo=store.undo_observations,
        compare=_observation_findings,
    ),
    Kind(
        TARGETS,
        not_mixed="Dit is een doelenbestand; doelen en cijfers kunnen niet samen worden ingelezen. "
                  "Importeer het apart.",
        check=lambda frame, c: validate_targets(frame, c.indicators, c.areas, create_areas=c.create_areas,
                                                file_order=c.file_order,
                                                agreements=repository.load_agreements(c.conn)),
        plan=plan_targets,
        frames=target_frames,
        write=lambda conn, plan, meta, user, confirmed: store.write_targets(conn, plan, meta, user),
        undo=store.undo_targets,
        check_versions=store.check_target_versions,
        changed_since_form=store.TARGET_CHANGED,
    ),
    Kind(
        ACTIONS,
        not_mixed="Dit is een actielijst van het werkplan; een actielijst kan niet samen met cijfers of doelen "
                  "worden ingelezen. Importeer het apart.",
        check=lambda frame, c: actions.validate_actions(frame, c.indicators, *actions.reference(c.conn),
                                                        file_order=c.file_order, max_euro=c.max_euro,
                                                        areas=c.areas, default_area=c.default_area),
        plan=lambda conn, rows, today: actions.plan_actions(conn, rows),
        frames=actions.action_frames,
        write=lambda conn, plan, meta, user, confirmed: actions.write_actions(conn, plan, meta, user),
        undo=actions.undo_actions,
        check_versions=actions.check_action_versions,
        changed_since_form=actions.ACTION_CHANGED,
    ),
    *(Kind(
        code,
        not_mixed=f"Dit is een lijst met {word} van het werkplan; die kan niet samen met andere bestanden worden "
                  "ingelezen. Importeer hem apart.",
        check=lambda frame, c, validate=validate: validate(frame, c.areas, default_area=c.default_area,
                                                           file_order=c.file_order, conn=c.conn),
        plan=lambda conn, rows, today, code=code: werkplan_basis.plan_basis(conn, code, rows),
        frames=werkplan_basis.basis_frames,
        write=lambda conn, plan, meta, user, confirmed: werkplan_basis.write_basis(conn, plan, meta, user),
        undo=werkplan_basis.undo_basis,
        compare=lambda conn, plan: (plan.problems, []),
    ) for code, word, validate in ((THEMES, "thema's", werkplan_basis.validate_themes),
                                   (ROLES, "rollen", werkplan_basis.validate_roles))),
    Kind(
        SUBSCRIBERS,
        not_mixed="Dit is een lijst met abonnees; een abonneelijst kan niet samen met andere bestanden worden "
                  "ingelezen. Importeer het apart.",
        check=lambda frame, c: subscribers.validate_subscribers(frame, c.indicators, c.areas,
                                                                file_order=c.file_order),
        plan=lambda conn, rows, today: subscribers.plan_subscribers(conn, rows),
        frames=subscribers.subscriber_frames,
        write=lambda conn, plan, meta, user, confirmed: subscribers.write_subscribers(conn, plan, meta, user),
        undo=subscribers.undo_subscribers,
        check_versions=subscribers.check_versions,
        changed_since_form=subscribers.SUBSCRIBER_CHANGED,
    ),
    Kind(
        DUIDING,
        not_mixed="Dit is een duidingbestand van de regiegroep; een duidingbestand kan niet samen met andere "
                  "bestanden worden ingelezen. Importeer het apart.",
        check=lambda frame, c: duiding.validate_duiding(frame, c.indicators, c.areas, file_order=c.file_order,
                                                        today=c.today),
        plan=lambda conn, rows, today: duiding.plan_duiding(conn, rows),
        frames=duiding.duiding_frames,
        write=lambda conn, plan, meta, user, confirmed: duiding.write_duiding(conn, plan, meta, user),
        undo=duiding.undo_duiding,
        check_versions=duiding.check_versions,
        changed_since_form=duiding.DUIDING_CHANGED,
    ),
    Kind(  # centres and their werkgroep (issue 21): kpi.importer.areas
        AREAS,
        not_mixed="Dit is een gebiedenbestand (centra en hun werkgroep); een gebiedenbestand kan niet samen met "
                  "andere bestanden worden ingelezen. Importeer het apart.",
        check=lambda frame, c: areas.validate_areas(frame, c.conn, file_order=c.file_order),
        plan=lambda conn, rows, today: areas.plan_areas(conn, rows),
        frames=areas.area_frames,
        write=lambda conn, plan, meta, user, confirmed: areas.write_areas(conn, plan, meta, user),
        undo=areas.undo_areas,
    ),
)}
