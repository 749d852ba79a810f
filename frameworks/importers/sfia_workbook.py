"""Reading the SFIA workbook (.xlsx) into sheets of text, within bounds, for `frameworks.importers.sfia`."""

import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from frameworks.importers.files import SourceFile
from frameworks.importers.report import Findings

SHEET_NAMES = {"skills": "Skills", "attributes": "Attributes", "levels": "Levels of responsibility"}

# Bounds on what a workbook may make the importer read. The SFIA 9 workbook is well under 1 MB, with a few
# hundred rows and about 25 columns a sheet. A sheet's own declared size (its "dimension", which can claim
# A1:XFD1048576 in a 6 KB file) is ignored: only the rows and columns below are ever read, streamed, so that
# no upload can make a worker build millions of empty cells.
MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_SHEET_ROWS = 2_000
MAX_SHEET_COLUMNS = 50


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells as text, first row first. `label` names it in messages: the file, and the sheet."""

    label: str
    rows: list[list[str]]


def workbook_sheets(workbook: SourceFile, findings: Findings) -> dict[str, Sheet] | None:
    """The workbook's three SFIA sheets by key ("skills", "attributes", "levels"); None, with the errors recorded,
    when it is not a workbook, is too large, lacks a sheet or has a sheet beyond the bounds."""
    if len(workbook.data) > MAX_WORKBOOK_BYTES:
        findings.error(
            workbook.name,
            None,
            None,
            f"is larger than {MAX_WORKBOOK_BYTES // (1024 * 1024)} MB; the SFIA workbook is much smaller. Check that "
            "it is the right file.",
        )
        return None
    if _unpacked_size(workbook.data) > MAX_UNPACKED_BYTES:
        findings.error(
            workbook.name,
            None,
            None,
            f"unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; the SFIA workbook is much smaller. "
            "Check that it is the right file.",
        )
        return None
    try:
        book = load_workbook(io.BytesIO(workbook.data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        findings.error(
            workbook.name, None, None, f"is not an Excel workbook (.xlsx) ({exc}); save it as .xlsx and try again."
        )
        return None
    try:
        by_name = {name.strip().casefold(): name for name in book.sheetnames}
        sheets = {}
        for key, wanted in SHEET_NAMES.items():
            name = by_name.get(wanted.casefold())
            if name is None:
                findings.error(
                    workbook.name,
                    None,
                    None,
                    f"has no sheet named '{wanted}' (it has {', '.join(book.sheetnames)}); the SFIA workbook has "
                    f"sheets {', '.join(SHEET_NAMES.values())}.",
                )
                continue
            label = f"{workbook.name}, sheet '{name}'"
            rows = _bounded_rows(book[name], label, findings)
            if rows is not None:
                sheets[key] = Sheet(label, rows)
    finally:
        book.close()
    return sheets if len(sheets) == len(SHEET_NAMES) else None


def _unpacked_size(data: bytes) -> int:
    """The total size of the files inside a workbook (a zip archive); 0 when it is not one (openpyxl says so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return 0


def _bounded_rows(worksheet, label: str, findings: Findings) -> list[list[str]] | None:
    """The sheet's cells as text, reading at most MAX_SHEET_ROWS rows of MAX_SHEET_COLUMNS columns (plus one of
    each, to see whether anything lies beyond); None, with the error recorded, when something does."""
    rows = []
    for number, row in enumerate(
        worksheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_SHEET_COLUMNS + 1, values_only=True), start=1
    ):
        cells = [_cell_text(value) for value in row]
        if len(cells) > MAX_SHEET_COLUMNS and any(cell.strip() for cell in cells[MAX_SHEET_COLUMNS:]):
            findings.error(
                label,
                number,
                None,
                f"has something beyond column {get_column_letter(MAX_SHEET_COLUMNS)}; a SFIA sheet has at most "
                f"{MAX_SHEET_COLUMNS} columns. Delete the extra columns and import again.",
            )
            return None
        if number > MAX_SHEET_ROWS:
            # openpyxl yields this row only when the sheet holds a row at or beyond it (and never reads further).
            findings.error(
                label,
                None,
                None,
                f"has rows beyond row {MAX_SHEET_ROWS:,}; a SFIA sheet has a few hundred. Delete the rows below "
                "the last skill (select them, then Delete rows) and import again.",
            )
            return None
        rows.append(cells[:MAX_SHEET_COLUMNS])
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
