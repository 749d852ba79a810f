"""The framework as versioned data: every row below a release belongs to exactly one release.

Write through `frameworks.services`, read through `frameworks.selectors`. Content rows carry a `release`
foreign key of their own so that a database trigger can refuse writes to published releases. Beside the
content: the Wagtail pages that publish it (`pages`), admin imports (`imports`) and the moderated request to
publish a release (`publication`).
"""

from frameworks.models.changes import ReleaseChange, SkillMapping
from frameworks.models.imports import FrameworkImport
from frameworks.models.pages import FrameworkIndexPage, FrameworkPage
from frameworks.models.publication import ReleasePublication
from frameworks.models.releases import Framework, FrameworkRelease, Level
from frameworks.models.roles import Requirement, Role, RoleFamily, RoleLevel
from frameworks.models.skills import (
    Category,
    GenericAttribute,
    GenericAttributeLevel,
    Skill,
    SkillLevelDescriptor,
    Subcategory,
)

__all__ = [
    "Category",
    "Framework",
    "FrameworkImport",
    "FrameworkIndexPage",
    "FrameworkPage",
    "FrameworkRelease",
    "GenericAttribute",
    "GenericAttributeLevel",
    "Level",
    "ReleaseChange",
    "ReleasePublication",
    "Requirement",
    "Role",
    "RoleFamily",
    "RoleLevel",
    "Skill",
    "SkillLevelDescriptor",
    "SkillMapping",
    "Subcategory",
]
