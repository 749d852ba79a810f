"""The HR feed: people, their user accounts, organisation units and professions from one CSV file.

`people_import` reads the file twice, streaming: the first pass validates every row against reference data and
the people already in the database, using dictionaries (no query per row), collects every error, and notes which
people the file changes (reading each existing person once); only a file without errors that changes something
gets the second pass, which writes the new and changed rows in batches through `skills.services.bulk` (COPY on
PostgreSQL), all inside one transaction. See docs/decisions/0200-people-import.md and 0204-hr-feed-copy.md.
"""

import csv
import difflib
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import Framework, Role, RoleLevel
from skills.models import (
    HR_FEED_ISSUER,
    AccountEmailChange,
    Grade,
    OrganisationUnit,
    Person,
    PersonIdentity,
    Profession,
)
from skills.selectors import hr_unit_names, privileged_user_ids, unit_name_in_scope
from skills.services.accounts import account_email_change_request
from skills.services.bulk import BATCH_SIZE, chunks, ids_reserve, rows_insert, rows_update
from skills.services.errors import SkillsError
from skills.services.organisation import SEPARATOR, org_unit_ensure, org_unit_path_split
from skills.services.people import management_chain_lock
from skills.validators import control_character, control_character_message

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
MAX_ERRORS = 200
LEARNER_GROUP = "Learner"
LINE_MANAGER_GROUP = "Line manager"
PERSON_COLUMNS = ["org_unit_id", "grade_id", "profession_id", "line_manager_id", "current_role_level_id"]
USER_COLUMNS = ["email", "first_name", "last_name"]


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
        where = [source] if source else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class PeopleImportReport:
    """What an import did, or why it wrote nothing. `errors` holds at most MAX_ERRORS of the `error_count`
    problems found, in row order. Counts of a dry run say what a real run would do."""

    source: str
    framework: str = ""
    release: str = ""
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
    units_created: list[str] = field(default_factory=list)
    professions_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
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
            "accounts_linked": self.accounts_linked,
            "email_changes_applied": self.email_changes_applied,
            "email_changes_pending": self.email_changes_pending,
            "units_created": len(self.units_created),
            "professions_created": len(self.professions_created),
        }

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "PeopleImportReport":
        data = dict(data)
        data["errors"] = [RowError(**error) for error in data.get("errors", [])]
        return cls(**data)


def people_import(
    *,
    file: str | Path | IO,
    framework_slug: str | None = None,
    actor=None,
    dry_run: bool = False,
    source_name: str | None = None,
) -> PeopleImportReport:
    """Create or update people (and their user accounts) from the HR feed, matching people by staff number.

    `file` is a path or a binary file object that can be read twice (seekable); it must be UTF-8 CSV with the
    columns of COLUMNS (any order, extra columns ignored); every value is required but `profession` and
    `line_manager_staff_number`. `role` and `role_level` are names (or codes) in the framework's current
    release and become the person's current role level. Organisation units (from their "/" paths) and
    professions are created on first sight; new users get an unusable password (they set one by reset link)
    and the Learner role, and whoever manages someone gets the Line manager role. People missing from the
    file are left alone.

    All or nothing: if any row is wrong, nothing is written and the report lists the problems with row and
    column. Idempotent: importing the same file again changes nothing. `dry_run` does everything and rolls it
    back. One audit entry ("capability.skills.people_import", on the framework) per import that changed
    something. Who may import is the caller's concern (the admin allows HR analysts and superusers); what an
    `actor` who is neither a superuser nor the system may touch is limited to their HR units: a row for a
    person outside them, a unit outside them or a line manager outside them is an error.
    """
    source = source_name or _source_name(file)
    report = PeopleImportReport(source=source, dry_run=dry_run)
    with transaction.atomic(), _opened(file) as handle:
        management_chain_lock()
        _identities_ensure()
        framework_slug = framework_slug or settings.CAPABILITY_DEFAULT_FRAMEWORK
        framework = Framework.objects.select_related("current_release").filter(slug=framework_slug).first()
        if framework is None or framework.current_release is None:
            what = "does not exist" if framework is None else "has no published release"
            report.errors.append(
                RowError(None, "", f"The framework {framework_slug!r} {what}: import and publish it first.")
            )
            report.error_count = 1
            return report
        report.framework, report.release = framework.slug, framework.current_release.label

        feed = _Feed(
            reference=_ReferenceData.load(framework),
            report=report,
            scope=hr_unit_names(user=actor),
            actor_staff=_staff_number_of(actor),
        )
        feed.check(handle)
        if report.ok:
            _Writer(feed=feed, report=report, actor=actor).write(handle)
            if dry_run:
                transaction.set_rollback(True)
            elif report.changed:
                log(instance=framework, action="capability.skills.people_import", user=actor, data=report.audit_data())
    report.errors.sort(key=lambda error: (error.row or 0, _column_order(error.column)))
    return report


class _Holder(NamedTuple):
    user_id: int
    staff: str | None
    last_login: object


class _Current(NamedTuple):
    """A person in the database as the HR feed compares them with a row: names, not ids, where a row's value
    may not exist yet."""

    staff: str
    person_id: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    unit: str
    grade_id: int
    profession: str | None
    manager: str | None
    role_level_id: int | None


class _Change(NamedTuple):
    """What the second pass changes for a person in the database."""

    person_id: int
    user_id: int
    person: bool
    names: bool
    email: bool


class _Row(NamedTuple):
    number: int
    staff_number: str
    email: str
    first_name: str
    last_name: str
    org_unit: str
    grade_id: int
    profession: str
    manager: str
    role_level_id: int


def _key(value: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(value.split()).casefold()


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class _ReferenceData:
    """Grades and the current release's roles and role levels, keyed for lookup by name or code."""

    def __init__(self, *, framework, grades, grade_labels, roles, role_names, role_levels, level_names):
        self.framework = framework
        self.grades = grades
        self.grade_labels = grade_labels
        self.roles = roles
        self.role_names = role_names
        self.role_levels = role_levels
        self.level_names = level_names

    @classmethod
    def load(cls, framework: Framework) -> "_ReferenceData":
        grades, grade_labels = {}, []
        for pk, code, name in Grade.objects.values_list("id", "code", "name"):
            grade_labels.append(code)
            for label in (code, name):
                grades[_key(label)] = pk
                grades[_key(label).replace(" ", "")] = pk
        roles, role_names = {}, {}
        for pk, name, code in Role.objects.filter(release=framework.current_release).values_list("id", "name", "code"):
            roles[_key(code)] = pk
            roles[_key(name)] = pk
            role_names[pk] = name.strip()
        role_levels, level_names = {}, {}
        levels = RoleLevel.objects.filter(release=framework.current_release).order_by("role_id", "seniority")
        for pk, role_id, name, code in levels.values_list("id", "role_id", "name", "code"):
            role_levels[(role_id, _key(code))] = pk
            role_levels[(role_id, _key(name))] = pk
            level_names.setdefault(role_id, []).append(name.strip())
        return cls(
            framework=framework,
            grades=grades,
            grade_labels=grade_labels,
            roles=roles,
            role_names=role_names,
            role_levels=role_levels,
            level_names=level_names,
        )

    def release_label(self) -> str:
        return f"{self.framework.name} {self.framework.current_release.label}"


class _Feed:
    """The first pass: checks every row and remembers just enough of the file (staff numbers, e-mails,
    managers, distinct units and professions) to check what spans rows and to write in the second pass.

    The database is consulted in batches (who holds each e-mail address, who already exists) and, for line
    managers outside the file, by walking up their chains a level per query: never a query per row.
    """

    def __init__(
        self,
        *,
        reference: _ReferenceData,
        report: PeopleImportReport,
        scope: list[str] | None = None,
        actor_staff: str | None = None,
    ):
        self.reference = reference
        self.report = report
        # The uploader's own staff number: no row may change a line management relationship they are part of.
        self.actor_staff = actor_staff
        # Staff number -> their line manager's staff number now, for the people of the file in the database; only
        # kept when the uploader has a staff number (the only use).
        self.current_managers: dict[str, str | None] = {}
        # The full names of the units the uploader is responsible for as HR; None for no limit.
        self.scope = scope
        self.positions: dict[str, int] = {}
        self.width = 0
        self.staff_rows: dict[str, int] = {}
        self.email_rows: dict[str, int] = {}
        self.managers: dict[str, str] = {}
        self.unit_names: set[str] = set()
        self.professions: dict[str, str] = {}
        # What the second pass has to do, found while checking (each person in the database is read once):
        # staff number -> what changes, or None for a person in the database whom the file leaves as they are;
        # a staff number missing here is a new person.
        self.existing: dict[str, _Change | None] = {}
        self.new_people = 0
        # E-mail address -> the unused account, with no person, that a new person's row links to.
        self.linkable: dict[str, int] = {}
        # (user id, group id) of the roles people in the database lack and the file grants them.
        self.roles_missing: list[tuple[int, int]] = []
        # Person id of each line manager in the database (in the file or not), by staff number.
        self.manager_ids: dict[str, int] = {}
        self.groups = dict(Group.objects.filter(name__in=[LEARNER_GROUP, LINE_MANAGER_GROUP]).values_list("name", "id"))
        # Staff number -> the fingerprint of what the row says (`_fingerprint`), for the rows without errors.
        self._fingerprints: dict[str, int] = {}
        self._unit_cache: dict[str, tuple[str, str]] = {}
        self._role_cache: dict[tuple[str, str], tuple[int | None, str, str]] = {}
        user_model = get_user_model()
        self.lengths = {
            "staff_number": _max_length(Person, "staff_number"),
            "email": _max_length(user_model, "email"),
            "first_name": _max_length(user_model, "first_name"),
            "last_name": _max_length(user_model, "last_name"),
            "profession": _max_length(Profession, "name"),
        }

    def error(self, row: int | None, column: str, message: str) -> None:
        self.report.error_count += 1
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(RowError(row, column, message))

    # --- reading ---------------------------------------------------------------------------------

    def records(self, handle, digest) -> Iterator[tuple[int, list[str]]]:
        """(row number, values) of each non-blank data row, after checking the header."""
        if hasattr(handle, "seek"):
            handle.seek(0)
        reader = enumerate(csv.reader(_decoded_lines(handle, digest)), start=1)
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
            if column in COLUMNS and column in seen:
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
        self.positions = {column: header.index(column) for column in COLUMNS}

    # --- the first pass --------------------------------------------------------------------------

    def check(self, handle) -> None:
        digest = hashlib.sha256()
        try:
            for number, values in self.records(handle, digest):
                self.report.rows += 1
                row = self.check_row(number, values)
                if row is not None:
                    self._fingerprints[row.staff_number] = _fingerprint(
                        row.org_unit,
                        row.grade_id,
                        row.profession,
                        row.manager,
                        row.role_level_id,
                        row.first_name,
                        row.last_name,
                    )
        except _NotUtf8 as exc:
            self.error(
                None,
                "",
                f"Line {exc.line} is not UTF-8 text ({exc.reason}). Save the file as 'CSV UTF-8' and upload it again.",
            )
            return
        except csv.Error as exc:
            if "new-line character" in str(exc):
                self.error(
                    None,
                    "",
                    f"After row {self.report.rows + 1}, a value holds a stray line break (a carriage return): "
                    "values cannot contain line breaks. Remove it and upload the file again.",
                )
            else:
                self.error(None, "", f"The file is not valid CSV ({exc}).")
            return
        self.report.sha256 = digest.hexdigest()
        if not self.positions:
            return
        if self.report.rows == 0:
            self.error(None, "", "The file has a header but no people.")
        self._check_against_database()
        self._check_managers()

    @property
    def changes_anything(self) -> bool:
        """Whether the file asks for any write: without one, the second pass is not needed."""
        return bool(
            self.new_people or self.roles_missing or any(change is not None for change in self.existing.values())
        )

    def check_row(self, number: int, values: list[str], *, first_pass: bool = True) -> _Row | None:
        """The row's values resolved to ids, or None after recording its errors. The first pass also checks
        what spans rows (duplicates, e-mails held by others) and remembers what the second pass needs."""
        if len(values) != self.width:
            self.error(
                number,
                "",
                f"This row has {len(values)} values but the header has {self.width} columns: "
                "look for a stray comma or an unclosed quote.",
            )
            return None
        cells = {column: values[position].strip() for column, position in self.positions.items()}
        errors_before = self.report.error_count

        # One search of the whole row finds that most rows hold no control character at all.
        suspect = control_character("".join(cells.values())) is not None
        for column in COLUMNS:
            if column not in OPTIONAL_VALUES and not cells[column]:
                self.error(number, column, f"The {column.replace('_', ' ')} is empty: fill it in.")
            char = control_character(cells[column]) if suspect else None
            if char is not None:
                self.error(number, column, control_character_message(char))
                cells[column] = ""  # reported once: the checks below skip an empty value
        for column, limit in self.lengths.items():
            if len(cells[column]) > limit:
                self.error(number, column, f"This is {len(cells[column])} characters long: at most {limit} fit.")

        staff, manager, email = cells["staff_number"], cells["line_manager_staff_number"], cells["email"].lower()
        if manager and manager == staff:
            self.error(number, "line_manager_staff_number", "A person cannot be their own line manager.")
        if first_pass:
            self._remember(number, staff, manager, email)
        unit = self._check_unit(number, cells["org_unit"])
        grade_id = self._check_grade(number, cells["grade"])
        profession = " ".join(cells["profession"].split())
        if profession:
            self.professions.setdefault(_key(profession), profession)
        role_level_id = self._check_role(number, cells["role"], cells["role_level"])

        if self.report.error_count != errors_before:
            return None
        return _Row(
            number,
            staff,
            email,
            cells["first_name"],
            cells["last_name"],
            unit,
            grade_id,
            profession,
            manager,
            role_level_id,
        )

    def check_row_again(self, number: int, values: list[str]) -> _Row:
        row = self.check_row(number, values, first_pass=False)
        if row is None:
            raise PeopleFileChanged("The file changed while it was being imported: nothing was written. Try again.")
        return row

    def _remember(self, number: int, staff: str, manager: str, email: str) -> None:
        if staff:
            first = self.staff_rows.get(staff)
            if first is not None:
                self.error(number, "staff_number", f"{staff} is also on row {first}: each person must appear once.")
                return
            self.staff_rows[staff] = number
            if manager and manager != staff:
                self.managers[staff] = manager
        if not email:
            return
        try:
            validate_email(email)
        except ValidationError:
            self.error(number, "email", f"{email!r} is not a valid e-mail address.")
            return
        first = self.email_rows.get(email)
        if first is not None:
            self.error(number, "email", f"{email} is also on row {first}: each person needs their own address.")
            return
        self.email_rows[email] = number

    def _check_against_database(self) -> None:
        """Check the rows against the people and accounts in the database, and note what the second pass has to
        do for each row: the people are read once, in one streaming query, and compared with what the first
        pass kept of each row (its fingerprint), so that a row that matches in every column is not written.

        An e-mail address new to its person (or of a new person) must be free, or be that of an account the
        feed may link (no person, not privileged, never signed in); a person whose address changes must not
        have a privileged account (docs/decisions/0201-hr-feed-accounts.md)."""
        manager_staff = set(self.managers.values())
        learner, line_manager = self.groups.get(LEARNER_GROUP), self.groups.get(LINE_MANAGER_GROUP)
        not_learners = _users_without_role(learner) if learner is not None else set()
        waiting_emails = dict(
            AccountEmailChange.objects.filter(status=AccountEmailChange.Status.PENDING).values_list(
                "user_id", "new_email"
            )
        )
        readdressed: list[tuple[int, str, int]] = []  # (row, staff number, user id)
        for person in _people_in_database():
            if person.staff in manager_staff:
                self.manager_ids[person.staff] = person.person_id
            number = self.staff_rows.get(person.staff)
            if number is None:
                continue
            self.existing[person.staff] = None
            if self.actor_staff is not None:
                self.current_managers[person.staff] = person.manager
            if not unit_name_in_scope(person.unit, self.scope):
                self.error(
                    number,
                    "staff_number",
                    f"Staff number {person.staff} is a person outside the organisation units you are responsible "
                    "for: remove the row.",
                )
                continue
            if person.user_id in not_learners:
                self.roles_missing.append((person.user_id, learner))
            own_email = self.email_rows.get(person.email.lower()) == number
            if not own_email:
                readdressed.append((number, person.staff, person.user_id))
            fingerprint = self._fingerprints.pop(person.staff, None)
            if fingerprint is None:
                continue  # the row has errors already
            difference = fingerprint ^ _fingerprint(
                person.unit,
                person.grade_id,
                person.profession or "",
                person.manager or "",
                person.role_level_id,
                person.first_name,
                person.last_name,
            )
            person_changed, names_changed = bool(difference >> 64), bool(difference & _HASH_BITS)
            waiting = waiting_emails.get(person.user_id)
            # A change waiting for confirmation that the file no longer asks for is superseded.
            email_changed = (not own_email and (waiting is None or self.email_rows.get(waiting) != number)) or bool(
                waiting and own_email
            )
            if person_changed or names_changed or email_changed:
                self.existing[person.staff] = _Change(
                    person.person_id, person.user_id, person_changed, names_changed, email_changed
                )
        self._fingerprints = {}
        if line_manager is not None:
            for chunk in chunks(sorted(self.manager_ids.values())):
                self.roles_missing.extend(
                    (user_id, line_manager) for user_id in _users_without_role(line_manager, chunk)
                )

        to_check = self._check_readdressed(readdressed)
        to_check.update(number for staff, number in self.staff_rows.items() if staff not in self.existing)
        self.new_people = len(self.staff_rows) - len(self.existing)
        emails = [(email, number) for email, number in self.email_rows.items() if number in to_check]
        if not emails:
            return
        staff_of = {number: staff for staff, number in self.staff_rows.items() if number in to_check}
        for chunk in chunks(emails):
            holders = {
                email: _Holder(user_id, staff, last_login)
                for user_id, email, staff, last_login in _users_by_email([email for email, _ in chunk]).values_list(
                    "id", "email_key", "person__staff_number", "last_login"
                )
            }
            privileged = privileged_user_ids(user_ids={holder.user_id for holder in holders.values()})
            for email, number in chunk:
                if email in holders:
                    self._check_holder(number, staff_of[number], email, holders[email], privileged)

    def _check_readdressed(self, readdressed: list[tuple[int, str, int]]) -> set[int]:
        """Refuse to re-address a privileged account; returns the rows whose new address is to be checked."""
        to_check = set()
        for chunk in chunks(readdressed):
            privileged = privileged_user_ids(user_ids={user_id for _, _, user_id in chunk})
            for number, staff, user_id in chunk:
                if user_id not in privileged:
                    to_check.add(number)
                    continue
                self.error(
                    number,
                    "email",
                    f"Staff number {staff} has an administrator's account (a role beyond learner and line manager, "
                    "or staff or superuser status): the HR feed cannot change its e-mail address. Keep the current "
                    "address in the file and ask a superuser to change it.",
                )
        return to_check

    def _check_holder(self, number: int, staff: str, email: str, holder: _Holder, privileged: set[int]) -> None:
        """The row gives its person an address that an account in the database holds."""
        if holder.staff is not None and holder.staff != staff:
            self.error(
                number,
                "email",
                f"{email} is the e-mail address of staff number {holder.staff} in the database. Correct it, "
                "or to swap two people's addresses import the change in two steps.",
            )
        elif holder.staff is None and staff in self.existing:
            self.error(
                number,
                "email",
                f"{email} belongs to another user account, not linked to staff number {staff}: "
                "ask an administrator to merge or rename that account.",
            )
        elif holder.staff is None and holder.user_id in privileged:
            self.error(
                number,
                "email",
                f"{email} belongs to an administrator's account: the HR feed never links a person to one. "
                "Give the person another address.",
            )
        elif holder.staff is None and holder.last_login is not None:
            self.error(
                number,
                "email",
                f"{email} belongs to an account that has already been used and is not linked to a person: the "
                "HR feed only links accounts nobody has signed in with. Check the address with the person.",
            )
        elif holder.staff is None:
            self.linkable[email] = holder.user_id

    def _check_unit(self, number: int, value: str) -> str:
        if not value:
            return ""
        if value not in self._unit_cache:
            try:
                names = org_unit_path_split(value)
            except ValueError as exc:
                self._unit_cache[value] = ("", f"{exc} For example 'Department for Education/Digital and Data'.")
            else:
                self._unit_cache[value] = (SEPARATOR.join(names), "")
        full_name, message = self._unit_cache[value]
        if not message and not unit_name_in_scope(full_name, self.scope):
            message = f"{full_name} is outside the organisation units you are responsible for."
        if message:
            self.error(number, "org_unit", message)
        else:
            self.unit_names.add(full_name)
        return full_name

    def _check_grade(self, number: int, value: str) -> int:
        if not value:
            return 0
        grade_id = self.reference.grades.get(_key(value)) or self.reference.grades.get(_key(value).replace(" ", ""))
        if grade_id is None:
            self.error(
                number,
                "grade",
                f"Unknown grade {value!r}: use one of {', '.join(self.reference.grade_labels)} "
                "(or its name, e.g. 'Grade 7').",
            )
            return 0
        return grade_id

    def _check_role(self, number: int, role: str, role_level: str) -> int:
        if not role or not role_level:
            return 0
        cache_key = (role, role_level)
        if cache_key not in self._role_cache:
            self._role_cache[cache_key] = self._resolve_role(role, role_level)
        role_level_id, column, message = self._role_cache[cache_key]
        if message:
            self.error(number, column, message)
        return role_level_id or 0

    def _resolve_role(self, role: str, role_level: str) -> tuple[int | None, str, str]:
        reference = self.reference
        role_id = reference.roles.get(_key(role))
        if role_id is None:
            suggestion = _suggest(role, reference.role_names.values())
            return (None, "role", f"{role!r} is not a role in {reference.release_label()}{suggestion}.")
        role_level_id = reference.role_levels.get((role_id, _key(role_level)))
        if role_level_id is None:
            levels = reference.level_names.get(role_id, [])
            role_name = reference.role_names[role_id]
            if not levels:
                return (None, "role_level", f"The role {role_name!r} has no levels in {reference.release_label()}.")
            return (
                None,
                "role_level",
                f"{role_level!r} is not a level of the role {role_name!r}: use one of {', '.join(levels)}.",
            )
        return (role_level_id, "", "")

    def _check_managers(self) -> None:
        """Every line manager is in the file or the database, and no management chain loops, counting the line
        managers of people in the database who are not in the file."""
        outside = {manager for manager in self.managers.values() if manager not in self.staff_rows}
        # Staff number -> manager's staff number, for the people outside the file that chains reach.
        above: dict[str, str | None] = {}
        out_of_scope: set[str] = set()
        frontier = outside
        while frontier:
            found = {}
            for chunk in chunks(sorted(frontier)):
                for staff, manager, unit in _people_by_staff_number(chunk).values_list(
                    "staff_number", "line_manager__staff_number", "org_unit__full_name"
                ):
                    found[staff] = manager
                    if staff in outside and not unit_name_in_scope(unit, self.scope):
                        out_of_scope.add(staff)
            above.update(found)
            frontier = {manager for manager in found.values() if manager and manager not in self.staff_rows}
            frontier -= above.keys()

        for staff, manager in self.managers.items():
            if manager not in self.staff_rows and manager not in above:
                self.error(
                    self.staff_rows[staff],
                    "line_manager_staff_number",
                    f"{manager} is in neither this file nor the database: add their row or correct the staff number.",
                )
            elif manager in out_of_scope:
                self.error(
                    self.staff_rows[staff],
                    "line_manager_staff_number",
                    f"{manager} is outside the organisation units you are responsible for: choose a line manager "
                    "in yours.",
                )

        if self.actor_staff is not None:
            for staff, number in self.staff_rows.items():
                old, new = self.current_managers.get(staff), self.managers.get(staff)
                if old != new and self.actor_staff in (staff, old, new):
                    self.error(
                        number,
                        "line_manager_staff_number",
                        "Nobody can change a line management relationship they are part of, and this row changes "
                        "yours: ask another HR analyst to import it.",
                    )

        def manager_of(staff: str) -> str | None:
            return self.managers.get(staff) if staff in self.staff_rows else above.get(staff)

        explored: set[str] = set()
        for start in self.staff_rows:
            path: list[str] = []
            on_path: dict[str, int] = {}
            staff = start
            while staff is not None and staff not in explored:
                if staff in on_path:
                    self._report_loop(start, path[on_path[staff] :])
                    break
                on_path[staff] = len(path)
                path.append(staff)
                staff = manager_of(staff)
            explored.update(path)

    def _report_loop(self, start: str, loop: list[str]) -> None:
        def label(staff: str) -> str:
            row = self.staff_rows.get(staff)
            return f"{staff} (row {row})" if row else f"{staff} (in the database)"

        rows = [self.staff_rows[staff] for staff in loop if staff in self.staff_rows]
        chain = " → ".join([*map(label, loop), loop[0]])
        self.error(
            min(rows) if rows else self.staff_rows[start],
            "line_manager_staff_number",
            f"The management chain loops: {chain} (each is managed by the next). Change one of these line managers.",
        )


class _Writer:
    """The second pass, for a file that changes something: creates the missing units and professions, then the
    new and changed people and accounts a batch at a time through `skills.services.bulk` (COPY on PostgreSQL;
    see the decision records for why not `bulk_create`/`bulk_update`), then the line managers that came later in
    the file than their reports. Rows the first pass found unchanged are skipped unread."""

    def __init__(self, *, feed: _Feed, report: PeopleImportReport, actor=None):
        self.feed = feed
        self.report = report
        self.actor = actor
        # (user id, new address) of the accounts whose address the file changes: each goes through
        # `account_email_change_request` at the end, which decides whether it waits for confirmation.
        self.email_changes: list[tuple[int, str]] = []
        self.user_model = get_user_model()
        self.updated_at = Person._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
        self.unit_ids: dict[str, int] = {}
        self.profession_ids: dict[str, int] = {}
        self.manager_staff = set(feed.managers.values())
        # Person id of everyone who manages someone in the file, as they become known (or are reserved).
        self.manager_ids: dict[str, int] = dict(feed.manager_ids)
        self.pending_managers: list[tuple[int, str]] = []
        self.ids_reserved = False
        self.through = self.user_model.groups.through

    def write(self, handle) -> None:
        self.report.unchanged = sum(change is None for change in self.feed.existing.values())
        if not self.feed.changes_anything:
            return
        self._ensure_units()
        self._ensure_professions()
        self._reserve_manager_ids()
        digest = hashlib.sha256()
        batch: list[_Row] = []
        staff_at = self.feed.positions["staff_number"]
        for number, values in self.feed.records(handle, digest):
            staff = values[staff_at].strip() if len(values) == self.feed.width else None
            if staff in self.feed.existing and self.feed.existing[staff] is None:
                continue  # unchanged: the digest below still proves the file is the one checked
            batch.append(self.feed.check_row_again(number, values))
            if len(batch) == BATCH_SIZE:
                self._write_batch(batch)
                batch = []
        if batch:
            self._write_batch(batch)
        if digest.hexdigest() != self.report.sha256:
            raise PeopleFileChanged("The file changed while it was being imported: nothing was written. Try again.")
        rows_update(
            Person,
            ["line_manager_id"],
            [(self.manager_ids[manager], person_id) for person_id, manager in self.pending_managers],
        )
        self._grant_roles(self.feed.roles_missing)
        self._change_emails()

    def _change_emails(self) -> None:
        users = self.user_model.objects.in_bulk([user_id for user_id, _ in self.email_changes])
        for user_id, email in self.email_changes:
            change = account_email_change_request(user=users[user_id], new_email=email, actor=self.actor)
            if change is None:
                continue
            if change.status == AccountEmailChange.Status.APPLIED:
                self.report.email_changes_applied += 1
            else:
                self.report.email_changes_pending += 1

    def _ensure_units(self) -> None:
        """Create the units missing from the tree, most of them in one INSERT with their materialised paths
        computed here; a new unit that would sort before an existing sibling goes through treebeard instead,
        which moves its siblings along."""
        units = {
            full_name: (name, path)
            for full_name, name, path in OrganisationUnit.objects.values_list("full_name", "name", "path")
        }
        missing = set()
        for full_name in self.feed.unit_names - units.keys():
            names = full_name.split(SEPARATOR)
            missing.update(SEPARATOR.join(names[:depth]) for depth in range(1, len(names) + 1))
        missing -= units.keys()
        if missing:
            self.report.units_created = sorted(missing)
            last_name = {}
            for full_name, (name, _) in units.items():
                parent = _parent_name(full_name)
                last_name[parent] = max(name, last_name.get(parent, name))
            out_of_order = sorted(
                full_name
                for full_name in missing
                if _parent_name(full_name) in last_name and _leaf_name(full_name) < last_name[_parent_name(full_name)]
            )
            for full_name in out_of_order:
                org_unit_ensure(full_name=full_name)
            if out_of_order:
                units = {
                    full_name: (name, path)
                    for full_name, name, path in OrganisationUnit.objects.values_list("full_name", "name", "path")
                }
            _units_append(existing=units, new=missing - set(out_of_order))
        self.unit_ids = dict(OrganisationUnit.objects.values_list("full_name", "id"))

    def _ensure_professions(self) -> None:
        self.profession_ids = {_key(name): pk for pk, name in Profession.objects.values_list("id", "name")}
        new = [Profession(name=name) for key, name in self.feed.professions.items() if key not in self.profession_ids]
        for profession in Profession.objects.bulk_create(new):
            self.profession_ids[_key(profession.name)] = profession.pk
        self.report.professions_created = sorted(profession.name for profession in new)

    def _reserve_manager_ids(self) -> None:
        """Where the database can (PostgreSQL), take the ids of the new line managers before any row is written,
        so that every new person is inserted with their line manager, even one further down the file, and none
        has to be updated afterwards (foreign keys are checked at commit)."""
        new_managers = sorted(self.manager_staff - self.manager_ids.keys())
        reserved = ids_reserve(Person, len(new_managers))
        self.ids_reserved = reserved is not None
        if reserved:
            self.manager_ids.update(zip(new_managers, reserved, strict=True))

    def _wanted(self, row: _Row) -> tuple:
        """What the person's row in the database should hold: org unit, grade, profession, line manager (None
        while a manager created later in the file has no id yet) and current role level."""
        return (
            self.unit_ids[row.org_unit],
            row.grade_id,
            self.profession_ids[_key(row.profession)] if row.profession else None,
            self.manager_ids.get(row.manager) if row.manager else None,
            row.role_level_id,
        )

    def _write_batch(self, batch: list[_Row]) -> None:
        person_updates, user_updates, new_rows = [], [], []
        for row in batch:
            if row.staff_number not in self.feed.existing:
                new_rows.append(row)
                continue
            change = self.feed.existing[row.staff_number]
            if change.person:
                wanted = self._wanted(row)
                person_updates.append((*wanted, self.updated_at, change.person_id))
                if row.manager and wanted[3] is None:
                    self.pending_managers.append((change.person_id, row.manager))
            if change.names:
                user_updates.append((row.first_name, row.last_name, change.user_id))
            if change.email:
                self.email_changes.append((change.user_id, row.email))
            self.report.updated += 1
        rows_update(Person, [*PERSON_COLUMNS, "updated_at"], person_updates)
        rows_update(self.user_model, ["first_name", "last_name"], user_updates)
        if new_rows:
            self._create(new_rows)

    def _create(self, rows: list[_Row]) -> None:
        """Create these people with their "hr-feed" identities and roles, and their accounts unless the first
        pass found an unused account with their e-mail address to link."""
        linkable = self.feed.linkable
        linked = [
            (row.email, row.first_name, row.last_name, linkable[row.email]) for row in rows if row.email in linkable
        ]
        rows_update(self.user_model, USER_COLUMNS, linked)
        self.report.accounts_linked += len(linked)
        new_users = [
            (row.email, row.first_name, row.last_name, _unusable_password())
            for row in rows
            if row.email not in linkable
        ]
        new_user_ids = iter(rows_insert(self.user_model, [*USER_COLUMNS, "password"], new_users, returning_ids=True))
        user_ids = [linkable[row.email] if row.email in linkable else next(new_user_ids) for row in rows]

        people = [
            (row.staff_number, user_id, *self._wanted(row), self.updated_at)
            for row, user_id in zip(rows, user_ids, strict=True)
        ]
        columns = ["staff_number", "user_id", *PERSON_COLUMNS, "updated_at"]
        if self.ids_reserved:
            others = iter(ids_reserve(Person, sum(row.staff_number not in self.manager_ids for row in rows)))
            person_ids = [self.manager_ids.get(row.staff_number) or next(others) for row in rows]
            rows_insert(
                Person, ["id", *columns], [(pk, *person) for pk, person in zip(person_ids, people, strict=True)]
            )
        else:
            person_ids = rows_insert(Person, columns, people, returning_ids=True)
        rows_insert(
            PersonIdentity,
            ["person_id", "issuer", "subject", "created_at"],
            [
                (person_id, HR_FEED_ISSUER, row.staff_number, self.updated_at)
                for row, person_id in zip(rows, person_ids, strict=True)
            ],
        )
        roles = []
        for row, person, person_id, user_id in zip(rows, people, person_ids, user_ids, strict=True):
            if row.staff_number in self.manager_staff:
                self.manager_ids[row.staff_number] = person_id
            if row.manager and person[5] is None:
                self.pending_managers.append((person_id, row.manager))
            roles.append((user_id, self.feed.groups.get(LEARNER_GROUP)))
            if row.staff_number in self.manager_staff:
                roles.append((user_id, self.feed.groups.get(LINE_MANAGER_GROUP)))
        self.report.created += len(rows)
        if linked:  # a linked account may hold a role already
            held = set(
                self.through.objects.filter(user_id__in=[user[3] for user in linked]).values_list("user_id", "group_id")
            )
            roles = [pair for pair in roles if pair not in held]
        self._grant_roles(roles)

    def _grant_roles(self, roles: list[tuple[int, int | None]]) -> None:
        """Learner for everyone in the file, Line manager for whoever manages someone; never taken away. The
        first pass found which people in the database lack them; new people lack both."""
        missing = [pair for pair in roles if pair[1] is not None]
        rows_insert(self.through, ["user_id", "group_id"], missing)
        self.report.roles_granted += len(missing)


def _parent_name(full_name: str) -> str:
    return full_name.rpartition(SEPARATOR)[0]


def _leaf_name(full_name: str) -> str:
    return full_name.rpartition(SEPARATOR)[2]


def _units_append(*, existing: dict[str, tuple[str, str]], new: set[str]) -> None:
    """Insert the `new` units (none sorting before an existing sibling), each after its parent's last child,
    siblings in name order, with treebeard's materialised path, depth and child count."""
    if not new:
        return
    steplen = OrganisationUnit.steplen
    paths = {full_name: path for full_name, (_, path) in existing.items()}
    last_step: dict[str, int] = {}
    for path in paths.values():
        parent_path, step = path[:-steplen], OrganisationUnit.path_step(path)
        last_step[parent_path] = max(step, last_step.get(parent_path, 0))
    children: dict[str, int] = {}
    rows = []
    for full_name in sorted(new, key=lambda name: (name.count(SEPARATOR), name.split(SEPARATOR))):
        parent = _parent_name(full_name)
        parent_path = paths[parent] if parent else ""
        depth = full_name.count(SEPARATOR) + 1
        step = last_step.get(parent_path, 0) + 1
        last_step[parent_path] = step
        path = OrganisationUnit.child_path(parent_path, step)
        paths[full_name] = path
        children[parent_path] = children.get(parent_path, 0) + 1
        rows.append((path, depth, _leaf_name(full_name), full_name))
    rows_insert(
        OrganisationUnit,
        ["path", "depth", "numchild", "name", "full_name"],
        [(path, depth, children.get(path, 0), name, full_name) for path, depth, name, full_name in rows],
    )
    new_paths = {path for path, *_ in rows}
    for parent_path, count in children.items():
        if parent_path and parent_path not in new_paths:
            OrganisationUnit.objects.filter(path=parent_path).update(numchild=F("numchild") + count)


def _staff_number_of(user) -> str | None:
    if user is None:
        return None
    return Person.objects.filter(user=user).values_list("staff_number", flat=True).first()


def _people_by_staff_number(staff_numbers):
    """The people the HR feed knows by these staff numbers: matched through their "hr-feed" identity."""
    return Person.objects.filter(
        identities__issuer=HR_FEED_ISSUER, identities__subject__in=list(staff_numbers)
    ).order_by()


def _people_in_database() -> Iterator[_Current]:
    """Everyone the HR feed knows (through their "hr-feed" identity), streamed in one query (a server-side
    cursor on PostgreSQL, BATCH_SIZE rows at a time): the feed compares them with its rows by staff number, so
    it reads each person once however long the file, and holds one chunk of them."""
    people = (
        Person.objects.filter(identities__issuer=HR_FEED_ISSUER)
        .order_by()
        .values_list(
            "staff_number",
            "id",
            "user_id",
            "user__email",
            "user__first_name",
            "user__last_name",
            "org_unit__full_name",
            "grade_id",
            "profession__name",
            "line_manager__staff_number",
            "current_role_level_id",
        )
    )
    for values in people.iterator(chunk_size=BATCH_SIZE):
        yield _Current(*values)


def _users_without_role(group_id: int, person_ids=None) -> set[int]:
    """The accounts of the people (all of them, or those with these ids) who lack this role: an anti-join that
    returns only the few who do."""
    people = Person.objects.all() if person_ids is None else Person.objects.filter(pk__in=person_ids)
    through = get_user_model().groups.through
    missing = ~Exists(through.objects.filter(user_id=OuterRef("user_id"), group_id=group_id))
    return set(people.filter(missing).order_by().values_list("user_id", flat=True))


_HASH_BITS = 2**64 - 1


def _fingerprint(unit, grade_id, profession, manager, role_level_id, first_name, last_name) -> int:
    """What a row says of the person (the high 64 bits) and of their account's names (the low 64), as hashes in
    one integer: the first pass keeps this instead of the row, and compares it with the database's. A
    difference in case or spacing of the profession does not count (professions are matched that way)."""
    person = hash((unit, grade_id, _key(profession), manager, role_level_id)) & _HASH_BITS
    return person << 64 | hash((first_name, last_name)) & _HASH_BITS


def _identities_ensure() -> None:
    """Give an "hr-feed" identity to each person made outside the feed (the demo, a shell) who lacks one: their
    staff number is the feed's key for them. One query when everyone has one."""
    missing = Person.objects.exclude(identities__issuer=HR_FEED_ISSUER).values_list("pk", "staff_number")
    PersonIdentity.objects.bulk_create(
        [PersonIdentity(person_id=pk, issuer=HR_FEED_ISSUER, subject=staff) for pk, staff in missing],
        batch_size=BATCH_SIZE,
    )


def _users_by_email(emails: list[str]):
    return get_user_model().objects.annotate(email_key=Lower("email")).filter(email_key__in=emails).order_by()


class _NotUtf8(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(line, reason)
        self.line, self.reason = line, reason


def _decoded_lines(handle, digest) -> Iterator[str]:
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
            raise _NotUtf8(number, f"byte 0x{raw[exc.start]:02x} at position {exc.start + 1}") from None
        yield text.removeprefix("\ufeff") if number == 1 else text


@contextmanager
def _opened(file):
    if isinstance(file, (str, Path)):
        with open(file, "rb") as handle:
            yield handle
    else:
        yield file


def _source_name(file) -> str:
    if isinstance(file, (str, Path)):
        return str(file)
    return Path(getattr(file, "name", "") or "upload").name


def _unusable_password() -> str:
    # The same shape as make_password(None) ("!" and 40 random characters) without its per-character
    # system calls, which cost seconds over 100,000 accounts.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _suggest(value: str, names) -> str:
    close = difflib.get_close_matches(value, list(names), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ": check the spelling against the framework"
