"""The HR feed's privileged accounts and an HR analyst's scope: the organisation units they look after."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from skills.models import (
    HRResponsibility,
    OrganisationUnit,
    PeopleImport,
    Person,
)

# The roles the HR feed itself grants. An account with any other role, staff status or superuser status is
# privileged: the feed never links it to a person nor changes its e-mail address (docs/decisions/0201).
FEED_ROLES = frozenset({"Learner", "Line manager"})


def privileged_user_ids(*, user_ids) -> set[int]:
    """Which of these accounts are privileged: staff, superusers, or holders of any role but Learner and Line
    manager. One query."""
    privileged = Q(is_staff=True) | Q(is_superuser=True) | Q(groups__in=Group.objects.exclude(name__in=FEED_ROLES))
    return set(
        get_user_model()
        .objects.filter(pk__in=list(user_ids))
        .filter(privileged)
        .values_list("pk", flat=True)
        .distinct()
    )


# --- HR scope: the organisation units an HR analyst looks after -----------------------------------------------


def hr_unit_paths(*, user) -> list[str] | None:
    """The tree paths of the units `user` is responsible for as HR (each with everything below it), or None
    for no limit: the system (`user` None) and superusers. An HR analyst without units has an empty scope."""
    if user is None or user.is_superuser:
        return None
    return list(
        HRResponsibility.objects.filter(user=user).order_by("org_unit__path").values_list("org_unit__path", flat=True)
    )


def hr_unit_names(*, user) -> list[str] | None:
    """The full names ("Department/Directorate") of the units `user` is responsible for, or None for no limit;
    for checking units that do not exist yet, such as those an HR feed would create."""
    if user is None or user.is_superuser:
        return None
    return list(HRResponsibility.objects.filter(user=user).values_list("org_unit__full_name", flat=True))


def unit_name_in_scope(full_name: str, scope_names: list[str] | None) -> bool:
    """Whether the unit with this full name is one of `scope_names` or below one (None: no limit)."""
    if scope_names is None:
        return True
    return any(full_name == name or full_name.startswith(name + "/") for name in scope_names)


def _under(paths: list[str], field: str) -> Q:
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def org_units_for_hr(*, user) -> QuerySet[OrganisationUnit]:
    """The organisation units `user` may see and change in the People admin."""
    paths = hr_unit_paths(user=user)
    units = OrganisationUnit.objects.all()
    return units if paths is None else units.filter(_under(paths, "path"))


def people_for_hr(*, user) -> QuerySet[Person]:
    """The people `user` may see and change in the People admin: those in their units and below."""
    paths = hr_unit_paths(user=user)
    people = Person.objects.all()
    return people if paths is None else people.filter(_under(paths, "org_unit__path"))


def unit_in_hr_scope(*, user, unit: OrganisationUnit) -> bool:
    paths = hr_unit_paths(user=user)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def people_imports_for(*, user) -> QuerySet[PeopleImport]:
    """The HR feed imports `user` may see: an HR analyst those they uploaded (their reports quote the files, which
    may name people outside the analyst's units), a superuser all. Who may see imports at all is the caller's
    permission check (`skills.view_peopleimport`)."""
    imports = PeopleImport.objects.all()
    return imports if user.is_superuser else imports.filter(requested_by=user)


def people_import_absent_people(*, people_import: PeopleImport) -> QuerySet[Person]:
    """The people a full HR file leaves out (`PeopleImport.absent_people`: checked, waiting for confirmation, or
    marked as having left by it), with their account, unit and line manager, by name: one query a page."""
    return (
        Person.objects.filter(pk__in=people_import.absent_people)
        .select_related("user", "org_unit", "line_manager__user")
        .order_by("user__last_name", "user__first_name", "staff_number", "pk")
    )
