"""Folding text for comparisons: case-, accent- and spacing-insensitive keys."""

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
