"""The reports' shared kit: written once, escaped, the same in every report."""

from __future__ import annotations

import ast
import datetime as dt

import plotly.graph_objects as go

from m2if_analytics import i18n
from m2if_analytics.reports import kit
from tests.conftest import REPO

SHARED_NAMES = {"section", "day", "_card", "card", "_layout", "layout", "_pair", "hover_pair",
                "when", "STYLE", "LEVEL_COLOURS", "STATUS_COLOURS", "_table", "table"}


def test_dates_are_written_the_french_or_english_way_in_one_place():
    assert i18n.day(dt.date(2026, 10, 5), "fr") == "05/10/2026"
    assert i18n.day(dt.date(2026, 10, 5), "en") == "2026-10-05"
    assert i18n.day(dt.datetime(2026, 10, 5, 23, 59), "fr") == "05/10/2026"
    assert i18n.moment(dt.datetime(2027, 1, 17, 14, 59), "fr") == "17/01/2027 14:59"
    assert i18n.moment(dt.datetime(2027, 1, 17, 14, 59), "en") == "2027-01-17 14:59"
    assert i18n.moment(None, "en") == i18n.day(None, "fr") == "–"
    assert kit.date_axis("fr")["tickformat"] == "%d/%m/%Y"


def test_section_card_table_and_title_escape_what_they_show():
    html = kit.section("overview_section_pace", "en", note="overview_note_pace",
                       hours="<b>1,500 h</b>")
    assert html.startswith("<h2>") and "&lt;b&gt;1,500 h&lt;/b&gt;" in html
    assert '<p class="m2if-note">' in html
    card = kit.card("k", "<label>", 3, "<3>")
    assert 'data-value="3.0"' in card and "&lt;label&gt;" in card and "&lt;3&gt;" in card
    assert 'data-value=""' in kit.card("k", "l", None, "–")
    table = kit.table(["a<b"], [["<x>", "1"]], numeric=(1,))
    assert "a&lt;b" in table and "&lt;x&gt;" in table and '<td class="num">1</td>' in table
    assert "<i>ok</i>" in kit.table(["h"], [["<i>ok</i>"]], html_cells=True)
    assert kit.title("T<1>", "n").startswith(kit.STYLE) and "T&lt;1&gt;" in kit.title("T<1>")


def test_layout_writes_numbers_the_language_way_and_hover_pairs_use_the_french_colon():
    assert kit.layout(go.Figure(), "fr").layout.separators == ",\u202f"
    assert kit.layout(go.Figure(), "en", title="x").layout.separators == ".,"
    assert kit.hover_pair("Heures", "3", "fr") == "Heures\u00a0: 3"
    assert kit.hover_pair("Hours", "3", "en") == "Hours: 3"
    assert kit.messages("student_")("title", "en", student="p1", cohort="c", week="w") == \
        i18n.t("student_title", "en", student="p1", cohort="c", week="w")


def test_group_colours_give_named_groups_the_palette_in_order_and_the_rest_grey():
    colours = kit.group_colours(["B", None, "A", "all", "B"], unnamed=(None, "all"))
    assert colours == {"A": kit.GROUP_COLOURS[0], "B": kit.GROUP_COLOURS[1],
                       None: kit.NO_GROUP_COLOUR, "all": kit.NO_GROUP_COLOUR}


def test_no_report_module_rewrites_a_shared_helper_or_the_date_format():
    redefined, literal = [], []
    for path in sorted((REPO / "m2if_analytics").rglob("*.py")):
        if path.name == "kit.py" or path.parent.name == "i18n":
            continue
        text = path.read_text(encoding="utf-8")
        if "%d/%m/%Y" in text:
            literal.append(path.name)
        if "reports" not in path.parts:
            continue
        for node in ast.parse(text).body:
            names = ([node.name] if isinstance(node, ast.FunctionDef | ast.ClassDef)
                     else [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)])
            redefined += [f"{path.relative_to(REPO)}:{n}" for n in names if n in SHARED_NAMES]
    assert literal == [] and redefined == []
