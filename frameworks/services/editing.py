"""Edits to a draft release. Each refuses a published or superseded release with ReleaseFrozenError, and a draft
whose publication waits for a moderator with ReleaseInModerationError."""

from collections.abc import Mapping, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import slugify
from wagtail.log_actions import log

from frameworks.models import (
    Framework,
    Level,
    ReleaseChange,
    Requirement,
    Role,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
)
from frameworks.services.content import release_assert_content_editable
from frameworks.services.errors import FrameworkValidationError, SkillInUseError
from frameworks.services.permissions import actor_check
from frameworks.structured_text import text_blocks


@transaction.atomic
def framework_update(
    *,
    framework: Framework,
    name: str,
    description: str,
    licence: str,
    licence_url: str,
    reassessment_period_months: int,
    short_name: str | None = None,
    actor: AbstractBaseUser | None,
) -> Framework:
    """Change a framework's own details (not its releases' content, which lives in releases). `short_name`
    None leaves it as it is."""
    actor_check(actor, "frameworks.change_framework", refusal="You cannot change framework details.")
    if reassessment_period_months < 1:
        raise FrameworkValidationError("The reassessment period is at least one month.")
    framework.name = name
    framework.description = description
    framework.licence = licence
    framework.licence_url = licence_url
    framework.reassessment_period_months = reassessment_period_months
    if short_name is not None:
        framework.short_name = short_name.strip()
    framework.save(
        update_fields=["name", "short_name", "description", "licence", "licence_url", "reassessment_period_months"]
    )
    log(instance=framework, action="capability.frameworks.framework_update", user=actor)
    return framework


@transaction.atomic
def skill_create(
    *,
    release,
    name: str,
    code: str = "",
    description: str = "",
    guidance: str = "",
    level_texts: Mapping[str, str] | None = None,
    actor: AbstractBaseUser | None,
) -> Skill:
    """Add a skill to a draft, with a descriptor for every level of the scale (`level_texts` maps level codes
    to text; a level without text is not defined). `code` defaults to the name as a slug."""
    actor_check(actor, "frameworks.add_skill", refusal="You cannot add skills.")
    release_assert_content_editable(release)
    code = code.strip() or slugify(name)
    if not code or not name.strip():
        raise FrameworkValidationError("A skill needs a name with letters or digits.")
    if Skill.objects.filter(release=release, code=code).exists():
        raise FrameworkValidationError(f"{release.label} already has a skill with code '{code}'.")
    if Skill.objects.filter(release=release, name=name).exists():
        raise FrameworkValidationError(f"{release.label} already has a skill named '{name}'.")
    levels = list(Level.objects.filter(release=release).order_by("rank"))
    unknown = set(level_texts or {}) - {level.code for level in levels}
    if unknown:
        raise FrameworkValidationError(f"Unknown level(s) {', '.join(sorted(unknown))} for {release.label}.")
    skill = Skill.objects.create(
        release=release,
        code=code,
        name=name,
        description=description,
        description_blocks=text_blocks(description),
        guidance=guidance,
        guidance_blocks=text_blocks(guidance),
    )
    SkillLevelDescriptor.objects.bulk_create(
        SkillLevelDescriptor(
            release=release,
            skill=skill,
            level=level,
            text=(level_texts or {}).get(level.code, ""),
            is_defined=bool((level_texts or {}).get(level.code, "").strip()),
            blocks=text_blocks((level_texts or {}).get(level.code, "")),
        )
        for level in levels
    )
    log(instance=skill, action="capability.frameworks.skill_create", user=actor, data={"code": code})
    return skill


@transaction.atomic
def skill_update(*, skill: Skill, name: str, description: str, guidance: str, actor: AbstractBaseUser | None) -> Skill:
    """Change a draft skill's name and texts. Its code stays, so renaming shows as a rename in the change log."""
    actor_check(actor, "frameworks.change_skill", refusal="You cannot change skills.")
    release_assert_content_editable(skill.release)
    if not name.strip():
        raise FrameworkValidationError("A skill needs a name.")
    if Skill.objects.filter(release_id=skill.release_id, name=name).exclude(pk=skill.pk).exists():
        raise FrameworkValidationError(f"Another skill of this release is named '{name}'.")
    previous_name = skill.name
    skill.name = name
    skill.description = description
    skill.description_blocks = text_blocks(description)
    skill.guidance = guidance
    skill.guidance_blocks = text_blocks(guidance)
    skill.save(update_fields=["name", "description", "description_blocks", "guidance", "guidance_blocks"])
    log(
        instance=skill,
        action="capability.frameworks.skill_update",
        user=actor,
        data={"code": skill.code, "previous_name": previous_name},
    )
    return skill


@transaction.atomic
def skill_level_descriptor_update(
    *,
    descriptor: SkillLevelDescriptor,
    text: str,
    is_defined: bool | None = None,
    actor: AbstractBaseUser | None,
) -> SkillLevelDescriptor:
    """Change a skill's text at one level of a draft. `is_defined` defaults to "the text is not empty"."""
    actor_check(actor, "frameworks.change_skill", refusal="You cannot change skills.")
    release_assert_content_editable(descriptor.release)
    is_defined = bool(text.strip()) if is_defined is None else is_defined
    if is_defined and not text.strip():
        raise FrameworkValidationError("A defined level needs its text.")
    descriptor.text = text
    descriptor.is_defined = is_defined
    descriptor.blocks = text_blocks(text)
    descriptor.save(update_fields=["text", "is_defined", "blocks"])
    log(
        instance=descriptor.skill,
        action="capability.frameworks.skill_level_update",
        user=actor,
        data={"code": descriptor.skill.code, "level": descriptor.level.code},
    )
    return descriptor


@transaction.atomic
def skill_delete(*, skill: Skill, actor: AbstractBaseUser | None) -> None:
    """Delete a draft's skill and its level texts. Refused with SkillInUseError, listing the role levels, while
    any role level requires it."""
    actor_check(actor, "frameworks.delete_skill", refusal="You cannot delete skills.")
    release_assert_content_editable(skill.release)
    requirements = list(
        Requirement.objects.filter(skill=skill)
        .select_related("role", "role_level")
        .order_by("role__name", "role_level__seniority")
    )
    if requirements:
        raise SkillInUseError(skill, requirements)
    log(
        instance=skill,
        action="capability.frameworks.skill_delete",
        user=actor,
        data={"code": skill.code, "name": skill.name, "release": skill.release.label},
        deleted=True,
    )
    try:
        skill.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise FrameworkValidationError(
            f"Skill '{skill.name}' is referenced by a later release's mapping and cannot be deleted."
        ) from exc


@transaction.atomic
def requirement_set(
    *, role_level: RoleLevel, skill: Skill, level: Level, actor: AbstractBaseUser | None
) -> Requirement:
    """Make a draft's role level require `skill` at `level` (adding or changing the requirement)."""
    actor_check(
        actor,
        "frameworks.add_requirement",
        "frameworks.change_requirement",
        refusal="You cannot change the skills role levels require.",
    )
    release_assert_content_editable(role_level.release)
    if not (role_level.release_id == skill.release_id == level.release_id):
        raise FrameworkValidationError("The role level, skill and level must belong to the same release.")
    requirement, _ = Requirement.objects.update_or_create(
        role_level=role_level,
        skill=skill,
        defaults={"release_id": role_level.release_id, "role_id": role_level.role_id, "level": level},
    )
    log(
        instance=role_level,
        action="capability.frameworks.requirement_set",
        user=actor,
        data={"skill": skill.code, "level": level.code},
    )
    return requirement


@transaction.atomic
def requirement_delete(*, requirement: Requirement, actor: AbstractBaseUser | None) -> None:
    """Remove a requirement from a draft."""
    actor_check(actor, "frameworks.delete_requirement", refusal="You cannot change the skills role levels require.")
    release_assert_content_editable(requirement.release)
    log(
        instance=requirement.role_level or requirement.role,
        action="capability.frameworks.requirement_delete",
        user=actor,
        data={"skill": requirement.skill.code, "level": getattr(requirement.level, "code", None)},
    )
    requirement.delete()


@transaction.atomic
def role_level_update(
    *,
    role_level: RoleLevel,
    name: str,
    description: str,
    indicative_grade: str = "",
    actor: AbstractBaseUser | None,
) -> RoleLevel:
    """Change a draft's role level name, description and indicative grade (its code stays)."""
    actor_check(actor, "frameworks.change_rolelevel", refusal="You cannot change role levels.")
    release_assert_content_editable(role_level.release)
    role_level.name = name
    role_level.description = description
    role_level.description_blocks = text_blocks(description)
    role_level.indicative_grade = indicative_grade
    role_level.save(update_fields=["name", "description", "description_blocks", "indicative_grade"])
    log(instance=role_level, action="capability.frameworks.role_level_update", user=actor)
    return role_level


@transaction.atomic
def role_levels_reorder(*, role: Role, role_levels: Sequence[RoleLevel], actor: AbstractBaseUser | None) -> None:
    """Set the seniority of a draft role's levels to the order given, most junior first. Every level of the
    role must be given exactly once."""
    actor_check(actor, "frameworks.change_rolelevel", refusal="You cannot change role levels.")
    release_assert_content_editable(role.release)
    given = [level.pk for level in role_levels]
    existing = set(role.levels.values_list("pk", flat=True))
    if len(given) != len(set(given)) or set(given) != existing:
        raise FrameworkValidationError(f"Give every level of '{role.name}' exactly once.")
    # Two passes, because (role, seniority) is unique at every moment.
    offset = len(given) + max(role.levels.values_list("seniority", flat=True), default=0)
    for seniority, pk in enumerate(given, start=1):
        RoleLevel.objects.filter(pk=pk).update(seniority=offset + seniority)
    for seniority, pk in enumerate(given, start=1):
        RoleLevel.objects.filter(pk=pk).update(seniority=seniority)
    log(
        instance=role,
        action="capability.frameworks.role_levels_reorder",
        user=actor,
        data={
            "order": list(RoleLevel.objects.filter(pk__in=given).order_by("seniority").values_list("code", flat=True))
        },
    )


@transaction.atomic
def release_change_note_set(*, change: ReleaseChange, note: str, actor: AbstractBaseUser | None) -> ReleaseChange:
    """Explain one line of a draft's change log. The note survives recomputing the change log."""
    actor_check(actor, "frameworks.change_releasechange", refusal="You cannot change a release's change log.")
    release_assert_content_editable(change.release)
    change.note = note
    change.save(update_fields=["note"])
    log(instance=change.release, action="capability.frameworks.change_note_set", user=actor, data={"code": change.code})
    return change
