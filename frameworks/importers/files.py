"""Reading uploaded or local framework files: bytes in, rows with spreadsheet row numbers out."""

import codecs
import csv
import hashlib
import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from frameworks.enums import QuirkKind
from frameworks.importers.report import Findings

# The official DDaT roles.csv has under 2,000 records; no framework file needs more than this, and reading
# stops here, so that no upload can make a worker hold millions of rows.
MAX_CSV_RECORDS = 20_000

# What callers may pass as a file: a path, raw bytes, or an open file (an uploaded file in the admin).
FileInput = str | os.PathLike | bytes | IO[bytes] | IO[str]


@dataclass(frozen=True)
class SourceFile:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "sha256": self.sha256}


def source_file(file: FileInput, *, default_name: str) -> SourceFile:
    """Read `file` whole. Error messages name the file by its own name, else `default_name`."""
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        return SourceFile(path.name, path.read_bytes())
    if isinstance(file, bytes):
        return SourceFile(default_name, file)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = Path(getattr(file, "name", "") or default_name).name
    return SourceFile(name, data)


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet counts: the header is row 1
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def distinct_rows(rows: list[CsvRow], *, file: str, findings: Findings) -> Iterator[CsvRow]:
    """`rows` without the exact repeats of an earlier row, each repeat reported as a DUPLICATE_ROW quirk."""
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row.values.values())
        if key in seen:
            findings.quirk(QuirkKind.DUPLICATE_ROW, file, row.number, None, f"duplicate of row {seen[key]}")
            continue
        seen[key] = row.number
        yield row


@dataclass(frozen=True)
class CsvTable:
    source: SourceFile
    header: list[str]
    rows: list[CsvRow]


def read_csv_records(source: SourceFile, *, findings: Findings) -> list[list[str]] | None:
    """Decode a UTF-8 CSV (with or without a byte-order mark) into records; None, with the error recorded in
    `findings`, when it cannot be decoded or parsed."""
    data = source.data
    if data.startswith(codecs.BOM_UTF8):
        findings.quirk(QuirkKind.BYTE_ORDER_MARK, source.name, None, None, "UTF-8 byte-order mark ignored")
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _report_encoding_error(source, data, exc, findings)
        return None
    try:
        records = list(itertools.islice(csv.reader(io.StringIO(text, newline="")), MAX_CSV_RECORDS + 1))
    except csv.Error as exc:
        findings.error(source.name, None, None, f"is not a readable CSV file ({exc}); export it again as CSV.")
        return None
    if len(records) > MAX_CSV_RECORDS:
        findings.error(
            source.name,
            None,
            None,
            f"has more than {MAX_CSV_RECORDS:,} rows; the largest framework file has a few thousand. Check that it "
            "is the right file.",
        )
        return None
    return records


def read_csv_table(source: SourceFile, *, columns: tuple[str, ...], findings: Findings) -> CsvTable | None:
    """Parse a UTF-8 CSV (with or without a byte-order mark) whose header names at least `columns`.

    Records errors in `findings` and returns None when the file cannot be read as such a table. Extra columns
    are ignored.
    """
    records = read_csv_records(source, findings=findings)
    if records is None:
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        findings.error(source.name, 1, None, f"is empty; expected a header row with: {', '.join(columns)}.")
        return None

    header = [cell.strip() for cell in records[0]]
    missing = [column for column in columns if column not in header]
    for column in missing:
        findings.error(
            source.name,
            1,
            column,
            f"the column is missing. The header must have these columns: {', '.join(columns)}.",
        )
    if missing:
        return None

    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            findings.error(
                source.name,
                number,
                None,
                f"the row has {len(record)} cells but the header has {len(header)}; "
                "look for a stray comma or an unclosed quote.",
            )
            continue
        rows.append(CsvRow(number, dict(zip(header, record, strict=True))))
    return CsvTable(source, header, rows)


def _report_encoding_error(source: SourceFile, data: bytes, exc: UnicodeDecodeError, findings: Findings) -> None:
    # Decode with the bad bytes escaped, then find the first cell that holds one: that names row and column.
    text = data.decode("utf-8", errors="surrogateescape")
    fix = "Save the file as 'CSV UTF-8 (Comma delimited)' and import it again."
    bad_byte = f"0x{data[exc.start]:02x}"
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        records = []
    header = records[0] if records else []
    for number, record in enumerate(records, start=1):
        for index, cell in enumerate(record):
            if any("\udc80" <= char <= "\udcff" for char in cell):
                column = header[index] if number > 1 and index < len(header) else None
                findings.error(source.name, number, column, f"is not UTF-8 text (byte {bad_byte}). {fix}")
                return
    line = data.count(b"\n", 0, exc.start) + 1
    findings.error(source.name, None, None, f"is not UTF-8 text (byte {bad_byte} on line {line}). {fix}")
