"""The official DDaT CSV schema: the columns of roles.csv and skills.csv, the level scale, and the markers the
files use in place of values. The importer reads by it and the exporter writes by it, so both agree by
construction (docs/decisions/0105-ddat-export-order.md).
"""

import re

from frameworks.enums import RoleType

ROLES_COLUMNS = (
    "Role Family",
    "Role",
    "Role Description",
    "Role Level",
    "Role Level Description",
    "Skill Name",
    "Skill Description",
    "Skill Level",
    "Skill Level Description",
    "Role Type",
)
SKILLS_COLUMNS = (
    "Skill Name",
    "Skill Description",
    "Awareness",
    "Working",
    "Practitioner",
    "Expert",
    "Roles that require Skill",
)

# The DDaT level scale: (code, name as in the files' columns and Skill Level values), lowest first.
DDAT_LEVELS = (
    ("awareness", "Awareness"),
    ("working", "Working"),
    ("practitioner", "Practitioner"),
    ("expert", "Expert"),
)
LEVEL_CODE_BY_NAME = {name: code for code, name in DDAT_LEVELS}
LEVEL_RANK_BY_CODE = {code: rank for rank, (code, _) in enumerate(DDAT_LEVELS, start=1)}

# A role without levels (Senior Civil Service) fills every level column of its rows with this.
NOT_IN_USE = "NOT IN USE"
NOT_DEFINED = re.compile(r"\blevel is (currently )?not defined\b", re.IGNORECASE)
ROLE_TYPE_BY_TEXT = {"": RoleType.PROFESSION, "Senior Civil Service": RoleType.SENIOR_CIVIL_SERVICE}
ROLE_TYPE_TEXT = {role_type: text for text, role_type in ROLE_TYPE_BY_TEXT.items()}

# skills.csv's four level columns, in scale order.
DDAT_LEVEL_COLUMNS = SKILLS_COLUMNS[2:6]
