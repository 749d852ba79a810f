"""Importers read published framework files into `ReleaseContent` without touching the database.

Call them through the services `framework_import_ddat` / `framework_import_sfia`, which write the result
all-or-nothing and return an `ImportReport`.
"""

from frameworks.importers.ddat import parse_ddat
from frameworks.importers.files import FileInput, SourceFile, source_file
from frameworks.importers.report import ImportProblem, ImportQuirk, ImportReport, ParsedRelease
from frameworks.importers.sfia import parse_sfia_csv, parse_sfia_workbook

__all__ = [
    "FileInput",
    "ImportProblem",
    "ImportQuirk",
    "ImportReport",
    "ParsedRelease",
    "SourceFile",
    "parse_ddat",
    "parse_sfia_csv",
    "parse_sfia_workbook",
    "source_file",
]
