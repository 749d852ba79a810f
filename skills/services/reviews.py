"""Self-assessment and validation: drafts, submitting claims, and reviewers' decisions."""

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import Level, Skill
from skills.enums import AssessmentSource, ReviewerKind, ReviewStatus
from skills.models import Assessment, ClaimWithdrawal, Person, Review, SelfAssessmentDraft
from skills.selectors import management_chain_ids, person_visible_to
from skills.selectors.delegation import delegation_covers
from skills.services.assessments import assessment_record, current_levels_rebuild
from skills.services.certificates import CertificateConflict, certificate_issue_for_validation
from skills.services.errors import InvalidAssessment, NotAllowed
from skills.services.notifications import notify

logger = logging.getLogger(__name__)


def self_assessment_draft_save(
    *, person: Person, skill: Skill, level: Level | None, evidence: str, actor
) -> SelfAssessmentDraft:
    """Save (or replace) the learner's unsent answer for one skill. Only the person themselves may."""
    if actor.pk != person.user_id:
        raise NotAllowed("Only the person can write their own self-assessment.")
    if level is not None and level.release_id != skill.release_id:
        raise InvalidAssessment("Choose one of this skill's own levels.")
    draft, _ = SelfAssessmentDraft.objects.update_or_create(
        person=person, skill=skill, defaults={"level": level, "evidence": evidence.strip()}
    )
    log(instance=draft, action="capability.skills.draft_save", user=actor, data={"skill": skill.code})
    return draft


@transaction.atomic
def self_assessment_submit(*, person: Person, actor, skills: list[Skill] | None = None) -> list[Assessment]:
    """Turn the learner's drafts (all, or those for `skills`) into claims in the ledger and send each to
    the line manager for review. A newer claim for a skill closes that skill's open reviews as superseded.
    Drafts without a level or without evidence are refused, naming the skills."""
    if actor.pk != person.user_id:
        raise NotAllowed("Only the person can submit their own self-assessment.")
    # A double click sends two requests: the second waits here and then finds the drafts already sent.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    drafts = SelfAssessmentDraft.objects.filter(person=person).select_related("skill", "level")
    if skills is not None:
        drafts = drafts.filter(skill__in=skills)
    drafts = list(drafts)
    if not drafts:
        raise InvalidAssessment("There is nothing to send: choose a level and give evidence for a skill first.")
    incomplete = sorted(draft.skill.name for draft in drafts if not draft.evidence)
    if incomplete:
        raise InvalidAssessment(f"Give evidence for: {', '.join(incomplete)}.")

    now = timezone.now()
    claims = []
    for draft in drafts:
        Review.objects.filter(claim__person=person, claim__skill=draft.skill, status=ReviewStatus.OPEN).update(
            status=ReviewStatus.SUPERSEDED, resolved_at=now
        )
        claim = assessment_record(
            person=person,
            skill=draft.skill,
            level=draft.level,
            source=AssessmentSource.SELF,
            author=actor,
            evidence=draft.evidence,
        )
        if person.line_manager_id:
            Review.objects.create(claim=claim, reviewer_kind=ReviewerKind.LINE_MANAGER, reviewer=person.line_manager)
        claims.append(claim)
    SelfAssessmentDraft.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    if person.line_manager_id:
        notify(
            "claims_submitted",
            recipient=person.line_manager,
            event=f"claims:{claims[-1].pk}" if claims else None,
            person_id=person.pk,
            count=len(claims),
        )
    return claims


@transaction.atomic
def review_request_assessor(*, claim: Assessment, actor) -> Review:
    """Ask the framework's accredited assessors to validate a claim independently. The claimant or their
    line manager may ask. Asking again while a request is open changes nothing and returns that request; the
    returned review's `newly_requested` says whether this call made it (so the page can say "already asked")."""
    person = claim.person
    if actor.pk != person.user_id and not (person.line_manager and person.line_manager.user_id == actor.pk):
        raise NotAllowed("Only the person or their line manager can ask an assessor.")
    if not claim.is_claim:
        raise InvalidAssessment("Only a claim can be sent to an assessor.")
    review, created = Review.objects.get_or_create(
        claim=claim, reviewer_kind=ReviewerKind.ASSESSOR, status=ReviewStatus.OPEN
    )
    if created:
        log(instance=claim, action="capability.skills.assessor_requested", user=actor)
    review.newly_requested = created
    return review


def _locked_review(review: Review) -> Review:
    """Lock the claimant's person row, then the review row only (not the rows joined to it): decisions about
    one person are serialised, so two reviewers never lose each other's CurrentLevel update, while decisions
    about different people go on in parallel."""
    person_id = Review.objects.filter(pk=review.pk).values_list("claim__person_id", flat=True).get()
    Person.objects.select_for_update().filter(pk=person_id).first()
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("claim__person", "claim__release", "claim__skill", "claim__level")
        .get(pk=review.pk)
    )


def assessor_is_independent(*, assessor: Person, claim: Assessment) -> bool:
    """Not the person, not anyone in their management chain (who may already have judged the claim), and not
    anyone who reports to them, directly or not (who would be judging their own manager)."""
    return not person_visible_to(viewer=assessor, person=claim.person) and claim.person_id not in (
        management_chain_ids(person=assessor)
    )


def _reviewer_may_decide(review: Review, reviewer: Person) -> None:
    claim = review.claim
    if reviewer.pk == claim.person_id:
        raise NotAllowed("Nobody validates their own claim.")
    if review.status != ReviewStatus.OPEN:
        raise InvalidAssessment("This claim has already been reviewed.")
    if review.reviewer_kind == ReviewerKind.LINE_MANAGER:
        # The person's line manager now, not whoever it was sent to: HR may have moved them since; or the
        # manager that line manager has delegated to for today (never for their own claim: refused above).
        line_manager_id = claim.person.line_manager_id
        if line_manager_id != reviewer.pk and not delegation_covers(delegate=reviewer, delegator_id=line_manager_id):
            raise NotAllowed("Only the person's current line manager (or their delegate) can review this claim.")
    else:
        if not reviewer.accredited_frameworks.filter(pk=claim.release.framework_id).exists():
            raise NotAllowed("Only an assessor accredited for this framework can validate this claim.")
        if not assessor_is_independent(assessor=reviewer, claim=claim):
            raise NotAllowed(
                "An assessor must be independent: neither in the person's management chain nor reporting to them."
            )


@transaction.atomic
def review_decide(*, review: Review, reviewer: Person, level: Level | None, reason: str = "") -> Assessment:
    """Confirm the claim (same level) or adjust it (another level, with a reason). Records the validation
    in the ledger and tells the learner; where the framework's policy says a validation earns a certificate,
    issues it."""
    review = _locked_review(review)
    _reviewer_may_decide(review, reviewer)
    claim = review.claim
    adjusted = (level.pk if level else None) != claim.level_id
    if adjusted and not reason.strip():
        raise InvalidAssessment("Say why you chose a different level from the one claimed.")
    source = (
        AssessmentSource.LINE_MANAGER
        if review.reviewer_kind == ReviewerKind.LINE_MANAGER
        else AssessmentSource.ASSESSOR
    )
    validation = assessment_record(
        person=claim.person,
        skill=claim.skill,
        level=level,
        source=source,
        author=reviewer.user,
        reason=reason,
        responds_to=claim,
    )
    review.status = ReviewStatus.ADJUSTED if adjusted else ReviewStatus.CONFIRMED
    review.outcome = validation
    review.resolved_by = reviewer.user
    review.resolved_at = timezone.now()
    review.save(update_fields=["status", "outcome", "resolved_by", "resolved_at"])
    notify("claim_reviewed", recipient=claim.person, event=f"review:{review.pk}", review_id=review.pk)
    try:
        certificate_issue_for_validation(validation=validation)
    except CertificateConflict:
        logger.warning("certificate_conflict validation=%s: another certificate of the skill stands", validation.pk)
    return validation


@transaction.atomic
def review_request_evidence(*, review: Review, reviewer: Person, message: str) -> Review:
    """Send the claim back to the learner asking for more evidence; they answer by submitting again."""
    review = _locked_review(review)
    _reviewer_may_decide(review, reviewer)
    if not message.strip():
        raise InvalidAssessment("Say what evidence you need.")
    review.status = ReviewStatus.MORE_EVIDENCE
    review.message = message.strip()
    review.resolved_by = reviewer.user
    review.resolved_at = timezone.now()
    review.save(update_fields=["status", "message", "resolved_by", "resolved_at"])
    SelfAssessmentDraft.objects.get_or_create(
        person=review.claim.person,
        skill=review.claim.skill,
        defaults={"level": review.claim.level, "evidence": review.claim.evidence},
    )
    log(instance=review.claim, action="capability.skills.evidence_requested", user=reviewer.user)
    notify("evidence_requested", recipient=review.claim.person, event=f"review:{review.pk}", review_id=review.pk)
    return review


@transaction.atomic
def claim_withdraw(*, person: Person, skill: Skill, actor) -> Assessment:
    """Withdraw the person's claim for `skill` while it is still waiting for review: its open reviews close as
    withdrawn, the policy stops counting it (the ledger row stays), and the answer goes back to the person's
    drafts so they can change it and send it again. Only the person may; a claim already decided cannot be
    withdrawn. Returns the withdrawn claim."""
    if actor.pk != person.user_id:
        raise NotAllowed("Only the person can withdraw their own claim.")
    Person.objects.select_for_update().filter(pk=person.pk).first()
    open_reviews = list(
        Review.objects.select_for_update(of=("self",))
        .filter(claim__person=person, claim__skill=skill, status=ReviewStatus.OPEN)
        .select_related("claim__level")
    )
    if not open_reviews:
        raise InvalidAssessment(f"Your {skill.name} claim is not waiting for review, so it cannot be withdrawn.")
    claim = open_reviews[0].claim
    now = timezone.now()
    Review.objects.filter(pk__in=[review.pk for review in open_reviews]).update(
        status=ReviewStatus.WITHDRAWN, resolved_at=now, resolved_by=actor
    )
    ClaimWithdrawal.objects.create(claim=claim, withdrawn_by=actor, withdrawn_at=now)
    current_levels_rebuild(pairs=[(person.pk, skill.pk)])
    SelfAssessmentDraft.objects.get_or_create(
        person=person, skill=skill, defaults={"level": claim.level, "evidence": claim.evidence}
    )
    log(instance=claim, action="capability.skills.claim_withdraw", user=actor, data={"skill": skill.code})
    return claim
