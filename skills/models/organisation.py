from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node

from skills.validators import control_character, control_character_message, validate_no_control_characters

# What joins the names of a unit's path in its `full_name` ("Department/Directorate/Team").
SEPARATOR = "/"


class OrganisationUnit(MP_Node):
    """A department, directorate, team... in one tree (materialised path, so a whole subtree is one
    `path__startswith` query). `full_name` is the unit's path of names joined by "/", as the HR feed gives it,
    and is unique. Holds no personal data."""

    name = models.CharField(max_length=255, validators=[validate_no_control_characters])
    full_name = models.CharField(max_length=1000, unique=True, editable=False)

    node_order_by = ["name"]

    class Meta:
        verbose_name = "organisation unit"
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="skills_org_unit_name_not_empty")]

    def __str__(self):
        return self.full_name

    @classmethod
    def path_step(cls, path: str) -> int:
        """Which child of its parent the unit at this materialised path is (1 for the first), as the last
        `steplen` characters of the path spell it in the tree's alphabet."""
        step = 0
        for char in path[-cls.steplen :]:
            step = step * len(cls.alphabet) + cls.alphabet.index(char)
        return step

    @classmethod
    def child_path(cls, parent_path: str, step: int) -> str:
        """The materialised path of the `step`th child of the unit at `parent_path` ("" for a root), for
        writing many units at once without treebeard moving siblings one insert at a time."""
        digits = []
        for _ in range(cls.steplen):
            step, digit = divmod(step, len(cls.alphabet))
            digits.append(cls.alphabet[digit])
        if step:
            raise ValueError(f"A unit cannot have more than {len(cls.alphabet) ** cls.steplen - 1} children.")
        return parent_path + "".join(reversed(digits))

    @classmethod
    def appended(cls, *, existing: dict[str, str], new: set[str]) -> tuple[list[tuple], dict[str, int]]:
        """The rows that add the `new` units (full names, none sorting before an existing sibling, every parent
        existing or new) to a tree whose units are `existing` (full name -> materialised path): each after its
        parent's last child, siblings in name order, as (path, depth, numchild, name, full_name); and how many
        children each existing parent (by path) gains. Pure arithmetic on treebeard's paths, for writing many
        units in one statement instead of treebeard moving siblings one insert at a time."""
        paths = dict(existing)
        last_step: dict[str, int] = {}
        for path in paths.values():
            parent_path, step = path[: -cls.steplen], cls.path_step(path)
            last_step[parent_path] = max(step, last_step.get(parent_path, 0))
        children: dict[str, int] = {}
        rows = []
        for full_name in sorted(new, key=lambda name: (name.count(SEPARATOR), name.split(SEPARATOR))):
            parent = parent_name(full_name)
            parent_path = paths[parent] if parent else ""
            step = last_step.get(parent_path, 0) + 1
            last_step[parent_path] = step
            path = cls.child_path(parent_path, step)
            paths[full_name] = path
            children[parent_path] = children.get(parent_path, 0) + 1
            rows.append((path, full_name.count(SEPARATOR) + 1, leaf_name(full_name), full_name))
        new_paths = {path for path, *_ in rows}
        grown = {path: count for path, count in children.items() if path and path not in new_paths}
        return [(path, depth, children.get(path, 0), name, full_name) for path, depth, name, full_name in rows], grown


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


def parent_name(full_name: str) -> str:
    """The full name of the unit's parent ("" for a root)."""
    return full_name.rpartition(SEPARATOR)[0]


def leaf_name(full_name: str) -> str:
    """The unit's own name, the last of its path."""
    return full_name.rpartition(SEPARATOR)[2]


def ancestor_names(full_name: str) -> list[str]:
    """The full names of the unit and every unit above it, from the root down."""
    names = full_name.split(SEPARATOR)
    return [SEPARATOR.join(names[:depth]) for depth in range(1, len(names) + 1)]


def full_name_within(full_name: str, names: list[str] | None) -> bool:
    """Whether the unit with this full name is one of the units `names` or below one (None: no limit)."""
    if names is None:
        return True
    return any(full_name == name or full_name.startswith(name + SEPARATOR) for name in names)


class Grade(models.Model):
    """A Civil Service grade (AA … SCS4). `rank` orders them from the most junior. Holds no personal data."""

    code = models.CharField(max_length=20, validators=[validate_no_control_characters])
    name = models.CharField(max_length=100, validators=[validate_no_control_characters])
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="skills_grade_unique_code"),
            models.UniqueConstraint(fields=["rank"], name="skills_grade_unique_rank"),
        ]

    def __str__(self):
        return self.name


class Profession(models.Model):
    """A Civil Service profession (Digital, Data and Technology; Policy; ...). Holds no personal data."""

    name = models.CharField(max_length=255, validators=[validate_no_control_characters])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="skills_profession_unique_name")]

    def __str__(self):
        return self.name
