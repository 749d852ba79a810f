from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node

from skills.validators import validate_no_control_characters


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


class Grade(models.Model):
    """A Civil Service grade (AA … SCS4). `rank` orders them from the most junior."""

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
    """A Civil Service profession (Digital, Data and Technology; Policy; ...)."""

    name = models.CharField(max_length=255, validators=[validate_no_control_characters])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="skills_profession_unique_name")]

    def __str__(self):
        return self.name
