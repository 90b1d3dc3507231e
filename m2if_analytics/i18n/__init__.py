"""Every word a manager reads, in French and English, and numbers written the local way.

    t("section_cumulative", "en")        # 'Cumulative hours'
    t("fig_week_hours_title", week=week_label("2027-W05"))
    hours(1234.5)                         # '1 234,5 h' (narrow no-break space, no-break space)

French is the default language. Messages are ``str.format`` templates: both languages of a
key name the same ``{placeholders}``.

Owns: ``t()``, numbers, hours and dates written the French or English way, and the message
catalogues (``catalogues/<area>.toml``, editable by a translator; merged here, a key defined
twice is refused).

May import: the ground floor.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path

from m2if_analytics.i18n.chars import NBSP, NNBSP

LANGS = ("fr", "en")


CATALOGUES = Path(__file__).parent / "catalogues"  # one TOML file per area
MESSAGES: dict[str, dict[str, str]] = {}  # every key of every area, merged below


def _merge_catalogues() -> None:
    """Load ``catalogues/*.toml`` (a table per key, with ``fr`` and ``en``); a key defined
    in two areas, or without both languages, is refused."""
    for path in sorted(CATALOGUES.glob("*.toml")):
        with path.open("rb") as fh:
            catalogue = tomllib.load(fh)
        clash = set(catalogue) & set(MESSAGES)
        if clash:
            raise RuntimeError(f"message keys defined twice ({path.name}): {sorted(clash)}")
        partial = [key for key, texts in catalogue.items() if set(texts) != set(LANGS)]
        if partial:
            raise RuntimeError(f"{path.name}: keys without exactly fr and en: {partial}")
        MESSAGES.update(catalogue)


_merge_catalogues()


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")


def t(key: str, lang: str = "fr", **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    _check_lang(lang)
    if key not in MESSAGES:
        raise KeyError(f"no message {key!r} in m2if_analytics.i18n.MESSAGES")
    text = MESSAGES[key][lang]
    try:
        return text.format(**values)
    except KeyError as missing:
        raise KeyError(f"message {key!r} needs a value for {missing}") from None


def number(x: float | None, lang: str = "fr", digits: int = 1, *, sign: bool = False) -> str:
    """``x`` rounded to ``digits``: ``1 234,5`` in French, ``1,234.5`` in English; None → ``–``.

    ``sign=True`` writes ``+`` before positive numbers (for changes).
    """
    _check_lang(lang)
    if x is None or math.isnan(x):
        return "–"
    x = round(float(x), digits) or 0.0  # no "-0.0"
    text = f"{x:{'+' if sign else ''},.{digits}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def hours(x: float | None, lang: str = "fr", digits: int = 1) -> str:
    """Hours with their unit: ``12,5 h`` / ``12.5 h`` (no-break space); None → ``–``."""
    text = number(x, lang, digits)
    return text if text == "–" else f"{text}{NBSP}h"


def date_format(lang: str = "fr", with_time: bool = False) -> str:
    """The strftime (and plotly tickformat) pattern of a date: ``05/10/2026`` in French,
    ``2026-10-05`` in English; ``with_time`` adds ``HH:MM``. The one home of these formats."""
    _check_lang(lang)
    pattern = "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"
    return pattern + " %H:%M" if with_time else pattern


def day(value: dt.date | dt.datetime | None, lang: str = "fr") -> str:
    """A date (the date of a datetime) written the ``lang`` way; ``–`` for None."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime(date_format(lang))


def moment(value: dt.date | dt.datetime | None, lang: str = "fr") -> str:
    """A local date and time (``17/01/2027 14:59`` / ``2027-01-17 14:59``); a plain date is
    written as :func:`day`; ``–`` for None."""
    if not isinstance(value, dt.datetime):
        return day(value, lang)
    return value.strftime(date_format(lang, with_time=True))


def week_label(iso_week: str, lang: str = "fr") -> str:
    """``semaine 2027-W05`` / ``week 2027-W05``."""
    return t("week", lang, iso_week=iso_week)
