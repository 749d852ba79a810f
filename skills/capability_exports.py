"""Capability reports as files: CSV and XLSX, each drawn from the `ReportTable`s the page shows.

Every output renders the same tables (docs/decisions/0213), so a suppressed figure is "[c]" in every file and no
file can show what the page hides. Every file says what it is: the report's title, when its figures were taken
(UK time), the filters that produced it and why some cells read "[c]".

Spreadsheets are written through frameworks.spreadsheets (docs/decisions/0116): text that a spreadsheet would run
as a formula is stored as text with a leading apostrophe, and numbers, negative ones included, stay numbers. The
XLSX is written by openpyxl in write-only mode, which keeps each sheet's rows in a temporary file rather than in
memory, so a department's 2,000 units × 300 skills cost no more memory than a team's; the download streams that
file from disk.
"""

import itertools
import tempfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils import dateformat, timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from frameworks.spreadsheets import FormulaSafeCsvWriter, xlsx_row
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


def _about_sheet(book: Workbook, *, tables, names, title, filters_used, as_of) -> None:
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


def _table_sheet(book: Workbook, *, table: ReportTable, name: str) -> None:
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
    book = Workbook(write_only=True)
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
