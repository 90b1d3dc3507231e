"""Keyed pseudonyms: normalisation, key file, fingerprint check."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from m2if_analytics.errors import KeyMismatchError
from m2if_analytics.warehouse.pseudonyms import (
    Pseudonymiser,
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
