"""The window of plausible event times: an event dated before it or after it (a clock set
to 2031, a timestamp of year 1) is quarantined with the reason :func:`outside` gives.

Owns: the wording of an implausible time. May import: the standard library.
"""

from __future__ import annotations

import datetime as dt

Window = tuple[dt.datetime, dt.datetime]


def outside(when: dt.datetime, window: Window | None) -> str | None:
    """Why an aware UTC time is implausible (before the window or after it), else None."""
    if window is None:
        return None
    earliest, latest = window
    if when < earliest:
        return (f"{when:%Y-%m-%d %H:%M} UTC is before {earliest:%Y-%m-%d}, the earliest "
                "plausible date (a clock set wrong? see [ingest] earliest)")
    if when > latest:
        return (f"{when:%Y-%m-%d %H:%M} UTC is after {latest:%Y-%m-%d %H:%M} UTC, now plus "
                "[ingest] latest_days_ahead (a clock set in the future?)")
    return None
