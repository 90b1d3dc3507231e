"""The jury table as an XLSX workbook (openpyxl): one sheet, marks as numbers, text cells
that a spreadsheet would read as a formula neutralised (a leading quote), the decision
columns empty and highlighted."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from m2if_analytics.i18n import t
from m2if_analytics.outputs import neutral_cell
from m2if_analytics.reports.jury.data import JuryTable

DECISION_FILL = PatternFill("solid", fgColor="FFFBE6")
HEAD_FILL = PatternFill("solid", fgColor="EAEEF2")


def workbook(table: JuryTable, lang: str = "fr") -> Workbook:
    """The workbook; save it with ``.save(path)``."""
    book = Workbook()
    sheet = book.active
    sheet.title = table.cohort[:31]
    sheet.append([neutral_cell(t(f"jury_group_{c.group}", lang)) for c in table.columns])
    sheet.append([neutral_cell(c.header) for c in table.columns])
    for row in table.rows:
        cells: list[object] = []
        for column in table.columns:
            value = row.get(column.key)
            if isinstance(value, str):
                cells.append(neutral_cell(value) if value else None)
            elif isinstance(value, float):
                cells.append(round(value, 2))
            else:
                cells.append(value)
        sheet.append(cells)
    for n, column in enumerate(table.columns, start=1):
        letter = get_column_letter(n)
        for cell in sheet[letter][:2]:
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.kind == "mark":
            for cell in sheet[letter][2:]:
                cell.number_format = "0.00"
        if column.kind == "empty":
            for cell in sheet[letter][2:]:
                cell.fill = DECISION_FILL
        sheet.column_dimensions[letter].width = 24 if column.kind in ("empty", "text") else 9
    sheet.freeze_panes = "B3"
    return book
