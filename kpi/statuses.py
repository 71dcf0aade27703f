"""The status vocabulary and the status rules, each declared once as a table.

Cards, charts, the meeting screen, PDF and PPTX read `STATUSES` (word, icon, colour, order);
`kpi.metrics.evaluate` applies `RULES` in order; the README and the Bronnen page show
`RULES`, and a test checks the README's list against this table.
"""

from __future__ import annotations

from dataclasses import dataclass

GEHAALD = "gehaald"
OP_KOERS = "op koers"
RISICO = "risico"
ACHTER = "achter"
GEEN_DATA = "geen recente data"


@dataclass(frozen=True)
class Status:
    """One status: the Dutch word, a printable icon (PDF, PPTX, CLI), a Material icon (screen),
    an Okabe-Ito colour for charts, a Streamlit badge colour, and its place in every list."""

    word: str
    symbol: str
    material_icon: str
    hex_colour: str
    badge_colour: str
    order: int


# Okabe-Ito colours: distinguishable with the common forms of colour blindness; the orange
# darkened to 3:1 on white (WCAG 2.1 AA for graphics; tests/test_contrast.py).
STATUSES: tuple[Status, ...] = (
    Status(GEHAALD, "✔", ":material/check_circle:", "#009E73", "green", 0),
    Status(OP_KOERS, "➚", ":material/trending_up:", "#0072B2", "blue", 1),
    Status(RISICO, "⚠", ":material/warning:", "#B37A00", "orange", 2),
    Status(ACHTER, "✖", ":material/cancel:", "#D55E00", "red", 3),
    Status(GEEN_DATA, "?", ":material/help:", "#7F7F7F", "gray", 4),
)
BY_WORD: dict[str, Status] = {s.word: s for s in STATUSES}
WORDS: tuple[str, ...] = tuple(s.word for s in STATUSES)


def status(word: str) -> Status:
    """The table row of a status word (an unknown word reads as 'geen recente data')."""
    return BY_WORD.get(word, BY_WORD[GEEN_DATA])


def labelled(word: str) -> str:
    """The status in words with its printable icon: '✔ gehaald' (never colour alone)."""
    return f"{status(word).symbol} {word}"


def counts(words: list[str]) -> list[tuple[str, int]]:
    """(status, how many) in the table's order, only statuses that occur."""
    return [(s.word, n) for s in STATUSES if (n := sum(w == s.word for w in words))]


@dataclass(frozen=True)
class Rule:
    """One status rule as the README and the Bronnen page state it (Dutch)."""

    status: str
    text: str


# Applied in this order by kpi.metrics.evaluate; the first that holds decides.
RULES: tuple[Rule, ...] = (
    Rule(GEEN_DATA,
         "er is geen meting; of de nieuwste meting is ouder dan de maximale leeftijd van de indicator "
         "(`max_leeftijd_jaren`, standaard 3 jaar, geteld vanaf de peildatum tot vandaag); of er is bij "
         "een relatief doel geen bruikbaar landelijk cijfer van dezelfde maatstaf: niet van hetzelfde "
         "jaar en ook geen eerder echt landelijk cijfer binnen de maximale leeftijd."),
    Rule(GEHAALD,
         "de nieuwste waarde haalt het doel (`hoger`: op of boven; `lager`: op of onder; "
         "`onder_landelijk`: strikt onder het landelijke cijfer van dezelfde maatstaf en hetzelfde jaar, "
         "of zolang dat er niet is onder het nieuwste eerdere echte landelijke cijfer, met jaartal genoemd); "
         "of het doeljaar is voorbij en het doel werd in of vóór het doeljaar gehaald. Wie het doel pas "
         "na het doeljaar haalt, leest dat erbij (\"na het doeljaar\")."),
    Rule(ACHTER,
         "de horizon is voorbij (het doeljaar, of de planningshorizon als het akkoord geen jaar noemt) "
         "en het doel is niet gehaald; of de trend gaat niet richting het doel; of de trend haalt het "
         "doel pas na de horizon en de nieuwste waarde ligt achter op het *benodigde pad* (rechte lijn "
         "van de basiswaarde naar de doelwaarde in het horizonjaar)."),
    Rule(OP_KOERS,
         "de trend haalt het doel binnen de horizon: vanaf de nieuwste meting, in het tempo van de "
         "kleinste-kwadratenlijn over de metingen vanaf het basisjaar (minstens twee, in verschillende jaren)."),
    Rule(RISICO,
         "de trend gaat richting het doel maar haalt het pas na de horizon (of er is geen horizon), "
         "terwijl de nieuwste waarde op of voor het benodigde pad ligt of er geen pad is (geen basiswaarde); "
         "of er is nog geen trend: minder dan twee metingen in verschillende jaren."),
)
