"""The framework as versioned data: every row below a release belongs to exactly one release.

Write through `frameworks.services`, read through `frameworks.selectors`. Content rows carry a `release`
foreign key of their own so that a database trigger can refuse writes to published releases.
"""

from .changes import ReleaseChange, SkillMapping
from .releases import Framework, FrameworkRelease, Level
from .roles import Requirement, Role, RoleFamily, RoleLevel
from .skills import Category, GenericAttribute, GenericAttributeLevel, Skill, SkillLevelDescriptor, Subcategory

__all__ = [
    "Category",
    "Framework",
    "FrameworkRelease",
    "GenericAttribute",
    "GenericAttributeLevel",
    "Level",
    "ReleaseChange",
    "Requirement",
    "Role",
    "RoleFamily",
    "RoleLevel",
    "Skill",
    "SkillLevelDescriptor",
    "SkillMapping",
    "Subcategory",
]
