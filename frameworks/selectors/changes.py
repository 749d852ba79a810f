"""What changed between two releases, computed or as stored, in words people read."""

from collections import defaultdict
from dataclasses import dataclass

from frameworks.enums import ChangeKind, ChangeSubject
from frameworks.models import FrameworkRelease, Level, Skill, SkillLevelDescriptor
from frameworks.release_content import ChangeEntry, release_content_changes
from frameworks.selectors.content import release_content


@dataclass(frozen=True)
class ReleaseComparison:
    from_release: FrameworkRelease
    to_release: FrameworkRelease
    changes: list[ChangeEntry]

    def counts(self) -> dict[str, int]:
        """Number of changes by "<subject> <kind>", e.g. "skill added"."""
        counts: dict[str, int] = defaultdict(int)
        for change in self.changes:
            counts[f"{change.subject.label.lower()} {change.kind.label.lower()}"] += 1
        return dict(counts)


def release_comparison(*, from_release: FrameworkRelease, to_release: FrameworkRelease) -> ReleaseComparison:
    """What changed between any two releases of a framework, computed (not the stored change log).

    Skills are matched by code. Runs the queries of two `release_content` calls.
    """
    changes = release_content_changes(release_content(release=from_release), release_content(release=to_release))
    return ReleaseComparison(from_release, to_release, changes)


@dataclass(frozen=True)
class ChangeDetail:
    """One change as people read it: `summary` says what changed in words ("Text for the Practitioner level
    changed"); for a skill's text (description or a level's text) `before` and `after` hold the two texts
    (None where there was or is no text). `skill_code` is the skill to link to, `skill_release` the release whose
    page shows it (the earlier one for a removed skill); both empty for changes that are not about a skill."""

    subject: str
    kind: str
    code: str
    name: str
    summary: str
    note: str = ""
    before: str | None = None
    after: str | None = None
    skill_code: str = ""
    skill_release: FrameworkRelease | None = None
    skill_pk: int | None = None

    @property
    def has_texts(self) -> bool:
        return self.before is not None or self.after is not None


def release_change_details(
    *, changes, from_release: FrameworkRelease | None, to_release: FrameworkRelease
) -> list[ChangeDetail]:
    """`changes` (ReleaseChange rows or computed ChangeEntry values from `from_release` to `to_release`) as
    ChangeDetail, with the texts before and after and the level and skill names they need (3 queries, none
    when there are no changes)."""
    changes = list(changes)
    if not changes:
        return []
    releases = [release for release in (from_release, to_release) if release is not None]
    release_ids = [release.pk for release in releases]
    from_id = from_release.pk if from_release is not None else None
    level_names = {
        (release_id, code): name
        for release_id, code, name in Level.objects.filter(release_id__in=release_ids).values_list(
            "release_id", "code", "name"
        )
    }

    def level_name(release_id, code: str) -> str:
        return level_names.get((release_id, code)) or level_names.get((to_release.pk, code)) or code or "no level"

    skill_codes = set()
    for change in changes:
        if change.subject == ChangeSubject.SKILL:
            skill_codes.add(change.code)
        elif change.subject == ChangeSubject.REQUIREMENT:
            skill_codes.add(change.code.rsplit("/", 1)[-1])
    skills = {
        (release_id, code): (name, description, pk)
        for release_id, code, name, description, pk in Skill.objects.filter(
            release_id__in=release_ids, code__in=skill_codes
        ).values_list("release_id", "code", "name", "description", "pk")
    }
    text_codes = {change.code for change in changes if change.kind == ChangeKind.LEVEL_TEXT_CHANGED}
    texts = {
        (release_id, code, level_code): text if is_defined else None
        for release_id, code, level_code, text, is_defined in SkillLevelDescriptor.objects.filter(
            release_id__in=release_ids, skill__code__in=text_codes
        ).values_list("release_id", "skill__code", "level__code", "text", "is_defined")
    }

    details = []
    for change in changes:
        subject, kind = ChangeSubject(change.subject), ChangeKind(change.kind)
        skill_code = (
            change.code
            if subject == ChangeSubject.SKILL
            else change.code.rsplit("/", 1)[-1]
            if subject == ChangeSubject.REQUIREMENT
            else ""
        )
        in_to = (to_release.pk, skill_code) in skills
        skill_release = to_release if in_to else from_release if (from_id, skill_code) in skills else None
        before = after = None
        name = change.name or change.code
        summary = kind.label
        if kind == ChangeKind.RENAMED:
            summary = f"Renamed from {change.previous_name}"
        elif kind == ChangeKind.DESCRIPTION_CHANGED:
            summary = "Description changed"
            if subject == ChangeSubject.SKILL:
                before = skills.get((from_id, skill_code), (None, None, None))[1]
                after = skills.get((to_release.pk, skill_code), (None, None, None))[1]
        elif kind == ChangeKind.LEVEL_TEXT_CHANGED:
            before = texts.get((from_id, change.code, change.level_code))
            after = texts.get((to_release.pk, change.code, change.level_code))
            level = level_name(to_release.pk, change.level_code)
            if before is None:
                summary = f"Now has a {level} level"
            elif after is None:
                summary = f"No longer has a {level} level"
            else:
                summary = f"Text for the {level} level changed"
        if subject == ChangeSubject.REQUIREMENT:
            skill_name = (skills.get((to_release.pk, skill_code)) or skills.get((from_id, skill_code)) or (None,))[0]
            role_part = change.code.rsplit("/", 1)[0].replace("/", ": ").replace("-", " ")
            name = f"{skill_name or skill_code} for {role_part}"
            if kind == ChangeKind.ADDED:
                summary = f"Now required at {level_name(to_release.pk, change.level_code)} level"
            elif kind == ChangeKind.REMOVED:
                summary = f"No longer required (was {level_name(from_id, change.level_code)} level)"
            elif kind == ChangeKind.REQUIRED_LEVEL_CHANGED:
                old_code, _, new_code = change.detail.partition(" → ")
                summary = (
                    f"Required level changed from {level_name(from_id, old_code)} "
                    f"to {level_name(to_release.pk, new_code)}"
                )
        details.append(
            ChangeDetail(
                subject=subject.value,
                kind=kind.value,
                code=change.code,
                name=name,
                summary=summary,
                note=getattr(change, "note", ""),
                before=before,
                after=after,
                skill_code=skill_code if skill_release is not None else "",
                skill_release=skill_release,
                skill_pk=skills[(skill_release.pk, skill_code)][2] if skill_release is not None else None,
            )
        )
    return details


# --- the whole release as values --------------------------------------------------------------------
