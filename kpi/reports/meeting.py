"""Meeting mode (vergadermodus): screen 0 is the summary, screens 1..n one KPI each."""

from __future__ import annotations


def step_count(kpis: int) -> int:
    """Screens in the meeting: the summary plus one per KPI."""
    return kpis + 1


def parse_step(text: object, count: int) -> int:
    """The screen asked for in the URL (?stap=2), clamped to 0..count-1; 0 when unreadable."""
    if isinstance(text, list):  # a repeated query parameter: take the last
        text = text[-1] if text else None
    try:
        step = int(str(text).strip())
    except (TypeError, ValueError):
        return 0
    return min(max(step, 0), max(count - 1, 0))


def step_label(step: int, count: int) -> str:
    """'Scherm 2 van 6 (samenvatting)'-style position text."""
    what = "samenvatting" if step == 0 else f"KPI {step} van {count - 1}"
    return f"Scherm {step + 1} van {count} · {what}"
