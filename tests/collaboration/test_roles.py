"""The director of studies and the professional tutor as roster roles: the director is staff
in the collaboration metrics, the professional tutor (outside the university) never counts
there, not even as a teacher."""

from __future__ import annotations

from pathlib import Path

from m2if_analytics.collaboration.data import members
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.warehouse.workspace import Workspace


def test_roles_are_read_in_french_and_english_and_the_tutor_stays_out(ws: Workspace,
                                                                      tmp_path: Path):
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,full_name,role,group\n"
                      "101,Ana Blanc,étudiante,A\n102,Bruno Petit,student,A\n"
                      "201,Carla Noir,enseignante,\n"
                      "202,Denis Gris,Directeur d'études,\n"
                      "203,Emma Roux,Tutrice professionnelle,A\n"
                      "204,Félix Vert,maître de stage,\n"
                      "205,Gaëlle Brun,director of studies,\n", encoding="utf-8")
    account = ingest_roster_file(ws.con, roster, ws.cfg, ws.pseudo)
    assert account.loaded == 7
    roles = dict(ws.con.execute("SELECT role, count(*) FROM roster GROUP BY role").fetchall())
    assert roles == {"student": 2, "teacher": 1, "director": 2, "professional_tutor": 2}
    everyone = members(ws, include_teachers=True)
    assert sorted(everyone["role"].to_list()) == ["other", "other", "student", "student",
                                                  "teacher"]
    assert members(ws, include_teachers=False)["role"].to_list() == ["student", "student"]
