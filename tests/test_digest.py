"""The digest (issue 22) against a real SMTP server on 127.0.0.1 (aiosmtpd), on SQLite and
PostgreSQL: figures imported through the importer give exactly one message per subscriber
with news, an import that changes nothing gives none, and the send log shows what happened."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from kpi import importer, schema
from kpi.digest import run
from kpi.digest.compose import Digest, Line
from kpi.service import evaluate_all
from kpi.settings import Settings
from tests.support.smtpserver import SmtpServer, free_port

BASE = "https://monitor.assen.example"
SUBSCRIBERS = (b"naam;e-mail;centra;kpis;werkplan\n"
               b"Jan <b>Jansen</b>;Jan@Assen.nl;Assen binnenstad;alle;ja\n"
               b"Piet Pieters;piet@example.nl;;ranking;nee\n")
FIGURES = (b"gebied;indicator;jaar;waarde;bron\n"
           b"Assen binnenstad;banen;2026;4.900;LISA <script>alert(1)</script>\n"
           b"Assen binnenstad;leegstand;2026;9,5;Locatus\n")


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def _settings(port: int) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_tls="geen", mail_from="monitor@assen.example",
                    base_url=BASE)


def _import(engine, name: str, data: bytes) -> int | None:
    preview = importer.prepare(engine, [(name, data)], Settings())
    assert preview.ok, preview.problems
    return importer.apply(engine, preview, "redacteur", confirmed=True)


def _log(engine) -> pd.DataFrame:
    return run.load_log(engine).sort_values("attempted_at").reset_index(drop=True)


def test_one_digest_after_an_import_and_none_after_an_import_that_changes_nothing(engine, smtp):
    settings = _settings(smtp.port)
    assert _import(engine, "abonnees.csv", SUBSCRIBERS) is not None
    # Nothing changed since they subscribed: nothing is sent, nothing logged.
    assert {o.status for o in run.run(engine, settings)} == {run.NOTHING}
    assert smtp.inbox.messages == [] and _log(engine).empty

    assert _import(engine, "cijfers-2026.csv", FIGURES) is not None
    outcomes = {o.email: o for o in run.run(engine, settings)}
    assert outcomes["jan@assen.nl"].status == run.DELIVERED
    assert outcomes["piet@example.nl"].status == run.NOTHING  # follows only the ranking
    assert len(smtp.inbox.messages) == 1
    rcpt, msg = smtp.inbox.messages[0]
    assert rcpt == ["jan@assen.nl"]
    results = {r.indicator.code: r for r in evaluate_all(engine, settings, pd.Timestamp.today().date())}
    assert msg["Subject"].strip() == "Binnenstadmonitor Assen binnenstad: 2 statuswijzigingen, 2 nieuwe cijfers"
    assert msg["From"] == "monitor@assen.example"
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert plain.startswith("Beste Jan <b>Jansen</b>,")
    assert "Status gewijzigd" in plain and "Nieuwe cijfers" in plain
    # Dutch numbers, the verdict's own word and reason, and the links to the pages.
    assert "Aantal banen, Assen binnenstad, 2026: 4.900 (LISA <script>alert(1)</script>)" in plain
    assert "Leegstand (verkooppunten), Assen binnenstad, 2026: 9,5% (Locatus)" in plain
    banen = results["banen"]
    assert f"Aantal banen: ✖ achter → {'➚' if banen.status == 'op koers' else ''} {banen.status}. {banen.status_reason}" \
        .replace("  ", " ") in plain
    assert f"{BASE}/kpi?kpi=banen" in plain and f"{BASE}/wijzigingen?sinds=" in plain
    token = re.search(rf"{re.escape(BASE)}/afmelden\?token=([\w-]+)", plain).group(1)
    assert msg["List-Unsubscribe"] == f"<{BASE}/afmelden?token={token}>"
    # HTML: every value escaped, links as links.
    assert "<script>" not in html and "<b>Jansen" not in html
    assert "LISA &lt;script&gt;alert(1)&lt;/script&gt;" in html and "Jan &lt;b&gt;Jansen&lt;/b&gt;" in html
    assert f'<a href="{BASE}/kpi?kpi=banen">' in html and f'<a href="{BASE}/afmelden?token={token}">' in html

    # The same file again changes nothing: no batch, no message, and the log still shows one.
    assert _import(engine, "cijfers-2026.csv", FIGURES) is None
    assert {o.status for o in run.run(engine, settings)} == {run.NOTHING}
    assert len(smtp.inbox.messages) == 1
    log = _log(engine)
    assert log[["email", "status", "subject", "error"]].to_dict("records") == [{
        "email": "jan@assen.nl", "status": "verzonden", "error": "",
        "subject": "Binnenstadmonitor Assen binnenstad: 2 statuswijzigingen, 2 nieuwe cijfers"}]
    assert log.loc[0, "summary"] == "2 statuswijzigingen, 2 nieuwe cijfers"


def test_a_failed_send_is_logged_and_sent_on_the_next_run(engine, smtp):
    settings = _settings(smtp.port)
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    _import(engine, "cijfers-2026.csv", FIGURES)
    down = dataclasses.replace(settings, smtp_port=free_port())  # nobody listens there
    outcome = {o.email: o for o in run.run(engine, down)}["jan@assen.nl"]
    assert outcome.status == run.FAILED and "niet bereikbaar" in outcome.error
    log = _log(engine)
    assert log[["email", "status"]].to_dict("records") == [{"email": "jan@assen.nl", "status": "mislukt"}]
    assert "127.0.0.1" in log.loc[0, "error"]
    # A refused recipient is a failure too, with the server's answer.
    smtp.inbox.refuse.add("jan@assen.nl")
    outcome = {o.email: o for o in run.run(engine, settings)}["jan@assen.nl"]
    assert outcome.status == run.FAILED and "550" in outcome.error
    smtp.inbox.refuse.clear()
    # The next run composes from the last delivered state again: the same news arrives once.
    outcome = {o.email: o for o in run.run(engine, settings)}["jan@assen.nl"]
    assert outcome.status == run.DELIVERED
    assert len(smtp.inbox.messages) == 1
    assert "Aantal banen, Assen binnenstad, 2026: 4.900" in smtp.inbox.messages[0][1].get_body(
        preferencelist=("plain",)).get_content()
    assert list(_log(engine)["status"]) == ["mislukt", "mislukt", "verzonden"]
    assert run.run(engine, settings)[0].status == run.NOTHING


def test_without_smtp_settings_nothing_is_lost(engine):
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    _import(engine, "cijfers-2026.csv", FIGURES)
    outcome = {o.email: o for o in run.run(engine, Settings(base_url=BASE))}["jan@assen.nl"]
    assert outcome.status == run.FAILED and "KPI_SMTP_HOST" in outcome.error
    assert list(_log(engine)["status"]) == ["mislukt"]


def test_dry_run_shows_and_neither_sends_nor_logs(engine, smtp, capsys, monkeypatch):
    from kpi import cli

    _import(engine, "abonnees.csv", SUBSCRIBERS)
    _import(engine, "cijfers-2026.csv", FIGURES)
    env = {"KPI_DATABASE_URL": engine.url.render_as_string(hide_password=False), "KPI_SMTP_HOST": "127.0.0.1",
           "KPI_SMTP_PORT": str(smtp.port), "KPI_SMTP_TLS": "geen", "KPI_MAIL_FROM": "monitor@assen.example",
           "KPI_BASE_URL": BASE}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert cli.main(["digest", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "jan@assen.nl: zou worden verstuurd" in out and "Onderwerp: Binnenstadmonitor Assen binnenstad" in out
    assert "piet@example.nl: niets veranderd" in out and "Proefrun (--dry-run)" in out
    assert smtp.inbox.messages == [] and _log(engine).empty
    assert cli.main(["digest"]) == 0
    assert "jan@assen.nl: verzonden (2 statuswijzigingen, 2 nieuwe cijfers)" in capsys.readouterr().out
    assert len(smtp.inbox.messages) == 1
    monkeypatch.setenv("KPI_SMTP_PORT", str(free_port()))
    _import(engine, "meer.csv", b"gebied;indicator;jaar;waarde;bron\nAssen binnenstad;ranking;2026;20;Ranking\n")
    assert cli.main(["digest"]) == 3
    err = capsys.readouterr().err
    assert "niet verstuurd" in err and "De volgende run probeert het opnieuw." in err


def test_werkplan_followers_hear_of_late_and_finished_actions(engine, smtp):
    settings = _settings(smtp.port)
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    actions = (b"code;titel;thema;deadline;status;bron\n"
               b"9.1;Gevelfonds openen;A;1-1-2020;lopend;Actielijst\n"
               b"9.2;Parkeerroute borden;B;1-1-2030;afgerond;Actielijst\n")
    _import(engine, "acties.csv", actions)
    run.run(engine, settings)
    plain = smtp.inbox.messages[0][1].get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert "Afgeronde acties\n- 9.2 Parkeerroute borden (afgerond, deadline 1-1-2030)" in plain
    assert "Acties die te laat zijn\n- 9.1 Gevelfonds openen (te laat, deadline 1-1-2020)" in plain
    assert f"{BASE}/werkplan" in plain
    assert len(smtp.inbox.messages) == 1  # Piet does not follow the werkplan


def test_unsubscribed_gets_nothing(engine, smtp):
    settings = _settings(smtp.port)
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    _import(engine, "af.csv", b"e-mail;actief\njan@assen.nl;nee\n")
    _import(engine, "cijfers-2026.csv", FIGURES)
    assert {o.email for o in run.run(engine, settings)} == {"piet@example.nl"}
    assert smtp.inbox.messages == []


def _digest(lines):
    import datetime as dt

    now = dt.datetime(2026, 12, 6, 12)
    return Digest("a@b.nl", "A", "Assen binnenstad", now, now, (("Status gewijzigd", tuple(lines)),), "x", "y")


def test_the_digest_says_gehaald_only_when_the_verdict_did(engine):
    """The status words in a digest are the verdict's (kpi.changes.status_changes of
    kpi.service results), never recomputed from the value and the target."""
    from kpi.changes import status_changes
    from kpi.digest.compose import CentreNews, compose
    from kpi.statuses import labelled

    settings = Settings(base_url=BASE)
    results = evaluate_all(engine, settings, pd.Timestamp.today().date())
    # Every status flipped to every word: the digest line carries exactly that word.
    for word in ("gehaald", "op koers", "risico", "achter", "geen recente data"):
        after = [dataclasses.replace(r, status=word) for r in results]
        before = [dataclasses.replace(r, status="x") for r in results]
        ch = type("C", (), {})()
        ch.statuses = status_changes(before, after)
        ch.new = ch.revised = ch.withdrawn = ch.removed = pd.DataFrame(
            columns=["area", "indicator", "peildatum", "precision", "value", "illustrative", "source"])
        ch.indicators = pd.DataFrame()
        sub = {"email": "a@b.nl", "name": "", "areas": "", "kpis": "alle", "werkplan": False, "token": "t"}
        d = compose(sub, {settings.area: CentreNews(ch, {})}, default_area=settings.area, base_url=BASE,
                    since=pd.Timestamp("2026-12-01").to_pydatetime(), until=pd.Timestamp("2026-12-06").to_pydatetime())
        lines = dict(d.sections)["Status gewijzigd"]
        assert len(lines) == len(results)
        assert all(f"→ {labelled(word)}." in line.text for line in lines)
        assert ("gehaald" in " ".join(line.text.split(". ")[0] for line in lines)) == (word == "gehaald")


def test_subscriber_table_is_versioned_and_logged(engine):
    import sqlalchemy as sa

    _import(engine, "abonnees.csv", SUBSCRIBERS)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.subscribers)).scalar() == 2
    assert isinstance(_digest([Line("x")]).html(), str)


DUIDING = ("gebied;indicator;periode;oorzaak;effect;bijsturing;auteur\n"
           "Assen binnenstad;leegstand;2026-K4;Ketens sluiten filialen;Doel verder weg;Pandenfonds;Regiegroep\n")


def test_a_written_or_revised_duiding_is_news_for_who_follows_that_kpi(engine, smtp):
    """Issue 22: a duiding change triggers a digest (issue 20's duiding is an import like figures):
    written once is 'nieuw', revised is 'herzien', the same file again is nothing; a subscriber who
    follows only the ranking hears of none of it."""
    settings = _settings(smtp.port)
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    assert {o.status for o in run.run(engine, settings)} == {run.NOTHING}

    assert _import(engine, "duiding.csv", DUIDING.encode()) is not None
    outcomes = {o.email: o for o in run.run(engine, settings)}
    assert outcomes["piet@example.nl"].status == run.NOTHING
    jan = outcomes["jan@assen.nl"]
    assert jan.status == run.DELIVERED and jan.digest.counts["duiding"] == 1
    assert jan.digest.subject == "Binnenstadmonitor Assen binnenstad: 1 duiding"
    plain = jan.digest.text()
    assert ("Leegstand (verkooppunten), Assen binnenstad, 4e kwartaal 2026: duiding nieuw door Regiegroep; "
            "oorzaak: Ketens sluiten filialen; bijsturing: Pandenfonds") in plain
    assert f"{BASE}/kpi?kpi=leegstand" in plain

    assert _import(engine, "duiding.csv", DUIDING.encode()) is None  # unchanged: no batch, no news
    assert {o.status for o in run.run(engine, settings)} == {run.NOTHING}

    revised = DUIDING.replace("Pandenfonds", "Pandenfonds en transformatie")
    assert _import(engine, "duiding-2.csv", revised.encode()) is not None
    jan = {o.email: o for o in run.run(engine, settings)}["jan@assen.nl"]
    assert jan.status == run.DELIVERED
    assert "duiding herzien door Regiegroep; oorzaak: Ketens sluiten filialen; bijsturing: Pandenfonds en " \
           "transformatie" in jan.digest.text()
    assert len(smtp.inbox.messages) == 2


def test_a_second_run_while_one_runs_sends_nothing(engine, smtp, monkeypatch, capsys):
    """Issue 22: two runs at once (two cron entries) would both compose from the same last
    delivery and send the news twice; the second finds the run lock taken and does nothing, on
    both databases, through the function and the CLI."""
    from kpi import cli

    settings = _settings(smtp.port)
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    _import(engine, "cijfers-2026.csv", FIGURES)
    with run.run_lock(engine):
        with pytest.raises(run.DigestBusy, match="Er loopt al een verzendronde"):
            run.run(engine, settings)
        for key, value in {"KPI_DATABASE_URL": engine.url.render_as_string(hide_password=False),
                           "KPI_SMTP_HOST": "127.0.0.1", "KPI_SMTP_PORT": str(smtp.port), "KPI_SMTP_TLS": "geen",
                           "KPI_MAIL_FROM": "monitor@assen.example", "KPI_BASE_URL": BASE}.items():
            monkeypatch.setenv(key, value)
        assert cli.main(["digest"]) == 0
        assert "Er loopt al een verzendronde (digest) op deze database" in capsys.readouterr().err
        assert smtp.inbox.messages == [] and _log(engine).empty
    # Released: the next run sends, once.
    assert {o.email: o.status for o in run.run(engine, settings)}["jan@assen.nl"] == run.DELIVERED
    assert len(smtp.inbox.messages) == 1


def test_a_write_in_progress_is_neither_missed_nor_sent_twice(engine, smtp):
    """Issue 22's boundary: a write stamps its rows when it starts (repository.write_moment) and
    commits later. A digest run that takes its moment in between waits for the commit, so the
    figure is in this digest, and the next run (from this run's moment) does not send it again.
    Without the shared lock the run would compose without the figure and the next would start
    after its stamp: the figure never reached anyone."""
    import datetime as dt
    import threading
    import time

    from kpi import repository

    settings = _settings(smtp.port)
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    o = schema.observations
    conn = engine.connect()
    trans = conn.begin()
    stamp = repository.write_moment(conn)
    batch = repository.create_batch(conn, "observaties", "lopend.csv", "redacteur", created_at=stamp)
    area = repository.area_ids(conn)["Assen binnenstad"]
    conn.execute(sa.insert(o).values(area_id=area, indicator_code="banen", peildatum=dt.date(2026, 1, 1),
                                     precision="jaar", value=4950.0, source="LISA 2026", note="", illustrative=False,
                                     batch_id=batch, recorded_at=stamp))
    repository.touch_data_version(conn)
    outcome: dict = {}
    runner = threading.Thread(target=lambda: outcome.update(o=run.run(engine, settings)))
    runner.start()
    time.sleep(1.5)
    assert runner.is_alive()  # waits for the write in progress
    trans.commit()
    conn.close()
    runner.join(60)
    jan = {x.email: x for x in outcome["o"]}["jan@assen.nl"]
    assert jan.status == run.DELIVERED and "Aantal banen, Assen binnenstad, 2026: 4.950 (LISA 2026)" in jan.digest.text()
    assert {x.status for x in run.run(engine, settings)} == {run.NOTHING}
    assert len(smtp.inbox.messages) == 1
