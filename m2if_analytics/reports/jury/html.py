"""The jury table as one offline HTML page (no script, no remote resource), printable."""

from __future__ import annotations

from html import escape

from m2if_analytics.i18n import day, number, t
from m2if_analytics.reports.jury.data import Column, JuryTable

PAGE_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; } p.meta { color: #59636e; margin: 0 0 1rem; }
table { border-collapse: collapse; font-size: .82rem; }
th, td { border: 1px solid #d1d9e0; padding: .25rem .4rem; text-align: left;
         vertical-align: top; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
th.group { text-align: center; background: #eaeef2; }
td.mark, td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.below { color: #cf222e; font-weight: 600; }
td.empty { min-width: 7rem; background: #fffbe6; }
@media print { body { margin: 0; } thead th { position: static; } }
"""


def _cell(value: object, column: Column, lang: str, pass_mark: float) -> str:
    classes = [column.kind]
    if value is None or value == "":
        text = "" if column.kind in ("empty", "text") else "–"
    elif column.kind == "mark" and isinstance(value, float):
        text = number(value, lang, 2)
        if value < pass_mark - 1e-9:
            classes.append("below")
    elif isinstance(value, float):
        text = number(value, lang, 1 if value != int(value) else 0)
    else:
        text = str(value)
    return f'<td class="{" ".join(classes)}">{escape(text)}</td>'


def page(table: JuryTable, lang: str = "fr", pass_mark: float = 10.0) -> str:
    """The whole page."""
    groups: list[tuple[str, int]] = []
    for column in table.columns:
        if groups and groups[-1][0] == column.group:
            groups[-1] = (column.group, groups[-1][1] + 1)
        else:
            groups.append((column.group, 1))
    top = "".join(f'<th class="group" colspan="{n}">{escape(t(f"jury_group_{g}", lang))}</th>'
                  for g, n in groups)
    heads = "".join(f"<th>{escape(c.header)}</th>" for c in table.columns)
    body = "\n".join("<tr>" + "".join(_cell(row.get(c.key), c, lang, pass_mark)
                                      for c in table.columns) + "</tr>"
                     for row in table.rows)
    title = t("jury_title", lang, cohort=table.cohort)
    meta = t("jury_meta", lang, day=day(table.as_of, lang), students=len(table.rows))
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{PAGE_CSS}</style></head><body>"
            f"<h1>{escape(title)}</h1><p class=\"meta\">{escape(meta)}</p>"
            f"<table><thead><tr>{top}</tr><tr>{heads}</tr></thead>"
            f"<tbody>\n{body}\n</tbody></table></body></html>\n")
