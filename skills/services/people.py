"""Writes about people and the organisation made by HR: editing a person and organisation units. The HR feed
import is `skills.services.people_import`."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.log_actions import log

from frameworks.models import Framework, RoleLevel
from skills.models import Grade, OrganisationUnit, Person, Profession
from skills.selectors import (
    ROLE_LEVEL_NOT_CURRENT,
    hr_unit_names,
    role_level_in_current_release,
    unit_in_hr_scope,
    unit_name_in_scope,
)
from skills.services.bulk import MANAGEMENT_CHAIN_LOCK, management_chain_lock
from skills.services.errors import InvalidAssessment, NotAllowed, SkillsError
from skills.services.organisation import SEPARATOR, org_unit_ensure, org_unit_path_split
from skills.validators import control_character, control_character_message

__all__ = [
    "LINE_MANAGER_GROUP",
    "MANAGEMENT_CHAIN_LOCK",
    "UNCHANGED",
    "ManagementLoop",
    "OwnRightsChange",
    "management_chain_check",
    "management_chain_lock",
    "org_unit_create",
    "org_unit_rename",
    "own_change_refuse",
    "person_update",
]

LINE_MANAGER_GROUP = "Line manager"


class ManagementLoop(SkillsError):
    """The line manager given reports, directly or through others, to the person."""


class OwnRightsChange(NotAllowed):
    """The actor tried to change their own accreditation or a line management relationship they are part of.
    `field` names what they tried to change, for a form to show the refusal beside it."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


class _Unchanged:
    def __repr__(self):
        return "UNCHANGED"


UNCHANGED = _Unchanged()


def management_chain_check(*, person: Person, line_manager: Person | None) -> None:
    """Raise ManagementLoop if making `line_manager` the person's manager would close a loop: one query per
    level of the chain above the manager."""
    if line_manager is None:
        return
    if line_manager.pk == person.pk:
        raise ManagementLoop("A person cannot be their own line manager.")
    chain: list[int] = []
    manager_id = line_manager.pk
    while manager_id is not None and manager_id not in chain:
        if manager_id == person.pk:
            staff = dict(Person.objects.filter(pk__in=chain).values_list("pk", "staff_number"))
            loop = " → ".join([person.staff_number, *(staff[pk] for pk in chain), person.staff_number])
            raise ManagementLoop(
                f"{line_manager} reports to {person}, so cannot be their line manager: the chain would loop "
                f"({loop}, each managed by the next)."
            )
        chain.append(manager_id)
        manager_id = Person.objects.filter(pk=manager_id).values_list("line_manager_id", flat=True).first()


def own_change_refuse(*, actor, person: Person, old_manager: Person | None, new_manager: Person | None) -> None:
    """Raise OwnRightsChange if `actor` is part of the management relationship being changed: the person, their
    line manager now, or the one proposed. Nobody changes their own line management (they could make themselves
    the manager of someone whose claims they then validate); the system (`actor` None) may."""
    if actor is None:
        return
    involved = {person.user_id, *(manager.user_id for manager in (old_manager, new_manager) if manager is not None)}
    if actor.pk in involved:
        raise OwnRightsChange(
            "Nobody can change a line management relationship they are part of: ask another HR analyst.",
            field="line_manager",
        )


def _role_level_check(role_level: RoleLevel | None) -> None:
    if role_level is not None and not role_level_in_current_release(role_level=role_level):
        raise InvalidAssessment(ROLE_LEVEL_NOT_CURRENT.format(role_level=role_level))


@transaction.atomic
def person_update(
    *,
    person: Person,
    actor,
    org_unit: OrganisationUnit = UNCHANGED,
    grade: Grade = UNCHANGED,
    profession: Profession | None = UNCHANGED,
    line_manager: Person | None = UNCHANGED,
    current_role_level: RoleLevel | None = UNCHANGED,
    target_role_level: RoleLevel | None = UNCHANGED,
    accredited_frameworks: list[Framework] = UNCHANGED,
) -> Person:
    """HR changes a person's organisation unit, grade, profession, line manager, role levels or the frameworks
    they are accredited to assess; arguments left out stay as they are. The person is re-read, so a form that
    already changed the instance in memory is fine.

    Allowed to superusers and HR analysts (the `skills.change_person` permission), else NotAllowed; an HR
    analyst only for a person in their organisation units (NotAllowed), and only to move them to a unit, or
    give them a line manager, in those units (SkillsError). Nobody changes their own accreditation or a line
    management relationship they are part of (NotAllowed). Refuses a
    line manager who reports to the person, however indirectly (ManagementLoop), and role levels outside their
    framework's current release (SkillsError). A new line manager gets the Line manager role. One audit entry
    ("capability.skills.person_update") naming the fields changed, when something changed.
    """
    if actor is None or not actor.has_perm("skills.change_person"):
        raise NotAllowed("Only HR analysts can change people's details.")
    management_chain_lock()
    person = Person.objects.select_for_update().select_related("user", "org_unit").get(pk=person.pk)
    previous_manager = person.line_manager_id
    if not unit_in_hr_scope(user=actor, unit=person.org_unit):
        raise NotAllowed("This person is outside the organisation units you are responsible for.")
    changes = {
        "org_unit": org_unit,
        "grade": grade,
        "profession": profession,
        "line_manager": line_manager,
        "current_role_level": current_role_level,
        "target_role_level": target_role_level,
    }
    changed = [
        name
        for name, value in changes.items()
        if value is not UNCHANGED and getattr(person, f"{name}_id") != (value.pk if value is not None else None)
    ]
    if "org_unit" in changed and not unit_in_hr_scope(user=actor, unit=org_unit):
        raise SkillsError(f"{org_unit} is outside the organisation units you are responsible for: choose one of yours.")
    if (
        "line_manager" in changed
        and line_manager is not None
        and not unit_in_hr_scope(user=actor, unit=line_manager.org_unit)
    ):
        raise SkillsError(
            f"{line_manager} is outside the organisation units you are responsible for: choose someone in yours."
        )
    if "line_manager" in changed:
        own_change_refuse(actor=actor, person=person, old_manager=person.line_manager, new_manager=line_manager)
        management_chain_check(person=person, line_manager=line_manager)
    for name in ("current_role_level", "target_role_level"):
        if name in changed:
            _role_level_check(changes[name])
    for name in changed:
        setattr(person, name, changes[name])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    accreditation = {}
    if accredited_frameworks is not UNCHANGED:
        wanted = {framework.pk for framework in accredited_frameworks}
        before = set(person.accredited_frameworks.values_list("pk", flat=True))
        if wanted != before:
            if person.user_id == actor.pk:
                raise OwnRightsChange(
                    "Nobody can change their own accreditation: ask another HR analyst.",
                    field="accredited_frameworks",
                )
            person.accredited_frameworks.set(wanted)
            changed.append("accredited_frameworks")
            accreditation = {"accredited_frameworks": {"from": sorted(before), "to": sorted(wanted)}}
    if "line_manager" in changed and line_manager is not None:
        group = Group.objects.filter(name=LINE_MANAGER_GROUP).first()
        if group is not None:
            line_manager.user.groups.add(group)
    if changed:
        log(
            instance=person,
            action="capability.skills.person_update",
            user=actor,
            data={
                "changed": changed,
                **{name: _pk(changes.get(name)) for name in changed if name in changes},
                **({"line_manager_before": previous_manager} if "line_manager" in changed else {}),
                **accreditation,
            },
        )
    return person


def _pk(value):
    return value.pk if value is not None and value is not UNCHANGED else None


@transaction.atomic
def org_unit_create(*, full_name: str, actor) -> OrganisationUnit:
    """HR adds an organisation unit by its path ("Department/Directorate/Team"); missing ancestors are created
    too. Refused (SkillsError) if it exists, or for an HR analyst if it is not inside their units. Superusers
    and HR analysts only (`skills.add_organisationunit`).
    One audit entry per unit created."""
    if actor is None or not actor.has_perm("skills.add_organisationunit"):
        raise NotAllowed("Only HR analysts can add organisation units.")
    try:
        names = org_unit_path_split(full_name)
    except ValueError as exc:
        raise SkillsError(str(exc)) from None
    scope = hr_unit_names(user=actor)
    if not unit_name_in_scope(SEPARATOR.join(names), scope):
        raise SkillsError(
            "You can only add units inside the organisation units you are responsible for: "
            + (", ".join(sorted(scope)) if scope else "you have none yet, ask a superuser to assign them")
            + "."
        )
    if OrganisationUnit.objects.filter(full_name=SEPARATOR.join(names)).exists():
        raise SkillsError(f"{SEPARATOR.join(names)} already exists.")
    unit, created = org_unit_ensure(full_name=full_name)
    for unit_created in OrganisationUnit.objects.filter(full_name__in=created):
        log(instance=unit_created, action="capability.skills.org_unit_create", user=actor)
    return unit


@transaction.atomic
def org_unit_rename(*, unit: OrganisationUnit, name: str, actor) -> OrganisationUnit:
    """HR renames a unit; the full names of the unit and everything below it follow. The name cannot contain
    "/" and the new full name must be free. Superusers and HR analysts only (`skills.change_organisationunit`),
    an HR analyst only within their units (NotAllowed).
    The unit keeps its place in the tree (lists sort by full name)."""
    if actor is None or not actor.has_perm("skills.change_organisationunit"):
        raise NotAllowed("Only HR analysts can rename organisation units.")
    char = control_character(name)
    if char is not None:
        raise SkillsError(control_character_message(char))
    name = " ".join(name.split())
    if not name or SEPARATOR in name:
        raise SkillsError(f"Give the unit a name without '{SEPARATOR}'.")
    unit = OrganisationUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit_in_hr_scope(user=actor, unit=unit):
        raise NotAllowed("This unit is outside the organisation units you are responsible for.")
    old_full_name = unit.full_name
    parent_name = old_full_name.rpartition(SEPARATOR)[0]
    new_full_name = f"{parent_name}{SEPARATOR}{name}" if parent_name else name
    if new_full_name == old_full_name:
        return unit
    if OrganisationUnit.objects.filter(full_name=new_full_name).exists():
        raise SkillsError(f"{new_full_name} already exists.")
    below = list(OrganisationUnit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth))
    for descendant in below:
        descendant.full_name = new_full_name + descendant.full_name[len(old_full_name) :]
    longest = max([new_full_name, *(descendant.full_name for descendant in below)], key=len)
    try:
        org_unit_path_split(longest)
    except ValueError as exc:
        raise SkillsError(f"This name makes a unit's full name too long. {exc} Choose a shorter name.") from None
    OrganisationUnit.objects.bulk_update(below, ["full_name"])
    unit.name, unit.full_name = name, new_full_name
    unit.save(update_fields=["name", "full_name"])
    log(
        instance=unit,
        action="capability.skills.org_unit_rename",
        user=actor,
        data={"from": old_full_name, "to": new_full_name, "units_below": len(below)},
    )
    return unit
