"""The one way the service writes CSV and XLSX files: text that a spreadsheet would run as a formula is written
as text (docs/decisions/0116-formula-safe-spreadsheets.md).

A cell whose text begins with = + - @, a tab or a carriage return is a formula to Excel, LibreOffice and Google
Sheets when the file is opened (`=HYPERLINK("https://evil.example", "Click")` in a page title, for example).
Such text gets a leading apostrophe, which spreadsheets show as text and do not run. Numbers stay numbers,
negative ones included: only strings are touched.

Every export goes through here: `FormulaSafeCsvWriter` and `xlsx_row` for the apps' own reports, and
`install_formula_safe_wagtail_exports` for Wagtail's report and listing exports (site history, page types, aging
pages, form submissions…), installed once by cms/core/wagtail_hooks.py. It lives in `frameworks`, the bottom
layer, so that every app can import it. The official DDaT CSV download (frameworks.exporters.ddat_csv) is the
one exception: it reproduces the published file byte for byte, and its cells are the framework's own text.
"""

import csv
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """`value` as a spreadsheet cell that cannot run: text starting like a formula gets a leading apostrophe;
    anything that is not text (numbers, dates, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def formula_safe_row(values: Iterable[Any]) -> list[Any]:
    return [formula_safe(value) for value in values]


class FormulaSafeCsvWriter:
    """`csv.writer` over `file` whose rows are made formula-safe; the same keyword arguments as csv.writer."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, values: Iterable[Any]):
        return self._writer.writerow(formula_safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def xlsx_workbook() -> Workbook:
    """A write-only workbook (rows streamed to disk, memory bounded), to be filled only through `xlsx_row`."""
    return Workbook(write_only=True)


def xlsx_row(worksheet, values: Iterable[Any]) -> list:
    """Cells for `worksheet.append` (a write-only openpyxl worksheet) holding `values`, formula-safe: text is
    always stored as text, never as a formula, and numbers as numbers."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(worksheet, formula_safe(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def install_formula_safe_wagtail_exports() -> None:
    """Make every Wagtail spreadsheet export formula-safe, headings included.

    Wagtail's SpreadsheetExportMixin (under every ReportView and every listing with `list_export`) passes each
    value through `preprocess_field_value` and each heading through `get_heading` before writing CSV or XLSX;
    its XLSX writer already stores text starting with "=" as text, its CSV writer does nothing. Wrapping those
    two methods on the mixin itself covers every such view, Wagtail's own included, in one place. Idempotent.
    """
    if getattr(SpreadsheetExportMixin, "formula_safe", False):
        return
    preprocess_field_value = SpreadsheetExportMixin.preprocess_field_value
    get_heading = SpreadsheetExportMixin.get_heading

    def formula_safe_value(self, field, value, export_format):
        return formula_safe(preprocess_field_value(self, field, value, export_format))

    def formula_safe_heading(self, queryset, field):
        return formula_safe(get_heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = formula_safe_value
    SpreadsheetExportMixin.get_heading = formula_safe_heading
    SpreadsheetExportMixin.formula_safe = True
