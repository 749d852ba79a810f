from django.db import transaction

from skills.models import OrganisationUnit, Profession

SEPARATOR = "/"


def org_unit_path_split(full_name: str) -> list[str]:
    """`"Department/Directorate/Team"` → its names, stripped. Raises ValueError for an empty segment."""
    names = [name.strip() for name in full_name.split(SEPARATOR)]
    if not full_name.strip() or any(not name for name in names):
        raise ValueError(f"{full_name!r} is not an organisation path: use names separated by '/', none empty")
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
