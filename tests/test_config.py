"""Configuration: defaults, TOML keys, validation messages, calendar weeks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from m2if_analytics.calendar import is_holiday_week, iso_week_label, parse_week, programme_weeks
from m2if_analytics.config import Config, config_from_dict, load_config
from m2if_analytics.errors import ConfigError
from m2if_analytics.paths import resolve_paths


def test_packaged_defaults_are_the_m2if_programme():
    cfg = load_config(None)
    assert cfg.programme.weekly_target_hours == 15
    assert cfg.programme.total_hours == 1500
    assert cfg.programme.internship_min_days == 100
    assert cfg.programme.pass_mark == 10
    assert cfg.time_on_task.inactivity_timeout_minutes == 30
    assert cfg.time_on_task.last_event_seconds == 60
    assert cfg.cohort().id == "2026-2027"


def test_example_config_in_repository_equals_the_defaults():
    example = Path(__file__).resolve().parent.parent / "m2if.example.toml"
    loaded = load_config(example)
    assert loaded.programme == Config().programme
    assert loaded.time_on_task == Config().time_on_task
    assert loaded.cohorts == Config().cohorts


def test_unknown_key_is_named_in_the_error():
    with pytest.raises(ConfigError, match="weekly_target_hour"):
        config_from_dict({"programme": {"weekly_target_hour": 12}})


def test_wrong_type_is_refused():
    with pytest.raises(ConfigError, match="should be a float"):
        config_from_dict({"programme": {"weekly_target_hours": "fifteen"}})


def test_unknown_timezone_is_refused():
    with pytest.raises(ConfigError, match="timezone"):
        config_from_dict({"programme": {"timezone": "Europe/Pariss"}})


def test_cohort_end_before_start_is_refused():
    with pytest.raises(ConfigError, match="before start"):
        config_from_dict({"cohorts": [{"id": "x", "start": dt.date(2026, 10, 5),
                                       "end": dt.date(2026, 9, 1)}]})


def test_environment_overrides_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text("", encoding="utf-8")
    monkeypatch.setenv("M2IF_DB", str(tmp_path / "x.duckdb"))
    monkeypatch.setenv("M2IF_CONFIG", str(cfg_file))
    paths = resolve_paths()
    assert paths.db == tmp_path / "x.duckdb"
    assert paths.key_file.parent != paths.db.parent  # never beside the warehouse
    assert paths.config == cfg_file
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    assert resolve_paths().key_file == tmp_path / "home-config" / "m2if" / "pseudonym.key"
    assert resolve_paths(db=tmp_path / "y.duckdb").db == tmp_path / "y.duckdb"


def test_missing_config_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        resolve_paths(config=tmp_path / "nope.toml")


def test_holiday_week_needs_every_weekday_in_a_holiday_range():
    holidays = ((dt.date(2026, 12, 19), dt.date(2027, 1, 3)),)
    assert is_holiday_week(dt.date(2026, 12, 21), holidays)
    assert is_holiday_week(dt.date(2026, 12, 28), holidays)
    assert not is_holiday_week(dt.date(2026, 12, 14), holidays)  # only the weekend is off
    assert not is_holiday_week(dt.date(2027, 1, 4), holidays)
    split = ((dt.date(2027, 1, 4), dt.date(2027, 1, 5)), (dt.date(2027, 1, 6), dt.date(2027, 1, 8)))
    assert is_holiday_week(dt.date(2027, 1, 4), split)


def test_programme_weeks_cover_the_cohort_with_iso_week_53():
    weeks = programme_weeks(Config().cohort(), 15)
    assert weeks[0].week_start == dt.date(2026, 10, 5)
    assert weeks[-1].week_start == dt.date(2027, 6, 28)
    assert len(weeks) == 39
    w53 = next(w for w in weeks if w.week_start == dt.date(2026, 12, 28))
    assert (w53.iso_week, w53.holiday, w53.target_hours) == ("2026-W53", True, 0.0)
    assert sum(w.holiday for w in weeks) == 4


def test_parse_week_accepts_iso_weeks_and_dates():
    assert parse_week("2026-W53") == dt.date(2026, 12, 28)
    assert parse_week("2027-01-03") == dt.date(2026, 12, 28)
    assert iso_week_label(dt.date(2027, 1, 3)) == "2026-W53"
    with pytest.raises(ValueError):
        parse_week("soon")


def test_default_units_risk_thresholds_and_honours_are_the_m2if_programme():
    cfg = load_config(None)
    assert [u.code for u in cfg.units] == [f"UE{i}" for i in range(1, 9)]
    assert sum(u.coefficient for u in cfg.units if u.semester == "3") == 30
    assert sum(u.coefficient for u in cfg.units if u.semester == "4") == 30
    assert cfg.unit("ue7").title == "Stage"
    risk = cfg.risk
    assert (risk.below_target_weeks, risk.inactivity_days, risk.late_submissions,
            risk.missing_submissions, risk.collective_silent_weeks,
            risk.internship_pace_ratio) == (2, 10, 2, 1, 3, 0.8)
    assert (cfg.honours.passable, cfg.honours.assez_bien, cfg.honours.bien,
            cfg.honours.tres_bien) == (10, 12, 14, 16)
    assert cfg.mission_letter_deadline() == dt.date(2026, 12, 18)


def test_example_config_lists_the_default_units_risk_and_honours():
    example = Path(__file__).resolve().parent.parent / "m2if.example.toml"
    loaded = load_config(example)
    assert loaded.units == Config().units
    assert loaded.risk == Config().risk
    assert loaded.honours == Config().honours


def test_units_replace_the_default_list_and_are_validated():
    cfg = config_from_dict({"units": [{"code": "A", "title": "Projet", "semester": 3},
                                      {"code": "B", "title": "Stage", "semester": 4,
                                       "coefficient": 2.5}]})
    assert [(u.code, u.semester, u.coefficient) for u in cfg.units] == [("A", "3", 1.0),
                                                                       ("B", "4", 2.5)]
    any_label = config_from_dict({"units": [
        {"code": "A", "title": "x", "semester": 1, "weight": 3,
         "competences": ["C1", "C3"],
         "assessments": [{"name": "Dossier", "weight": 0.5}, {"name": "Oral", "weight": 0.5}]},
        {"code": "B", "title": "y", "semester": "Semestre 2"},
        {"code": "C", "title": "z", "semester": 1}]})
    assert any_label.semesters == ["1", "Semestre 2"]
    a = any_label.unit("A")
    assert (a.coefficient, a.competences, [x.name for x in a.assessments]) == (
        3.0, ("C1", "C3"), ["Dossier", "Oral"])
    assert (a.semester_label, any_label.unit("B").semester_label) == ("S1", "Semestre 2")
    bad = [({"code": "A", "title": "x", "semester": ""}, "semester = ''"),
           ({"code": "A", "title": "x", "semester": True}, "semester = True"),
           ({"code": "A", "title": "x", "semester": 3, "coefficient": 2, "weight": 2},
            "not both"),
           ({"code": "A", "title": "x", "semester": 3, "competences": "C1"}, "competences"),
           ({"code": "A", "title": "x", "semester": 3,
             "assessments": [{"name": "D", "weight": 0}]}, "positive weight"),
           ({"code": "A", "title": "x", "semester": 3,
             "assessments": [{"name": "D", "weight": 1}, {"name": "d", "weight": 1}]},
            "same name"),
           ({"code": "A", "title": "x", "semester": 3, "coefficient": -1}, "coefficient"),
           ({"code": "A", "title": "x", "semester": 3, "ects": 6}, "ects"),
           ({"code": "A", "semester": 3}, "needs code, title and semester")]
    for unit, message in bad:
        with pytest.raises(ConfigError, match=message):
            config_from_dict({"units": [unit]})
    with pytest.raises(ConfigError, match="duplicate unit codes"):
        config_from_dict({"units": [{"code": "A", "title": "x", "semester": 3},
                                    {"code": "a", "title": "y", "semester": 4}]})
    with pytest.raises(ConfigError, match="unknown teaching unit 'Z'"):
        cfg.unit("Z")


def test_risk_thresholds_and_honours_are_validated():
    with pytest.raises(ConfigError, match="late_submission"):
        config_from_dict({"risk": {"late_submission": 3}})
    with pytest.raises(ConfigError, match="internship_pace_ratio"):
        config_from_dict({"risk": {"internship_pace_ratio": 1.5}})
    with pytest.raises(ConfigError, match="should be a int"):
        config_from_dict({"risk": {"inactivity_days": 2.5}})
    with pytest.raises(ConfigError, match="month-day"):
        config_from_dict({"risk": {"mission_letter_deadline": "13-40"}})
    with pytest.raises(ConfigError, match="bands should increase"):
        config_from_dict({"honours": {"assez_bien": 14, "bien": 14}})
    assert config_from_dict({"risk": {"internship_pace_ratio": 1}}).risk.internship_pace_ratio \
        == 1.0


def test_mission_letter_deadline_per_cohort_else_the_month_day_after_the_start():
    cfg = config_from_dict({
        "risk": {"mission_letter_deadline": "01-15"},
        "cohorts": [{"id": "a", "start": "2026-10-05", "end": "2027-07-02",
                     "mission_letter_deadline": "2026-11-30"},
                    {"id": "b", "start": "2027-10-04", "end": "2028-06-30"}]})
    assert cfg.mission_letter_deadline("a") == dt.date(2026, 11, 30)
    assert cfg.mission_letter_deadline("b") == dt.date(2028, 1, 15)
    with pytest.raises(ConfigError, match="not a date"):
        config_from_dict({"cohorts": [{"id": "a", "start": "2026-10-05", "end": "2027-07-02",
                                       "mission_letter_deadline": "soon"}]})


def test_a_migration_that_lands_late_is_still_applied(tmp_path: Path, monkeypatch):
    import duckdb

    from m2if_analytics.warehouse import migrations
    from m2if_analytics.warehouse import sql as sqlfiles

    files = sqlfiles.migration_files()
    assert len(files) >= 3
    late = files[2][0]  # 003 (OULAD tables): no later migration alters them
    without_second = [f for f in files if f[0] != late]  # it "lands" later
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    monkeypatch.setattr(sqlfiles, "migration_files", lambda folder=None: without_second)
    assert migrations.migrate(con) == max(v for v, _ in without_second)
    assert late not in migrations.applied_migrations(con)
    monkeypatch.setattr(sqlfiles, "migration_files", lambda folder=None: files)
    migrations.migrate(con)
    assert migrations.applied_migrations(con) == {v for v, _ in files}
    assert migrations.migrate(con) == max(v for v, _ in files)  # nothing left to apply


def test_an_upgrade_that_fails_applies_none_of_its_migrations(tmp_path: Path, monkeypatch):
    import dataclasses

    import duckdb

    from m2if_analytics.warehouse import migrations
    from m2if_analytics.warehouse import sql as sqlfiles

    def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
        return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}

    files = sqlfiles.migration_files()
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    monkeypatch.setattr(sqlfiles, "migration_files", lambda folder=None: files[:5])
    assert migrations.migrate(con) == files[4][0]
    before = tables(con)
    broken = dataclasses.replace(files[6][1], statements=("SELECT * FROM no_such_table",))
    monkeypatch.setattr(sqlfiles, "migration_files",
                        lambda folder=None: [*files[:6], (files[6][0], broken)])
    with pytest.raises(duckdb.CatalogException):
        migrations.migrate(con)  # the sixth is fine, the seventh fails: neither is applied
    assert migrations.applied_migrations(con) == {v for v, _ in files[:5]}
    assert tables(con) == before
    monkeypatch.setattr(sqlfiles, "migration_files", lambda folder=None: files)
    assert migrations.migrate(con) == files[-1][0]  # the real ones then apply
    assert tables(con) > before


def test_closing_a_workspace_removes_its_empty_default_spill_folder_only(tmp_path: Path):
    from m2if_analytics.warehouse.workspace import open_workspace

    db = tmp_path / "w.duckdb"
    ws = open_workspace(db, None)
    spill = tmp_path / "w.duckdb.tmp"
    spill.mkdir(exist_ok=True)
    ws.close()
    assert not spill.exists() and db.is_file()
    ws = open_workspace(db, None)
    spill.mkdir(exist_ok=True)
    (spill / "kept.parquet").write_bytes(b"x")  # something still in it: left alone
    ws.close()
    assert (spill / "kept.parquet").is_file()
