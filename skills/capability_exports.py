"""Capability reports as files: CSV, XLSX and a printable PDF, each drawn from the `ReportTable`s the page shows.

Every output renders the same tables (docs/decisions/0213), so a suppressed figure is "[c]" in every file and no
file can show what the page hides. Every file says what it is: the report's title, when its figures were taken
(UK time), the filters that produced it and why some cells read "[c]".

Spreadsheets are written through frameworks.spreadsheets (docs/decisions/0116): text that a spreadsheet would run
as a formula is stored as text with a leading apostrophe, and numbers, negative ones included, stay numbers. The
XLSX is written by openpyxl in write-only mode, which keeps each sheet's rows in a temporary file rather than in
memory, so a department's 2,000 units × 300 skills cost no more memory than a team's; the download streams that
file from disk.

The PDF is laid out by WeasyPrint as the certificates are (skills.certificates_pdf): the same font configuration,
and the same URL fetcher that loads nothing but `data:` URIs and the renderer's own files. The template escapes
every text (unit, skill and people's names are typed by others); only the caller's charts, server-drawn SVG, go in
as they are. A table wider than a page (the unit × skill heatmap has a column per skill) is printed as several
tables of `PDF_COLUMNS_PER_TABLE` columns, each repeating the row headings, and every table repeats its heading
row on each page it runs onto.
"""

import functools
import itertools
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.text import slugify
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from weasyprint import CSS, HTML
from weasyprint.urls import path2url

from frameworks.spreadsheets import FormulaSafeCsvWriter, xlsx_row, xlsx_workbook
from skills.certificates_pdf import LocalAssetsOnly, _font_config
from skills.selectors.report_tables import SUPPRESSED, SUPPRESSED_NOTE, Cell, ReportTable

UK_TIME = ZoneInfo("Europe/London")
FILE_PREFIX = "capability"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel reads a CSV as UTF-8 only when it starts with a byte order mark; without one, "Zoë" and "×" are garbled.
CSV_BYTE_ORDER_MARK = "\ufeff"

ABOUT_SHEET = "About this report"
# Excel's limits on a sheet's name: at most 31 characters, none of these, unique ignoring case, and not "History"
# (which Excel keeps for itself).
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = frozenset("[]:*?/\\")
SHEET_NAMES_RESERVED = frozenset({ABOUT_SHEET.casefold(), "history"})
BOLD = Font(bold=True)
# Column widths in the XLSX, in characters: row headings (unit and skill names) wider than the figures.
HEADING_COLUMN_WIDTH = 40
FIGURE_COLUMN_WIDTH = 14

PDF_DIRECTORY = Path(settings.BASE_DIR) / "templates" / "skills" / "capability"
PDF_TEMPLATE = "skills/capability/report_pdf.html"
PDF_STYLESHEET = PDF_DIRECTORY / "report_pdf.css"
# Figure columns per printed table: with the row headings, what fits across A4 landscape at a readable size.
PDF_COLUMNS_PER_TABLE = 12

NUMBER_TYPES = (int, float, Decimal)


def as_of_text(as_of: datetime) -> str:
    """When the figures were taken, in UK time with its zone: "14 March 2026, 09:30 GMT"."""
    return dateformat.format(timezone.localtime(as_of, UK_TIME), "j F Y, H:i T")


def threshold_note() -> str:
    return SUPPRESSED_NOTE.format(threshold=settings.CAPABILITY_SMALL_GROUP_THRESHOLD)


def file_name(*, name: str, as_of: datetime, extension: str) -> str:
    """`capability-<name>-<YYYY-MM-DD>.<ext>`, dated by the figures (UK date), not by the download."""
    day = timezone.localtime(as_of, UK_TIME).date().isoformat()
    return f"{FILE_PREFIX}-{slugify(name) or 'report'}-{day}.{extension}"


def _is_number(value: object) -> bool:
    return isinstance(value, NUMBER_TYPES) and not isinstance(value, bool)


def export_value(cell: Cell) -> object:
    """What a file holds for `cell`: the suppression mark, a number as a number, nothing as nothing, and anything
    else as its text."""
    if cell.suppressed:
        return SUPPRESSED
    if cell.value is None or _is_number(cell.value):
        return cell.value
    return cell.text


def _notes(tables: Sequence[ReportTable]) -> list[str]:
    """The threshold note, then each table's notes, each once (tables of one report often share a note)."""
    return list(dict.fromkeys([threshold_note(), *(note for table in tables for note in table.notes)]))


def _filter_rows(filters_used: Sequence[tuple[str, str]]) -> list[list[str]]:
    """ "Filters used" and a row for each, label then value; or "Filters used, None"."""
    if not filters_used:
        return [["Filters used", "None"]]
    return [["Filters used"], *([label, value] for label, value in filters_used)]


# CSV


def _csv_rows(
    *, tables: Sequence[ReportTable], title: str, filters_used: Sequence[tuple[str, str]], as_of: datetime
) -> Iterator[list]:
    yield [title]
    yield ["Figures as of", as_of_text(as_of)]
    yield from _filter_rows(filters_used)
    yield [threshold_note()]
    for table in tables:
        yield []
        yield [table.title]
        yield table.columns
        for row in table.rows:
            yield [export_value(cell) for cell in row]
        for note in table.notes:
            yield [note]


def report_csv(
    *,
    tables: Sequence[ReportTable],
    title: str,
    filters_used: Sequence[tuple[str, str]],
    as_of: datetime,
    file,
) -> None:
    """The report as one CSV written to `file` (text, opened with newline=""): a header block saying what the
    report is, then each table with its title, headings, rows and notes."""
    FormulaSafeCsvWriter(file).writerows(_csv_rows(tables=tables, title=title, filters_used=filters_used, as_of=as_of))


class _Lines:
    """A file whose `write` hands back what it is given, so a csv writer yields its lines one at a time."""

    def write(self, text: str) -> str:
        return text


def csv_response(
    *,
    name: str,
    tables: Sequence[ReportTable],
    title: str,
    filters_used: Sequence[tuple[str, str]],
    as_of: datetime,
) -> StreamingHttpResponse:
    """The CSV as a download, streamed line by line."""
    writer = FormulaSafeCsvWriter(_Lines())
    rows = _csv_rows(tables=tables, title=title, filters_used=filters_used, as_of=as_of)
    lines = (writer.writerow(row) for row in rows)
    response = StreamingHttpResponse(
        itertools.chain([CSV_BYTE_ORDER_MARK], lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, file_name(name=name, as_of=as_of, extension="csv")
    )
    return response


# XLSX


def sheet_names(tables: Sequence[ReportTable]) -> list[str]:
    """A sheet name for each table from its machine name, within Excel's rules and unique in the workbook."""
    taken = set(SHEET_NAMES_RESERVED)
    names = []
    for table in tables:
        base = "".join("-" if c in SHEET_NAME_FORBIDDEN or not c.isprintable() else c for c in table.name)
        base = base.strip(" '")[:SHEET_NAME_LENGTH] or "Table"
        name, number = base, 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name, number = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _bold(cells: list) -> list:
    for cell in cells:
        cell.font = BOLD
    return cells


def _about_sheet(book, *, tables, names, title, filters_used, as_of) -> None:
    sheet = book.create_sheet(ABOUT_SHEET)
    sheet.column_dimensions["A"].width = HEADING_COLUMN_WIDTH
    sheet.column_dimensions["B"].width = 80
    sheet.append(_bold(xlsx_row(sheet, [title])))
    sheet.append(xlsx_row(sheet, ["Figures as of", as_of_text(as_of)]))
    sheet.append([])
    heading, *filters = _filter_rows(filters_used)
    sheet.append(_bold(xlsx_row(sheet, heading)))
    for row in filters:
        sheet.append(xlsx_row(sheet, row))
    sheet.append([])
    sheet.append(_bold(xlsx_row(sheet, ["Sheet", "Table"])))
    for name, table in zip(names, tables, strict=True):
        sheet.append(xlsx_row(sheet, [name, table.title]))
    sheet.append([])
    sheet.append(_bold(xlsx_row(sheet, ["Notes"])))
    for note in _notes(tables):
        sheet.append(xlsx_row(sheet, [note]))


def _table_sheet(book, *, table: ReportTable, name: str) -> None:
    """The table under its title, the heading row and the row headings frozen so they stay in view while
    scrolling across 300 skills or down 2,000 units."""
    sheet = book.create_sheet(name)
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = HEADING_COLUMN_WIDTH
    for index in range(2, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = FIGURE_COLUMN_WIDTH
    sheet.append(_bold(xlsx_row(sheet, [table.title])))
    sheet.append(_bold(xlsx_row(sheet, table.columns)))
    for row in table.rows:
        sheet.append(xlsx_row(sheet, [export_value(cell) for cell in row]))
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append(xlsx_row(sheet, [note]))


def report_xlsx(
    *,
    tables: Sequence[ReportTable],
    title: str,
    filters_used: Sequence[tuple[str, str]],
    as_of: datetime,
    file,
) -> None:
    """The report as an XLSX workbook written to `file` (a path or a binary file): a sheet saying what the report
    is, then a sheet per table. Write-only, so memory stays flat however many rows there are."""
    book = xlsx_workbook()
    names = sheet_names(tables)
    _about_sheet(book, tables=tables, names=names, title=title, filters_used=filters_used, as_of=as_of)
    for table, name in zip(tables, names, strict=True):
        _table_sheet(book, table=table, name=name)
    book.save(file)


def xlsx_response(
    *,
    name: str,
    tables: Sequence[ReportTable],
    title: str,
    filters_used: Sequence[tuple[str, str]],
    as_of: datetime,
) -> FileResponse:
    """The XLSX as a download, written to a temporary file and streamed from it (the response closes, and so
    deletes, the file once sent)."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    report_xlsx(tables=tables, title=title, filters_used=filters_used, as_of=as_of, file=file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=file_name(name=name, as_of=as_of, extension="xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


# PDF


@dataclass(frozen=True)
class PrintedCell:
    text: str
    number: bool


@dataclass(frozen=True)
class PrintedTable:
    """One printed table: a table's row headings and at most `PDF_COLUMNS_PER_TABLE` of its other columns."""

    caption: str
    columns: list[str]
    rows: list[list[PrintedCell]]
    notes: list[str]


def _printed_cell(cell: Cell) -> PrintedCell:
    return PrintedCell(text=cell.text, number=cell.suppressed or _is_number(cell.value))


def printed_tables(table: ReportTable, *, per_table: int = PDF_COLUMNS_PER_TABLE) -> list[PrintedTable]:
    """`table` cut into printed tables of `per_table` columns each, every one starting with the row headings;
    the notes go under the last."""
    heading, figures = table.columns[:1], table.columns[1:]
    starts = range(0, len(figures), per_table) if figures else [0]
    cells = [[_printed_cell(cell) for cell in row] for row in table.rows]
    printed = []
    for start in starts:
        end = min(start + per_table, len(figures))
        caption = table.title
        if len(starts) > 1:
            caption = f"{table.title} (columns {start + 1} to {end} of {len(figures)})"
        printed.append(
            PrintedTable(
                caption=caption,
                columns=heading + figures[start:end],
                rows=[row[:1] + row[1 + start : 1 + end] for row in cells],
                notes=[],
            )
        )
    printed[-1] = replace(printed[-1], notes=list(table.notes))
    return printed


def report_pdf_html(
    *,
    tables: Sequence[ReportTable],
    title: str,
    filters_used: Sequence[tuple[str, str]],
    as_of: datetime,
    charts: Sequence[SafeString] = (),
) -> str:
    """The report as HTML for printing; every text escaped by the template, the charts inserted as they are."""
    context = {
        "title": title,
        "as_of": as_of_text(as_of),
        "filters_used": list(filters_used),
        "threshold_note": threshold_note(),
        "charts": list(charts),
        "tables": [printed for table in tables for printed in printed_tables(table)],
    }
    return render_to_string(PDF_TEMPLATE, context)


@functools.cache
def _stylesheet() -> CSS:
    """Parsed once per process, not on every print."""
    return CSS(filename=str(PDF_STYLESHEET), url_fetcher=LocalAssetsOnly(), font_config=_font_config())


def report_pdf(
    *,
    tables: Sequence[ReportTable],
    title: str,
    filters_used: Sequence[tuple[str, str]],
    as_of: datetime,
    charts: Sequence[SafeString] = (),
) -> bytes:
    """The report as an A4 landscape PDF."""
    html = HTML(
        string=report_pdf_html(tables=tables, title=title, filters_used=filters_used, as_of=as_of, charts=charts),
        base_url=path2url(str(PDF_DIRECTORY)) + "/",
        url_fetcher=LocalAssetsOnly(),
    )
    return html.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config())


def pdf_response(
    *,
    name: str,
    tables: Sequence[ReportTable],
    title: str,
    filters_used: Sequence[tuple[str, str]],
    as_of: datetime,
    charts: Sequence[SafeString] = (),
) -> HttpResponse:
    """The PDF as a download."""
    pdf = report_pdf(tables=tables, title=title, filters_used=filters_used, as_of=as_of, charts=charts)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, file_name(name=name, as_of=as_of, extension="pdf")
    )
    return response
