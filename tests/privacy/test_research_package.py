"""The research export as a data package: every column described, types that parse, staff
never individual, readable in pandas and R, inputs cited by sha256, citable, and the
linking risk measured."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
import yaml

from m2if_analytics import engagement
from m2if_analytics.privacy.research import STAFF, TABLES, ExportSummary, export_research
from m2if_analytics.privacy.research.coarsen import BANDS
from m2if_analytics.privacy.research.linkage import linkage_rates
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import REPO, SAMPLE_CONFIG, SAMPLES

PANDAS_TYPES = {"integer": "Int64", "number": "float64", "string": "string",
                "boolean": "boolean", "date": "string"}


@pytest.fixture(scope="module")
def sample(full_sample_warehouse: Path) -> Iterator[Workspace]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
        copy = full_sample_warehouse.parent / "research-copy.duckdb"
        shutil.copyfile(full_sample_warehouse, copy)
        with open_workspace(copy, SAMPLE_CONFIG) as ws:
            yield ws


@pytest.fixture(scope="module")
def exports(sample: Workspace, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[bool, ExportSummary]:
    return {c: export_research(sample, tmp_path_factory.mktemp(f"c{int(c)}"), coarsen=c)
            for c in (False, True)}


def package(summary: ExportSummary) -> dict:
    return json.loads((summary.out_dir / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("coarse", [False, True])
def test_every_column_of_every_table_is_described_in_the_package_and_the_codebook(
        exports: dict[bool, ExportSummary], coarse: bool):
    summary = exports[coarse]
    resources = {r["name"]: r for r in package(summary)["resources"]}
    codebook = (summary.out_dir / "CODEBOOK.md").read_text(encoding="utf-8")
    assert set(resources) == set(TABLES)
    for name in TABLES:
        header = (summary.out_dir / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        columns = header.split(",")
        described = [f["name"] for f in resources[name]["schema"]["fields"]]
        assert described == columns, name  # both ways, in file order
        assert all(f["description"] for f in resources[name]["schema"]["fields"])
        section = codebook.split(f"## `{name}.csv`", 1)[1].split("\n## ", 1)[0]
        assert [line.split("`")[1] for line in section.splitlines()
                if line.startswith("| `")] == columns, name


@pytest.mark.parametrize("coarse", [False, True])
def test_the_declared_types_parse_every_value_of_the_csv_files(
        exports: dict[bool, ExportSummary], coarse: bool):
    summary = exports[coarse]
    for resource in package(summary)["resources"]:
        fields = resource["schema"]["fields"]
        frame = pd.read_csv(summary.out_dir / resource["path"], keep_default_na=False,
                            dtype=str)
        for f in fields:
            cells = frame[f["name"]][frame[f["name"]] != ""]
            kind = f["type"]
            if kind == "integer":
                assert cells.map(lambda v: v.lstrip("-").isdigit()).all(), f["name"]
            elif kind == "number":
                pd.to_numeric(cells, errors="raise")
            elif kind == "boolean":
                assert set(cells) <= {"true", "false"}, f["name"]
            elif kind == "date":
                pd.to_datetime(cells, format="%Y-%m-%d", errors="raise")
            enum = f.get("constraints", {}).get("enum")
            if enum:
                assert set(cells) <= set(enum), f["name"]
            if "minimum" in f.get("constraints", {}) and kind in ("integer", "number"):
                assert (pd.to_numeric(cells) >= f["constraints"]["minimum"]).all(), f["name"]
        if coarse and resource["name"] == "weekly_engagement":
            assert set(frame["events"]) <= set(BANDS)
            assert (pd.to_numeric(frame["hours"]) * 2 % 1 == 0).all()  # half hours


def test_no_staff_member_is_an_individual_row(exports: dict[bool, ExportSummary],
                                              sample: Workspace):
    out = exports[False].out_dir
    students = set(pl.read_csv(out / "weekly_engagement.csv")["student"])
    metrics = pl.read_csv(out / "student_metrics.csv")
    assert set(metrics["student"]) == students and "role" not in metrics.columns
    edges = pl.read_csv(out / "edges.csv")
    ends = set(edges["source"]) | set(edges["target"])
    assert ends - students <= {STAFF}
    assert set(edges["source_role"]) | set(edges["target_role"]) <= {"student", "staff"}
    staff = edges.filter(pl.col("source") == STAFF)
    assert staff.height and staff["source_group"].null_count() == staff.height
    roster = pl.read_csv(SAMPLES / "roster.csv")
    assert (roster["role"] != "student").sum() >= 2  # the sample has staff to hide


def test_the_export_reads_the_same_in_pandas_and_in_r(exports: dict[bool, ExportSummary]):
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed (Debian: apt-get install r-base-core)")
    for coarse, summary in exports.items():
        for name in TABLES:
            path = summary.out_dir / f"{name}.csv"
            frame = pd.read_csv(path)
            done = subprocess.run(
                [rscript, "-e", f'd <- read.csv("{path}"); cat(nrow(d), ncol(d))'],
                capture_output=True, text=True, check=True, timeout=60)
            assert done.stdout.split() == [str(frame.shape[0]), str(frame.shape[1])], (
                coarse, name)


def test_provenance_cites_each_input_by_its_sha256_and_the_time_on_task_settings(
        exports: dict[bool, ExportSummary], sample: Workspace):
    record = package(exports[False])["provenance"]
    by_name = {}
    for item in record["inputs"]:
        by_name.setdefault(item["name"], set()).add(item["sha256"])
    logstore = SAMPLES / "logstore_standard_log.csv"
    assert hashlib.sha256(logstore.read_bytes()).hexdigest() in by_name[logstore.name]
    roster = SAMPLES / "roster.csv"
    assert hashlib.sha256(roster.read_bytes()).hexdigest() in by_name[roster.name]
    assert record["time_on_task"] == {"timezone": "Europe/Paris",
                                      "inactivity_timeout_minutes": 30.0,
                                      "last_event_seconds": 60.0, "weekly_target_hours": 15.0}
    assert record["period"]["first_week"] == "2026-W41"
    assert record["software"]["name"] == "m2if-analytics"
    assert record["rows_quarantined"] == sum(i["quarantined"] for i in record["inputs"])


def test_citation_files_are_valid_cff_and_the_repository_one_has_the_package_version(
        exports: dict[bool, ExportSummary]):
    required = {"cff-version", "message", "title", "authors"}
    data = yaml.safe_load((exports[True].out_dir / "CITATION.cff").read_text(encoding="utf-8"))
    assert required <= set(data) and data["type"] == "dataset"
    repo = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert required <= set(repo) and repo["version"] == project["version"]
    terms = (exports[True].out_dir / "TERMS.md").read_text(encoding="utf-8")
    assert "re-identify" in terms and "delete" in terms


def test_coarsening_lowers_the_share_of_ids_linkable_by_their_events(
        exports: dict[bool, ExportSummary], sample: Workspace):
    report = engagement.weekly(sample)
    exact = linkage_rates(report, pl.read_csv(exports[False].out_dir / "weekly_engagement.csv"),
                          coarsened=False)
    coarse = linkage_rates(report, pl.read_csv(exports[True].out_dir / "weekly_engagement.csv",
                                               schema_overrides={"events": pl.String}),
                           coarsened=True)
    assert exact == {"weekly_hours": 1.0, "events": 1.0}  # every id: the README says so
    assert coarse["events"] < exact["events"]
    assert coarse["weekly_hours"] <= exact["weekly_hours"]


def test_a_dropped_table_is_neither_written_nor_described(sample: Workspace, tmp_path: Path):
    summary = export_research(sample, tmp_path / "x", drop=("edges", "weekly_engagement"))
    names = {r["name"] for r in package(summary)["resources"]}
    assert names == set(TABLES) - {"edges", "weekly_engagement"}
    assert not (tmp_path / "x" / "edges.csv").exists()
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == sorted(
        p.name for p in summary.files())
