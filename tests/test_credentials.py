"""What a message may show of a server address: never its password, always on one line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from m2if_analytics.credentials import redact


@pytest.mark.parametrize(("given", "shown"), [
    ("postgresql://u:secret@db:5432/moodle?sslmode=disable",
     "postgresql://u:***@db:5432/moodle?sslmode=disable"),
    ("postgresql://u:p@ss@db/moodle", "postgresql://u:***@db/moodle"),  # '@' in the password
    ("mysql://u:a:b@db/moodle", "mysql://u:***@db/moodle"),
    ('"://reader:secret@127.0.0.1:5432/"', '"://reader:***@127.0.0.1:5432/"'),  # found by
    ("reader:secret@db/moodle", "reader:***@db/moodle"),  # make fuzz: no scheme urlsplit reads
    ("reader:my secret@db/moodle", "reader:***@db/moodle"),  # a space in the password
    ('"://reader:a\tb@db/', '"://reader:***@db/'),
    ("postgresql://u@db/moodle", "postgresql://u@db/moodle"),
    ("https://lrs.example.org/xAPI", "https://lrs.example.org/xAPI"),
    ("a\nb", "a\\nb"),  # found by make fuzz: the message was two lines
    ("https://lrs\r\n.example.org/\x1b[31m", "https://lrs\\r\\n.example.org/\\x1b[31m"),
])
def test_passwords_are_masked_and_control_characters_escaped(given: str, shown: str):
    assert redact(given) == shown


password = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"),
                   min_size=4, max_size=12)  # spaces, line breaks and control characters too


@given(scheme=st.sampled_from(["postgresql", "mysql", "https", '"', "", "x y"]),
       user=st.text("abz_-.", max_size=6), secret=password,
       rest=st.sampled_from(["db/moodle", "127.0.0.1:5432/", "h", "h/x@y"]))
def test_no_password_survives_whatever_the_address_looks_like(scheme: str, user: str,
                                                             secret: str, rest: str):
    start = f"{scheme}://{user}" if scheme else user
    assert redact(f"{start}:{secret}@{rest}") == f"{start}:***@{rest}"
