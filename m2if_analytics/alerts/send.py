"""Sending the digests of a folder by SMTP (``[smtp]``, recipients from ``[alerts]``).

The password never comes from the configuration file: from the environment variable named
by ``[smtp] password_env``, else from ``[smtp] password_file`` (which only its owner may
read). It is never printed, nor part of an error message."""

from __future__ import annotations

import contextlib
import json
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from m2if_analytics import credentials
from m2if_analytics.alerts.digest import COHORT_KEY
from m2if_analytics.alerts.files import MANIFEST
from m2if_analytics.config import Config
from m2if_analytics.errors import M2IFError


def password(cfg: Config) -> str | None:
    """The SMTP password: the environment variable, else the 0600 file, else None."""
    return credentials.password("[smtp]", cfg.smtp.password_env, cfg.smtp.password_file)


def recipients(cfg: Config, key: str) -> list[str]:
    """The addresses of a digest: its key's entry in ``[alerts] recipients``, else ``*``."""
    table = cfg.alerts.recipients
    return list(table.get(key) or table.get(COHORT_KEY) or [])


def _messages(cfg: Config, folder: Path) -> list[tuple[str, EmailMessage | None]]:
    path = folder / MANIFEST
    if not path.is_file():
        raise M2IFError(f"{path} not found: write the digests first (m2if alerts --out "
                        f"{folder})")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    out: list[tuple[str, EmailMessage | None]] = []
    for entry in manifest["digests"]:
        to = recipients(cfg, entry["key"])
        if not to:
            out.append((entry["key"], None))
            continue
        msg = EmailMessage()
        msg["Subject"] = entry["subject"]
        msg["From"] = cfg.smtp.sender
        msg["To"] = ", ".join(to)
        msg.set_content((folder / entry["text"]).read_text(encoding="utf-8"))
        msg.add_alternative((folder / entry["html"]).read_text(encoding="utf-8"),
                            subtype="html")
        out.append((entry["key"], msg))
    return out


def _tls(cfg: Config) -> ssl.SSLContext:
    """The system's trusted certificates, plus ``[smtp] ca_file`` when given."""
    context = ssl.create_default_context()
    if cfg.smtp.ca_file:
        try:
            context.load_verify_locations(cafile=str(Path(cfg.smtp.ca_file).expanduser()))
        except (OSError, ssl.SSLError) as exc:
            raise M2IFError(f"[smtp] ca_file {cfg.smtp.ca_file}: cannot be read as "
                            f"certificates ({exc.__class__.__name__})") from None
    return context


def _connect(cfg: Config) -> smtplib.SMTP:
    smtp = cfg.smtp
    where = f"{smtp.host}:{smtp.port}"
    secret = password(cfg) if smtp.user else None  # a bad password file fails first
    if smtp.user and secret is None:
        raise M2IFError(f"[smtp] user {smtp.user} has no password: set ${smtp.password_env} "
                        "or [smtp] password_file")
    try:
        if smtp.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port,
                                                    timeout=smtp.timeout_seconds,
                                                    context=_tls(cfg))
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
            if smtp.security == "starttls":
                server.starttls(context=_tls(cfg))
        if smtp.user and secret is not None:
            server.login(smtp.user, secret)
    except smtplib.SMTPAuthenticationError:
        raise M2IFError(f"SMTP server {where} refused the login of {smtp.user}: check the "
                        "user and the password") from None
    except ssl.SSLError as exc:
        raise M2IFError(f"SMTP server {where}: TLS failed ({exc.reason}); check [smtp] "
                        "security and the server's certificate") from None
    except OSError as exc:  # refused, unreachable, timed out
        why = exc.strerror or exc.__class__.__name__
        raise M2IFError(f"cannot reach the SMTP server {where} ({why}); check [smtp] host "
                        "and port") from None
    except smtplib.SMTPException as exc:
        raise M2IFError(f"SMTP server {where}: {exc.__class__.__name__}") from None
    return server


def send_digests(cfg: Config, folder: Path, dry_run: bool = False) -> list[str]:
    """Send every digest of ``folder`` that has recipients; one line per digest (what was
    sent, would be sent, or why not)."""
    messages = _messages(cfg, folder)
    lines = []
    if dry_run:
        for key, msg in messages:
            lines.append(f"{key}: no recipient in [alerts] recipients" if msg is None else
                         f"{key}: would send to {msg['To']}: {msg['Subject']} "
                         f"({len(msg.as_bytes())} bytes)")
        return lines
    if not any(msg for _, msg in messages):
        return [f"{key}: no recipient in [alerts] recipients" for key, _ in messages]
    server = _connect(cfg)
    try:
        for key, msg in messages:
            if msg is None:
                lines.append(f"{key}: no recipient in [alerts] recipients")
                continue
            try:
                server.send_message(msg)
            except smtplib.SMTPException as exc:
                raise M2IFError(f"SMTP server refused the digest {key} "
                                f"({exc.__class__.__name__})") from None
            lines.append(f"{key}: sent to {msg['To']}: {msg['Subject']}")
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            server.quit()
    return lines
