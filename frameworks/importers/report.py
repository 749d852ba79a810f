from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from frameworks.enums import ImportOutcome, QuirkKind
from frameworks.release_content import ReleaseContent

# Past this many errors a file is plainly the wrong one; listing more would only bury the first.
MAX_ERRORS = 50


def place(file: str, row: int | None, column: str | None, *, quote_column: bool = True) -> str:
    """Where a problem is, as every importer words it: "file, row N, column 'X'", leaving out what is not known
    (an empty `file` too). `row` counts as a spreadsheet does (the header is row 1). Published framework files
    name their columns with titles of several words, quoted; the HR feed's columns are fixed identifiers such as
    `org_unit`, written bare (`quote_column=False`)."""
    parts = [file] if file else []
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column '{column}'" if quote_column else f"column {column}")
    return ", ".join(parts)


@dataclass(frozen=True)
class ImportProblem:
    """A problem that stops the import. `row` counts as a spreadsheet does: the header is row 1. The problem
    type of every importer: `skills.importers.RowError`, the HR feed's, is one with its columns written bare."""

    file: str
    row: int | None
    column: str | None
    message: str

    # Whether `place` quotes the column's name (see `place`).
    quote_column: ClassVar[bool] = True

    def place(self, file: str | None = None) -> str:
        """Where the problem is, in `file` if given (else the problem's own)."""
        return place(self.file if file is None else file, self.row, self.column, quote_column=self.quote_column)

    def __str__(self):
        where = self.place()
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class ImportQuirk:
    """A known oddity of the file that the import handled; reported so that nothing is silently fixed."""

    kind: QuirkKind
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        return f"{place(self.file, self.row, self.column)}: {self.message}"


@dataclass
class ImportResult:
    """The report shape every importer shares (the framework imports' `ImportReport`, the HR feed's
    `skills.importers.PeopleImportReport`): the framework and release the files were read against, the problems
    that stopped the import (`ImportProblem`s; when there is one, nothing was written), `ok`, and `as_dict()`
    for a job record or a task's result; each report adds its counts and a `summary()` in words."""

    framework: str = ""
    release: str = ""
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        """JSON-serialisable form, with `ok`."""
        data = asdict(self)
        data["ok"] = self.ok
        return data


@dataclass
class ImportReport(ImportResult):
    """What an import did, for the command's output, the admin's progress page and the Celery task's result.

    `outcome` is FAILED whenever `errors` is not empty, and then nothing was written. `counts` are the
    release's contents as parsed (see ReleaseContent.counts); `changes` counts the change log against the
    previous release by "subject kind" (e.g. "skill added").
    """

    outcome: ImportOutcome = ImportOutcome.FAILED
    counts: dict[str, int] = field(default_factory=dict)
    quirks: list[ImportQuirk] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)
    previous_release: str = ""
    published: bool = False
    files: list[dict[str, str]] = field(default_factory=list)

    def quirk_counts(self) -> dict[QuirkKind, int]:
        """How many times each kind of quirk was handled, in the order QuirkKind lists them."""
        counts = Counter(quirk.kind for quirk in self.quirks)
        return {kind: counts[kind] for kind in QuirkKind if counts[kind]}

    def as_dict(self) -> dict:
        """JSON-serialisable form, e.g. for a Celery task's result."""
        data = super().as_dict()
        data["quirk_counts"] = {kind.value: count for kind, count in self.quirk_counts().items()}
        return data

    def summary(self, *, examples: int = 3) -> str:
        """Human-readable lines: outcome, counts, each kind of quirk with a few examples, and every error."""
        lines = [f"{self.framework} {self.release}: {self.outcome.label}."]
        if self.errors:
            lines.append(f"{len(self.errors)} error(s); fix them and import again:")
            lines += [f"  - {error}" for error in self.errors]
            return "\n".join(lines)
        shown = {key: value for key, value in self.counts.items() if value}
        lines.append("Contents: " + ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in shown.items()))
        if self.quirk_counts():
            lines.append("Quirks handled:")
            for kind, count in self.quirk_counts().items():
                lines.append(f"  - {kind.label}: {count:,}")
                of_kind = [quirk for quirk in self.quirks if quirk.kind == kind]
                lines += [f"      {quirk}" for quirk in of_kind[:examples]]
                if len(of_kind) > examples:
                    lines.append(f"      … and {len(of_kind) - examples:,} more")
        if self.previous_release:
            changed = ", ".join(f"{count:,} {name}" for name, count in self.changes.items()) or "no changes"
            lines.append(f"Changes since {self.previous_release}: {changed}")
        if self.published:
            lines.append("Published: it is now the framework's current release.")
        return "\n".join(lines)


class Findings:
    """Collects the errors and quirks of one parse, stopping at MAX_ERRORS errors."""

    def __init__(self):
        self.errors: list[ImportProblem] = []
        self.quirks: list[ImportQuirk] = []
        self.errors_left_out = 0

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.errors_left_out += 1
            return
        self.errors.append(ImportProblem(file, row, column, message))

    def quirk(self, kind: QuirkKind, file: str, row: int | None, column: str | None, message: str) -> None:
        self.quirks.append(ImportQuirk(kind, file, row, column, message))

    def all_errors(self) -> list[ImportProblem]:
        if not self.errors_left_out:
            return list(self.errors)
        more = ImportProblem(self.errors[-1].file, None, None, f"… and {self.errors_left_out} more errors")
        return [*self.errors, more]


@dataclass(frozen=True)
class ParsedRelease:
    """What a parser read: the content (incomplete when `findings.errors`), its findings and the files read."""

    content: ReleaseContent
    findings: Findings
    sources: list  # of files.SourceFile
