from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import Level, Skill
from skills.enums import AssessmentSource
from skills.models import Assessment, CurrentLevel, Person
from skills.services.errors import InvalidAssessment
from skills.services.policy import derive_current, validation_ranking


def _check_level(skill: Skill, level: Level | None) -> None:
    if level is not None and level.release_id != skill.release_id:
        raise InvalidAssessment(
            f"{level} is a level of another release than {skill}: choose a level of the skill's own scale"
        )


@transaction.atomic
def assessment_record(
    *,
    person: Person,
    skill: Skill,
    level: Level | None,
    source: AssessmentSource,
    author=None,
    evidence: str = "",
    reason: str = "",
    responds_to: Assessment | None = None,
    carried_from: Assessment | None = None,
    retracts: Assessment | None = None,
    is_claim: bool | None = None,
    needs_revalidation: bool = False,
    created_at: datetime | None = None,
) -> Assessment:
    """Add one judgement to the ledger and bring the person's current level for the skill up to date.

    Every other service that records a level goes through here. The caller has checked that `author` may
    judge `person` (see `skills.services.reviews`); this function checks the data: the level must belong to
    the skill's release, and a self-assessment is always a claim.
    """
    source = AssessmentSource(source)
    _check_level(skill, level)
    if is_claim is None:
        is_claim = source == AssessmentSource.SELF
    row = Assessment.objects.create(
        person=person,
        skill=skill,
        release_id=skill.release_id,
        level=level,
        source=source,
        author=author,
        evidence=evidence.strip(),
        reason=reason.strip(),
        responds_to=responds_to,
        carried_from=carried_from,
        retracts=retracts,
        is_claim=is_claim,
        needs_revalidation=needs_revalidation,
        created_at=created_at or timezone.now(),
    )
    current_levels_rebuild(pairs=[(person.pk, skill.pk)])
    log(
        instance=row,
        action="capability.skills.assessment_record",
        user=author,
        data={"person": person.pk, "skill": skill.code, "level": level.code if level else None, "source": source},
    )
    return row


def current_levels_rebuild(*, pairs: Iterable[tuple[int, int]]) -> int:
    """Recompute `CurrentLevel` for these (person id, skill id) pairs from the ledger, in bulk: one query
    to read their rows, one to write. Call inside the transaction that inserted the rows. Returns the
    number of pairs written."""
    pairs = set(pairs)
    if not pairs:
        return 0
    person_ids = {person_id for person_id, _ in pairs}
    skill_ids = {skill_id for _, skill_id in pairs}
    rows_by_pair = defaultdict(list)
    for row in (
        Assessment.objects.filter(person_id__in=person_ids, skill_id__in=skill_ids)
        # A withdrawn claim no longer counts (docs/decisions/0013).
        .exclude(is_claim=True, withdrawal__isnull=False)
        .select_related("level", "skill", "release")
        .order_by()
    ):
        if (row.person_id, row.skill_id) in pairs:
            rows_by_pair[(row.person_id, row.skill_id)].append(row)
    # Every row of a pair withdrawn (only ever one claim at a time): no current level for that skill any more.
    for person_id, skill_id in pairs - set(rows_by_pair):
        CurrentLevel.objects.filter(person_id=person_id, skill_id=skill_id).delete()

    rankings: dict[int, dict[str, int]] = {}
    current = []
    for (person_id, skill_id), rows in rows_by_pair.items():
        framework_id = rows[0].release.framework_id
        if framework_id not in rankings:
            rankings[framework_id] = validation_ranking(framework_id=framework_id)
        claim, validation = derive_current(rows, rankings[framework_id])
        current.append(
            CurrentLevel(
                person_id=person_id,
                skill_id=skill_id,
                release_id=rows[0].release_id,
                skill_code=rows[0].skill.code,
                claimed_level=claim.level if claim else None,
                claimed_rank=claim.level.rank if claim and claim.level else 0,
                claim=claim,
                validated_level=validation.level if validation else None,
                validated_rank=validation.level.rank if validation and validation.level else 0,
                validation=validation,
                validated_source=validation.source if validation else "",
                needs_revalidation=bool(validation and validation.needs_revalidation)
                or bool(not validation and claim and claim.needs_revalidation),
                last_assessed_at=max(row.created_at for row in rows),
            )
        )
    CurrentLevel.objects.bulk_create(
        current,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["person", "skill"],
        update_fields=[
            "release",
            "skill_code",
            "claimed_level",
            "claimed_rank",
            "claim",
            "validated_level",
            "validated_rank",
            "validation",
            "validated_source",
            "needs_revalidation",
            "last_assessed_at",
        ],
    )
    return len(current)
