from django.db import transaction
from django.db.models import F

from skills.models import OrganisationUnit, Profession
from skills.models.organisation import (
    MAX_DEPTH,
    MAX_FULL_NAME_LENGTH,
    MAX_NAME_LENGTH,
    SEPARATOR,
    org_unit_path_split,
)
from skills.services.bulk import rows_insert

__all__ = [
    "MAX_DEPTH",
    "MAX_FULL_NAME_LENGTH",
    "MAX_NAME_LENGTH",
    "SEPARATOR",
    "org_unit_ensure",
    "org_unit_path_split",
    "org_units_append",
    "profession_ensure",
]


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


def org_units_append(*, existing: dict[str, str], new: set[str]) -> None:
    """Insert the `new` units (none sorting before an existing sibling) into the tree whose units are
    `existing` (full name -> path) in one statement, with paths computed by `OrganisationUnit.appended`, and
    count them into their existing parents' children. For the HR feed, inside its transaction."""
    rows, grown = OrganisationUnit.appended(existing=existing, new=new)
    rows_insert(OrganisationUnit, ["path", "depth", "numchild", "name", "full_name"], rows)
    for parent_path, count in grown.items():
        OrganisationUnit.objects.filter(path=parent_path).update(numchild=F("numchild") + count)
