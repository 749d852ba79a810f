"""Training's evidence in the ledger: a completed course writes one row per skill outcome (source "course", at the
outcome's level) and an `Achievement`; a completion found to be wrong is withdrawn by compensating rows, never by
an edit. `courses` calls these through skills' services (skills never imports courses): it passes its outcomes as
plain values and checks its own actor (the training administrator marking attendance, or the line manager
confirming a self-paced completion), whom these functions record as the author."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import Framework, Level, Skill
from skills.enums import AssessmentSource
from skills.models import Achievement, Person
from skills.services.assessments import assessment_record, current_levels_rebuild
from skills.services.certificates import (
    CertificateConflict,
    certificate_issue_for_achievement,
    certificates_revoke_for_achievement,
)
from skills.services.errors import InvalidAssessment

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """A level a completed course evidences: in a framework's skill (by its stable code), at a level (by rank)."""

    framework_id: int
    skill_code: str
    rank: int


def _resolve(outcomes: Iterable[Outcome]) -> list[tuple[Skill, Level]]:
    """Each outcome's skill and level in its framework's current release; outcomes whose skill or level the
    current release no longer has are left out (there is nothing to evidence)."""
    outcomes = list(outcomes)
    releases = dict(
        Framework.objects.filter(pk__in={o.framework_id for o in outcomes}).values_list("pk", "current_release_id")
    )
    skills = {
        (skill.release_id, skill.code): skill
        for skill in Skill.objects.filter(
            release_id__in=[r for r in releases.values() if r], code__in={o.skill_code for o in outcomes}
        )
    }
    levels = {
        (level.release_id, level.rank): level
        for level in Level.objects.filter(release_id__in=[r for r in releases.values() if r])
    }
    resolved = []
    for outcome in outcomes:
        release_id = releases.get(outcome.framework_id)
        skill = skills.get((release_id, outcome.skill_code))
        level = levels.get((release_id, outcome.rank))
        if skill is not None and level is not None:
            resolved.append((skill, level))
    return resolved


@transaction.atomic
def course_evidence_record(
    *,
    person: Person,
    outcomes: Iterable[Outcome],
    reference: str,
    title: str,
    url: str = "",
    award: str = "",
    achieved_on: date,
    author,
    evidence: str = "",
    certificate_requested: bool = False,
    certificate_validity_months: int | None = None,
) -> Achievement:
    """Record that the person completed a course: an `Achievement` (`reference` names the completion, e.g.
    ``courses.booking:12``; `award` names what was completed, the same for every completion of it, e.g.
    ``courses.course:42``) and a ledger row per outcome. Recording the same reference again returns the
    achievement already recorded and writes nothing. With `certificate_requested` the completion earns a
    certificate (valid for `certificate_validity_months`), renewing the one of the same award the person holds;
    should another of that award be issued to them at the same moment, that one stands and the completion is
    still recorded."""
    existing = Achievement.objects.filter(reference=reference).first()
    if existing is not None:
        if existing.withdrawn_at is not None:
            raise InvalidAssessment(f"{title}: this completion was withdrawn; record a new completion instead.")
        return existing
    achievement = Achievement.objects.create(
        person=person,
        kind=Achievement.Kind.COURSE_COMPLETED,
        reference=reference,
        award=award,
        title=title,
        url=url,
        achieved_on=achieved_on,
        certificate_requested=certificate_requested,
        certificate_validity_months=certificate_validity_months,
    )
    text = evidence or f"Completed {title} on {achieved_on:%-d %B %Y}."
    rows = [
        assessment_record(
            person=person, skill=skill, level=level, source=AssessmentSource.COURSE, author=author, evidence=text
        )
        for skill, level in _resolve(outcomes)
    ]
    achievement.evidence.set(rows)
    log(instance=achievement, action="capability.skills.course_evidence", user=author, data={"reference": reference})
    if certificate_requested:
        try:
            certificate_issue_for_achievement(achievement=achievement)
        except CertificateConflict:
            logger.warning("certificate_conflict achievement=%s: another of %s stands", achievement.pk, award)
    return achievement


@transaction.atomic
def course_evidence_retract(*, reference: str, author, reason: str) -> Achievement | None:
    """Withdraw a completion recorded by mistake (attendance marked wrongly): a compensating ledger row for each
    row it wrote (neither counts any more), the achievement marked withdrawn, and the certificate it earned
    revoked with the same reason. Returns None when nothing was
    recorded under `reference`; withdrawing twice changes nothing."""
    if not reason.strip():
        raise InvalidAssessment("Say why the completion is withdrawn.")
    achievement = Achievement.objects.select_for_update().filter(reference=reference).first()
    if achievement is None or achievement.withdrawn_at is not None:
        return achievement
    rows = list(achievement.evidence.filter(retracted_by__isnull=True).select_related("skill"))
    for row in rows:
        assessment_record(
            person=achievement.person,
            skill=row.skill,
            level=None,
            source=AssessmentSource.COURSE,
            author=author,
            reason=reason,
            retracts=row,
        )
    current_levels_rebuild(pairs=[(achievement.person_id, row.skill_id) for row in rows])
    achievement.withdrawn_at = timezone.now()
    achievement.withdrawn_reason = reason.strip()
    achievement.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    certificates_revoke_for_achievement(achievement=achievement, reason=achievement.withdrawn_reason, author=author)
    log(instance=achievement, action="capability.skills.course_evidence_retract", user=author, data={"reason": reason})
    return achievement
