"""Editors per centre (issue 21, point 5): may this editor write data of these areas?

The setting KPI_EDITOR_AREAS maps editor identities to the centres (area names) they may edit:
an e-mail address (OIDC, or `--gebruiker` on the command line), an OIDC group, or `wachtwoord`
for the editor who signed in with the shared password. `*` stands for every centre. An empty
setting keeps what was before: every editor may edit every centre. With a mapping, an editor
who is not in it may edit no centre (fail closed: a forgotten entry refuses, never allows).

The decision is one table of rules over one facts value (`RULES`, first rule that holds wins),
enforced at one point: `kpi.importer.apply` and `undo`, the single write path of every page form
and of the CLI. Rows without an area of their own (action lists, the digest's subscribers) belong
to the default centre (KPI_AREA): the werkplan's themes and the digest are the monitored
centre's until point 3 gives them a centre each.

Viewers per centre (`viewable_areas`): the setting KPI_VIEWER_AREAS limits which centres a
viewer sees; empty, everyone sees every centre. A signed-in editor sees those plus the centres
they may edit (every centre when they may edit every one). Enforced in ui/data.py, which every
page read passes; the command line is the operator's and sees everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The key that names the password editor in the mapping (there is one shared password login).
PASSWORD_EDITOR = "wachtwoord"
# An area value that stands for every centre.
EVERY_AREA = "*"

EditorAreas = tuple[tuple[str, tuple[str, ...]], ...]


class MappingError(ValueError):
    """KPI_EDITOR_AREAS cannot be read (a Dutch message)."""


def _key(identity: str) -> str:
    """E-mail addresses compare case-insensitively; groups are compared the same way (providers
    differ in how they case group names, and two groups differing only in case would be a trap)."""
    return identity.strip().casefold()


def parse_editor_areas(text: str) -> EditorAreas:
    """`identiteit=Gebied|Gebied; identiteit=*` as a sorted tuple of (key, areas). Entries are
    separated by `;` (or new lines), areas by `|`; an identity named twice gets both lists."""
    found: dict[str, set[str]] = {}
    for entry in text.replace("\n", ";").split(";"):
        if not entry.strip():
            continue
        identity, sep, areas = entry.partition("=")
        names = {a.strip() for a in areas.split("|") if a.strip()}
        if not sep or not identity.strip() or not names:
            raise MappingError(f"KPI_EDITOR_AREAS: '{entry.strip()[:60]}' is geen 'identiteit=Gebied'; "
                               "gebruik bijvoorbeeld 'a.jansen@assen.nl=Assen binnenstad; redactie-emmen=Emmen centrum'.")
        found.setdefault(_key(identity), set()).update(names)
    return tuple(sorted((key, tuple(sorted(names))) for key, names in found.items()))


@dataclass(frozen=True)
class Editor:
    """Who writes: the name shown in messages and the keys the mapping may list for them
    (a verified e-mail address, groups, or PASSWORD_EDITOR)."""

    name: str
    keys: frozenset[str]

    @classmethod
    def of(cls, name: str, keys: Iterable[str]) -> Editor:
        return cls(name, frozenset(_key(k) for k in keys if k and k.strip()))


@dataclass(frozen=True)
class Access:
    """What `kpi.importer.apply`/`undo` need to decide: the editor, the mapping (settings) and the
    default centre, the area of rows that have none."""

    editor: Editor
    mapping: EditorAreas
    default_area: str


def editable_areas(mapping: EditorAreas, keys: Iterable[str]) -> frozenset[str] | None:
    """The areas an editor with these keys may edit; None for every area (no mapping, or `*`)."""
    if not mapping:
        return None
    wanted = {_key(k) for k in keys}
    areas = frozenset(a for key, names in mapping if key in wanted for a in names)
    return None if EVERY_AREA in areas else areas


@dataclass(frozen=True)
class Facts:
    """One decision's input: the mapping's state, the editor's areas and the areas written."""

    mapped: bool
    editable: frozenset[str] | None
    written: frozenset[str]

    @property
    def foreign(self) -> list[str]:
        return sorted(self.written - (self.editable or frozenset()))


def _list(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


@dataclass(frozen=True)
class Rule:
    name: str
    holds: Callable[[Facts], bool]
    allowed: bool


# First rule that holds decides. Invariant (tests/test_access.py): allowed iff the mapping is
# empty, the editor has every area, or every written area is one of the editor's.
RULES: tuple[Rule, ...] = (
    Rule("geen indeling", lambda f: not f.mapped, True),
    Rule("alle centra", lambda f: f.editable is None, True),
    Rule("niets te schrijven", lambda f: not f.written, True),
    Rule("geen centrum", lambda f: not f.editable, False),
    Rule("eigen centra", lambda f: f.written <= f.editable, True),
    Rule("ander centrum", lambda f: True, False),
)


def decide(mapping: EditorAreas, keys: Iterable[str], areas: Iterable[str]) -> Rule:
    """The rule that decides whether an editor with `keys` may write data of `areas`."""
    facts = Facts(bool(mapping), editable_areas(mapping, keys), frozenset(areas))
    return next(rule for rule in RULES if rule.holds(facts))


def may_write(mapping: EditorAreas, keys: Iterable[str], areas: Iterable[str]) -> bool:
    """True when an editor with `keys` may write data of every one of `areas`."""
    return decide(mapping, keys, areas).allowed


def refusal(access: Access, rows: list[tuple[str, int | None, str | None]], what: str = "") -> str | None:
    """The Dutch message that refuses this write, or None when it is allowed. `rows` are
    (file, row, area) of what is written (area None: the default centre); `what` names the write
    when there are no file rows (an undo: "importbatch 12")."""
    areas = [(file, row, area or access.default_area) for file, row, area in rows]
    written = frozenset(a for _, _, a in areas)
    rule = decide(access.mapping, access.editor.keys, written)
    if rule.allowed:
        return None
    editable = editable_areas(access.mapping, access.editor.keys) or frozenset()
    foreign = [(f, r, a) for f, r, a in areas if a not in editable]
    others = _list(sorted({a for _, _, a in foreign}))
    who = (f"U bent als {access.editor.name} redacteur voor {_list(sorted(editable))}, niet voor {others}"
           if editable else f"U bent als {access.editor.name} voor geen enkel centrum redacteur (KPI_EDITOR_AREAS)")
    if what:
        about = f"{what} gaat over {others}"
    else:
        shown = [f"{f + ' ' if f else ''}rij {r} gaat over {a}" if r is not None else f"{f} gaat over {a}"
                 for f, r, a in foreign[:3]]
        more = f" (en {len(foreign) - 3} rijen meer)" if len(foreign) > 3 else ""
        about = "; ".join(shown) + more
    return f"{who}: {about}. Er is niets opgeslagen."


def viewable_areas(viewer_areas: frozenset[str] | None, mapping: EditorAreas, keys: Iterable[str],
                   editor: bool) -> frozenset[str] | None:
    """The centres this session may see; None for every centre. `viewer_areas` is KPI_VIEWER_AREAS
    resolved to area names (None: not set). Viewers see that set; an editor sees it plus the
    centres they may edit. Invariant (tests/test_access.py): never less than the viewer set, and
    an editor never less than what they may edit."""
    if viewer_areas is None:
        return None
    if not editor:
        return viewer_areas
    editable = editable_areas(mapping, keys)
    return None if editable is None else viewer_areas | editable
