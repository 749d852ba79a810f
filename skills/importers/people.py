"""The HR feed's check pass: people, their user accounts, organisation units and professions from one CSV file,
read and checked into a `PeopleFeed`, the value that `skills.services.people_import` writes.

The file is read streaming; every row is checked against the reference data and the rows before it
(`checks`), then against the people and accounts in the database, each person read once (`existing`), and the
management chains against loops (`managers`). No query per row, nothing written. Only a file without errors that
changes something is read a second time, by the service, through `PeopleFeed.rows_to_write`. See
docs/decisions/0200-people-import.md and 0204-hr-feed-copy.md.
"""

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.contrib.auth.models import Group

from frameworks.models import Framework
from skills.importers.checks import FeedRow, RowChecks
from skills.importers.errors import PeopleFileChanged
from skills.importers.existing import Holder, ReferenceData, people_in_database, users_by_email, users_without_role
from skills.importers.managers import managers_check
from skills.importers.reading import BATCH_SIZE, NotUtf8, chunks, name_key
from skills.importers.report import PeopleImportReport
from skills.models import AccountEmailChange
from skills.models.organisation import full_name_within

LEARNER_GROUP = "Learner"
LINE_MANAGER_GROUP = "Line manager"
# Called as privileged(user_ids=...): which of these accounts are privileged (the service passes the selector).
Privileged = Callable[..., set[int]]


class Change(NamedTuple):
    """What the second pass changes for a person in the database."""

    person_id: int
    user_id: int
    person: bool
    names: bool
    email: bool


@dataclass
class PeopleFeed:
    """What a checked file asks to be written, and its report. Only a feed whose `report.ok` is written.

    `existing` maps the staff number of each person of the file already in the database to what changes for
    them, or None when the file leaves them as they are; a staff number of the file missing there is a new
    person. `managers` maps staff numbers to their line manager's; `manager_ids` holds the person id of each
    line manager in the database (in the file or not). `linkable` maps the e-mail address of a new person's row
    to the unused account, with no person, that the row links to; `roles_missing` lists the (user id, group id)
    of the roles people in the database lack and the file grants them; `groups` the ids of the Learner and Line
    manager groups by name. `professions` holds the file's professions by their `name_key`. For a full file,
    `absent` maps the staff number of each person the file leaves out, in the uploader's units, who has not left
    (and is not erased), to their person id: they leave; `in_scope` counts everyone in those units still here.
    """

    report: PeopleImportReport
    unit_names: set[str] = field(default_factory=set)
    professions: dict[str, str] = field(default_factory=dict)
    managers: dict[str, str] = field(default_factory=dict)
    existing: dict[str, Change | None] = field(default_factory=dict)
    new_people: int = 0
    linkable: dict[str, int] = field(default_factory=dict)
    roles_missing: list[tuple[int, int]] = field(default_factory=list)
    manager_ids: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    leavers: dict[int, date] = field(default_factory=dict)
    absent: dict[str, int] = field(default_factory=dict)
    in_scope: int = 0
    checks: RowChecks | None = field(default=None, repr=False, compare=False)

    @property
    def unchanged(self) -> int:
        return sum(change is None for change in self.existing.values())

    @property
    def changes_anything(self) -> bool:
        """Whether the file asks for any write: without one, the second pass is not needed."""
        return bool(
            self.new_people
            or self.roles_missing
            or self.leavers
            or self.absent
            or any(change is not None for change in self.existing.values())
        )

    def rows_to_write(self, handle) -> Iterator[list[FeedRow]]:
        """The rows of the new and changed people, read from the file again and checked again, BATCH_SIZE at a
        time; rows found unchanged are skipped unchecked. Raises PeopleFileChanged, after the last batch, if the
        file is not the one checked (its SHA-256 differs) or a row no longer passes its checks."""
        digest = hashlib.sha256()
        batch: list[FeedRow] = []
        file = self.checks.file
        staff_at = file.positions["staff_number"]
        for number, values in file.records(handle, digest):
            staff = values[staff_at].strip() if len(values) == file.width else None
            if staff in self.existing and self.existing[staff] is None:
                continue  # unchanged: the digest below still proves the file is the one checked
            batch.append(self.checks.check_row_again(number, values))
            if len(batch) == BATCH_SIZE:
                yield batch
                batch = []
        if batch:
            yield batch
        if digest.hexdigest() != self.report.sha256:
            raise PeopleFileChanged("The file changed while it was being imported: nothing was written. Try again.")


def people_feed_check(
    *,
    handle,
    framework: Framework,
    report: PeopleImportReport,
    scope: list[str] | None,
    actor_staff: str | None,
    privileged: Privileged,
    full_file: bool = False,
    max_absent_share: float | None = None,
) -> PeopleFeed:
    """Read and check the file `handle` (binary, seekable) against `framework`'s current release and the
    database, recording every problem in `report`, and return what it asks to be written. `scope` holds the
    full names of the units the uploader is responsible for as HR (None: no limit); `actor_staff` is the
    uploader's own staff number, whose line management no row may change; `privileged(user_ids=...)` says which
    accounts are privileged (the feed neither links nor re-addresses those).

    `full_file`: the file lists everyone in `scope`, and whoever there it leaves out (and has not left) leaves
    (`PeopleFeed.absent`); no row may name one of them as its line manager, and if they are more than
    `max_absent_share` of the people in `scope` who have not left, the file is refused as incomplete."""
    check = _FeedCheck(
        reference=ReferenceData.load(framework),
        report=report,
        scope=scope,
        actor_staff=actor_staff,
        privileged=privileged,
        full_file=full_file,
        max_absent_share=max_absent_share,
    )
    check.check(handle)
    return check.feed


class _FeedCheck(RowChecks):
    """The first pass: the row checks, then the checks against the database, filling in `feed`."""

    def __init__(
        self, *, reference, report, scope, actor_staff, privileged: Privileged, full_file=False, max_absent_share=None
    ):
        super().__init__(reference=reference, report=report, scope=scope)
        self.privileged = privileged
        self.full_file = full_file
        self.max_absent_share = max_absent_share
        # The uploader's own staff number: no row may change a line management relationship they are part of.
        self.actor_staff = actor_staff
        # Staff number -> their line manager's staff number now, for the people of the file in the database; only
        # kept when the uploader has a staff number (the only use).
        self.current_managers: dict[str, str | None] = {}
        groups = Group.objects.filter(name__in=[LEARNER_GROUP, LINE_MANAGER_GROUP]).values_list("name", "id")
        self.feed = PeopleFeed(
            report=report,
            unit_names=self.unit_names,
            professions=self.professions,
            managers=self.managers,
            groups=dict(groups),
            checks=self,
        )
        # Staff number -> the fingerprint of what the row says (`_fingerprint`), for the rows without errors.
        self._fingerprints: dict[str, int] = {}

    def check(self, handle) -> None:
        digest = hashlib.sha256()
        try:
            for number, values in self.file.records(handle, digest):
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
        except NotUtf8 as exc:
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
        if not self.file.positions:
            return
        if self.report.rows == 0:
            self.error(None, "", "The file has a header but no people.")
        self._check_against_database()
        managers_check(self, actor_staff=self.actor_staff, current_managers=self.current_managers)

    def _check_against_database(self) -> None:
        """Check the rows against the people and accounts in the database, and note what the second pass has to
        do for each row: the people are read once, in one streaming query, and compared with what the first
        pass kept of each row (its fingerprint), so that a row that matches in every column is not written.

        An e-mail address new to its person (or of a new person) must be free, or be that of an account the
        feed may link (no person, not privileged, never signed in); a person whose address changes must not
        have a privileged account (docs/decisions/0201-hr-feed-accounts.md)."""
        manager_staff = set(self.managers.values())
        learner, line_manager = self.feed.groups.get(LEARNER_GROUP), self.feed.groups.get(LINE_MANAGER_GROUP)
        not_learners = users_without_role(learner) if learner is not None else set()
        waiting_emails = dict(
            AccountEmailChange.objects.filter(status=AccountEmailChange.Status.PENDING).values_list(
                "user_id", "new_email"
            )
        )
        readdressed: list[tuple[int, str, int]] = []  # (row, staff number, user id)
        left_managers: set[str] = set()  # line managers of the file's rows who have left already
        for person in people_in_database():
            if person.staff in manager_staff:
                self.feed.manager_ids[person.staff] = person.person_id
                if person.left_on is not None:
                    left_managers.add(person.staff)
            if self.full_file:
                self._count_in_scope(person)
            number = self.staff_rows.get(person.staff)
            if number is None:
                continue
            self.feed.existing[person.staff] = None
            if not self._check_leaver(number, person):
                continue
            if self.actor_staff is not None:
                self.current_managers[person.staff] = person.manager
            if not full_name_within(person.unit, self.scope):
                self.error(
                    number,
                    "staff_number",
                    f"Staff number {person.staff} is a person outside the organisation units you are responsible "
                    "for: remove the row.",
                )
                continue
            if person.user_id in not_learners:
                self.feed.roles_missing.append((person.user_id, learner))
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
                self.feed.existing[person.staff] = Change(
                    person.person_id, person.user_id, person_changed, names_changed, email_changed
                )
        self._fingerprints = {}
        self._check_leavers_managers(left_managers)
        if self.full_file:
            self._check_absent_share()
        if line_manager is not None:
            for chunk in chunks(sorted(self.feed.manager_ids.values())):
                self.feed.roles_missing.extend(
                    (user_id, line_manager) for user_id in users_without_role(line_manager, chunk)
                )

        to_check = self._check_readdressed(readdressed)
        to_check.update(number for staff, number in self.staff_rows.items() if staff not in self.feed.existing)
        self.feed.new_people = len(self.staff_rows) - len(self.feed.existing)
        emails = [(email, number) for email, number in self.email_rows.items() if number in to_check]
        if not emails:
            return
        staff_of = {number: staff for staff, number in self.staff_rows.items() if number in to_check}
        for chunk in chunks(emails):
            holders = {
                email: Holder(user_id, staff, last_login)
                for user_id, email, staff, last_login in users_by_email([email for email, _ in chunk]).values_list(
                    "id", "email_key", "person__staff_number", "last_login"
                )
            }
            privileged = self.privileged(user_ids={holder.user_id for holder in holders.values()})
            for email, number in chunk:
                if email in holders:
                    self._check_holder(number, staff_of[number], email, holders[email], privileged)

    def _check_leaver(self, number: int, person) -> bool:
        """Note a person the row marks as having left; False, after recording the error, for a row that would
        bring a leaver back (the feed cannot undo a departure)."""
        leaving = self.leaver_rows.get(person.staff)
        if person.left_on is not None and leaving is None:
            self.error(
                number,
                "left_on",
                f"Staff number {person.staff} left on {person.left_on:%Y-%m-%d}: the HR feed cannot bring a leaver "
                "back. Keep their left_on date in the row, or remove the row.",
            )
            return False
        if leaving is not None and person.left_on is None:
            self.feed.leavers[person.person_id] = leaving[1]
        return True

    def _count_in_scope(self, person) -> None:
        """A full file: count the people of the uploader's units still here, and note those the file leaves out."""
        if person.left_on is not None or person.erased_at is not None or not full_name_within(person.unit, self.scope):
            return
        self.feed.in_scope += 1
        if person.staff not in self.staff_rows:
            self.feed.absent[person.staff] = person.person_id

    def _check_absent_share(self) -> None:
        """A full file that leaves out more than `max_absent_share` of the people in scope looks incomplete (a
        truncated export): refused outright, so that a department does not leave by accident."""
        absent, everyone = len(self.feed.absent), self.feed.in_scope
        if self.max_absent_share is None or absent <= everyone * self.max_absent_share:
            return
        self.error(
            None,
            "",
            f"{absent} of the {everyone} people in the organisation units you are responsible for are missing from "
            f"this file, more than the {self.max_absent_share:.0%} a full file may leave out: the file looks "
            "incomplete (a truncated export?), so nobody was marked as having left and nothing was written. Check "
            "the export and upload it again; to mark many people as having left, give each a left_on date in the "
            "file instead.",
        )

    def _check_leavers_managers(self, left_managers: set[str]) -> None:
        """A person the file marks as having left must be in the database already; nobody still here may have a
        line manager who has left, leaves in this file, or (a full file) is missing from it."""
        for staff, (number, _) in self.leaver_rows.items():
            if staff not in self.feed.existing:
                self.error(
                    number,
                    "left_on",
                    f"Staff number {staff} is not in Capability, so there is nobody to mark as having left: "
                    "remove the row.",
                )
        for staff, manager in self.managers.items():
            if staff in self.leaver_rows or staff not in self.staff_rows:
                continue
            if manager in self.leaver_rows or manager in left_managers:
                self.error(
                    self.staff_rows[staff],
                    "line_manager_staff_number",
                    f"Staff number {manager} has left (or leaves in this file), so cannot be a line manager: give "
                    "this person their new line manager.",
                )
            elif manager in self.feed.absent:
                self.error(
                    self.staff_rows[staff],
                    "line_manager_staff_number",
                    f"Staff number {manager} is missing from this full file, so leaves with it and cannot be a line "
                    f"manager: give this person their new line manager, or add {manager}'s row.",
                )

    def _check_readdressed(self, readdressed: list[tuple[int, str, int]]) -> set[int]:
        """Refuse to re-address a privileged account; returns the rows whose new address is to be checked."""
        to_check = set()
        for chunk in chunks(readdressed):
            privileged = self.privileged(user_ids={user_id for _, _, user_id in chunk})
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

    def _check_holder(self, number: int, staff: str, email: str, holder: Holder, privileged: set[int]) -> None:
        """The row gives its person an address that an account in the database holds."""
        if holder.staff is not None and holder.staff != staff:
            self.error(
                number,
                "email",
                f"{email} is the e-mail address of staff number {holder.staff} in the database. Correct it, "
                "or to swap two people's addresses import the change in two steps.",
            )
        elif holder.staff is None and staff in self.feed.existing:
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
            self.feed.linkable[email] = holder.user_id


_HASH_BITS = 2**64 - 1


def _fingerprint(unit, grade_id, profession, manager, role_level_id, first_name, last_name) -> int:
    """What a row says of the person (the high 64 bits) and of their account's names (the low 64), as hashes in
    one integer: the first pass keeps this instead of the row, and compares it with the database's. A
    difference in case or spacing of the profession does not count (professions are matched that way)."""
    person = hash((unit, grade_id, name_key(profession), manager, role_level_id)) & _HASH_BITS
    return person << 64 | hash((first_name, last_name)) & _HASH_BITS
