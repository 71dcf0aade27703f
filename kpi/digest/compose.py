"""What changed for one subscriber since the last delivered digest, in Dutch.

The facts come from the same places as the dashboard's: `kpi.changes.compare` (status changes
evaluated by kpi.statuses' rules on each snapshot, new, revised, withdrawn and expired
figures) and `kpi.werkplan` (late and finished actions). This module only filters them for a
subscriber (centres, KPIs, werkplan) and words them: a status word in the digest is the
status the verdict gave, never recomputed. Illustrative figures and demo actions are not news.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pandas as pd

from kpi import formatting as fmt
from kpi import werkplan
from kpi.briefing.period import period_label
from kpi.changes import Changes
from kpi.digest.subscribers import ALL_KPIS, areas_of, kpis_of
from kpi.statuses import labelled


@dataclass(frozen=True)
class Line:
    """One item of the digest: its text and, when there is one, the page it links to."""

    text: str
    link: str = ""


@dataclass(frozen=True)
class Digest:
    """The digest for one subscriber: sections of lines, in the order they are shown."""

    email: str
    name: str
    area: str
    since: dt.datetime
    until: dt.datetime
    sections: tuple[tuple[str, tuple[Line, ...]], ...]
    changes_link: str
    unsubscribe_link: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when nothing changed for this subscriber: nothing is sent."""
        return not any(lines for _, lines in self.sections)

    @property
    def subject(self) -> str:
        """'Binnenstadmonitor Assen binnenstad: 1 statuswijziging, 2 nieuwe cijfers'."""
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
               f"Sinds {fmt.timestamp(self.since)} is er in de Binnenstadmonitor ({self.area}) iets veranderd "
               f"dat u volgt.", ""]
        for title, lines in self.sections:
            if not lines:
                continue
            out.append(title)
            for line in lines:
                out.append(f"- {line.text}")
                if line.link:
                    out.append(f"  {line.link}")
            out.append("")
        out += [f"Alles wat er veranderde: {self.changes_link}", "",
                "U ontvangt deze samenvatting omdat u bent aangemeld bij de Binnenstadmonitor. "
                f"Afmelden: {self.unsubscribe_link}", ""]
        return "\n".join(out)

    def html(self) -> str:
        """The HTML part: every value escaped, so no stored text becomes markup."""
        e = html.escape
        out = ['<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>', e(self.subject),
               "</title></head><body>", f"<p>Beste {e(self.name or self.email)},</p>",
               f"<p>Sinds {e(fmt.timestamp(self.since))} is er in de Binnenstadmonitor ({e(self.area)}) iets "
               "veranderd dat u volgt.</p>"]
        for title, lines in self.sections:
            if not lines:
                continue
            out.append(f"<h2>{e(title)}</h2><ul>")
            for line in lines:
                link = f' <a href="{e(line.link)}">bekijken</a>' if line.link else ""
                out.append(f"<li>{e(line.text)}{link}</li>")
            out.append("</ul>")
        out.append(f'<p><a href="{e(self.changes_link)}">Alles wat er veranderde</a></p>')
        out.append("<p><small>U ontvangt deze samenvatting omdat u bent aangemeld bij de Binnenstadmonitor. "
                   f'<a href="{e(self.unsubscribe_link)}">Afmelden</a></small></p></body></html>')
        return "".join(out)


def links(base_url: str) -> dict[str, str]:
    """The dashboard's pages a digest links to, from the base URL setting."""
    base = base_url.rstrip("/")
    return {"kpi": f"{base}/kpi", "wijzigingen": f"{base}/wijzigingen", "werkplan": f"{base}/werkplan",
            "afmelden": f"{base}/afmelden"}


def _followed(subscriber: dict, code: str) -> bool:
    kpis = kpis_of(subscriber["kpis"])
    return kpis == ALL_KPIS or code in kpis


def _in_areas(subscriber: dict, monitored: str) -> tuple[str, ...]:
    return areas_of(subscriber["areas"]) or (monitored,)


def _unit(indicators: pd.DataFrame, code: str) -> tuple[str, str, int]:
    if code in indicators.index:
        ind = indicators.loc[code]
        return str(ind["name"]), str(ind["unit"]), int(ind["decimals"])
    return code, "aantal", 0


def _figure_lines(frame: pd.DataFrame, subscriber: dict, areas: tuple[str, ...], indicators: pd.DataFrame,
                  kpi_link: str, words) -> tuple[Line, ...]:
    lines = []
    for m in frame.to_dict("records"):
        if m["area"] not in areas or not _followed(subscriber, m["indicator"]):
            continue
        name, unit, dec = _unit(indicators, m["indicator"])
        text = words(m, lambda v, unit=unit, dec=dec: fmt.value(v, unit, dec))
        if text is None:
            continue
        where = f"{name}, {m['area']}, {fmt.peildatum(pd.Timestamp(m['peildatum']), m['precision'])}"
        lines.append(Line(f"{where}: {text}", f"{kpi_link}?{urlencode({'kpi': m['indicator']})}"))
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


def _action_line(a: dict, link: str, what: str) -> Line:
    due = f", deadline {fmt.day(a['due'])}" if pd.notna(a.get("due")) else ""
    return Line(f"{a['code']} {a['title']} ({what}{due})", link)


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


def _duiding_lines(frame: pd.DataFrame, subscriber: dict, areas: tuple[str, ...], indicators: pd.DataFrame,
                   kpi_link: str) -> tuple[Line, ...]:
    lines = []
    for d in frame.to_dict("records"):
        if d["area"] not in areas or not _followed(subscriber, d["indicator"]):
            continue
        name = _unit(indicators, d["indicator"])[0]
        lines.append(Line(f"{name}, {d['area']}, {period_label(d['period'])}: duiding {d['change']} door "
                          f"{d['author']}; oorzaak: {d['cause']}; bijsturing: {d['bijsturing']}",
                          f"{kpi_link}?{urlencode({'kpi': d['indicator']})}"))
    return tuple(lines)


def compose(subscriber: dict, ch: Changes, actions: dict[str, pd.DataFrame], *, area: str, base_url: str,
            since: dt.datetime, until: dt.datetime) -> Digest:
    """The digest for one subscriber (a row of kpi.digest.subscribers.load_subscribers) from
    the changes since its last delivered digest and the action news over the same interval."""
    url = links(base_url)
    areas = _in_areas(subscriber, area)
    statuses = []
    if area in areas:
        for r in ch.statuses.to_dict("records"):
            if not _followed(subscriber, r["indicator"]):
                continue
            before = labelled(r["status_before"]) if r["status_before"] else "nog niet in het dashboard"
            statuses.append(Line(f"{r['name']}: {before} → {labelled(r['status_after'])}. {r['reason_after']}",
                                 f"{url['kpi']}?{urlencode({'kpi': r['indicator']})}"))
    ind = ch.indicators
    new = _figure_lines(ch.new, subscriber, areas, ind, url["kpi"], _new_words)
    revised = _figure_lines(ch.revised, subscriber, areas, ind, url["kpi"], _revised_words)
    withdrawn = (_figure_lines(ch.withdrawn, subscriber, areas, ind, url["kpi"], _withdrawn_words)
                 + _figure_lines(ch.removed, subscriber, areas, ind, url["kpi"], _removed_words))
    late, finished = (), ()
    if bool(subscriber["werkplan"]):
        late = tuple(_action_line(a, url["werkplan"], "te laat") for a in actions["te laat"].to_dict("records"))
        finished = tuple(_action_line(a, url["werkplan"], "afgerond") for a in actions["afgerond"].to_dict("records"))
    duiding = _duiding_lines(actions["duiding"], subscriber, areas, ind, url["kpi"]) if "duiding" in actions else ()
    sections = (("Status gewijzigd", tuple(statuses)), ("Duiding van de regiegroep", duiding),
                ("Nieuwe cijfers", new), ("Herziene cijfers", revised),
                ("Ingetrokken cijfers", withdrawn), ("Acties die te laat zijn", late), ("Afgeronde acties", finished))
    counts = {"status": len(statuses), "duiding": len(duiding), "nieuw": len(new), "herzien": len(revised),
              "ingetrokken": len(withdrawn), "te laat": len(late), "afgerond": len(finished)}
    return Digest(
        email=subscriber["email"], name=subscriber["name"], area=area, since=since, until=until,
        sections=sections, counts=counts,
        changes_link=f"{url['wijzigingen']}?{urlencode({'sinds': fmt.local(since).date().isoformat()})}",
        unsubscribe_link=f"{url['afmelden']}?token={quote(str(subscriber['token']))}",
    )
