"""Folding text for comparisons (case-, accent- and spacing-insensitive keys), and showing a bad
cell in a message that may be stored without what it may say about a person."""

from __future__ import annotations

import re
import unicodedata


def fold_header(name: str) -> str:
    """Case- and accent-insensitive form of a column name or label ('Nom de l’événement' →
    "nom de l'evenement"): the key of header aliases and of assessment names."""
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "").strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip(" :")


_PLAIN = re.compile(r"[0-9 .,:+-]{1,20}")  # numbers, dates, times: no letters, no names


def shown(value: str) -> str:
    """A bad cell for a message that may be stored (a quarantine reason): quoted when it is
    plainly a number, a date or a time, else only its length, since a cell typed by hand can
    hold a name or an e-mail that must not enter the warehouse."""
    return repr(value) if _PLAIN.fullmatch(value) else f"text ({len(value)} characters)"
