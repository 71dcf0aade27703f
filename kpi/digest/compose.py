"""What changed for one subscriber since the last delivered digest, in Dutch.

The facts come from the same places as the dashboard's: `kpi.changes.compare` (status changes
evaluated by kpi.statuses' rules on each snapshot, new, revised, withdrawn and expired
figures) and `kpi.werkplan` (late and finished actions). This module only filters them for a
subscriber (centres, KPIs, werkplan) and words them: a status word in the digest is the
status the verdict gave, never recomputed. Illustrative figures and demo actions are not news.

Per centre (issue 21.1): each centre a subscriber follows brings its own `CentreNews`, made with
that centre as `area` (its targets and agreements, so the verdict the dashboard shows for it) and
from its own werkplan. Every line says which centre it is about (`Line.area`), names it in its text
when the subscriber follows more than one, and links to that centre's page (`?gebied=<slug>`;
none for the default centre, as in the app).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pandas as pd

from kpi import formatting as fmt
from kpi import werkplan
from kpi.briefing.period import period_label
from kpi.changes import Changes
from kpi.digest.subscribers import ALL_KPIS, areas_of, kpis_of
from kpi.names import slug
from kpi.statuses import labelled


@dataclass(frozen=True)
class Line:
    """One item of the digest: its text, the page it links to when there is one, and the centre
    (area name) it is about."""

    text: str
    link: str = ""
    area: str = ""


@dataclass(frozen=True)
class CentreNews:
    """What changed in one centre over one interval: the comparison made with this centre as
    `area` (its status changes are its own verdicts; figures of every area, filtered here) and its
    werkplan's and duiding's news (`action_news` keys 'te laat', 'afgerond'; 'duiding')."""

    changes: Changes
    news: Mapping[str, pd.DataFrame]


def centres_label(areas: tuple[str, ...]) -> str:
    """The subscriber's centres for the subject: one or two by name ('Assen binnenstad en Brugdorp
    centrum'), three or more counted ('3 centra'), so a subject stays one short line."""
    if len(areas) <= 2:
        return " en ".join(areas)
    return f"{fmt.number(len(areas))} centra"


def _named(areas: tuple[str, ...]) -> str:
    """Every centre by name: 'A', 'A en B', 'A, B en C'."""
    return areas[0] if len(areas) == 1 else ", ".join(areas[:-1]) + " en " + areas[-1]


@dataclass(frozen=True)
class Digest:
    """The digest for one subscriber: sections of lines, in the order they are shown."""

    email: str
    name: str
    area: str  # the subscriber's centres in words (centres_label), for the subject
    since: dt.datetime
    until: dt.datetime
    sections: tuple[tuple[str, tuple[Line, ...]], ...]
    changes_link: str  # 'Wat is er veranderd' of the first centre (of the only one)
    unsubscribe_link: str
    counts: dict[str, int] = field(default_factory=dict)
    areas: tuple[str, ...] = ()  # the centres followed, in the subscriber's order
    changes_links: tuple[tuple[str, str], ...] = ()  # (centre, its 'Wat is er veranderd') when several

    @property
    def centres_text(self) -> str:
        """Every centre followed by name, for the opening sentence."""
        return _named(self.areas) if self.areas else self.area

    @property
    def is_empty(self) -> bool:
        """True when nothing changed for this subscriber: nothing is sent."""
        return not any(lines for _, lines in self.sections)

    @property
    def subject(self) -> str:
        """'Binnenstadmonitor Assen binnenstad: 1 statuswijziging, 2 nieuwe cijfers' (the centres
        as centres_label words them)."""
        return f"Binnenstadmonitor {self.area}: {self.summary}"

    @property
    def summary(self) -> str:
        """The counts in words, for the subject and the send log."""
        words = {"status": ("statuswijziging", "statuswijzigingen"), "nieuw": ("nieuw cijfer", "nieuwe cijfers"),
                 "herzien": ("herzien cijfer", "herziene cijfers"),
                 "ingetrokken": ("ingetrokken cijfer", "ingetrokken cijfers"),
                 "te laat": ("actie te laat", "acties te laat"), "afgerond": ("actie afgerond", "acties afgerond"),
                 "duiding": ("duiding", "duidingen")}
        parts = [fmt.count(n, *words[k]) for k, n in self.counts.items() if n]
        return ", ".join(parts) if parts else "niets veranderd"

    def text(self) -> str:
        """The plain-text part."""
        out = [f"Beste {self.name or self.email},", "",
               f"Sinds {fmt.timestamp(self.since)} is er in de Binnenstadmonitor ({self.centres_text}) iets "
               f"veranderd dat u volgt.", ""]
        for title, lines in self.sections:
            if not lines:
                continue
            out.append(title)
            for line in lines:
                out.append(f"- {line.text}")
                if line.link:
                    out.append(f"  {line.link}")
            out.append("")
        if self.changes_links:
            out += [f"Alles wat er veranderde in {area}: {link}" for area, link in self.changes_links] + [""]
        else:
            out += [f"Alles wat er veranderde: {self.changes_link}", ""]
        out += ["U ontvangt deze samenvatting omdat u bent aangemeld bij de Binnenstadmonitor. "
                f"Afmelden: {self.unsubscribe_link}", ""]
        return "\n".join(out)

    def html(self) -> str:
        """The HTML part: every value escaped, so no stored text becomes markup."""
        e = html.escape
        out = ['<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>', e(self.subject),
               "</title></head><body>", f"<p>Beste {e(self.name or self.email)},</p>",
               f"<p>Sinds {e(fmt.timestamp(self.since))} is er in de Binnenstadmonitor ({e(self.centres_text)}) "
               "iets veranderd dat u volgt.</p>"]
        for title, lines in self.sections:
            if not lines:
                continue
            out.append(f"<h2>{e(title)}</h2><ul>")
            for line in lines:
                link = f' <a href="{e(line.link)}">bekijken</a>' if line.link else ""
                out.append(f"<li>{e(line.text)}{link}</li>")
            out.append("</ul>")
        if self.changes_links:
            out.append("<p>" + "<br>".join(f'<a href="{e(link)}">Alles wat er veranderde in {e(area)}</a>'
                                            for area, link in self.changes_links) + "</p>")
        else:
            out.append(f'<p><a href="{e(self.changes_link)}">Alles wat er veranderde</a></p>')
        out.append("<p><small>U ontvangt deze samenvatting omdat u bent aangemeld bij de Binnenstadmonitor. "
                   f'<a href="{e(self.unsubscribe_link)}">Afmelden</a></small></p></body></html>')
        return "".join(out)


def links(base_url: str) -> dict[str, str]:
    """The dashboard's pages a digest links to, from the base URL setting (without a centre: see
    page_link)."""
    base = base_url.rstrip("/")
    return {"kpi": f"{base}/kpi", "wijzigingen": f"{base}/wijzigingen", "werkplan": f"{base}/werkplan",
            "afmelden": f"{base}/afmelden"}


def page_link(page: str, gebied: str, **params: str) -> str:
    """A page's address (from `links`) for one centre: `params`, then `gebied=<slug>` unless
    `gebied` is '' (the default centre, whose addresses carry none; kpi.centres.address_slugs)."""
    query = {**params, **({"gebied": gebied} if gebied else {})}
    return f"{page}?{urlencode(query)}" if query else page


def _followed(subscriber: dict, code: str) -> bool:
    kpis = kpis_of(subscriber["kpis"])
    return kpis == ALL_KPIS or code in kpis


def centres_of(subscriber: dict, default_area: str) -> tuple[str, ...]:
    """The centres a subscriber follows, in their order, once each ('' stored: the default centre)."""
    return tuple(dict.fromkeys(areas_of(subscriber["areas"]))) or (default_area,)


def _unit(indicators: pd.DataFrame, code: str) -> tuple[str, str, int]:
    if code in indicators.index:
        ind = indicators.loc[code]
        return str(ind["name"]), str(ind["unit"]), int(ind["decimals"])
    return code, "aantal", 0


def _figure_lines(frame: pd.DataFrame, subscriber: dict, area: str, indicators: pd.DataFrame,
                  kpi_link: str, gebied: str, words) -> tuple[Line, ...]:
    lines = []
    for m in frame.to_dict("records"):
        if m["area"] != area or not _followed(subscriber, m["indicator"]):
            continue
        name, unit, dec = _unit(indicators, m["indicator"])
        text = words(m, lambda v, unit=unit, dec=dec: fmt.value(v, unit, dec))
        if text is None:
            continue
        where = f"{name}, {m['area']}, {fmt.peildatum(pd.Timestamp(m['peildatum']), m['precision'])}"
        lines.append(Line(f"{where}: {text}", page_link(kpi_link, gebied, kpi=m["indicator"]), area))
    return tuple(lines)


def _new_words(m, v):
    return None if m["illustrative"] else f"{v(m['value'])} ({m['source']})"


def _revised_words(m, v):
    if m["illustrative_after"]:
        return None
    was = v(m["value_before"]) + (" (illustratief)" if m["illustrative_before"] else "")
    return f"{was} → {v(m['value_after'])} ({m['source_after']})"


def _withdrawn_words(m, v):
    back = v(m["value_after"]) + (" (illustratief)" if m["illustrative_after"] else "")
    return f"{v(m['value_before'])} ingetrokken; weer geldig: {back}"


def _removed_words(m, v):
    return None if m["illustrative"] else f"{v(m['value'])} ingetrokken ({m['source']})"


def _action_line(a: dict, link: str, what: str, area: str, named: bool) -> Line:
    due = f", deadline {fmt.day(a['due'])}" if pd.notna(a.get("due")) else ""
    return Line(f"{area + ': ' if named else ''}{a['code']} {a['title']} ({what}{due})", link, area)


def action_news(before: pd.DataFrame, after: pd.DataFrame, since: dt.date, today: dt.date) -> dict[str, pd.DataFrame]:
    """Real actions that became late (kpi.werkplan.late on each side, each on its own date)
    and real actions finished since, from kpi.werkplan."""
    real_after = after[~after["illustrative"].astype(bool)]
    late_now = real_after[werkplan.late(real_after, today).to_numpy()]
    late_then = set(before.loc[werkplan.late(before, since).to_numpy(), "code"]) if not before.empty else set()
    became_late = late_now[~late_now["code"].isin(late_then)]
    done = werkplan.finished(werkplan.action_changes(before, after))
    done = done[~done["illustrative"].astype(bool)]
    finished = after[after["code"].isin(set(done["code"]))]
    return {"te laat": became_late.reset_index(drop=True), "afgerond": finished.reset_index(drop=True)}


def _duiding_lines(frame: pd.DataFrame, subscriber: dict, area: str, indicators: pd.DataFrame,
                   kpi_link: str, gebied: str) -> tuple[Line, ...]:
    lines = []
    for d in frame.to_dict("records"):
        if d["area"] != area or not _followed(subscriber, d["indicator"]):
            continue
        name = _unit(indicators, d["indicator"])[0]
        lines.append(Line(f"{name}, {d['area']}, {period_label(d['period'])}: duiding {d['change']} door "
                          f"{d['author']}; oorzaak: {d['cause']}; bijsturing: {d['bijsturing']}",
                          page_link(kpi_link, gebied, kpi=d["indicator"]), area))
    return tuple(lines)


def _status_lines(ch: Changes, subscriber: dict, area: str, kpi_link: str, gebied: str,
                  named: bool) -> tuple[Line, ...]:
    lines = []
    for r in ch.statuses.to_dict("records"):
        if not _followed(subscriber, r["indicator"]):
            continue
        before = labelled(r["status_before"]) if r["status_before"] else "nog niet in het dashboard"
        where = f"{r['name']}, {area}" if named else r["name"]
        lines.append(Line(f"{where}: {before} → {labelled(r['status_after'])}. {r['reason_after']}",
                          page_link(kpi_link, gebied, kpi=r["indicator"]), area))
    return tuple(lines)


SECTIONS = (("status", "Status gewijzigd"), ("duiding", "Duiding van de regiegroep"), ("nieuw", "Nieuwe cijfers"),
            ("herzien", "Herziene cijfers"), ("ingetrokken", "Ingetrokken cijfers"),
            ("te laat", "Acties die te laat zijn"), ("afgerond", "Afgeronde acties"))


def compose(subscriber: dict, centres: Mapping[str, CentreNews], *, default_area: str, base_url: str,
            since: dt.datetime, until: dt.datetime, slugs: Mapping[str, str] | None = None) -> Digest:
    """The digest for one subscriber (a row of kpi.digest.subscribers.load_subscribers) from
    what changed in each centre it follows since its last delivered digest (`centres`: area name
    -> CentreNews over that interval; a centre missing there brings nothing). `slugs`: area name ->
    the `gebied` of its addresses (kpi.centres.address_slugs; a centre not in it gets the slug of
    its name, the default centre none)."""
    url = links(base_url)
    areas = centres_of(subscriber, default_area)
    named = len(areas) > 1
    lines: dict[str, list[Line]] = {key: [] for key, _ in SECTIONS}
    wijzigingen = []
    for area in areas:
        gebied = (slugs or {}).get(area, "" if area == default_area else slug(area))
        wijzigingen.append((area, page_link(url["wijzigingen"], gebied,
                                            sinds=fmt.local(since).date().isoformat())))
        news = centres.get(area)
        if news is None:
            continue
        ch, ind = news.changes, news.changes.indicators
        lines["status"] += _status_lines(ch, subscriber, area, url["kpi"], gebied, named)
        if "duiding" in news.news:
            lines["duiding"] += _duiding_lines(news.news["duiding"], subscriber, area, ind, url["kpi"], gebied)
        lines["nieuw"] += _figure_lines(ch.new, subscriber, area, ind, url["kpi"], gebied, _new_words)
        lines["herzien"] += _figure_lines(ch.revised, subscriber, area, ind, url["kpi"], gebied, _revised_words)
        lines["ingetrokken"] += (
            _figure_lines(ch.withdrawn, subscriber, area, ind, url["kpi"], gebied, _withdrawn_words)
            + _figure_lines(ch.removed, subscriber, area, ind, url["kpi"], gebied, _removed_words))
        if bool(subscriber["werkplan"]):
            werkplan_link = page_link(url["werkplan"], gebied)
            for key in ("te laat", "afgerond"):
                if key in news.news:
                    lines[key] += (_action_line(a, werkplan_link, key, area, named)
                                   for a in news.news[key].to_dict("records"))
    return Digest(
        email=subscriber["email"], name=subscriber["name"], area=centres_label(areas), since=since, until=until,
        sections=tuple((title, tuple(lines[key])) for key, title in SECTIONS),
        counts={key: len(lines[key]) for key, _ in SECTIONS},
        changes_link=wijzigingen[0][1], changes_links=tuple(wijzigingen) if named else (), areas=areas,
        unsubscribe_link=f"{url['afmelden']}?token={quote(str(subscriber['token']))}",
    )
