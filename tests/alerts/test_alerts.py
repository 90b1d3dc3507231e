"""Alert digests: who gets which student under which heading (by hand), the files, names
only with the mapping, and delivery through a real SMTP server started on loopback."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
from html import unescape
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from m2if_analytics.alerts import build_digests, send_digests, write_digests
from m2if_analytics.cli import app
from m2if_analytics.config import load_config
from m2if_analytics.config_sections import Alerts, Smtp
from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.workspace import open_workspace
from tests.alerts.smtp_server import Inbox, Login, start
from tests.conftest import SAMPLE_CONFIG, SAMPLES

W = dt.date(2027, 1, 11)


def flags_frame() -> pl.DataFrame:
    rows = [  # student, group, level, status, since, last_contact, uncontacted_days
        ("a", "A", "red", "new", W, None, 7),
        ("b", "A", "red", "worse", dt.date(2026, 12, 28), None, 21),
        ("c", "B", "amber", "ongoing", dt.date(2026, 12, 28), None, 21),
        ("d", "B", "green", "resolved", None, dt.date(2027, 1, 5), None),
        ("e", None, "green", "", None, None, None),
        ("f", "A", "amber", "ongoing", dt.date(2026, 12, 28), dt.date(2027, 1, 4), None)]
    return pl.DataFrame(
        [{"student": s, "week_start": W, "level": lv, "reasons": f"why {s}", "status": st,
          "since": since, "previous_level": None, "last_contact": lc,
          "uncontacted_days": days, "group": g}
         for s, g, lv, st, since, lc, days in rows],
        schema={"student": pl.String, "week_start": pl.Date, "level": pl.String,
                "reasons": pl.String, "status": pl.String, "since": pl.Date,
                "previous_level": pl.String, "last_contact": pl.Date,
                "uncontacted_days": pl.Int64, "group": pl.String})


def who(rows: list[dict[str, object]]) -> list[object]:
    return [r["student"] for r in rows]


def test_digests_per_group_then_cohort_by_hand():
    digests = {d.key: d for d in build_digests(flags_frame(), "2026-2027")}
    assert sorted(digests) == ["*", "A", "B"]
    a, b, rest = digests["A"], digests["B"], digests["*"]
    assert (who(a.new), who(a.uncontacted), who(a.resolved)) == (["a", "b"], [], [])
    assert a.counts == {"red": 2, "amber": 1, "green": 0}  # f was contacted: not listed
    assert (who(b.new), who(b.uncontacted), who(b.resolved)) == ([], ["c"], ["d"])
    assert rest.kind == "cohort" and rest.empty and rest.counts["green"] == 1


def test_a_group_named_groupe_is_not_called_groupe_groupe():
    from m2if_analytics.alerts.render import heading

    table = flags_frame().with_columns(pl.lit("Groupe Nord").alias("group"))
    (d,) = build_digests(table, "2026-2027")
    assert heading(d, "fr") == "Groupe Nord, promotion 2026-2027"
    (a,) = [x for x in build_digests(flags_frame(), "2026-2027") if x.key == "A"]
    assert heading(a, "en") == "Group A, cohort 2026-2027"


def test_a_tutor_column_makes_one_digest_per_tutor():
    tutors = pl.DataFrame({"student": ["a", "c", "e"], "tutor": ["HV", "HV", None]})
    digests = {d.key: d for d in build_digests(flags_frame(), "2026-2027", tutors)}
    assert sorted(digests) == ["*", "A", "B", "HV"]
    assert digests["HV"].kind == "tutor" and who(digests["HV"].new) == ["a"]
    assert who(digests["HV"].uncontacted) == ["c"] and who(digests["A"].new) == ["b"]


# --- the sample cohort, files and a real SMTP server ---------------------------------------

@pytest.fixture(scope="module")
def sample(full_sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("alerts")
    db = tmp / "w.duckdb"
    shutil.copyfile(full_sample_warehouse, db)
    mapping = tmp / "private" / "mapping.csv"
    mapping.parent.mkdir()
    with (SAMPLES / "roster.csv").open(encoding="utf-8") as fh:
        roster = list(csv.DictReader(fh))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(db, SAMPLE_CONFIG) as ws:
            from m2if_analytics.warehouse.pseudonyms import pseudonym

            rows = [[pseudonym(ws.pseudo.id_ident(r["user_id"])), r["full_name"], r["group"]]
                    for r in roster]
            mapping.write_text("pseudonym,display_name,group\n"
                               + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
            os.chmod(mapping, 0o600)
            plain = write_digests(ws, None, "2026-W48", tmp / "plain")
            named = write_digests(ws, None, "2026-W48", tmp / "named", mapping, "en")
    names = [r["full_name"] for r in roster]
    return {"tmp": tmp, "db": db, "plain": plain[0].parent, "named": named[0].parent,
            "mapping": mapping, "names": names}  # type: ignore[dict-item]


def test_digest_files_of_the_sample_week(sample):
    manifest = json.loads((sample["plain"] / "digests.json").read_text(encoding="utf-8"))
    assert manifest["week_start"] == "2026-11-23"
    keys = [d["key"] for d in manifest["digests"]]
    assert keys == ["A", "B", "C", "D"]  # the sample roster's groups, no tutor column
    d = next(d for d in manifest["digests"] if d["key"] == "D")
    assert d["new"] == 1  # 120, alternating: chronic under-work from this week
    html = unescape((sample["plain"] / d["html"]).read_text(encoding="utf-8"))
    assert "Alertes de la semaine du 23/11/2026 au 29/11/2026 (2026-W48)" in html
    assert "sous l'objectif 4 semaines sur les 8 dernières semaines" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]
    for path in sample["plain"].iterdir():
        text = path.read_text(encoding="utf-8")
        assert not any(name in text for name in sample["names"]), path.name
    named = (sample["named"] / "group-D.txt").read_text(encoding="utf-8")
    assert "Yannick Dufresnoy (pd1be80a3fd8d)" in named and "New and worse flags" in named


def _cfg(port: int, **smtp: object) -> object:
    cfg = load_config(SAMPLE_CONFIG)
    return dataclasses.replace(
        cfg, smtp=Smtp(host="127.0.0.1", port=port, sender="m2if@example.org",
                       timeout_seconds=10.0, **smtp),  # type: ignore[arg-type]
        alerts=Alerts(recipients={"*": ["direction@example.org"],
                                  "D": ["tutor.d@example.org", "tutor.d2@example.org"]}))


def test_digests_are_delivered_to_a_real_smtp_server(sample, monkeypatch):
    inbox = Inbox()
    controller, port = start(inbox, Login("m2if", "s3cret-pass"))
    try:
        monkeypatch.setenv("M2IF_SMTP_PASSWORD", "s3cret-pass")
        lines = send_digests(_cfg(port, user="m2if"), sample["plain"])
    finally:
        controller.stop()
    assert len(lines) == 4 and all(": sent to " in ln for ln in lines)
    got = {tuple(rcpt): msg for rcpt, msg in inbox.messages}
    assert set(got) == {("direction@example.org",), ("tutor.d@example.org",
                                                     "tutor.d2@example.org")}
    assert len(inbox.messages) == 4  # A, B, C to the cohort's address, D to its tutors
    d = got[("tutor.d@example.org", "tutor.d2@example.org")]
    assert d["Subject"].startswith("[m2if] Promotion 2026-2027, semaine du 23/11/2026 au "
                                   "29/11/2026 : 1 nouveau")
    assert d.get_content_type() == "multipart/alternative"
    parts = {p.get_content_type(): p.get_content() for p in d.iter_parts()}
    assert set(parts) == {"text/plain", "text/html"}
    assert "pd1be80a3fd8d" in parts["text/plain"] and "pd1be80a3fd8d" in parts["text/html"]
    for _, msg in inbox.messages:
        body = msg.as_string()
        assert not any(name in body for name in sample["names"])


def test_a_wrong_password_or_no_server_is_one_line_without_the_password(sample, monkeypatch):
    inbox = Inbox()
    controller, port = start(inbox, Login("m2if", "right"))
    try:
        monkeypatch.setenv("M2IF_SMTP_PASSWORD", "wrong-Pa55")
        with pytest.raises(M2IFError, match="refused the login of m2if") as info:
            send_digests(_cfg(port, user="m2if"), sample["plain"])
    finally:
        controller.stop()
    assert "wrong-Pa55" not in str(info.value) and not inbox.messages
    with pytest.raises(M2IFError, match=r"cannot reach the SMTP server 127\.0\.0\.1"):
        send_digests(_cfg(port), sample["plain"])  # stopped: connection refused


def test_a_password_file_others_can_read_is_refused(sample, tmp_path, monkeypatch):
    monkeypatch.delenv("M2IF_SMTP_PASSWORD", raising=False)
    secret = tmp_path / "smtp.pass"
    secret.write_text("pw\n", encoding="utf-8")
    os.chmod(secret, 0o644)
    with pytest.raises(M2IFError, match=f"chmod 600 {secret}"):
        send_digests(_cfg(1025, user="m2if", password_file=str(secret)), sample["plain"])


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_starttls_with_an_untrusted_certificate_is_a_one_line_tls_error(sample, tmp_path):
    cert = tmp_path / "server.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(cert.with_suffix(".key")),
                    "-out", str(cert)], check=True, capture_output=True)
    inbox = Inbox()
    controller, port = start(inbox, tls_cert=cert)
    try:
        with pytest.raises(M2IFError, match="TLS failed"):
            send_digests(_cfg(port, security="starttls"), sample["plain"])
    finally:
        controller.stop()
    assert not inbox.messages


def test_dry_run_and_the_commands(sample):
    env = {"M2IF_PSEUDONYM_KEY": "sample-key"}
    base = ["--db", str(sample["db"]), "--config", str(SAMPLE_CONFIG), "alerts"]
    out = sample["tmp"] / "cli"
    result = CliRunner().invoke(app, [*base, "--week", "2026-W48", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert (out / "group-D.html").is_file() and (out / "digests.json").is_file()
    dry = CliRunner().invoke(app, [*base, "send", "--out", str(out), "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.count("no recipient in [alerts] recipients") == 4  # none configured


def test_a_roster_tutor_column_routes_the_digests(sample, tmp_path):
    from m2if_analytics.ingest.roster import ingest_roster_file

    with (SAMPLES / "roster.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    tutors = {"A": "HV", "B": "HV", "C": "FQ", "D": "FQ"}
    lines = [[*header, "tuteur"]] + [
        [*r, "" if r[3] != "student" else tutors[r[4]]] for r in body]
    lines[1][-1] = "Hélène Verdier"  # a name is not a tutor code: the row is set aside
    roster = tmp_path / "roster.csv"
    roster.write_text("".join(",".join(r) + "\n" for r in lines), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    shutil.copyfile(sample["db"], db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        with open_workspace(db, SAMPLE_CONFIG) as ws:
            account = ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
            assert account.quarantined == 1
            written = write_digests(ws, None, "2026-W48", tmp_path / "digests")
    manifest = json.loads((tmp_path / "digests" / "digests.json").read_text(encoding="utf-8"))
    assert [(d["key"], d["kind"]) for d in manifest["digests"]] == [
        ("A", "group"), ("FQ", "tutor"), ("HV", "tutor")]  # 101 kept its old row: group A
    assert any(p.name == "tutor-FQ.html" for p in written)
    fq = next(d for d in manifest["digests"] if d["key"] == "FQ")
    assert fq["red"] + fq["amber"] + fq["green"] == 10  # groups C and D


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_starttls_with_a_trusted_certificate_and_a_login_delivers(sample, tmp_path, monkeypatch):
    cert = tmp_path / "server.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(cert.with_suffix(".key")), "-out", str(cert)],
                   check=True, capture_output=True)
    inbox = Inbox()
    controller, port = start(inbox, Login("m2if", "tls-pass"), tls_cert=cert)
    try:
        monkeypatch.setenv("M2IF_SMTP_PASSWORD", "tls-pass")
        lines = send_digests(_cfg(port, security="starttls", user="m2if", ca_file=str(cert)),
                             sample["plain"])
    finally:
        controller.stop()
    assert len(lines) == len(inbox.messages) == 4
