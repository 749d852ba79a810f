"""Reading the HR feed: its columns, its bytes as UTF-8 text (hashed as they are read), its header and its
data rows, and the batches the feed is read and written in. No database here."""

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

COLUMNS = (
    "staff_number",
    "email",
    "first_name",
    "last_name",
    "org_unit",
    "grade",
    "profession",
    "line_manager_staff_number",
    "role",
    "role_level",
)
OPTIONAL_VALUES = frozenset({"profession", "line_manager_staff_number"})
# Columns a file may leave out altogether: `left_on`, the day a person left (YYYY-MM-DD), marks them as a leaver.
OPTIONAL_COLUMNS = ("left_on",)
# Rows read, looked up and written at a time: bounds memory and the size of each statement.
BATCH_SIZE = 2000

# Called as error(row, column, message) to record a problem.
ErrorSink = Callable[[int | None, str, str], None]


def chunks(items: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def name_key(value: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(value.split()).casefold()


def column_order(column: str) -> int:
    if column in OPTIONAL_COLUMNS:
        return len(COLUMNS) + OPTIONAL_COLUMNS.index(column)
    return COLUMNS.index(column) if column in COLUMNS else -1


class NotUtf8(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(line, reason)
        self.line, self.reason = line, reason


class FeedFile:
    """The feed's columns, found in its header, and its non-blank data rows. `positions` maps each column of
    COLUMNS, and each of OPTIONAL_COLUMNS the header names, to its index in a row (empty until a good header has
    been read); `width` is the header's length."""

    def __init__(self, error: ErrorSink):
        self.error = error
        self.positions: dict[str, int] = {}
        self.width = 0

    def records(self, handle, digest) -> Iterator[tuple[int, list[str]]]:
        """(row number, values) of each non-blank data row, after checking the header."""
        if hasattr(handle, "seek"):
            handle.seek(0)
        reader = enumerate(csv.reader(decoded_lines(handle, digest)), start=1)
        for number, values in reader:
            if any(value.strip() for value in values):
                self._read_header(number, values)
                break
        else:
            self.error(None, "", f"The file is empty: its first row must name the columns {', '.join(COLUMNS)}.")
            return
        if not self.positions:
            return
        for number, values in reader:
            if any(value.strip() for value in values):
                yield number, values

    def _read_header(self, number: int, values: list[str]) -> None:
        header = [" ".join(value.strip().lower().split()).replace(" ", "_") for value in values]
        self.width = len(header)
        seen = set()
        for column in header:
            if (column in COLUMNS or column in OPTIONAL_COLUMNS) and column in seen:
                self.error(number, column, "This column is named twice: keep one.")
            seen.add(column)
        missing = [column for column in COLUMNS if column not in seen]
        if missing:
            self.error(
                number,
                "",
                f"Missing column(s): {', '.join(missing)}. The first row must name the columns "
                f"{', '.join(COLUMNS)} (in any order).",
            )
            return
        self.positions = {column: header.index(column) for column in (*COLUMNS, *OPTIONAL_COLUMNS) if column in seen}


def decoded_lines(handle, digest) -> Iterator[str]:
    """The file's lines as text, hashing the raw bytes; a byte-order mark is dropped; a line that is not UTF-8
    stops the reading with its line number."""
    for number, raw in enumerate(handle, start=1):
        if isinstance(raw, str):
            digest.update(raw.encode())
            yield raw.removeprefix("\ufeff") if number == 1 else raw
            continue
        digest.update(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotUtf8(number, f"byte 0x{raw[exc.start]:02x} at position {exc.start + 1}") from None
        yield text.removeprefix("\ufeff") if number == 1 else text


@contextmanager
def opened(file):
    """A binary handle on `file`: a path is opened (and closed after), a file object is used as it is."""
    if isinstance(file, (str, Path)):
        with open(file, "rb") as handle:
            yield handle
    else:
        yield file


def source_name(file) -> str:
    if isinstance(file, (str, Path)):
        return str(file)
    return Path(getattr(file, "name", "") or "upload").name
