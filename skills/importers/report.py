"""The HR feed's report: what an import did, or why it wrote nothing; kept as JSON on a `PeopleImport`."""

from dataclasses import dataclass, field

from frameworks.importers.report import ImportResult
from skills.importers.errors import RowError

MAX_ERRORS = 200


@dataclass
class PeopleImportReport(ImportResult):
    """What an import did, or why it wrote nothing: the report shape of the framework imports (`ImportResult`)
    with the feed's counts. `errors` holds at most MAX_ERRORS of the `error_count` problems found, in row order.
    Counts of a dry run say what a real run would do. `leavers` counts the people the `left_on` column marks,
    `leavers_by_absence` those a full file leaves out; `absent` holds the latter's person ids, for the caller to
    keep (it is not part of the stored report, which keeps counts).
    """

    errors: list[RowError] = field(default_factory=list)
    source: str = ""
    dry_run: bool = False
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    accounts_linked: int = 0
    email_changes_applied: int = 0
    email_changes_pending: int = 0
    roles_granted: int = 0
    leavers: int = 0
    leavers_by_absence: int = 0
    absent: list[int] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    professions_created: list[str] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.roles_granted
            or self.units_created
            or self.professions_created
            or self.email_changes_applied
            or self.email_changes_pending
            or self.leavers
            or self.leavers_by_absence
        )

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)

    def summary(self) -> str:
        if not self.ok:
            return f"{self.source}: rejected, nothing was written. {self.error_count} problem(s) to fix" + (
                f" (the first {len(self.errors)} are listed)." if self.errors_not_shown else "."
            )
        verb = "would be" if self.dry_run else "were"
        if not self.changed:
            return f"{self.source}: {self.rows} rows, nothing to change: everyone is up to date."
        return (
            f"{self.source}: {self.rows} rows. People: {self.created} {verb} created, {self.updated} updated, "
            f"{self.unchanged} unchanged. Organisation units created: {len(self.units_created)}. "
            f"Professions created: {len(self.professions_created)}. Roles granted: {self.roles_granted}."
            + (
                f" E-mail addresses changed: {self.email_changes_applied}; waiting for the old address to confirm: "
                f"{self.email_changes_pending}."
                if self.email_changes_applied or self.email_changes_pending
                else ""
            )
            + (f" Leavers marked: {self.leavers}." if self.leavers else "")
            + (
                f" People missing from the full file who {verb} marked as having left: {self.leavers_by_absence}."
                if self.leavers_by_absence
                else ""
            )
        )

    def audit_data(self) -> dict:
        """What the audit log keeps: counts and the file's digest, no personal data. Each change of an account's
        e-mail address has its own entry, on the account, with both addresses."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "framework": self.framework,
            "release": self.release,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "roles_granted": self.roles_granted,
            "leavers": self.leavers,
            "leavers_by_absence": self.leavers_by_absence,
            "accounts_linked": self.accounts_linked,
            "email_changes_applied": self.email_changes_applied,
            "email_changes_pending": self.email_changes_pending,
            "units_created": len(self.units_created),
            "professions_created": len(self.professions_created),
        }

    def as_dict(self) -> dict:
        """JSON-serialisable form, with `ok`; each error without its `file`, which is the report's `source`."""
        data = super().as_dict()
        del data["absent"]
        for error in data["errors"]:
            del error["file"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "PeopleImportReport":
        """The report kept by `as_dict()` (those kept before the report shapes were one have no `ok`)."""
        data = {key: value for key, value in data.items() if key not in ("ok", "absent")}
        source = data.get("source", "")
        data["errors"] = [RowError(**{"file": source, **error}) for error in data.get("errors", [])]
        return cls(**data)
