"""One student's own page as offline HTML: no script, no remote resource, bars drawn with
CSS, every word addressed to the student (``me_*`` messages)."""

from __future__ import annotations

from html import escape

import polars as pl

from m2if_analytics.i18n import day, hours, number, t, week_label
from m2if_analytics.reports import kit
from m2if_analytics.reports.me.data import MeData
from m2if_analytics.reports.student.html import coverage as coverage_table

PAGE_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 52rem;
       color: #1f2328; line-height: 1.4; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
p.intro { color: #59636e; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { border-bottom: 1px solid #d1d9e0; padding: .2rem .5rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { position: relative; height: .9rem; width: 22rem; background: #f6f8fa; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; background: #2166ac; }
.bar span.below { background: #ef8a62; }
.bar i { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #b2182b; }
tr.holiday td { color: #8c959f; }
"""


def _weeks(data: MeData, lang: str) -> str:
    scale = max([2 * data.target, *data.weeks["hours"].to_list()]) or 1.0
    mark = 100 * data.target / scale
    rows = []
    for r in data.weeks.iter_rows(named=True):
        width = 100 * r["hours"] / scale
        below = "below" if r["below_target"] else ""
        label = week_label(r["iso_week"], lang) + (f" ({t('me_holiday', lang)})"
                                                   if r["holiday"] else "")
        rows.append(f'<tr class="{"holiday" if r["holiday"] else ""}" data-week="'
                    f'{escape(r["iso_week"])}" data-hours="{r["hours"]!r}">'
                    f"<td>{escape(label)}</td><td class=\"num\">"
                    f"{escape(hours(r['hours'], lang))}</td>"
                    f'<td><div class="bar"><span class="{below}" style="width:{width:.1f}%">'
                    f'</span><i style="left:{mark:.1f}%"></i></div></td></tr>')
    head = (f"<tr><th>{escape(t('me_col_week', lang))}</th>"
            f"<th>{escape(t('me_col_hours', lang))}</th><th></th></tr>")
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _deadlines(frame: pl.DataFrame, lang: str) -> str:
    if frame.is_empty():
        return kit.paragraph(t("me_no_deadlines", lang))
    rows = [[r["ue"] or "", r["assignment"], day(r["due"], lang),
             t(f"student_status_{r['status']}", lang,
               hours=hours(r["late_hours"], lang))] for r in frame.iter_rows(named=True)]
    heads = [t(k, lang) for k in ("me_col_ue", "me_col_assignment", "me_col_due",
                                  "me_col_status")]
    return kit.table(heads, rows)


def page(data: MeData, lang: str = "fr") -> str:
    """The whole page."""
    s = data.scope
    body = [f"<h1>{escape(t('me_title', lang, week=week_label(s.iso_week, lang)))}</h1>",
            f'<p class="intro">{escape(t("me_intro", lang, day=day(s.as_of, lang), who=s.student))}'
            "</p>",
            f"<h2>{escape(t('me_section_weeks', lang, hours=hours(data.target, lang, 0)))}</h2>",
            _weeks(data, lang),
            f"<h2>{escape(t('me_section_pace', lang, hours=hours(data.total_hours, lang, 0)))}"
            "</h2>",
            kit.paragraph(t("me_pace", lang, done=hours(data.cumulative_hours, lang, 0),
                            total=hours(data.total_hours, lang, 0),
                            pace=hours(data.pace_hours, lang, 0))),
            f"<h2>{escape(t('me_section_deadlines', lang))}</h2>",
            _deadlines(data.deadlines, lang),
            f"<h2>{escape(t('me_section_internship', lang))}</h2>",
            kit.paragraph(t("me_internship", lang, days=number(data.internship_days, lang),
                            expected=number(data.internship_expected, lang))
                          if data.internship_days is not None
                          else t("me_no_internship", lang)),
            f"<h2>{escape(t('me_section_coverage', lang))}</h2>",
            coverage_table(data.coverage, lang)]
    if data.level is not None:
        body += [f"<h2>{escape(t('me_section_level', lang))}</h2>",
                 f"<p>{kit.badge(data.level, lang)} {escape(data.reasons or '')}</p>"]
    title = escape(t("me_title", lang, week=week_label(s.iso_week, lang)))
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{PAGE_CSS}</style>{kit.STYLE}</head>"
            f"<body>{''.join(body)}</body></html>")
