"""Keyed pseudonyms: normalisation, key file, fingerprint check."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from m2if_analytics.errors import KeyMismatchError
from m2if_analytics.warehouse.pseudonyms import (
    Pseudonymiser,
    is_number_text,
    load_or_create_key,
    name_rotations,
    normalise_id,
    normalise_name,
    pseudonym,
)
from m2if_analytics.warehouse.workspace import open_workspace


def test_names_are_nfc_casefolded_and_whitespace_collapsed():
    decomposed = "Le\u0301a  FOURNIER\tDubreuil "
    assert normalise_name(decomposed) == "léa fournier dubreuil"
    p = Pseudonymiser(b"k")
    assert p.name_ident(decomposed) == p.name_ident("léa fournier dubreuil")
    assert p.name_ident("-") is None and p.name_ident("  ") is None


def test_ids_are_canonical_strings():
    assert normalise_id(" 0042 ") == "42"
    assert normalise_id("42.0") == "42"
    assert normalise_id("0") == "0"
    p = Pseudonymiser(b"k")
    assert p.id_ident("042") == p.id_ident(42)


@pytest.mark.parametrize("typed", ["¹", "²3", "٣", "３", "①", "4²"])
def test_ids_in_other_scripts_digits_are_no_platform_ids(typed: str):
    """str.isdigit says yes to these; int() refuses them or reads "٣" and "３" as 3: they are
    kept as typed, never read as a number and never the id of user 3."""
    assert typed.isdigit() or typed == "4²"
    assert not is_number_text(typed)
    assert normalise_id(typed) == typed and normalise_id(f"0{typed}") == f"0{typed}"
    p = Pseudonymiser(b"k")
    assert p.id_ident(typed) != p.id_ident("3")


@given(st.text(max_size=8))
def test_a_number_text_is_the_digits_0_to_9_and_reads_back(text: str):
    assert is_number_text(text) == (text != "" and all(c in "0123456789" for c in text))
    if is_number_text(text):
        assert normalise_id(text) == str(int(text))
        assert normalise_id(f"{text}.0") == str(int(text))


def test_name_rotations_cover_last_name_first_displays():
    assert name_rotations("marie claire dubois") == ["claire dubois marie",
                                                     "dubois marie claire"]


def test_pseudonyms_depend_on_the_key_and_kind():
    a, b = Pseudonymiser(b"one"), Pseudonymiser(b"two")
    assert a.ident("id", "7") != b.ident("id", "7")
    assert a.ident("id", "7") != a.ident("name", "7")
    label = pseudonym(a.ident("id", "7"))
    assert label.startswith("p") and len(label) == 13


def test_missing_key_file_is_created_private_and_reused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]):
    monkeypatch.delenv("M2IF_PSEUDONYM_KEY")
    key = tmp_path / "keys" / "m2if.key"
    first = load_or_create_key(key)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert "created a new pseudonymisation key" in capsys.readouterr().err
    assert load_or_create_key(key).fingerprint == first.fingerprint


def test_warehouse_refuses_a_different_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with open_workspace(tmp_path / "w.duckdb", None) as ws:
        assert ws.pseudo.fingerprint
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "another key")
    with open_workspace(tmp_path / "w.duckdb", None) as ws, \
            pytest.raises(KeyMismatchError, match="fingerprint"):
        _ = ws.pseudo
