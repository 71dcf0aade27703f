"""Meeting mode (vergadermodus): screen 0 is the summary, screens 1..n one KPI each, and
with `werkplan` a last screen for the werkplan (late actions, actions finished since the
last meeting)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kpi.briefing.model import Duiding
from kpi.briefing.rules import needs_duiding
from kpi.briefing.text import duiding_parts, missing_text, written_by


def step_count(kpis: int, werkplan: bool = False) -> int:
    """Screens in the meeting: the summary plus one per KPI (plus the werkplan screen)."""
    return kpis + 1 + int(werkplan)


def is_werkplan_step(step: int, count: int, werkplan: bool = True) -> bool:
    """True for the werkplan screen: the last one, when the meeting has it."""
    return werkplan and count > 1 and step == count - 1


def parse_step(text: object, count: int) -> int:
    """The screen asked for in the URL (?stap=2), clamped to 0..count-1; 0 when unreadable."""
    if isinstance(text, list):  # a repeated query parameter: take the last
        text = text[-1] if text else None
    try:
        step = int(str(text).strip())
    except (TypeError, ValueError):
        return 0
    return min(max(step, 0), max(count - 1, 0))


def step_after_switch(step: int, before: Sequence[str], after: Sequence[str], werkplan: bool = True) -> int:
    """The screen to show when the centre changes during a meeting: the summary stays the summary
    and the werkplan screen the werkplan screen; a KPI's screen shows the same KPI when the other
    centre has it (at its place there), else the summary, never another KPI under the old number.
    `before` and `after` are the two centres' KPI codes in meeting order."""
    count_before, count_after = step_count(len(before), werkplan), step_count(len(after), werkplan)
    step = min(max(step, 0), count_before - 1)
    if is_werkplan_step(step, count_before, werkplan):
        return count_after - 1
    if step == 0:
        return 0
    code = before[step - 1]
    return list(after).index(code) + 1 if code in after else 0


def step_label(step: int, count: int, werkplan: bool = False) -> str:
    """'Scherm 2 van 6 (samenvatting)'-style position text."""
    kpis = count - 1 - int(werkplan)
    if step == 0:
        what = "samenvatting"
    elif werkplan and step == count - 1:
        what = "werkplan"
    else:
        what = f"KPI {step} van {kpis}"
    return f"Scherm {step + 1} van {count} · {what}"


def duiding_beside(status: str, duiding: Mapping[str, Duiding], code: str, period: str) -> list[tuple[str, str]] | None:
    """What meeting mode shows beside a KPI that is achter or risico: (label, text) lines of the
    regiegroep's duiding for `period`, or one line saying it is missing; None for other statuses."""
    if not needs_duiding(status):
        return None
    d = duiding.get(code)
    if d is None:
        return [("Duiding", missing_text(status, period))]
    return [*duiding_parts(d), ("", written_by(d))]
