"""Keyed pseudonyms (HMAC-SHA256) of normalised identities; key file handling.

Identities are hashed once per distinct value (thousands), never per row. An identity is a
kind and a value: ``id:123`` (platform user id), ``name:jean dupont`` (full name, Unicode
NFC, case-folded, whitespace-collapsed), ``mail:jean.dupont@example.org``. The warehouse
stores only :func:`ident` values; a person's pseudonym is the ident of their canonical
identity (user id when known), shortened by :func:`pseudonym`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from m2if_analytics.errors import KeyMismatchError

_SPACES = re.compile(r"\s+")
KEY_ENV = "M2IF_PSEUDONYM_KEY"


def normalise_name(name: str) -> str:
    """Unicode NFC, case-folded, whitespace-collapsed; '' for an empty name."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = text.replace("\u2019", "'")
    return _SPACES.sub(" ", text).strip()


_ASCII_DIGITS = re.compile(r"[0-9]+")


def is_number_text(text: str) -> bool:
    """Whether ``text`` is written with the digits 0-9 only, as Moodle's user ids are.
    ``str.isdigit`` also accepts "¹", "٣" or "３", which ``int`` refuses or reads as 3: an id
    typed so is no platform id, not a crash and not another person's."""
    return _ASCII_DIGITS.fullmatch(text) is not None


def normalise_id(user_id: str | int) -> str:
    """A platform user id as a canonical string (``'0042'`` → ``'42'``)."""
    text = str(user_id).strip()
    if text.endswith(".0") and is_number_text(text[:-2]):  # ids read as floats by spreadsheets
        text = text[:-2]
    if is_number_text(text):
        return text.lstrip("0") or "0"
    return text


_JOINERS = re.compile(r"[-\u2010-\u2015'\u2019\u02bc.,]+")


def fold_name(name: str) -> str:
    """The form two spellings of one person's name share: accents dropped, case folded,
    hyphens, apostrophes and dots as spaces, words sorted ('CELIK Noémie', 'Noemie Celik'
    and 'Noémie Çelik' all give 'celik noemie'); '' for an empty name."""
    text = unicodedata.normalize("NFKD", name.replace("\u0131", "i"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(_SPACES.split(_JOINERS.sub(" ", text).strip()))).strip()


def name_rotations(normalised: str) -> list[str]:
    """'jean dupont' → ['dupont jean']: the orders Moodle may display a full name in."""
    tokens = normalised.split(" ")
    return [" ".join(tokens[i:] + tokens[:i]) for i in range(1, len(tokens))]


@dataclass(frozen=True)
class Pseudonymiser:
    """Hashes identities with a secret key; equal inputs give equal idents."""

    key: bytes

    @property
    def fingerprint(self) -> str:
        """A public fingerprint of the key, recorded in the warehouse to detect a key change."""
        return hashlib.sha256(b"m2if-key-fingerprint\x00" + self.key).hexdigest()[:16]

    def ident(self, kind: str, value: str) -> str:
        """Keyed hash of one normalised identity, hex (128 bits)."""
        msg = f"{kind}:{value}".encode()
        return hmac.new(self.key, msg, hashlib.sha256).hexdigest()[:32]

    def name_ident(self, name: str) -> str | None:
        """Ident of a full name, or ``None`` when the name is empty or Moodle's '-'."""
        norm = normalise_name(name)
        return None if norm in ("", "-") else self.ident("name", norm)

    def folded_ident(self, name: str) -> str | None:
        """Keyed hash of :func:`fold_name` (what name variants of one person share)."""
        folded = fold_name(name)
        return None if folded in ("", "-") else self.ident("fold", folded)

    def token_idents(self, name: str) -> list[str]:
        """Keyed hashes of the folded name's words (to find the closest roster names
        without storing any name)."""
        return sorted({self.ident("token", t) for t in fold_name(name).split(" ") if t})

    def id_ident(self, user_id: str | int) -> str | None:
        """Ident of a platform user id, or ``None`` when it is empty."""
        norm = normalise_id(user_id)
        return None if norm == "" else self.ident("id", norm)

    def mail_ident(self, email: str) -> str | None:
        """Ident of an e-mail address (case-folded), or ``None`` when empty."""
        norm = email.strip().casefold()
        return None if norm == "" else self.ident("mail", norm)

    def map_distinct(self, kind: str, values: Iterable[str]) -> dict[str, str | None]:
        """Ident of each distinct value, hashing each once."""
        fn = {"name": self.name_ident, "id": self.id_ident, "mail": self.mail_ident}[kind]
        return {v: fn(v) for v in set(values)}


def pseudonym(ident: str) -> str:
    """The short label shown in tables and reports: ``p`` + 12 hex digits (48 bits)."""
    return "p" + ident[:12]


def load_or_create_key(key_file: Path, announce: bool = True, create: bool = True,
                       ) -> Pseudonymiser:
    """Key from ``M2IF_PSEUDONYM_KEY``, else from ``key_file``; a missing file is created
    (mode 0600) only when ``create`` (a new warehouse), otherwise it is an error that creates
    nothing. A key file others may read is refused, with the ``chmod`` to run."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Pseudonymiser(env.strip().encode())
    if key_file.exists():
        _check_private(key_file)
        text = key_file.read_text(encoding="utf-8").strip()
        if not text:
            raise KeyMismatchError(f"key file {key_file} is empty; restore it from your backup")
        return Pseudonymiser(text.encode())
    if not create:
        raise KeyMismatchError(
            f"no pseudonymisation key at {key_file}, and this warehouse was built with one: "
            f"pass --key-file with the original key file, or set {KEY_ENV} "
            "(nothing was created)")
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    if announce:
        print(f"created a new pseudonymisation key in {key_file} (mode 0600): keep it secret "
              "and back it up; without it new data cannot join existing pseudonyms",
              file=sys.stderr)
    return load_or_create_key(key_file, announce=False)


def _check_private(key_file: Path) -> None:
    """Refuse a key file that its group or others may read or write (POSIX only)."""
    if os.name != "posix":
        return
    mode = key_file.stat().st_mode & 0o777
    if mode & 0o077:
        raise KeyMismatchError(
            f"key file {key_file} can be read by other users (mode {mode:o}): run "
            f"chmod 600 {key_file} and try again")
