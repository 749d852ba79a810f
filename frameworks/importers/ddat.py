"""The official DDaT Capability Framework CSV downloads (roles.csv and skills.csv), read unchanged.

`parse_ddat` turns the two files into a `ReleaseContent` and reports every quirk it handled; it never
touches the database. The quirks of the real files are listed in shared/data/ddat/README.md.
"""

from collections import defaultdict
from pathlib import Path

from django.utils.text import slugify

from frameworks.ddat_schema import (
    DDAT_LEVELS,
    LEVEL_CODE_BY_NAME,
    NOT_DEFINED,
    NOT_IN_USE,
    ROLE_TYPE_BY_TEXT,
    ROLES_COLUMNS,
    SKILLS_COLUMNS,
)
from frameworks.enums import QuirkKind
from frameworks.importers.files import CsvRow, SourceFile, distinct_rows, read_csv_table
from frameworks.importers.report import Findings, ParsedRelease
from frameworks.importers.seniority import role_levels_by_seniority
from frameworks.release_content import (
    LevelContent,
    LevelTextContent,
    ReleaseContent,
    RequirementContent,
    RoleContent,
    RoleFamilyContent,
    SkillContent,
)

# An unchanged copy of the official October 2025 downloads (Open Government Licence), for the demo, the tests
# and the benchmarks. CAPABILITY_DDAT_DATA points them at another copy.
BUNDLED_DDAT_2025_10 = Path(__file__).resolve().parent.parent / "data" / "ddat" / "2025-10"


def ddat_code(name: str) -> str:
    """The stable code of a DDaT skill, role, family or role level: its name as a slug (see decision 0102)."""
    return slugify(name)


def parse_ddat(*, roles: SourceFile, skills: SourceFile) -> ParsedRelease:
    """Read the two official DDaT CSV files into release content, with every error and quirk in `findings`.

    When `findings.errors` is not empty the content is incomplete and must not be written.
    """
    findings = Findings()
    skills_table = read_csv_table(skills, columns=SKILLS_COLUMNS, findings=findings)
    roles_table = read_csv_table(roles, columns=ROLES_COLUMNS, findings=findings)
    if skills_table is None or roles_table is None:
        return ParsedRelease(ReleaseContent(), findings, [roles, skills])
    parser = _DdatParser(findings, roles_name=roles.name, skills_name=skills.name)
    parser.read_skills(skills_table.rows)
    parser.read_roles(roles_table.rows)
    return ParsedRelease(parser.content(), findings, [roles, skills])


class _DdatParser:
    def __init__(self, findings: Findings, *, roles_name: str, skills_name: str):
        self.findings = findings
        self.roles_name = roles_name
        self.skills_name = skills_name
        self.skills: dict[str, SkillContent] = {}
        self.skill_rows: dict[str, CsvRow] = {}
        self.skill_code_by_name: dict[str, str] = {}
        self.families: dict[str, RoleFamilyContent] = {}
        self.roles: dict[str, RoleContent] = {}
        self.role_rows: dict[str, CsvRow] = {}
        self.role_levels: dict[tuple[str, str], dict] = {}
        self.requirements: dict[tuple[str, str, str], tuple[RequirementContent, CsvRow]] = {}
        self.placeholders: dict[str, str] = {}

    # --- skills.csv -------------------------------------------------------------------------------

    def read_skills(self, rows: list[CsvRow]) -> None:
        for row in distinct_rows(rows, file=self.skills_name, findings=self.findings):
            self._read_skill(row)

    def _read_skill(self, row: CsvRow) -> None:
        name = row["Skill Name"]
        if not name.strip():
            self._error(self.skills_name, row, "Skill Name", "the skill has no name; fill it in or delete the row.")
            return
        code = ddat_code(name)
        if name in self.skill_code_by_name:
            first = self.skill_rows[self.skill_code_by_name[name]].number
            self._error(
                self.skills_name,
                row,
                "Skill Name",
                f"skill '{name}' is also on row {first} with different text; keep one row.",
            )
            return
        if code in self.skills:
            other = self.skills[code].name
            self._error(
                self.skills_name,
                row,
                "Skill Name",
                f"'{name}' and '{other}' give the same skill code '{code}'; "
                "rename one so they differ in letters or digits.",
            )
            return
        if name != name.strip():
            self._quirk(QuirkKind.SURROUNDING_WHITESPACE, self.skills_name, row, "Skill Name", f"skill '{name}'")
        if not row["Skill Description"].strip():
            self._quirk(
                QuirkKind.EMPTY_SKILL_DESCRIPTION, self.skills_name, row, "Skill Description", f"skill '{name}'"
            )
        level_texts = []
        for level_code, level_name in DDAT_LEVELS:
            text = row[level_name]
            is_defined = bool(text.strip()) and not NOT_DEFINED.search(text)
            if not text.strip():
                self._quirk(QuirkKind.EMPTY_LEVEL_TEXT, self.skills_name, row, level_name, f"skill '{name}'")
            elif not is_defined:
                self._quirk(QuirkKind.LEVEL_NOT_DEFINED, self.skills_name, row, level_name, f"skill '{name}': {text!r}")
            level_texts.append(LevelTextContent(level_code, text, is_defined))
        self.skill_code_by_name[name] = code
        self.skill_rows[code] = row
        self.skills[code] = SkillContent(
            code=code,
            name=name,
            description=row["Skill Description"],
            listed_roles=row["Roles that require Skill"],
            level_texts=tuple(level_texts),
        )

    # --- roles.csv --------------------------------------------------------------------------------

    def read_roles(self, rows: list[CsvRow]) -> None:
        for row in distinct_rows(rows, file=self.roles_name, findings=self.findings):
            self._read_role_row(row)

    def _read_role_row(self, row: CsvRow) -> None:
        file = self.roles_name
        family_name, role_name, level_name = row["Role Family"], row["Role"], row["Role Level"]
        skill_name, skill_level = row["Skill Name"], row["Skill Level"]
        if not role_name.strip():
            what = f"the role level '{level_name}'" if level_name.strip() else "this row"
            self._error(file, row, "Role", f"{what} has no role; fill in the Role column.")
            return
        if not family_name.strip():
            self._error(
                file, row, "Role Family", f"role '{role_name}' has no role family; fill in the Role Family column."
            )
            return
        if not level_name.strip():
            self._error(
                file, row, "Role Level", f"role '{role_name}' has a row with no role level; fill it in (or NOT IN USE)."
            )
            return
        role_type = ROLE_TYPE_BY_TEXT.get(row["Role Type"])
        if role_type is None:
            allowed = " or ".join(f"'{text}'" for text in ROLE_TYPE_BY_TEXT)
            self._error(file, row, "Role Type", f"unknown role type '{row['Role Type']}'; use {allowed}.")
            return
        skill_code = self.skill_code_by_name.get(skill_name)
        if skill_code is None:
            self._error(
                file,
                row,
                "Skill Name",
                f"skill '{skill_name}' is not in {self.skills_name}; add it there or correct the name.",
            )
            return
        without_levels = level_name == NOT_IN_USE
        if skill_level == NOT_IN_USE:
            level_code = ""
        elif skill_level in LEVEL_CODE_BY_NAME:
            level_code = LEVEL_CODE_BY_NAME[skill_level]
        else:
            allowed = ", ".join(name for _, name in DDAT_LEVELS)
            self._error(
                file,
                row,
                "Skill Level",
                f"unknown skill level '{skill_level}'; use one of {allowed} "
                f"(or {NOT_IN_USE} for a role without levels).",
            )
            return
        if without_levels != (level_code == ""):
            self._error(
                file,
                row,
                "Skill Level",
                f"'{NOT_IN_USE}' must be in both Role Level and Skill Level, or in neither; "
                f"this row has Role Level '{level_name}' and Skill Level '{skill_level}'.",
            )
            return
        if not self._same_as_skills_file(row, skill_code, level_code):
            return

        family_code = ddat_code(family_name)
        self.families.setdefault(family_code, RoleFamilyContent(family_code, family_name))
        role_code = ddat_code(role_name)
        role = RoleContent(role_code, role_name, family_code, row["Role Description"], role_type.value)
        if not self._consistent(self.roles, role_code, role, row, "Role", f"role '{role_name}'"):
            return

        level_code_of_role = ""
        if without_levels:
            self._quirk(
                QuirkKind.NOT_IN_USE,
                file,
                row,
                "Role Level",
                f"role '{role_name}': skill '{skill_name}' kept without a level",
            )
            if row["Role Level Description"] != NOT_IN_USE or row["Skill Level Description"] != NOT_IN_USE:
                self._error(
                    file,
                    row,
                    "Role Level Description",
                    f"a role without levels has {NOT_IN_USE} in Role Level Description "
                    "and Skill Level Description too.",
                )
                return
        else:
            level_code_of_role = ddat_code(level_name)
            if not level_code_of_role:
                self._error(file, row, "Role Level", f"role level '{level_name}' has no letters or digits; name it.")
                return
            level = {"name": level_name, "description": row["Role Level Description"], "row": row}
            existing = self.role_levels.get((role_code, level_code_of_role))
            if existing is None:
                self.role_levels[(role_code, level_code_of_role)] = level
                if level_name != level_name.strip():
                    self._quirk(QuirkKind.SURROUNDING_WHITESPACE, file, row, "Role Level", f"role level {level_name!r}")
            elif (existing["name"], existing["description"]) != (level_name, level["description"]):
                self._error(
                    file,
                    row,
                    "Role Level Description",
                    f"role level '{level_name}' differs from row {existing['row'].number}; "
                    "every row of a role level must have the same name and description.",
                )
                return

        key = (role_code, level_code_of_role, skill_code)
        requirement = RequirementContent(role_code, level_code_of_role, skill_code, level_code)
        if key in self.requirements:
            _, first = self.requirements[key]
            self._error(
                file,
                row,
                "Skill Level",
                f"'{level_name}' already requires '{skill_name}' at {first['Skill Level']} on row {first.number}; "
                "keep one of the two rows.",
            )
            return
        self.requirements[key] = (requirement, row)

    def _same_as_skills_file(self, row: CsvRow, skill_code: str, level_code: str) -> bool:
        """The roles file repeats each skill's texts; they must agree with the skills file."""
        skill = self.skills[skill_code]
        description = row["Skill Description"]
        if skill.description:
            if description != skill.description:
                return self._disagrees(row, "Skill Description", skill)
        else:
            placeholder = self.placeholders.setdefault(skill_code, description)
            if description != placeholder:
                return self._disagrees(row, "Skill Description", skill)
        if level_code:
            level_name = dict(DDAT_LEVELS)[level_code]
            if row["Skill Level Description"] != skill.level_text(level_code).text:
                return self._disagrees(row, "Skill Level Description", skill, level_name)
        return True

    def _disagrees(self, row: CsvRow, column: str, skill: SkillContent, level_name: str = "") -> bool:
        where = f"the {level_name} text" if level_name else "the description"
        self._error(
            self.roles_name,
            row,
            column,
            f"{where} of skill '{skill.name}' differs from {self.skills_name} row "
            f"{self.skill_rows[skill.code].number}; the two files must agree, so correct one of them.",
        )
        return False

    def _consistent(self, store: dict, code: str, value, row: CsvRow, column: str, what: str) -> bool:
        existing = store.get(code)
        if existing is None:
            store[code] = value
            self.role_rows[code] = row
            return True
        if existing == value:
            return True
        self._error(
            self.roles_name,
            row,
            column,
            f"{what} differs from row {self.role_rows[code].number} in its family, description or type; "
            "every row of a role must repeat the same values.",
        )
        return False

    # --- the release ------------------------------------------------------------------------------

    def content(self) -> ReleaseContent:
        skills = [
            SkillContent(**{**skill.__dict__, "description_placeholder": self.placeholders.get(code, "")})
            for code, skill in self.skills.items()
        ]
        for code, placeholder in self.placeholders.items():
            if placeholder:
                self._quirk(
                    QuirkKind.DESCRIPTION_PLACEHOLDER,
                    self.roles_name,
                    None,
                    "Skill Description",
                    f"skill '{self.skills[code].name}' is shown as {placeholder!r} (kept for the export)",
                )
        self._check_listed_roles()
        return ReleaseContent(
            levels=tuple(LevelContent(rank, code, name) for rank, (code, name) in enumerate(DDAT_LEVELS, start=1)),
            skills=tuple(skills),
            role_families=tuple(self.families.values()),
            roles=tuple(self.roles.values()),
            role_levels=tuple(
                role_levels_by_seniority(
                    self.role_levels, self.requirements, self.roles, file=self.roles_name, findings=self.findings
                )
            ),
            requirements=tuple(requirement for requirement, _ in self.requirements.values()),
        )

    def _check_listed_roles(self) -> None:
        requiring = defaultdict(set)
        for role_code, _, skill_code in self.requirements:
            requiring[skill_code].add(self.roles[role_code].name)
        for code, skill in self.skills.items():
            listed = {name.strip() for name in skill.listed_roles.split(",") if name.strip()}
            if listed == requiring[code]:
                continue
            parts = []
            if missing := sorted(requiring[code] - listed):
                parts.append(f"does not list {', '.join(missing)}")
            if extra := sorted(listed - requiring[code]):
                parts.append(f"lists {', '.join(extra)}, which do not require it")
            self._quirk(
                QuirkKind.LISTED_ROLES_DISAGREE,
                self.skills_name,
                self.skill_rows[code].number,
                "Roles that require Skill",
                f"skill '{skill.name}' {' and '.join(parts)} (kept as published)",
            )

    # --- findings ---------------------------------------------------------------------------------

    def _error(self, file: str, row: CsvRow, column: str | None, message: str) -> None:
        self.findings.error(file, row.number, column, message)

    def _quirk(self, kind: QuirkKind, file: str, row: CsvRow | int | None, column: str | None, message: str) -> None:
        number = row.number if isinstance(row, CsvRow) else row
        self.findings.quirk(kind, file, number, column, message)
