"""What the HR feed's check pass finds wrong, here so that the importer and the service that writes can both
use them without the importer importing services."""

from dataclasses import dataclass
from typing import ClassVar

from frameworks.importers.report import ImportProblem
from skills.errors import SkillsError


class PeopleFileChanged(SkillsError):
    """The file read differently on the second pass than on the first (it was replaced while importing)."""


@dataclass(frozen=True)
class RowError(ImportProblem):
    """One problem in the HR feed: a framework importer's `ImportProblem`, whose `file` is the feed's source
    name. `row` counts as a spreadsheet does (the header is row 1); it is None, with an empty `column`, for a
    problem with the file as a whole. The feed's columns are identifiers (`org_unit`), written bare."""

    quote_column: ClassVar[bool] = False

    def describe(self, source: str) -> str:
        """The problem as the command prints it, in the file named `source`."""
        where = self.place(source)
        return f"{where}: {self.message}" if where else self.message
