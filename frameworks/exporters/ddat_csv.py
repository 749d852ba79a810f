"""The official DDaT CSV schema, written back: roles.csv and skills.csv with the same columns, order and text.

Row order reproduces the official files (docs/decisions/0105-ddat-export-order.md): roles.csv is sorted by
Role Family, Role, Role Level, Skill Name compared character by character; skills.csv by Skill Name compared
on letters and digits only, ignoring case. Cells are quoted only where needed and lines end in "\\n", as in
the official downloads; no byte-order mark unless asked for.
"""

import codecs
import csv
import io
import re

from frameworks.ddat_schema import DDAT_LEVEL_COLUMNS, NOT_IN_USE, ROLE_TYPE_TEXT, ROLES_COLUMNS, SKILLS_COLUMNS
from frameworks.release_content import ReleaseContent


class NotDdatLikeError(ValueError):
    """The release has no DDaT level scale, so it cannot be written in the DDaT schema."""


def ddat_csv_files(content: ReleaseContent, *, byte_order_mark: bool = False) -> dict[str, bytes]:
    """{"roles.csv": …, "skills.csv": …} for a release's content."""
    return {
        "roles.csv": ddat_roles_csv(content, byte_order_mark=byte_order_mark),
        "skills.csv": ddat_skills_csv(content, byte_order_mark=byte_order_mark),
    }


def ddat_roles_csv(content: ReleaseContent, *, byte_order_mark: bool = False) -> bytes:
    """roles.csv: one row per requirement, Senior Civil Service roles' skills with NOT IN USE levels."""
    _check_ddat_levels(content)
    rows = []
    for requirement in content.requirements:
        role = content.role(requirement.role_code)
        skill = content.skill(requirement.skill_code)
        if requirement.role_level_code:
            role_level = content.role_level(role.code, requirement.role_level_code)
            level_name = content.level(requirement.level_code).name
            level_text = skill.level_text(requirement.level_code).text
            role_level_name, role_level_description = role_level.name, role_level.description
        else:
            role_level_name = role_level_description = level_name = level_text = NOT_IN_USE
        rows.append(
            [
                content.role_family(role.family_code).name,
                role.name,
                role.description,
                role_level_name,
                role_level_description,
                skill.name,
                skill.description or skill.description_placeholder,
                level_name,
                level_text,
                ROLE_TYPE_TEXT[role.role_type],
            ]
        )
    rows.sort(key=lambda row: (row[0], row[1], row[3], row[5]))
    return _csv_bytes([list(ROLES_COLUMNS), *rows], byte_order_mark)


def ddat_skills_csv(content: ReleaseContent, *, byte_order_mark: bool = False) -> bytes:
    """skills.csv: one row per skill with its four level texts and its 'Roles that require Skill' text."""
    _check_ddat_levels(content)
    level_codes = [level.code for level in sorted(content.levels, key=lambda level: level.rank)]
    rows = [
        [
            skill.name,
            skill.description,
            *[skill.level_text(code).text if skill.level_text(code) else "" for code in level_codes],
            skill.listed_roles,
        ]
        for skill in content.skills
    ]
    rows.sort(key=lambda row: (skill_sort_key(row[0]), row[0]))
    return _csv_bytes([list(SKILLS_COLUMNS), *rows], byte_order_mark)


def skill_sort_key(name: str) -> str:
    """How the official skills.csv orders skills: letters and digits only, case ignored."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _check_ddat_levels(content: ReleaseContent) -> None:
    names = tuple(level.name for level in sorted(content.levels, key=lambda level: level.rank))
    if names != DDAT_LEVEL_COLUMNS:
        raise NotDdatLikeError(
            f"The DDaT CSV schema needs the levels {', '.join(DDAT_LEVEL_COLUMNS)}; this release has "
            f"{', '.join(names) or 'none'}. Export it as JSON or CASE instead."
        )


def _csv_bytes(rows: list[list[str]], byte_order_mark: bool) -> bytes:
    # Not frameworks.spreadsheets (docs/decisions/0116): this file must match the official download byte for
    # byte, and its cells are the framework's own text, edited only by Content editors.
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + data if byte_order_mark else data
