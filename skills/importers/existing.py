"""What the HR feed's check pass reads of the database, through the models: the reference data rows are checked
against (grades, the current release's roles and role levels) and the people, accounts and roles already
there. Reads only; the service that writes is `skills.services.people_import`."""

from collections.abc import Iterator
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from frameworks.models import Framework, Role, RoleLevel
from skills.importers.reading import BATCH_SIZE, name_key
from skills.models import HR_FEED_ISSUER, Grade, Person


class Holder(NamedTuple):
    user_id: int
    staff: str | None
    last_login: object


class Current(NamedTuple):
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
    left_on: object = None
    erased_at: object = None


class ReferenceData:
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
    def load(cls, framework: Framework) -> "ReferenceData":
        grades, grade_labels = {}, []
        for pk, code, name in Grade.objects.values_list("id", "code", "name"):
            grade_labels.append(code)
            for label in (code, name):
                grades[name_key(label)] = pk
                grades[name_key(label).replace(" ", "")] = pk
        roles, role_names = {}, {}
        for pk, name, code in Role.objects.filter(release=framework.current_release).values_list("id", "name", "code"):
            roles[name_key(code)] = pk
            roles[name_key(name)] = pk
            role_names[pk] = name.strip()
        role_levels, level_names = {}, {}
        levels = RoleLevel.objects.filter(release=framework.current_release).order_by("role_id", "seniority")
        for pk, role_id, name, code in levels.values_list("id", "role_id", "name", "code"):
            role_levels[(role_id, name_key(code))] = pk
            role_levels[(role_id, name_key(name))] = pk
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


def people_by_staff_number(staff_numbers):
    """The people the HR feed knows by these staff numbers: matched through their "hr-feed" identity."""
    return Person.objects.filter(
        identities__issuer=HR_FEED_ISSUER, identities__subject__in=list(staff_numbers)
    ).order_by()


def people_in_database() -> Iterator[Current]:
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
            "left_on",
            "erased_at",
        )
    )
    for values in people.iterator(chunk_size=BATCH_SIZE):
        yield Current(*values)


def users_without_role(group_id: int, person_ids=None) -> set[int]:
    """The accounts of the people (all of them, or those with these ids) who lack this role: an anti-join that
    returns only the few who do."""
    people = Person.objects.all() if person_ids is None else Person.objects.filter(pk__in=person_ids)
    through = get_user_model().groups.through
    missing = ~Exists(through.objects.filter(user_id=OuterRef("user_id"), group_id=group_id))
    return set(people.filter(missing).order_by().values_list("user_id", flat=True))


def users_by_email(emails: list[str]):
    return get_user_model().objects.annotate(email_key=Lower("email")).filter(email_key__in=emails).order_by()
