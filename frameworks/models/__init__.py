"""The framework as versioned data: every row below a release belongs to exactly one release.

Write through `frameworks.services`, read through `frameworks.selectors`. Content rows carry a `release`
foreign key of their own so that a database trigger can refuse writes to published releases. Beside the
content: the Wagtail pages that publish it (`pages`), admin imports (`imports`) and the moderated request to
publish a release (`publication`).
"""

from .changes import ReleaseChange, SkillMapping
from .imports import FrameworkImport
from .pages import FrameworkIndexPage, FrameworkPage
from .publication import ReleasePublication
from .releases import Framework, FrameworkRelease, Level
from .roles import Requirement, Role, RoleFamily, RoleLevel
from .skills import Category, GenericAttribute, GenericAttributeLevel, Skill, SkillLevelDescriptor, Subcategory

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
