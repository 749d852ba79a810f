"""A release's content as plain, comparable Python values, and the changes between two of them.

Importers produce a `ReleaseContent`; `frameworks.selectors.release_content` reads one back from the
database; exporters and the change log work from it. Two contents are equal exactly when the releases hold
the same framework data, which is what makes imports idempotent and the export round trip checkable.
Optional links are "" rather than None so that everything sorts and compares simply.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from frameworks.enums import ChangeKind, ChangeSubject, RoleType


@dataclass(frozen=True, order=True)
class LevelContent:
    rank: int
    code: str
    name: str
    guiding_phrase: str = ""
    description: str = ""
    url: str = ""


@dataclass(frozen=True, order=True)
class CategoryContent:
    position: int
    code: str
    name: str


@dataclass(frozen=True, order=True)
class SubcategoryContent:
    position: int
    code: str
    category_code: str
    name: str


@dataclass(frozen=True, order=True)
class LevelTextContent:
    """A skill's (or generic attribute's) text at one level; `is_defined` is False where the level does not apply."""

    level_code: str
    text: str
    is_defined: bool


@dataclass(frozen=True, order=True)
class SkillContent:
    code: str
    name: str
    description: str = ""
    guidance: str = ""
    url: str = ""
    category_code: str = ""
    subcategory_code: str = ""
    description_placeholder: str = ""
    listed_roles: str = ""
    level_texts: tuple[LevelTextContent, ...] = ()

    def level_text(self, level_code: str) -> LevelTextContent | None:
        return next((text for text in self.level_texts if text.level_code == level_code), None)


@dataclass(frozen=True, order=True)
class AttributeContent:
    position: int
    code: str
    name: str
    attribute_type: str = ""
    description: str = ""
    guidance: str = ""
    url: str = ""
    level_texts: tuple[LevelTextContent, ...] = ()


@dataclass(frozen=True, order=True)
class RoleFamilyContent:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True, order=True)
class RoleContent:
    code: str
    name: str
    family_code: str
    description: str = ""
    role_type: str = RoleType.PROFESSION.value


@dataclass(frozen=True, order=True)
class RoleLevelContent:
    role_code: str
    seniority: int
    code: str
    name: str
    description: str = ""
    indicative_grade: str = ""


@dataclass(frozen=True, order=True)
class RequirementContent:
    """A role level's required skill and level; both `role_level_code` and `level_code` are "" for a role
    without levels (DDaT Senior Civil Service roles)."""

    role_code: str
    role_level_code: str
    skill_code: str
    level_code: str


@dataclass(frozen=True)
class ReleaseContent:
    """Everything a release holds. Every collection is kept sorted, so equal content compares equal."""

    levels: tuple[LevelContent, ...] = ()
    categories: tuple[CategoryContent, ...] = ()
    subcategories: tuple[SubcategoryContent, ...] = ()
    skills: tuple[SkillContent, ...] = ()
    attributes: tuple[AttributeContent, ...] = ()
    role_families: tuple[RoleFamilyContent, ...] = ()
    roles: tuple[RoleContent, ...] = ()
    role_levels: tuple[RoleLevelContent, ...] = ()
    requirements: tuple[RequirementContent, ...] = ()
    # Not content: lookups built once for exporters and the change log.
    _index: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self):
        for item in fields(self):
            if item.name.startswith("_"):
                continue
            value = getattr(self, item.name)
            sorted_value = tuple(
                sorted(
                    (
                        type(entry)(**{**entry.__dict__, "level_texts": tuple(sorted(entry.level_texts))})
                        if hasattr(entry, "level_texts")
                        else entry
                    )
                    for entry in value
                )
            )
            object.__setattr__(self, item.name, sorted_value)

    def counts(self) -> dict[str, int]:
        """How many of each thing the release holds, with requirements split as the DDaT README counts them."""
        with_level = sum(1 for requirement in self.requirements if requirement.role_level_code)
        return {
            "levels": len(self.levels),
            "categories": len(self.categories),
            "subcategories": len(self.subcategories),
            "skills": len(self.skills),
            "generic_attributes": len(self.attributes),
            "role_families": len(self.role_families),
            "roles": len(self.roles),
            "roles_without_levels": sum(
                1 for role in self.roles if role.code not in {level.role_code for level in self.role_levels}
            ),
            "role_levels": len(self.role_levels),
            "requirements": with_level,
            "requirements_without_level": len(self.requirements) - with_level,
        }

    def _lookup(self, name: str, key) -> dict:
        if name not in self._index:
            self._index[name] = {key(entry): entry for entry in getattr(self, name)}
        return self._index[name]

    def skill(self, code: str) -> SkillContent:
        return self._lookup("skills", lambda skill: skill.code)[code]

    def role(self, code: str) -> RoleContent:
        return self._lookup("roles", lambda role: role.code)[code]

    def role_level(self, role_code: str, code: str) -> RoleLevelContent:
        return self._lookup("role_levels", lambda level: (level.role_code, level.code))[(role_code, code)]

    def role_family(self, code: str) -> RoleFamilyContent:
        return self._lookup("role_families", lambda family: family.code)[code]

    def level(self, code: str) -> LevelContent:
        return self._lookup("levels", lambda level: level.code)[code]


@dataclass(frozen=True)
class ChangeEntry:
    """One difference between two releases, as stored in `ReleaseChange` and shown by release comparison."""

    subject: ChangeSubject
    kind: ChangeKind
    code: str
    name: str = ""
    previous_name: str = ""
    level_code: str = ""
    detail: str = ""


_SUBJECT_ORDER = list(ChangeSubject)
_KIND_ORDER = list(ChangeKind)


def release_content_changes(
    previous: ReleaseContent, current: ReleaseContent, *, renamed_skill_codes: Mapping[str, str] | None = None
) -> list[ChangeEntry]:
    """What changed from `previous` to `current`: added, removed, renamed (same code), description or level
    text changed, and required level changed, in a stable order (subject, kind, code).

    `renamed_skill_codes` maps a previous skill code to the current code an editor says it became (DDaT codes
    derive from names, so a DDaT rename arrives as a new code); such a pair is a rename, not a removal and an
    addition.
    """
    renamed_skill_codes = dict(renamed_skill_codes or {})
    changes: list[ChangeEntry] = []

    previous_skills = {renamed_skill_codes.get(skill.code, skill.code): skill for skill in previous.skills}
    current_skills = {skill.code: skill for skill in current.skills}
    changes += _entity_changes(ChangeSubject.SKILL, previous_skills, current_skills)
    for code in sorted(previous_skills.keys() & current_skills.keys()):
        before, after = previous_skills[code], current_skills[code]
        before_texts = {text.level_code: text for text in before.level_texts}
        for text in after.level_texts:
            old = before_texts.get(text.level_code)
            if old is None or (old.text, old.is_defined) != (text.text, text.is_defined):
                changes.append(
                    ChangeEntry(
                        ChangeSubject.SKILL, ChangeKind.LEVEL_TEXT_CHANGED, code, after.name, "", text.level_code
                    )
                )

    changes += _entity_changes(
        ChangeSubject.ROLE,
        {role.code: role for role in previous.roles},
        {role.code: role for role in current.roles},
    )
    changes += _entity_changes(
        ChangeSubject.ROLE_LEVEL,
        {f"{level.role_code}/{level.code}": level for level in previous.role_levels},
        {f"{level.role_code}/{level.code}": level for level in current.role_levels},
    )

    def requirement_key(requirement: RequirementContent, skill_code: str) -> str:
        return "/".join(part for part in (requirement.role_code, requirement.role_level_code, skill_code) if part)

    previous_requirements = {
        requirement_key(req, renamed_skill_codes.get(req.skill_code, req.skill_code)): req
        for req in previous.requirements
    }
    current_requirements = {requirement_key(req, req.skill_code): req for req in current.requirements}
    for code in sorted(current_requirements.keys() - previous_requirements.keys()):
        changes.append(
            ChangeEntry(
                ChangeSubject.REQUIREMENT, ChangeKind.ADDED, code, level_code=current_requirements[code].level_code
            )
        )
    for code in sorted(previous_requirements.keys() - current_requirements.keys()):
        changes.append(
            ChangeEntry(
                ChangeSubject.REQUIREMENT, ChangeKind.REMOVED, code, level_code=previous_requirements[code].level_code
            )
        )
    for code in sorted(previous_requirements.keys() & current_requirements.keys()):
        before, after = previous_requirements[code], current_requirements[code]
        if before.level_code != after.level_code:
            changes.append(
                ChangeEntry(
                    ChangeSubject.REQUIREMENT,
                    ChangeKind.REQUIRED_LEVEL_CHANGED,
                    code,
                    level_code=after.level_code,
                    detail=f"{before.level_code or 'no level'} → {after.level_code or 'no level'}",
                )
            )
    return sorted(
        changes,
        key=lambda change: (
            _SUBJECT_ORDER.index(change.subject),
            _KIND_ORDER.index(change.kind),
            change.code,
            change.level_code,
        ),
    )


def _entity_changes(subject: ChangeSubject, previous: dict, current: dict) -> list[ChangeEntry]:
    changes = []
    for code in current.keys() - previous.keys():
        changes.append(ChangeEntry(subject, ChangeKind.ADDED, code, current[code].name))
    for code in previous.keys() - current.keys():
        changes.append(ChangeEntry(subject, ChangeKind.REMOVED, code, previous[code].name))
    for code in previous.keys() & current.keys():
        before, after = previous[code], current[code]
        if before.name != after.name:
            changes.append(ChangeEntry(subject, ChangeKind.RENAMED, code, after.name, before.name))
        if before.description != after.description:
            changes.append(ChangeEntry(subject, ChangeKind.DESCRIPTION_CHANGED, code, after.name))
    return changes


@dataclass(frozen=True)
class ReleaseExport:
    """What the exporters write a release from, read in one place (`selectors.release_export`): the release
    with its framework and previous release loaded, its content, and its stored change log. Exporters are pure
    functions of it: they run no query, so they can be tested on values and cached by release."""

    release: object  # a FrameworkRelease; typed loosely so that this module stays free of models
    content: ReleaseContent
    changes: tuple = ()  # the release's ReleaseChange rows in display order
