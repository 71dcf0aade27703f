"""The digest as an e-mail (plain text and HTML) and its delivery over SMTP (smtplib)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from kpi.digest.compose import Digest
from kpi.settings import Settings

TLS_MODES = ("starttls", "ssl", "geen")
TIMEOUT_SECONDS = 30


class MailError(Exception):
    """A message that could not be delivered; the text is Dutch and goes into the send log."""


def message(d: Digest, sender: str) -> EmailMessage:
    """The digest as a multipart/alternative message: text/plain first, then text/html."""
    msg = EmailMessage()
    msg["Subject"] = d.subject
    msg["From"] = sender
    msg["To"] = formataddr((d.name, d.email)) if d.name else d.email
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else None)
    msg["List-Unsubscribe"] = f"<{d.unsubscribe_link}>"
    msg.set_content(d.text())
    msg.add_alternative(d.html(), subtype="html")
    return msg


def missing_setting(settings: Settings) -> str | None:
    """Why no mail can be sent with these settings (Dutch), or None."""
    if not settings.smtp_host:
        return "Er is geen SMTP-server ingesteld (KPI_SMTP_HOST)."
    if not settings.mail_from:
        return "Er is geen afzender ingesteld (KPI_MAIL_FROM)."
    if settings.smtp_tls not in TLS_MODES:
        return f"KPI_SMTP_TLS is '{settings.smtp_tls}'; kies starttls, ssl of geen."
    return None


def send(msg: EmailMessage, settings: Settings) -> None:
    """Deliver one message to the configured SMTP server; MailError (Dutch, with the server's
    answer) when it is not accepted."""
    if (reason := missing_setting(settings)) is not None:
        raise MailError(reason)
    try:
        if settings.smtp_tls == "ssl":
            server = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
        with server:
            if settings.smtp_tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password)
            refused = server.send_message(msg)
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise MailError(f"De SMTP-server weigerde het bericht ({exc.smtp_code} {text}).") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"De SMTP-server weigerde de ontvanger: {_answers(exc.recipients)}.") from exc
    except smtplib.SMTPNotSupportedError as exc:
        # Typically a login without TLS: the server offers AUTH only after STARTTLS.
        raise MailError(f"De SMTP-server {settings.smtp_host}:{settings.smtp_port} ondersteunt dit niet ({exc}); "
                        f"KPI_SMTP_TLS is '{settings.smtp_tls}': met een gebruikersnaam is dat meestal "
                        "starttls (poort 587) of ssl (poort 465).") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"De SMTP-server {settings.smtp_host}:{settings.smtp_port} is niet bereikbaar "
                        f"({type(exc).__name__}: {exc}).") from exc
    if refused:
        raise MailError(f"De SMTP-server weigerde de ontvanger: {_answers(refused)}.")


def _answers(refused: dict) -> str:
    """'a@b.nl (550 Mailbox unavailable)' for each refused recipient."""
    def text(answer) -> str:
        code, message = answer
        return f"{code} {message.decode('utf-8', 'replace') if isinstance(message, bytes) else message}"

    return ", ".join(f"{who} ({text(answer)})" for who, answer in refused.items())
