"""A contact of the follow-up log and the words it may hold (French or English on the way
in, English in the warehouse)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from m2if_analytics.errors import M2IFError
from m2if_analytics.text import shown

CHANNELS = ("call", "mail", "meeting", "message")
OUTCOMES = ("reached", "no-answer", "plan", "referred")
_CHANNEL_WORDS = {"call": "call", "phone": "call", "appel": "call", "telephone": "call",
                  "mail": "mail", "email": "mail", "e-mail": "mail", "courriel": "mail",
                  "meeting": "meeting", "rendez-vous": "meeting", "rdv": "meeting",
                  "reunion": "meeting", "entretien": "meeting", "message": "message",
                  "sms": "message", "chat": "message"}
_OUTCOME_WORDS = {"reached": "reached", "joint": "reached", "jointe": "reached",
                  "no-answer": "no-answer", "no answer": "no-answer",
                  "sans-reponse": "no-answer", "sans reponse": "no-answer",
                  "pas de reponse": "no-answer", "plan": "plan", "plan d'action": "plan",
                  "referred": "referred", "oriente": "referred", "orientee": "referred"}
TUTOR = re.compile(r"[A-Za-z0-9._-]{1,32}")
PSEUDONYM = re.compile(r"p[0-9a-f]{12}")


class ContactError(M2IFError):
    """A value of a contact that cannot be stored (one line, names the value)."""


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).replace("_", "-")


def _word(words: dict[str, str], what: str, text: str, allowed: tuple[str, ...],
          french: str) -> str:
    word = words.get(_fold(text))
    if word is None:
        raise ContactError(f"{what} {text!r} should be one of {', '.join(allowed)} "
                           f"(or {french})")
    return word


def channel(text: str) -> str:
    return _word(_CHANNEL_WORDS, "channel", text, CHANNELS,
                 "appel, courriel, rendez-vous, message")


def outcome(text: str) -> str:
    return _word(_OUTCOME_WORDS, "outcome", text, OUTCOMES, "joint, sans-reponse, plan, oriente")


def tutor(text: str) -> str:
    code = text.strip()
    if not TUTOR.fullmatch(code):
        raise ContactError(f"tutor {shown(text)} should be a code of 1 to 32 letters, digits, "
                          "dots, dashes or underscores (initials or a staff id), not a name")
    return code


def student(text: str) -> str:
    code = text.strip()
    if not PSEUDONYM.fullmatch(code):
        raise ContactError(f"student {shown(text)} is not a pseudonym (p + 12 hexadecimal "
                          "digits, as in m2if weekly or m2if risk)")
    return code


DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def day(text: str, what: str = "date") -> dt.date:
    """YYYY-MM-DD or DD/MM/YYYY."""
    value = text.strip()
    try:
        found = DAY_FIRST.fullmatch(value)
        if found:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ContactError(f"{what} {text!r} is not a date (write 2027-02-01 or 01/02/2027)"
                           ) from None


@dataclass(frozen=True)
class Contact:
    """One contact, checked: a student pseudonym, the day, the tutor's code, the channel,
    the outcome and the next step agreed (if any)."""

    student: str
    date: dt.date
    tutor: str
    channel: str
    outcome: str
    next_date: dt.date | None = None

    def __post_init__(self) -> None:
        student(self.student)
        tutor(self.tutor)
        if self.channel not in CHANNELS:
            raise ContactError(f"channel {self.channel!r}: one of {', '.join(CHANNELS)}")
        if self.outcome not in OUTCOMES:
            raise ContactError(f"outcome {self.outcome!r}: one of {', '.join(OUTCOMES)}")
        if self.next_date is not None and self.next_date < self.date:
            raise ContactError(f"next step {self.next_date} is before the contact "
                              f"({self.date})")

    @classmethod
    def parse(cls, student_: str, date_: str, tutor_: str, channel_: str, outcome_: str,
              next_: str = "") -> Contact:
        """A contact from text as typed or imported (French words accepted)."""
        return cls(student(student_), day(date_), tutor(tutor_), channel(channel_),
                   outcome(outcome_), day(next_, "next") if next_.strip() else None)
