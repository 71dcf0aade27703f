"""The digest's mail over TLS with a login, against a real local SMTP server (aiosmtpd) that
requires STARTTLS and AUTH like a mail provider on port 587, or speaks TLS from the start (465).

The server's certificate is self-signed and trusted through SSL_CERT_FILE, as a private CA
would be: kpi.digest.mail verifies certificates and host names (ssl.create_default_context), so
the same server without that trust is refused, with a Dutch message in the send log.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi import importer
from kpi.digest import mail, run
from kpi.digest.compose import Digest, Line
from kpi.settings import Settings
from tests.support.smtpserver import SmtpServer, self_signed_certificate

USER, PASSWORD = "monitor@assen.example", "smtp-test-wachtwoord"


@pytest.fixture
def certificate(tmp_path):
    return self_signed_certificate(tmp_path)


@pytest.fixture
def trusted(certificate, monkeypatch):
    """The client trusts the test certificate (OpenSSL reads SSL_CERT_FILE for its default store)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    return certificate


@pytest.fixture
def provider(certificate):
    """STARTTLS required, then a login required (and only accepted over TLS)."""
    server = SmtpServer(starttls=certificate, users={USER: PASSWORD}).start()
    yield server
    server.stop()


def _settings(port: int, **kw) -> Settings:
    base = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "starttls", "smtp_user": USER,
            "smtp_password": PASSWORD, "mail_from": USER, "base_url": "https://monitor.assen.example"}
    return Settings(**{**base, **kw})


def _message():
    now = dt.datetime(2026, 12, 6, 12)
    d = Digest("jan@assen.nl", "Jan", "Assen binnenstad", now, now,
               (("Nieuwe cijfers", (Line("Aantal banen, Assen binnenstad, 2026: 4.900 (LISA)"),)),),
               "https://monitor.assen.example/wijzigingen", "https://monitor.assen.example/afmelden?token=t",
               {"nieuw": 1})
    return mail.message(d, USER)


def test_starttls_and_login_deliver_the_message(provider, trusted):
    mail.send(_message(), _settings(provider.port))
    [(rcpt, msg)] = provider.inbox.messages
    assert rcpt == ["jan@assen.nl"]
    assert msg["Subject"] == "Binnenstadmonitor Assen binnenstad: 1 nieuw cijfer"
    assert "4.900 (LISA)" in msg.get_body(preferencelist=("plain",)).get_content()
    assert provider.accounts.attempts == [(USER, True, True)]  # one login, accepted, over TLS


def test_the_test_server_really_requires_tls_and_a_login(provider, trusted):
    # Without these the test above would prove nothing: plain text is refused, and so is
    # sending over TLS without logging in.
    with pytest.raises(mail.MailError, match=r"\(530 Must issue a STARTTLS command first\)"):
        mail.send(_message(), _settings(provider.port, smtp_tls="geen", smtp_user="", smtp_password=""))
    with pytest.raises(mail.MailError, match="530 .*[Aa]uthentication required"):
        mail.send(_message(), _settings(provider.port, smtp_user="", smtp_password=""))
    assert provider.inbox.messages == [] and provider.accounts.attempts == []


def test_a_login_without_tls_is_not_attempted_and_the_message_says_what_to_set(provider, trusted):
    with pytest.raises(mail.MailError) as refused:
        mail.send(_message(), _settings(provider.port, smtp_tls="geen"))
    assert "ondersteunt dit niet" in str(refused.value) and "starttls (poort 587)" in str(refused.value)
    assert provider.accounts.attempts == []  # the password never went over plain text


def test_a_wrong_password_is_refused_with_the_servers_answer(provider, trusted):
    with pytest.raises(mail.MailError) as refused:
        mail.send(_message(), _settings(provider.port, smtp_password="fout"))
    assert str(refused.value).startswith("De SMTP-server weigerde het bericht (535 ")
    assert provider.inbox.messages == []
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN): every one refused, over TLS.
    assert provider.accounts.attempts and set(provider.accounts.attempts) == {(USER, False, True)}


def test_an_untrusted_certificate_is_refused(provider, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with pytest.raises(mail.MailError, match="CERTIFICATE_VERIFY_FAILED") as refused:
        mail.send(_message(), _settings(provider.port))
    assert str(refused.value).startswith("De SMTP-server 127.0.0.1:")  # Dutch, for the send log
    assert provider.inbox.messages == [] and provider.accounts.attempts == []  # no password was sent


# aiosmtpd warns because it cannot see that an implicit-TLS connection is TLS; Accounts checks it.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls_with_login(trusted):
    server = SmtpServer(implicit_tls=trusted, users={USER: PASSWORD}).start()
    try:
        mail.send(_message(), _settings(server.port, smtp_tls="ssl"))
        assert len(server.inbox.messages) == 1 and server.accounts.attempts == [(USER, True, True)]
    finally:
        server.stop()


def test_a_digest_run_over_starttls_is_logged_as_sent(engine, provider, trusted):
    """The whole run (compose from an import, send, log) on both databases, over STARTTLS."""
    for name, data in (("abonnees.csv", b"naam;e-mail\nJan;jan@assen.nl\n"),
                       ("cijfers.csv", b"gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2026;4.900;LISA\n")):
        preview = importer.prepare(engine, [(name, data)], Settings())
        assert preview.ok, preview.problems
        importer.apply(engine, preview, "redacteur", confirmed=True)
    [outcome] = run.run(engine, _settings(provider.port))
    assert (outcome.email, outcome.status) == ("jan@assen.nl", run.DELIVERED)
    assert len(provider.inbox.messages) == 1
    log = run.load_log(engine)
    assert log[["email", "status", "error"]].to_dict("records") == [
        {"email": "jan@assen.nl", "status": "verzonden", "error": ""}]
