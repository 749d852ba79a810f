from django.db import transaction

from skills.models import OrganisationUnit, Profession
from skills.validators import control_character, control_character_message

SEPARATOR = "/"
# What the tree can hold: treebeard's path gives each level `steplen` characters of a 255-character column.
MAX_DEPTH = OrganisationUnit._meta.get_field("path").max_length // OrganisationUnit.steplen
MAX_NAME_LENGTH = OrganisationUnit._meta.get_field("name").max_length
MAX_FULL_NAME_LENGTH = OrganisationUnit._meta.get_field("full_name").max_length


def org_unit_path_split(full_name: str) -> list[str]:
    """`"Department/Directorate/Team"` → its names, stripped. Raises ValueError, with a message for the person
    who typed it, for a control character (a line break, a tab...), an empty segment, a path deeper than the
    tree holds, or a name or path too long."""
    char = control_character(full_name)
    if char is not None:
        raise ValueError(control_character_message(char))
    names = [name.strip() for name in full_name.split(SEPARATOR)]
    if not full_name.strip() or any(not name for name in names):
        raise ValueError(f"{full_name[:80]!r} is not an organisation path: use names separated by '/', none empty")
    if len(names) > MAX_DEPTH:
        raise ValueError(f"This organisation path has {len(names)} levels: at most {MAX_DEPTH} fit.")
    for name in names:
        if len(name) > MAX_NAME_LENGTH:
            raise ValueError(
                f"The unit name starting {name[:30]!r} is {len(name)} characters long: at most {MAX_NAME_LENGTH} fit."
            )
    length = len(SEPARATOR.join(names))
    if length > MAX_FULL_NAME_LENGTH:
        raise ValueError(f"This organisation path is {length} characters long: at most {MAX_FULL_NAME_LENGTH} fit.")
    return names


@transaction.atomic
def org_unit_ensure(*, full_name: str) -> tuple[OrganisationUnit, list[str]]:
    """The unit at this path, creating it and any missing ancestors. Returns the unit and the full names
    of the units created (for import reports)."""
    names = org_unit_path_split(full_name)
    created = []
    parent = None
    for depth in range(1, len(names) + 1):
        path_name = SEPARATOR.join(names[:depth])
        unit = OrganisationUnit.objects.filter(full_name=path_name).first()
        if unit is None:
            fields = {"name": names[depth - 1], "full_name": path_name}
            unit = parent.add_child(**fields) if parent else OrganisationUnit.add_root(**fields)
            created.append(path_name)
        parent = unit
    return parent, created


def profession_ensure(*, name: str) -> tuple[Profession, bool]:
    return Profession.objects.get_or_create(name=name.strip())
