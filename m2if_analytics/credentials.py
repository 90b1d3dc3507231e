"""Passwords for the servers m2if talks to (SMTP, a Moodle database, an LRS).

A password never comes from the configuration file: from an environment variable, else from
a file only its owner can read. It is never printed, nor part of an error message
(:func:`redact` removes it from a URL before one is shown)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from m2if_analytics.errors import M2IFError


def password(section: str, env: str, file: str) -> str | None:
    """The password: the environment variable ``env``, else the 0600 file, else None;
    ``section`` names the configuration section in messages (``[smtp]``)."""
    value = os.environ.get(env) if env else None
    if value:
        return value
    if not file:
        return None
    path = Path(file).expanduser()
    if not path.is_file():
        raise M2IFError(f"{section} password_file {path} not found")
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise M2IFError(f"{section} password_file {path} can be read by other users: run "
                        f"chmod 600 {path}")
    return path.read_text(encoding="utf-8").strip()


# "user:password@" wherever it stands, for what urlsplit does not read as a URL with a user
# part (a scheme it refuses, no scheme at all): the password runs to the last "@" before the
# next "/", as in urlsplit's own reading, spaces and control characters included
_USERINFO = re.compile(r"([^\s/:@]*):[^/]*@")


def redact(url: str) -> str:
    """``url`` without the password of its user part (``postgresql://u:***@h/db``), also when
    it is no valid URL (``"://u:***@h/``, ``u:***@h/db``), and on one line: a line break or
    another control character typed into it is shown escaped (``a\\nb``), so the message
    that shows it stays one line."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a "[" it takes for a broken IPv6 address: the pattern masks it
        parts = None
    if parts is not None and parts.password is not None:
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        url = urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))
    url = _USERINFO.sub(r"\1:***@", url)
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in url)


def scrub(message: str, *secrets: str | None) -> str:
    """``message`` with every given secret replaced by ``***`` (driver errors may echo a
    DSN or a password)."""
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message
