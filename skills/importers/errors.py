"""What the HR feed's check pass finds wrong, here so that the importer and the service that writes can both
use them without the importer importing services."""

from dataclasses import dataclass

from frameworks.importers.report import place
from skills.errors import SkillsError


class PeopleFileChanged(SkillsError):
    """The file read differently on the second pass than on the first (it was replaced while importing)."""


@dataclass(frozen=True)
class RowError:
    """One problem in the file. `row` counts as a spreadsheet does (the header is row 1); it is None, with an
    empty `column`, for a problem with the file as a whole."""

    row: int | None
    column: str
    message: str

    def describe(self, source: str) -> str:
        where = place(source, self.row, self.column, quote_column=False)
        return f"{where}: {self.message}" if where else self.message
