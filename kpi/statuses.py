"""The status vocabulary and the status rules, each declared once as a table.

Cards, charts, the meeting screen, PDF and PPTX read `STATUSES` (word, icon, colour, order);
`kpi.metrics.evaluate` reads one `kpi.facts.Facts` value per KPI and `decide` walks `RULES`:
the first rule whose predicate holds gives the status word and builds the reason sentence
from the same facts. docs/statusregels.md and the Bronnen page show `RULES`; a test checks
the docs' list against this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kpi.facts import Facts, horizon_phrase

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
    """One status rule: the word, its text as the docs and the Bronnen page state it (Dutch),
    the predicate over the facts, and the reason sentence built from the same facts."""

    status: str
    text: str
    holds: Callable[[Facts], bool]
    reason: Callable[[Facts], str]


def _goal(f: Facts, goal: float | None = None) -> str:
    if f.relative:
        return "onder het landelijke cijfer"
    goal = f.goal if goal is None else goal
    if f.increase and f.increase_base is not None and goal is not None:
        return f"{f.shown_change(goal - f.increase_base)} sinds {f.increase_since}: {f.shown(goal)}"
    return f.shown(goal)


def _latest(f: Facts) -> str:
    if f.increase and f.increase_base is not None:
        return (f"De nieuwste meting, {f.shown(f.latest.value)} ({f.latest.when}; "
                f"{f.shown_change(f.latest.value - f.increase_base)} sinds {f.increase_since})")
    return f"De nieuwste meting, {f.shown(f.latest.value)} ({f.latest.when})"


def _national(f: Facts) -> str:
    extra = f"; {f.national_note}" if f.national_note else ""
    return f"landelijk {f.shown(f.national.value)} ({f.national.when}){extra}"


def _version_note(f: Facts) -> str:
    if f.relative or f.goal_version is None or f.goal_version == f.current_version:
        return ""
    return f" (doelversie {f.goal_version}, die op die peildatum gold)"


def _age(f: Facts) -> str:
    return (f"De nieuwste meting is van {f.latest.when}: meer dan {f.max_age_years} jaar oud "
            "(gerekend vanaf de peildatum).")


def _met_reason(f: Facts) -> str:
    if f.relative:
        return f"{_latest(f)}, ligt onder het landelijke cijfer: {_national(f)}."
    text = f"{_latest(f)}, haalt het doel ({_goal(f)}){_version_note(f)}."
    if f.deadline_passed and f.reached is not None and not f.met_in_time:
        text += f" Eerst gehaald in {f.reached.peildatum.year}: na het doeljaar {f.target_year}."
    return text


def _held_reason(f: Facts) -> str:
    r = f.reached
    goal = _goal(f, f.reached_goal_value)
    text = (f"Het doel ({goal} in {f.reached_target_year}) is op tijd gehaald: "
            f"{f.shown(r.value)} ({r.when}).")
    if f.latest.peildatum != r.peildatum:
        text += (f" {_latest(f)}, haalt het doel ook." if f.met_now
                 else f" {_latest(f)}, haalt het niet meer.")
    if f.stale:
        text += " " + _age(f)
    return text


def _no_data_reason(f: Facts) -> str:
    if f.latest is None:
        since = f" vanaf het basisjaar {f.counted_from.year}" if f.counted_from else ""
        return f"Er is nog geen meting{since}."
    if f.stale:
        return _age(f)
    if f.base_unknown:
        return (f"Het doel is een toename sinds {f.increase_since}, maar de stand in {f.increase_since} is "
                "onbekend (geen basiswaarde en geen meting uit dat jaar): de toename is niet te berekenen.")
    if not f.has_goal:
        return "Er is geen doelwaarde vastgelegd."
    return f.national_missing


def _lead(f: Facts) -> str:
    """The first sentence of every reason of a target not met now."""
    if f.relative:
        text = f"{_latest(f)}, ligt niet onder {_national(f)}."
    else:
        text = f"{_latest(f)}, haalt het doel ({_goal(f)}){_version_note(f)} niet."
    if f.reached is not None:
        back = "boven het landelijke cijfer" if f.relative else "onder het doel"
        text += f" Was in {f.reached.peildatum.year} gehaald, nu weer {back}."
    return text


def _horizon(f: Facts) -> str:
    return horizon_phrase(f.horizon, f.horizon_assumed)


def _required(f: Facts) -> str:
    if f.relative:
        return f"hoogstens {f.shown_gap(f.required_now)} boven landelijk"
    return f.shown(f.required_now)


def _horizon_passed(f: Facts) -> str:
    h = _horizon(f)
    return f"{_lead(f)} {h[0].upper()}{h[1:]} is voorbij."


# Applied in this order by `decide`; the first that holds decides.
RULES: tuple[Rule, ...] = (
    Rule(GEHAALD,
         "het doel heeft een doeljaar, dat jaar is voorbij, en een echte meting vanaf het basisjaar, in of "
         "vóór het doeljaar, haalde het doel dat op haar peildatum gold: het akkoord vroeg om dat moment. "
         "Dat blijft zo als het cijfer later terugvalt of oud wordt; de zin zegt dan hoe het nu staat en "
         "hoe oud het nieuwste cijfer is. Alleen dan staat er \"op tijd\".",
         lambda f: f.deadline_passed and f.met_in_time and f.latest is not None,
         _held_reason),
    Rule(GEEN_DATA,
         "er is geen meting vanaf het basisjaar; of de nieuwste meting is ouder dan de maximale leeftijd van "
         "de indicator (standaard 3 jaar, geteld vanaf de peildatum tot vandaag); of er is geen doelwaarde; "
         "of er is bij een relatief doel geen echt landelijk cijfer van dezelfde maatstaf binnen de maximale "
         "leeftijd van de peildatum (het dichtstbijzijnde in de tijd, ervoor of erna, met zijn datum genoemd); "
         "of bij een doel als toename sinds het basisjaar is de stand in dat jaar onbekend (geen basiswaarde "
         "en geen meting uit dat jaar).",
         lambda f: (f.latest is None or f.stale or f.base_unknown or not f.has_goal
                    or (f.relative and f.national is None)),
         _no_data_reason),
    Rule(GEHAALD,
         "de nieuwste meting haalt het doel dat op haar peildatum gold (`hoger`: op of boven; `lager`: op of "
         "onder; onder landelijk: strikt onder het landelijke cijfer van dezelfde maatstaf; een toename sinds het "
         "basisjaar: de stand in dat jaar plus de toename, in de richting van de indicator). Wie het doel pas "
         "na het doeljaar haalde, leest dat erbij (\"na het doeljaar\").",
         lambda f: f.met_now,
         _met_reason),
    Rule(ACHTER,
         "de horizon is voorbij (het doeljaar, of de planningshorizon als het akkoord geen jaar noemt) en "
         "het doel is niet gehaald.",
         lambda f: f.horizon_passed,
         _horizon_passed),
    Rule(RISICO,
         "er is nog geen trend: minder dan twee metingen vanaf het basisjaar in verschillende jaren (van "
         "één meetfrequentie).",
         lambda f: f.trend is None,
         lambda f: f"{_lead(f)} {f.trend_text}"),
    Rule(ACHTER,
         "de trend gaat niet richting het doel.",
         lambda f: not f.trend_toward,
         lambda f: f"{_lead(f)} {f.trend_text} gaat niet richting het doel."),
    Rule(OP_KOERS,
         "de trend haalt het doel binnen de horizon: vanaf de nieuwste meting, in het tempo van de "
         "kleinste-kwadratenlijn over de metingen vanaf het basisjaar (minstens twee, in verschillende jaren, "
         "van één meetfrequentie), in een later jaar dan dat van de nieuwste meting.",
         lambda f: f.horizon is not None and f.year_reached is not None and f.year_reached <= f.horizon,
         lambda f: f"{_lead(f)} {f.trend_text} haalt het doel in {f.year_reached}: binnen {_horizon(f)}."),
    Rule(ACHTER,
         "de trend haalt het doel pas na de horizon en de nieuwste waarde ligt achter op het *benodigde pad*: "
         "de rechte lijn van de basiswaarde in het basisjaar naar het doel in het horizonjaar (bij een "
         "relatief doel: van het verschil met landelijk bij de start, het paar uit het akkoord, naar 0).",
         lambda f: f.behind_path,
         lambda f: (f"{_lead(f)} {f.trend_text} haalt het doel pas in {f.year_reached}, na {_horizon(f)}, "
                    f"en de waarde ligt achter op het benodigde pad (nu {_required(f)}).")),
    Rule(RISICO,
         "de trend gaat richting het doel maar haalt het pas na de horizon (of er is geen horizon), terwijl "
         "de nieuwste waarde op of voor het benodigde pad ligt of er geen pad is.",
         lambda f: True,
         lambda f: (f"{_lead(f)} {f.trend_text} gaat richting het doel, maar haalt het pas in "
                    f"{f.year_reached}; {_horizon(f)}.")),
)
MET_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.status == GEHAALD)


def decide(f: Facts) -> tuple[str, str]:
    """The first rule that holds: (status word, reason sentence), both from the same facts."""
    rule = next(r for r in RULES if r.holds(f))
    return rule.status, rule.reason(f)
