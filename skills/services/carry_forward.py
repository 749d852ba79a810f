"""Carry people's levels into a newly published framework release, through the release's skill mapping."""

from collections import Counter

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import FrameworkRelease, Level, RoleLevel, Skill, SkillMapping
from skills.enums import AssessmentSource, ReviewStatus
from skills.models import Assessment, CurrentLevel, Person, Review, SelfAssessmentDraft

from .assessments import current_levels_rebuild
from .notifications import notify_bulk


@transaction.atomic
def release_carry_forward(*, release: FrameworkRelease) -> int:
    """For each person's current level in the previous release, add a carried-forward row in `release`.

    Unchanged skills carry over; renamed ones follow the release's skill mapping (same code or an editor's
    mapping); levels whose text changed, or that the new scale no longer has, are marked for re-validation
    rather than silently kept; removed skills are not carried. Both the current claim and the current
    validation are carried, keeping their dates (so staleness does not reset at each release). People's role
    levels, their unsent drafts and the reviews still open move to the new release with them.
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
            level_changed = bool(original.level) and (
                original.level.code in mapping.changed_level_codes or level is None
            )
            rows.append(
                Assessment(
                    person_id=current.person_id,
                    skill=skill,
                    release=release,
                    level=level,
                    source=AssessmentSource.CARRIED_FORWARD,
                    is_claim=original.is_claim,
                    carried_from=original,
                    needs_revalidation=level_changed,
                    evidence=original.evidence,
                    created_at=original.created_at,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=1000)
    current_levels_rebuild(pairs={(row.person_id, row.skill.pk) for row in rows})
    _reviews_move(previous=previous, release=release, now=now)
    _role_levels_move(previous=previous, release=release)
    _drafts_move(previous=previous, release=release, mapped=mapped, targets=targets, levels_by_code=levels_by_code)
    _revalidation_digests_queue(release=release)
    log(instance=release, action="capability.skills.carried_forward", data={"rows": len(rows)})
    return len(rows)


def _revalidation_digests_queue(*, release: FrameworkRelease) -> None:
    """One message per person whose levels the release marks for re-validation, and one per line manager
    about their direct reports: at most once each per release (the outbox's key)."""
    affected = list(
        CurrentLevel.objects.filter(release=release, needs_revalidation=True)
        .values("person_id", "person__user_id", "person__line_manager__user_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    notify_bulk(
        "levels_to_check",
        event=f"release:{release.pk}",
        recipients=[(row["person__user_id"], {"release_id": release.pk, "count": row["count"]}) for row in affected],
    )
    people_by_manager = Counter(
        row["person__line_manager__user_id"] for row in affected if row["person__line_manager__user_id"]
    )
    notify_bulk(
        "team_levels_to_check",
        event=f"release:{release.pk}",
        recipients=[
            (manager_user_id, {"release_id": release.pk, "people": people})
            for manager_user_id, people in people_by_manager.items()
        ],
    )


def _reviews_move(*, previous: FrameworkRelease, release: FrameworkRelease, now) -> None:
    """Reviews still open on claims of the previous release close as superseded and reopen, with the same
    reviewer, on the carried claims, so that the decision lands in the current release."""
    carried = dict(
        Assessment.objects.filter(release=release, is_claim=True, carried_from__isnull=False).values_list(
            "carried_from_id", "pk"
        )
    )
    open_reviews = list(Review.objects.filter(claim__release=previous, status=ReviewStatus.OPEN))
    Review.objects.filter(pk__in=[review.pk for review in open_reviews]).update(
        status=ReviewStatus.SUPERSEDED, resolved_at=now
    )
    Review.objects.bulk_create(
        Review(claim_id=carried[review.claim_id], reviewer_kind=review.reviewer_kind, reviewer_id=review.reviewer_id)
        for review in open_reviews
        if review.claim_id in carried
    )


def _role_levels_move(*, previous: FrameworkRelease, release: FrameworkRelease) -> None:
    """People's current and target role levels follow to the level with the same role and level codes: one
    UPDATE per field, over the levels people actually hold."""
    new_by_codes = {
        (role_level.role.code, role_level.code): role_level.pk
        for role_level in RoleLevel.objects.filter(release=release).select_related("role")
    }
    for field in ("current_role_level", "target_role_level"):
        held = RoleLevel.objects.filter(
            pk__in=Person.objects.filter(**{f"{field}__release": previous}).values(f"{field}_id")
        ).select_related("role")
        moves = [
            When(**{f"{field}_id": old.pk}, then=Value(new_by_codes.get((old.role.code, old.code)))) for old in held
        ]
        if moves:
            Person.objects.filter(**{f"{field}__release": previous}).update(
                **{f"{field}_id": Case(*moves, output_field=IntegerField())}
            )


def _drafts_move(*, previous: FrameworkRelease, release: FrameworkRelease, mapped, targets, levels_by_code) -> None:
    """Unsent answers follow their skill into the new release (drafts are editable, unlike the ledger), unless
    the person already has a draft for the new skill."""
    drafts = list(SelfAssessmentDraft.objects.filter(skill__release=previous).select_related("level"))
    taken = set(SelfAssessmentDraft.objects.filter(skill__release=release).values_list("person_id", "skill_id"))
    moved = []
    for draft in drafts:
        mapping = mapped.get(draft.skill_id)
        if mapping is None or (draft.person_id, mapping.skill_id) in taken:
            continue
        draft.skill = targets[mapping.skill_id]
        draft.level = levels_by_code.get(draft.level.code) if draft.level else None
        moved.append(draft)
    SelfAssessmentDraft.objects.bulk_update(moved, ["skill", "level"], batch_size=1000)
