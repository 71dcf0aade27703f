"""The definitief rule as a table: which KPI statuses need the regiegroep's duiding before a
briefing may be marked definitief (an orange or red light must state cause, effect and
bijsturing). Every status word of kpi.statuses has a row; a test checks that."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kpi.briefing.model import CONCEPT
from kpi.statuses import ACHTER, GEEN_DATA, GEHAALD, OP_KOERS, RISICO

# status -> a duiding is required for the briefing's period
DUIDING_REQUIRED: dict[str, bool] = {
    GEHAALD: False,
    OP_KOERS: False,
    RISICO: True,
    ACHTER: True,
    GEEN_DATA: False,
}


def needs_duiding(status: str) -> bool:
    """Whether a KPI with this status needs a duiding (an unknown word does not)."""
    return DUIDING_REQUIRED.get(status, False)


def missing_duiding(statuses: Mapping[str, str], duiding: Mapping[str, object]) -> list[str]:
    """The indicator codes (in the order of `statuses`) whose status needs a duiding that
    `duiding` (code -> Duiding for the period) does not have."""
    return [code for code, status in statuses.items() if needs_duiding(status) and code not in duiding]


def definitief_refusal(statuses: Mapping[str, str], duiding: Mapping[str, object],
                       names: Mapping[str, str], period: str) -> str | None:
    """Why a briefing for `period` cannot be marked definitief (Dutch, naming the KPIs), or None
    when it can."""
    missing = missing_duiding(statuses, duiding)
    if not missing:
        return None
    listed = ", ".join(f"{names.get(c, c)} ({statuses[c]})" for c in missing)
    word = "deze KPI" if len(missing) == 1 else "deze KPI's"
    return (f"De briefing kan niet definitief worden: voor {word} ontbreekt de duiding van de regiegroep "
            f"voor {period}: {listed}. Schrijf eerst oorzaak, effect en bijsturing (pagina KPI in detail of "
            "een duidingbestand via Importeren); er is niets opgeslagen.")


# ---- promoting a concept to definitief -------------------------------------------------------

@dataclass(frozen=True)
class PromotionRule:
    """One reason a stored briefing cannot be promoted: when it holds, and what the user is told."""

    holds: Callable[[int, Mapping | None, str], bool]
    reason: Callable[[int, Mapping | None, str], str]


# First rule that holds refuses (record: kpi.briefing.store.load_briefing; area: the chosen centre).
# After these, the briefing is a concept of this centre that was never promoted, and the duiding
# rule above decides, exactly as for `briefing maak --definitief`.
PROMOTION_RULES: tuple[PromotionRule, ...] = (
    PromotionRule(lambda n, r, area: r is None, lambda n, r, area: f"Briefing {n} bestaat niet."),
    PromotionRule(lambda n, r, area: r["area"] != area,
                  lambda n, r, area: f"Briefing {n} is van {r['area']}, niet van {area}; kies eerst dat centrum."),
    PromotionRule(lambda n, r, area: r["state"] != CONCEPT,
                  lambda n, r, area: f"Briefing {n} is al definitief; alleen een concept kan definitief worden."),
    PromotionRule(lambda n, r, area: r.get("promoted_to") is not None,
                  lambda n, r, area: (f"Concept {n} is al definitief gemaakt als briefing {r['promoted_to']}; "
                                      "een concept wordt maar één keer definitief.")),
)


def promotion_refusal(number: int, record: Mapping | None, area: str) -> str | None:
    """Why stored briefing `number` cannot be promoted to definitief in `area` (Dutch, ending in
    'Er is niets opgeslagen.'), or None when the duiding rule may decide."""
    rule = next((r for r in PROMOTION_RULES if r.holds(number, record, area)), None)
    return None if rule is None else f"{rule.reason(number, record, area)} Er is niets opgeslagen."
