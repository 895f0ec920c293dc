"""How a digest leaves: a MIME mail (plain text, plus the same in simple HTML), sent by SMTP or written.

The mail server is read from the SMTP settings (docs/digests.md); without `CX_SMTP_HOST` the command
refuses to run rather than compute digests nobody can send (`--out DIR` writes them as `.eml` files
instead, which any mail client opens and a pickup directory can forward).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from metrics import clock, settings
from metrics.catalogue import N_
from metrics.digest.compose import Digest
from metrics.errors import CxError

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
FILE_SENDER = "cx-metrics@localhost"  # the From of files written without CX_SMTP_FROM
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Smtp:
    """Where and how to send: the server, its port and TLS mode, the login, and the From address."""

    host: str
    port: int
    tls: str  # starttls, ssl or none
    user: str | None
    password: str | None
    sender: str


def smtp_settings() -> Smtp:
    """The mail server from the SMTP settings; a missing host or sender is refused with the setting to set."""
    host = settings.value("CX_SMTP_HOST")
    if not host:
        raise CxError(N_("digest.no_mail_server"))
    sender = settings.value("CX_SMTP_FROM")
    if not sender:
        raise CxError(N_("digest.no_sender"))
    tls = settings.text("CX_SMTP_TLS")
    port = settings.value("CX_SMTP_PORT")
    user = settings.value("CX_SMTP_USER")
    password = settings.value("CX_SMTP_PASSWORD")
    return Smtp(
        host=str(host),
        port=int(port) if isinstance(port, int) else DEFAULT_PORTS[tls],
        tls=tls,
        user=str(user) if user else None,
        password=str(password) if password else None,
        sender=str(sender),
    )


def message(digest: Digest, sender: str) -> EmailMessage:
    """The MIME mail of `digest`: subject in the recipient's language, text first, HTML as alternative."""
    mail = EmailMessage()
    mail["Subject"] = digest.subject
    mail["From"] = sender
    mail["To"] = digest.recipient.email
    mail["Date"] = format_datetime(clock.now().astimezone())
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    mail.set_content(digest.text)
    mail.add_alternative(digest.html, subtype="html")
    mail["Content-Language"] = digest.recipient.lang  # after the parts: set_content drops Content-*
    return mail


def file_name(email: str) -> str:
    """`marie.durand@example.com.eml`: the address, with anything unsafe in a file name replaced."""
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", email) + ".eml"


def write(mail: EmailMessage, folder: Path) -> Path:
    """Write `mail` as `<address>.eml` in `folder` (made if needed); returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(str(mail["To"]))
    path.write_bytes(bytes(mail))
    return path


@contextmanager
def connection(smtp: Smtp) -> Iterator[smtplib.SMTP]:
    """One logged-in session for the whole run; unreachable or refusing servers become one sentence."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        if smtp.tls == "ssl":
            session: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            session = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
        if smtp.tls == "starttls":
            session.starttls(context=ssl.create_default_context())
        if smtp.user:
            session.login(smtp.user, smtp.password or "")
    except smtplib.SMTPAuthenticationError:
        raise CxError(N_("digest.login_refused"), server=where, user=smtp.user) from None
    except (OSError, smtplib.SMTPException) as err:
        raise CxError(N_("digest.no_session"), server=where, problem=str(err)) from None
    try:
        yield session
    finally:
        try:
            session.quit()
        except (OSError, smtplib.SMTPException):
            session.close()


def send(session: smtplib.SMTP, mail: EmailMessage) -> str | None:
    """Send one mail; None when the server took it, else why not (the run goes on with the others)."""
    try:
        session.send_message(mail)
    except (OSError, smtplib.SMTPException) as err:
        return str(err)
    return None
