"""A real SMTP server on a free loopback port for the digest tests (aiosmtpd): plain, or
requiring STARTTLS and a login (the setup of a mail provider on port 587), or implicit TLS
(port 465), with a self-signed certificate made here."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) PEM files for 127.0.0.1 and localhost, valid for a day; a client
    trusts it only when told to (SSL_CERT_FILE), as with a private CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "binnenstadmonitor test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Inbox:
    """What the server received: (envelope recipients, parsed message) per message."""

    messages: list = field(default_factory=list)
    refuse: set = field(default_factory=set)  # recipients answered with 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"


@dataclass
class Accounts:
    """The server's users; every login attempt as (user, accepted, over TLS)."""

    users: dict[str, str]
    attempts: list = field(default_factory=list)

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        ok = self.users.get(user) == password
        tls = server.transport is not None and server.transport.get_extra_info("ssl_object") is not None
        self.attempts.append((user, ok, tls))
        return AuthResult(success=ok, handled=False)


class SmtpServer:
    """Start with `start()`, stop with `stop()`; `port` is free and on 127.0.0.1.

    `starttls` (a (certificate, key) pair) makes the server refuse everything but EHLO, STARTTLS
    and QUIT before TLS; `users` then requires a login (only over TLS) before MAIL. `implicit_tls`
    speaks TLS from the first byte (port 465 style)."""

    def __init__(self, port: int | None = None, *, starttls: tuple[Path, Path] | None = None,
                 users: dict[str, str] | None = None, implicit_tls: tuple[Path, Path] | None = None):
        self.inbox = Inbox()
        self.accounts = Accounts(users or {})
        self.port = port or free_port()
        kwargs: dict = {}
        if starttls:
            kwargs.update(tls_context=_server_context(*starttls), require_starttls=True)
        if users:
            kwargs.update(authenticator=self.accounts, auth_required=True, auth_require_tls=True)
        if implicit_tls:
            # aiosmtpd knows TLS only from STARTTLS; here every byte is TLS already (Accounts checks).
            kwargs.update(ssl_context=_server_context(*implicit_tls), auth_require_tls=False)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
