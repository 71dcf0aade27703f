"""Dutch text about duiding for the KPI page, meeting mode and the documents (plain text: the
screen escapes it, the documents print it)."""

from __future__ import annotations

from kpi import formatting as fmt
from kpi.briefing.model import Duiding
from kpi.briefing.period import period_label
from kpi.briefing.rules import needs_duiding
from kpi.periods import DAY

PARTS = (("Oorzaak", "cause"), ("Effect op het doel", "effect"), ("Bijsturing", "bijsturing"))


def duiding_parts(d: Duiding) -> list[tuple[str, str]]:
    """(label, text) for cause, effect and bijsturing."""
    return [(label, getattr(d, field)) for label, field in PARTS]


# A non-breaking hyphen: a narrow screen broke '7-12-2026' after '7-12-' (seen on an iPhone 13).
NB_HYPHEN = "\u2011"


def written_by(d: Duiding) -> str:
    """'Geschreven door Regiegroep op 1-12-2026 voor het 4e kwartaal 2026' (on screen: the date
    with non-breaking hyphens, so it never breaks over two lines)."""
    day = fmt.peildatum(d.written_on, DAY).replace("-", NB_HYPHEN)
    return (f"Geschreven door {d.author} op {day} voor het {period_label(d.period)}"
            + (" (illustratief)" if d.illustrative else ""))


def missing_text(status: str, period: str) -> str:
    """What a KPI without duiding for `period` says: required (achter/risico) or not yet written."""
    if needs_duiding(status):
        return (f"Nog geen duiding van de regiegroep voor het {period_label(period)}. Bij de status "
                f"'{status}' is die nodig voordat een briefing definitief kan worden.")
    return f"Geen duiding van de regiegroep voor het {period_label(period)}."


# What changed between a concept and its promotion, in the order said: (key, one, many).
SINCE_CONCEPT = (
    ("nieuw", "nieuw cijfer", "nieuwe cijfers"),
    ("herzien", "herzien cijfer", "herziene cijfers"),
    ("ingetrokken", "ingetrokken cijfer", "ingetrokken cijfers"),
    ("vervallen", "vervallen cijfer", "vervallen cijfers"),
    ("status", "statuswijziging", "statuswijzigingen"),
    ("doel", "gewijzigd doel", "gewijzigde doelen"),
    ("duiding nieuw", "duiding geschreven", "duidingen geschreven"),
    ("duiding herzien", "duiding herzien", "duidingen herzien"),
    ("duiding vervallen", "duiding vervallen", "duidingen vervallen"),
)


def since_concept_text(concept: int, counts: dict[str, int]) -> str:
    """'Sinds concept 3: 2 nieuwe cijfers, 1 duiding geschreven.' or that nothing changed."""
    parts = [fmt.count(counts.get(key, 0), one, many) for key, one, many in SINCE_CONCEPT if counts.get(key, 0)]
    if not parts:
        return f"Sinds concept {concept} is niets veranderd aan cijfers, statussen, doelen of duiding."
    return f"Sinds concept {concept}: {', '.join(parts)}."
