"""The digest per centre (issue 21.1), on SQLite and PostgreSQL, and a property over generated news.

Two centres with their own agreement, targets and werkplan: Assen binnenstad (seeded) and the
fictional Brugdorp centrum (the demo's name, built here by import as a centre of its own). A
subscriber of Brugdorp only hears of Brugdorp's late and finished actions and status change, by
Brugdorp's verdict, with links to Brugdorp's pages, and of nothing in Assen; a subscriber of Assen
only the reverse; a subscriber of both hears of both, each line naming its centre."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from kpi import importer, repository, schema
from kpi.centres import address_slugs, centres, choose
from kpi.changes import Changes
from kpi.digest import run
from kpi.digest.compose import CentreNews, Digest, centres_label, compose
from kpi.digest.subscribers import ALL_KPIS, kpis_of
from kpi.names import slug
from kpi.service import evaluate_all
from kpi.settings import Settings
from kpi.statuses import labelled
from tests.support.smtpserver import SmtpServer

A, B = "Assen binnenstad", "Brugdorp centrum"
BASE = "https://monitor.example"
BRUGDORP = (
    ("doelen.csv",
     "akkoord;akkoord_datum;partijen;akkoord_bron;indicator;gebied;basiswaarde;basisjaar;doelwaarde;doeljaar;"
     "vergelijking;bron;reden\n"
     f"Centrumakkoord Brugdorp 2025;1-3-2025;gemeente Brugdorp;Raadsbesluit Brugdorp;leegstand;{B};9;2024;6;"
     "2030;absoluut;Centrumakkoord Brugdorp 2025;nieuw akkoord\n"),
    ("themas.csv", f"gebied;letter;naam;bron\n{B};R;ruimtelijke economie;Werkplan Brugdorp\n"
                   f"{B};M;mobiliteit;Werkplan Brugdorp\n"),
    ("acties.csv", "gebied;code;titel;thema;status;deadline;bron\n"
                   f"{B};1.1;Pop-upwinkels in de Hoofdstraat;R;lopend;31-12-2030;Werkplan Brugdorp\n"),
)
SUBSCRIBERS = ("naam;e-mail;centra;kpis;werkplan\n"
               f"Bea;bea@brugdorp.example;{B};alle;ja\n"
               f"Ad;ad@assen.example;{A};alle;ja\n"
               f"Bo;bo@beide.example;{A}, {B};alle;ja\n")
# After subscribing: in Brugdorp a figure (a status change by Brugdorp's own target), an action
# finished and one late; in Assen two figures (two status changes) and a late action.
NEWS = (
    ("cijfers.csv", "gebied;indicator;jaar;waarde;bron\n"
                    f"{B};leegstand;2026;9,5;Telling Brugdorp\n"
                    f"{A};banen;2026;4.900;LISA\n"
                    f"{A};leegstand;2026;9,5;Locatus\n"),
    ("acties-brugdorp.csv", "gebied;code;titel;thema;status;deadline;bron\n"
                            f"{B};1.1;Pop-upwinkels in de Hoofdstraat;R;afgerond;31-12-2030;Werkplan Brugdorp\n"
                            f"{B};1.2;Fietsenstalling bij de markt;M;lopend;1-1-2020;Werkplan Brugdorp\n"),
    ("acties-assen.csv", "gebied;code;titel;thema;status;deadline;bron\n"
                         f"{A};9.1;Gevelfonds openen;A;lopend;1-1-2020;Actielijst\n"),
)


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def _import(engine, name: str, text: str) -> int | None:
    preview = importer.prepare(engine, [(name, text.encode())], Settings())
    assert preview.ok, [str(p) for p in preview.problems]
    return importer.apply(engine, preview, "redacteur", confirmed=True)


def _links(text: str) -> list[str]:
    return re.findall(rf"{re.escape(BASE)}/\S+", text)


def _gebied(link: str) -> str | None:
    return parse_qs(urlsplit(link).query).get("gebied", [None])[0]


def _landing(engine, link: str) -> str:
    """The centre the dashboard shows for this link (kpi.centres.choose, as ui/centres.py asks it)."""
    frame = centres(repository.load_areas(engine), "Nederland")
    choice = choose(frame, _gebied(link), A)
    assert choice.message is None, choice.message
    return choice.area


def test_each_subscriber_hears_of_the_centres_they_follow_by_that_centres_verdict(engine, smtp):
    settings = Settings(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_tls="geen",
                        mail_from="monitor@example.nl", base_url=BASE)
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas), repository.area_rows(conn, [B]))
    for name, text in BRUGDORP:
        assert _import(engine, name, text) is not None
    assert _import(engine, "abonnees.csv", SUBSCRIBERS) is not None
    assert {o.status for o in run.run(engine, settings)} == {run.NOTHING}
    for name, text in NEWS:
        assert _import(engine, name, text) is not None

    outcomes = {o.email: o for o in run.run(engine, settings)}
    assert {e: o.status for e, o in outcomes.items()} == dict.fromkeys(
        ["ad@assen.example", "bea@brugdorp.example", "bo@beide.example"], run.DELIVERED)
    assert len(smtp.inbox.messages) == 3
    today = pd.Timestamp.today().date()
    verdict = {area: {r.indicator.code: r for r in evaluate_all(engine, dataclasses.replace(settings, area=area),
                                                                today)} for area in (A, B)}
    # The two centres judge the same indicator against their own targets.
    assert verdict[A]["leegstand"].target.agreement != verdict[B]["leegstand"].target.agreement
    bea, ad, bo = (outcomes[e].digest for e in ("bea@brugdorp.example", "ad@assen.example", "bo@beide.example"))
    sections = {d.email: {title: lines for title, lines in d.sections} for d in (bea, ad, bo)}

    # Brugdorp only: its status change by its own verdict, its figure, its actions; nothing of Assen.
    leeg = verdict[B]["leegstand"]
    status_line = sections[bea.email]["Status gewijzigd"]
    assert len(status_line) == 1 and status_line[0].text.startswith("Leegstand (verkooppunten): ")
    assert status_line[0].text.endswith(f"→ {labelled(leeg.status)}. {leeg.status_reason}")
    assert [line.text for line in sections[bea.email]["Acties die te laat zijn"]] == [
        "1.2 Fietsenstalling bij de markt (te laat, deadline 1-1-2020)"]
    assert [line.text for line in sections[bea.email]["Afgeronde acties"]] == [
        "1.1 Pop-upwinkels in de Hoofdstraat (afgerond, deadline 31-12-2030)"]
    assert [line.text for line in sections[bea.email]["Nieuwe cijfers"]] == [
        f"Leegstand (verkooppunten), {B}, 2026: 9,5% (Telling Brugdorp)"]
    assert bea.subject == f"Binnenstadmonitor {B}: 1 statuswijziging, 1 nieuw cijfer, 1 actie te laat, 1 actie afgerond"
    for part in (bea.text(), bea.html()):
        assert "Assen" not in part and "9.1" not in part and "Gevelfonds" not in part
    links = _links(bea.text())
    assert links and all(_gebied(link) == "brugdorp-centrum" for link in links if "/afmelden" not in link)
    assert {_landing(engine, link) for link in links if "/afmelden" not in link} == {B}
    assert f"{BASE}/werkplan?gebied=brugdorp-centrum" in links
    assert f"{BASE}/kpi?kpi=leegstand&gebied=brugdorp-centrum" in links
    assert any(link.startswith(f"{BASE}/wijzigingen?sinds=") and link.endswith("&gebied=brugdorp-centrum")
               for link in links)
    assert 'href="https://monitor.example/kpi?kpi=leegstand&amp;gebied=brugdorp-centrum"' in bea.html()

    # Assen only: the reverse, with the default centre's addresses (no gebied), as before.
    assert {line.text.split(":")[0] for line in sections[ad.email]["Status gewijzigd"]} == {
        "Aantal banen", "Leegstand (verkooppunten)"}
    for line in sections[ad.email]["Status gewijzigd"]:
        code = parse_qs(urlsplit(line.link).query)["kpi"][0]
        assert line.text.endswith(f"→ {labelled(verdict[A][code].status)}. {verdict[A][code].status_reason}")
    assert [line.text for line in sections[ad.email]["Acties die te laat zijn"]] == [
        "9.1 Gevelfonds openen (te laat, deadline 1-1-2020)"]
    assert sections[ad.email]["Afgeronde acties"] == ()
    assert ad.subject.startswith(f"Binnenstadmonitor {A}: 2 statuswijzigingen, 2 nieuwe cijfers, 1 actie te laat")
    for part in (ad.text(), ad.html()):
        assert "Brugdorp" not in part and "brugdorp" not in part and "Fietsenstalling" not in part
    assert all(_gebied(link) is None and _landing(engine, link) == A for link in _links(ad.text()))

    # Both: every line of both, each naming its centre, each linking to its centre's page.
    assert bo.subject.startswith(f"Binnenstadmonitor {A} en {B}: 3 statuswijzigingen, 3 nieuwe cijfers, "
                                 "2 acties te laat, 1 actie afgerond")
    assert f"Binnenstadmonitor ({A} en {B})" in bo.text()
    texts = {title: [line.text for line in lines] for title, lines in sections[bo.email].items()}
    assert sorted(texts["Acties die te laat zijn"]) == [
        f"{A}: 9.1 Gevelfonds openen (te laat, deadline 1-1-2020)",
        f"{B}: 1.2 Fietsenstalling bij de markt (te laat, deadline 1-1-2020)"]
    assert texts["Afgeronde acties"] == [f"{B}: 1.1 Pop-upwinkels in de Hoofdstraat (afgerond, deadline 31-12-2030)"]
    assert f"Leegstand (verkooppunten), {B}: " in " ".join(texts["Status gewijzigd"])
    assert {line.text.split(":")[0] for line in sections[bo.email]["Status gewijzigd"]} == {
        f"Aantal banen, {A}", f"Leegstand (verkooppunten), {A}", f"Leegstand (verkooppunten), {B}"}
    for lines in sections[bo.email].values():
        for line in lines:
            assert line.area in line.text and _landing(engine, line.link) == line.area
    plain = bo.text()
    assert f"Alles wat er veranderde in {A}: {BASE}/wijzigingen?sinds=" in plain
    assert re.search(rf"Alles wat er veranderde in {B}: {re.escape(BASE)}/wijzigingen\?sinds=[\d-]+&gebied=brugdorp-centrum",
                     plain)
    # What the mail server received is the digest composed.
    received = {rcpt[0]: msg for rcpt, msg in smtp.inbox.messages}
    assert received["bea@brugdorp.example"]["Subject"].strip() == bea.subject
    body = received["bea@brugdorp.example"].get_body(preferencelist=("plain",)).get_content()
    assert "Assen" not in body and "gebied=brugdorp-centrum" in body
    # Nothing new: nothing sent again.
    assert {o.status for o in run.run(engine, settings)} == {run.NOTHING}


def test_a_subscriber_without_centres_follows_the_default_centre_on_every_page(engine):
    """'' stored means the default centre (KPI_AREA), not the centre a page happens to show:
    the command's settings decide (ui/data.digest_preview passes the environment's)."""
    _import(engine, "abonnees.csv", "naam;e-mail;centra;kpis;werkplan\nPiet;piet@example.nl;;alle;ja\n")
    _import(engine, "cijfers.csv", f"gebied;indicator;jaar;waarde;bron\n{A};banen;2026;4.900;LISA\n")
    (d,) = run.compose_all(engine, Settings(base_url=BASE))
    assert d.areas == (A,) and d.area == A and d.counts["nieuw"] == 1
    assert all("gebied=" not in link for link in _links(d.text()))


def test_the_centres_in_the_subject():
    assert centres_label((A,)) == A
    assert centres_label((A, B)) == f"{A} en {B}"
    assert centres_label((A, B, "Proefhaven centrum")) == "3 centra"
    now = dt.datetime(2026, 12, 7, 8)
    d = Digest("x@y.nl", "", "3 centra", now, now, (), "l", "u", areas=(A, B, "Proefhaven centrum"))
    assert d.subject == "Binnenstadmonitor 3 centra: niets veranderd"
    assert f"Binnenstadmonitor ({A}, {B} en Proefhaven centrum)" in d.text()


# ---- the property: every line is about a followed centre and links to that centre --------------

POOL = (A, B, "Proefhaven centrum", "Stad & Ommeland <centrum>", "Ëmmen-Zuid")
AREAS = pd.DataFrame({"name": [*POOL, "Nederland"], "slug": [slug(n) for n in (*POOL, "Nederland")],
                      "kind": "centrum", "peer_group": None, "illustrative": False})
CENTRES = centres(AREAS, "Nederland")
CODES = ("leegstand", "banen", "ranking")
FIGURE_COLUMNS = ["area", "indicator", "peildatum", "precision", "value", "illustrative", "source"]
REVISED_COLUMNS = ["area", "indicator", "peildatum", "precision", "value_before", "value_after",
                   "illustrative_before", "illustrative_after", "source_after"]
ACTION_COLUMNS = ["code", "title", "due"]

statuses = st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(["achter", "risico", "op koers", "gehaald"])),
                    max_size=3, unique_by=lambda t: t[0])
actions = st.lists(st.tuples(st.sampled_from(["1.1", "2.3", "9.1"]), st.text(min_size=1, max_size=12)), max_size=2)


@st.composite
def centre_news(draw, area: str, figures: pd.DataFrame) -> CentreNews:
    rows = [dict(indicator=code, name=code.title(), status_before=None, status_after=status,
                 reason_after=f"reden {area}") for code, status in draw(statuses)]
    empty = pd.DataFrame(columns=REVISED_COLUMNS)
    ch = Changes(since=dt.date(2026, 12, 1), until=dt.date(2026, 12, 7), new=figures, revised=empty,
                 removed=figures.iloc[0:0], withdrawn=empty,
                 statuses=pd.DataFrame(rows, columns=["indicator", "name", "status_before", "status_after",
                                                      "reason_after"]),
                 targets=pd.DataFrame(), indicators=pd.DataFrame())
    news = {key: pd.DataFrame([dict(code=c, title=t, due=pd.NaT) for c, t in draw(actions)], columns=ACTION_COLUMNS)
            for key in ("te laat", "afgerond")}
    return CentreNews(ch, news)


@st.composite
def digests(draw):
    followed = draw(st.lists(st.sampled_from(POOL), max_size=4, unique=True))
    default = draw(st.sampled_from(POOL))
    # Figures of every centre are in every centre's comparison, as compare() gives them.
    figures = pd.DataFrame([dict(area=a, indicator=c, peildatum=pd.Timestamp("2026-01-01"), precision="jaar",
                                 value=1.0, illustrative=False, source="bron")
                            for a, c in draw(st.lists(st.tuples(st.sampled_from(POOL), st.sampled_from(CODES)),
                                                      max_size=5))], columns=FIGURE_COLUMNS)
    news = {area: draw(centre_news(area, figures)) for area in POOL}
    kpis = draw(st.sampled_from(["alle", "leegstand", "banen, ranking", ""]))
    sub = {"email": "a@b.nl", "name": "", "areas": ", ".join(followed), "kpis": kpis,
           "werkplan": draw(st.booleans()), "token": "t"}
    now = dt.datetime(2026, 12, 7, 8)
    d = compose(sub, news, default_area=default, base_url=BASE, since=now, until=now,
                slugs=address_slugs(CENTRES, default))
    return d, tuple(followed) or (default,), default, news, sub


@given(case=digests())
def test_every_line_is_about_a_followed_centre_and_links_to_it(case):
    d, followed, default, news, sub = case
    assert d.areas == followed
    lines = [line for _, section in d.sections for line in section]
    for line in lines:
        assert line.area in followed
        # The dashboard, asked for the link's gebied, shows the line's centre.
        assert choose(CENTRES, _gebied(line.link), default).area == line.area
        if len(followed) > 1:
            assert line.area in line.text
    # Nothing of a followed centre is lost: its statuses (of followed KPIs) and its actions.
    kpis = kpis_of(sub["kpis"])
    want = sum(len([r for r in news[a].changes.statuses["indicator"] if kpis == ALL_KPIS or r in kpis])
               for a in followed)
    assert d.counts["status"] == want
    if sub["werkplan"]:
        assert d.counts["te laat"] == sum(len(news[a].news["te laat"]) for a in followed)
    else:
        assert d.counts["te laat"] == d.counts["afgerond"] == 0
    figures = news[followed[0]].changes.new
    assert d.counts["nieuw"] == sum(1 for r in figures.itertuples() if r.area in followed
                                    and (kpis == ALL_KPIS or r.indicator in kpis))
    # Every 'Wat is er veranderd' link lands on its centre too; user text never becomes markup.
    for area, link in d.changes_links or ((followed[0], d.changes_link),):
        assert choose(CENTRES, _gebied(link), default).area == area
    assert "<centrum>" not in d.html()
