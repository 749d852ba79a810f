"""HR's capability report tables (`ReportTable`s), written in Python in the markup every report page shows.

A dashboard shows seven tables; through a template include, each cell was several template nodes, and the tables
cost more than the rest of the page's own work (docs/decisions/0213, addendum). The markup is what the include
wrote, character for character; every text is escaped by conditional_escape's rule (a safe string as it is).
"""

import html

from django import template
from django.utils.safestring import mark_safe

from skills.selectors.report_tables import ReportTable

register = template.Library()


def _text(value) -> str:
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _row(row) -> str:
    cells = []
    for index, cell in enumerate(row):
        text = _text(cell.text)
        if index == 0:
            label = f'<a href="{_text(cell.url)}">{text}</a>' if cell.url else text
            cells.append(f'<th scope="row">{label}</th>')
        elif cell.suppressed:
            cells.append(f'<td class="capability-suppressed" data-suppressed>{text}</td>')
        else:
            cells.append(f"<td>{text}</td>")
    return f"\n    <tr>{''.join(cells)}</tr>\n  "


@register.simple_tag
def capability_table(table: ReportTable) -> str:
    """One ReportTable, as every export shows it: a caption, column headings, a heading cell opening each row
    (with its drill-down link), suppressed cells marked, and the notes below."""
    title = _text(table.title)
    columns = "".join(f'<th scope="col">{_text(column)}</th>' for column in table.columns)
    rows = "".join(_row(row) for row in table.rows) or (
        f'\n    <tr><td colspan="{len(table.columns)}">Nothing to show.</td></tr>\n  '
    )
    notes = "".join(f'<p class="help-block help-info">{_text(note)}</p>' for note in table.notes)
    markup = (
        f'\n<div class="w-overflow-x-auto capability-table-wrapper" tabindex="0" role="region" aria-label="{title}">\n'
        f'<table class="listing capability-table" data-report="{_text(table.name)}">\n'
        f'  <caption class="capability-caption">{title}</caption>\n'
        f"  <thead><tr>{columns}</tr></thead>\n"
        f"  <tbody>\n  {rows}\n  </tbody>\n"
        "</table>\n"
        "</div>\n"
        f"{notes}\n"
    )
    return mark_safe(markup)  # noqa: S308 (every text escaped above)
