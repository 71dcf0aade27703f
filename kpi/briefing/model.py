"""What a briefing document reads about duiding and about the briefing itself.

These shapes are the contract between the store (which fills them) and the PDF and deck (which
only read them), so either side can be built and tested without the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# A briefing's state: a draft says "concept" on every page; definitief is only allowed when every
# KPI that is achter or risico has a duiding for the briefing's period.
CONCEPT = "concept"
DEFINITIEF = "definitief"
BRIEFING_STATES = (CONCEPT, DEFINITIEF)


@dataclass(frozen=True)
class Duiding:
    """The regiegroep's reading of one KPI for one briefing period: why it stands where it
    stands (cause), what that means for the goal (effect), and what is done or proposed
    (bijsturing). Stored versioned like every record; `batch_id` is its import batch."""

    indicator_code: str
    period: str             # the briefing period it is written for, e.g. '2026-K4'
    cause: str
    effect: str
    bijsturing: str
    author: str
    written_on: dt.date
    batch_id: int | None = None
    illustrative: bool = False


@dataclass(frozen=True)
class BriefingInfo:
    """Which briefing a document is: its number once stored, period, state and the moment of
    the previous definitive briefing (what 'changed since the last briefing' compares with)."""

    period: str
    state: str = CONCEPT                  # one of BRIEFING_STATES
    number: int | None = None             # briefings.id once stored
    made_at: dt.datetime | None = None    # naive UTC, when it was marked definitief
    previous_at: dt.datetime | None = None  # naive UTC; None: there is no earlier definitive one
    contact: str = ""                     # colophon contact line (a setting)
