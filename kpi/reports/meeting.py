"""Meeting mode (vergadermodus): screen 0 is the summary, screens 1..n one KPI each, and
with `werkplan` a last screen for the werkplan (late actions, actions finished since the
last meeting)."""

from __future__ import annotations


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
