"""The HR feed's second pass: writes a checked `PeopleFeed` (see `skills.services.people_import`)."""

import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection
from django.utils import timezone

from skills.importers.checks import FeedRow
from skills.importers.people import LEARNER_GROUP, LINE_MANAGER_GROUP, PeopleFeed
from skills.importers.reading import name_key
from skills.models import HR_FEED_ISSUER, AccountEmailChange, OrganisationUnit, Person, PersonIdentity, Profession
from skills.models.organisation import ancestor_names, leaf_name, parent_name
from skills.selectors.team import team_pages_invalidate
from skills.services.accounts import account_email_change_request
from skills.services.bulk import ids_reserve, rows_insert, rows_update
from skills.services.leavers import person_leave
from skills.services.organisation import org_unit_ensure, org_units_append

PERSON_COLUMNS = ["org_unit_id", "grade_id", "profession_id", "line_manager_id", "current_role_level_id"]
USER_COLUMNS = ["email", "first_name", "last_name"]


class PeopleFeedWriter:
    """Writes a checked feed that changes something: creates the missing units and professions, then the new and
    changed people and accounts a batch at a time through `skills.services.bulk` (COPY on PostgreSQL; see the
    decision records for why not `bulk_create`/`bulk_update`), then the line managers that came later in the
    file than their reports, the roles granted, the changes of address and the leavers. Rows the check pass found
    unchanged are skipped unread. Runs inside the import's transaction; counts what it does in the feed's report.
    A dry run counts the people a full file leaves out rather than marking each: the whole run is rolled back, and
    `person_leave` cannot refuse someone the check found still here."""

    def __init__(self, *, feed: PeopleFeed, actor=None, dry_run: bool = False, absent_left_on: date | None = None):
        self.feed = feed
        self.dry_run = dry_run
        # The day the people a full file leaves out left.
        self.absent_left_on = absent_left_on
        self.report = feed.report
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
        if not self.feed.changes_anything:
            return
        self._ensure_units()
        self._ensure_professions()
        self._reserve_manager_ids()
        for batch in self.feed.rows_to_write(handle):
            self._write_batch(batch)
        rows_update(
            Person,
            ["line_manager_id"],
            [(self.manager_ids[manager], person_id) for person_id, manager in self.pending_managers],
        )
        self._grant_roles(self.feed.roles_missing)
        self._change_emails()
        self._mark_leavers()
        # People and accounts were written in bulk, without the model signals: the team choices read them.
        team_pages_invalidate()

    def _mark_leavers(self) -> None:
        """The people the file marks as having left, after their rows are written (a leaver's reports may have
        been given their new manager in the same file), then those a full file leaves out: each through
        `person_leave`, which moves their work."""
        for person in Person.objects.filter(pk__in=list(self.feed.leavers)).order_by("pk"):
            if person_leave(person=person, left_on=self.feed.leavers[person.pk], actor=self.actor) is not None:
                self.report.leavers += 1
        if not self.feed.absent:
            return
        if self.dry_run:
            self.report.leavers_by_absence = len(self.feed.absent)
            return
        for person in Person.objects.filter(pk__in=sorted(self.feed.absent.values())).order_by("pk"):
            if person_leave(person=person, left_on=self.absent_left_on, actor=self.actor) is not None:
                self.report.leavers_by_absence += 1

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
            missing.update(ancestor_names(full_name))
        missing -= units.keys()
        if missing:
            self.report.units_created = sorted(missing)
            last_name = {}
            for full_name, (name, _) in units.items():
                parent = parent_name(full_name)
                last_name[parent] = max(name, last_name.get(parent, name))
            out_of_order = sorted(
                full_name
                for full_name in missing
                if parent_name(full_name) in last_name and leaf_name(full_name) < last_name[parent_name(full_name)]
            )
            for full_name in out_of_order:
                org_unit_ensure(full_name=full_name)
            if out_of_order:
                units = {
                    full_name: (name, path)
                    for full_name, name, path in OrganisationUnit.objects.values_list("full_name", "name", "path")
                }
            org_units_append(
                existing={name: path for name, (_, path) in units.items()}, new=missing - set(out_of_order)
            )
        self.unit_ids = dict(OrganisationUnit.objects.values_list("full_name", "id"))

    def _ensure_professions(self) -> None:
        self.profession_ids = {name_key(name): pk for pk, name in Profession.objects.values_list("id", "name")}
        new = [Profession(name=name) for key, name in self.feed.professions.items() if key not in self.profession_ids]
        for profession in Profession.objects.bulk_create(new):
            self.profession_ids[name_key(profession.name)] = profession.pk
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

    def _wanted(self, row: FeedRow) -> tuple:
        """What the person's row in the database should hold: org unit, grade, profession, line manager (None
        while a manager created later in the file has no id yet) and current role level."""
        return (
            self.unit_ids[row.org_unit],
            row.grade_id,
            self.profession_ids[name_key(row.profession)] if row.profession else None,
            self.manager_ids.get(row.manager) if row.manager else None,
            row.role_level_id,
        )

    def _write_batch(self, batch: list[FeedRow]) -> None:
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

    def _create(self, rows: list[FeedRow]) -> None:
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


def _unusable_password() -> str:
    # The same shape as make_password(None) ("!" and 40 random characters) without its per-character
    # system calls, which cost seconds over 100,000 accounts.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
