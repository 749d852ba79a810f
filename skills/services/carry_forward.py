"""Carry people's levels into a newly published framework release, through the release's skill mapping."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import FrameworkRelease, Level, Skill, SkillMapping
from skills.enums import AssessmentSource
from skills.models import Assessment, CurrentLevel

from .assessments import current_levels_rebuild


@transaction.atomic
def release_carry_forward(*, release: FrameworkRelease) -> int:
    """For each person's current level in the previous release, add a carried-forward row in `release`.

    Unchanged skills carry over; renamed ones follow the release's skill mapping (same code or an editor's
    mapping); levels whose text changed are marked for re-validation rather than silently kept;
    removed skills are not carried. Both the current claim and the current validation are carried.
    Idempotent: a row already carried into this release is not carried again. Returns rows written.
    """
    previous = release.previous_release
    if previous is None:
        return 0
    mapped = {
        mapping.previous_skill_id: mapping
        for mapping in SkillMapping.objects.filter(release=release, skill__isnull=False)
    }
    targets = {skill.pk: skill for skill in Skill.objects.filter(pk__in=[m.skill_id for m in mapped.values()])}
    levels_by_code = {level.code: level for level in Level.objects.filter(release=release)}
    already = set(
        Assessment.objects.filter(release=release, source=AssessmentSource.CARRIED_FORWARD).values_list(
            "carried_from_id", flat=True
        )
    )
    now = timezone.now()
    rows = []
    for current in CurrentLevel.objects.filter(release=previous).select_related("claim__level", "validation__level"):
        mapping = mapped.get(current.skill_id)
        if mapping is None:
            continue
        skill = targets[mapping.skill_id]
        for original in (current.claim, current.validation):
            if original is None or original.pk in already:
                continue
            level = levels_by_code.get(original.level.code) if original.level else None
            rows.append(
                Assessment(
                    person_id=current.person_id,
                    skill=skill,
                    release=release,
                    level=level,
                    source=AssessmentSource.CARRIED_FORWARD,
                    is_claim=original.is_claim,
                    carried_from=original,
                    needs_revalidation=bool(original.level and original.level.code in mapping.changed_level_codes),
                    evidence=original.evidence,
                    created_at=now,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=1000)
    current_levels_rebuild(pairs={(row.person_id, row.skill.pk) for row in rows})
    log(instance=release, action="capability.skills.carried_forward", data={"rows": len(rows)})
    return len(rows)
