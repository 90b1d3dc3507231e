"""A digest as a self-contained HTML page and as plain text, in French or English."""

from __future__ import annotations

import datetime as dt
from html import escape

from m2if_analytics.alerts.digest import Digest
from m2if_analytics.calendar import iso_week_label
from m2if_analytics.i18n import day, t

LEVEL_COLOURS = {"red": "#cf222e", "amber": "#bf8700", "green": "#1a7f37"}


def _week(d: Digest, lang: str) -> dict[str, str]:
    return {"first": day(d.week_start, lang),
            "last": day(d.week_start + dt.timedelta(days=6), lang),
            "week": iso_week_label(d.week_start)}


def subject(d: Digest, lang: str = "fr") -> str:
    w = _week(d, lang)
    return t("alerts_subject", lang, cohort=d.cohort, first=w["first"], last=w["last"],
             new=len(d.new))


GROUP_WORDS = {"group", "groupe", "gr", "grp"}


def heading(d: Digest, lang: str = "fr") -> str:
    """Whose digest it is; a group already named "Groupe Nord" is not called "Groupe Groupe
    Nord"."""
    words = d.key.split()
    if d.kind == "group" and words and words[0].rstrip(".:").casefold() in GROUP_WORDS:
        return t("alerts_for_named_group", lang, who=d.key, cohort=d.cohort)
    return t(f"alerts_for_{d.kind}", lang, who=d.key, cohort=d.cohort)


def _who(row: dict[str, object], names: dict[str, str]) -> str:
    student = str(row["student"])
    name = names.get(student)
    return f"{name} ({student})" if name else student


def _detail(row: dict[str, object], lang: str, uncontacted: bool = False) -> str:
    parts = []
    status = str(row["status"])
    if status in ("new", "worse"):
        parts.append(t(f"alerts_status_{status}", lang))
    if uncontacted:
        parts.append(t("alerts_uncontacted_days", lang, since=day(row["since"], lang),  # type: ignore[arg-type]
                       days=row["uncontacted_days"]))
    if row.get("last_contact") is not None:
        parts.append(t("alerts_last_contact", lang, day=day(row["last_contact"], lang)))  # type: ignore[arg-type]
    return " · ".join(parts)


def _sections(d: Digest) -> list[tuple[str, list[dict[str, object]], bool]]:
    return [("alerts_section_new", d.new, False),
            ("alerts_section_uncontacted", d.uncontacted, True),
            ("alerts_section_resolved", d.resolved, False)]


def text(d: Digest, lang: str = "fr", names: dict[str, str] | None = None) -> str:
    """The plain-text part."""
    names = names or {}
    w = _week(d, lang)
    lines = [t("alerts_title", lang, **w), heading(d, lang),
             t("alerts_counts", lang, **d.counts), ""]
    if d.empty:
        lines += [t("alerts_nothing", lang), ""]
    for key, rows, uncontacted in _sections(d):
        if not rows:
            continue
        lines.append(t(key, lang))
        for r in rows:
            level = t(f"risk_level_{r['level']}", lang)
            lines.append(f"- {_who(r, names)} [{level}] {_detail(r, lang, uncontacted)}")
            if key != "alerts_section_resolved":
                lines.append(f"  {r['reasons']}")
        lines.append("")
    lines.append(t("alerts_footer", lang))
    return "\n".join(lines) + "\n"


def html(d: Digest, lang: str = "fr", names: dict[str, str] | None = None) -> str:
    """The HTML part: one self-contained page (inline style, no external resource)."""
    names = names or {}
    w = _week(d, lang)
    title = escape(t("alerts_title", lang, **w))
    body = [f"<h1>{title}</h1>", f"<p><strong>{escape(heading(d, lang))}</strong></p>",
            f'<p class="counts">{escape(t("alerts_counts", lang, **d.counts))}</p>']
    if d.empty:
        body.append(f"<p>{escape(t('alerts_nothing', lang))}</p>")
    for key, rows, uncontacted in _sections(d):
        if not rows:
            continue
        items = []
        for r in rows:
            colour = LEVEL_COLOURS[str(r["level"])]
            level = escape(t(f"risk_level_{r['level']}", lang))
            reasons = ("" if key == "alerts_section_resolved"
                       else f"<br><span class=\"reasons\">{escape(str(r['reasons']))}</span>")
            items.append(f'<li data-student="{escape(str(r["student"]))}">'
                         f'<span style="color:{colour};font-weight:bold">{level}</span> '
                         f"{escape(_who(r, names))} — {escape(_detail(r, lang, uncontacted))}"
                         f"{reasons}</li>")
        body.append(f"<h2>{escape(t(key, lang))}</h2><ul>{''.join(items)}</ul>")
    body.append(f'<p style="color:#555;font-size:90%">{escape(t("alerts_footer", lang))}</p>')
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>body{{font-family:sans-serif;max-width:760px;"
            "margin:1em auto;line-height:1.4}li{margin:.4em 0}.reasons{color:#333}</style>"
            f"</head><body>{''.join(body)}</body></html>\n")
