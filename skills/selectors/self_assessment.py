"""The learner's task list and what they should do next."""

from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from frameworks.models import Requirement
from skills.enums import ReviewStatus
from skills.models import (
    CurrentLevel,
    Person,
    Review,
    SelfAssessmentDraft,
)

from .people import person_release
from .reviews import reviews_for_assessor, reviews_for_line_manager


@dataclass(frozen=True)
class ItemStatus:
    key: str  # not_started, in_progress, more_evidence, sent, check_again, validated, claimed
    text: str
    colour: str  # a GOV.UK tag modifier


@dataclass(frozen=True)
class SelfAssessmentItem:
    skill: object
    required: list  # (label, Level) pairs: what the person's current/target role levels require
    draft: SelfAssessmentDraft | None
    current: CurrentLevel | None
    open_review: Review | None
    stale: bool = False
    evidence_request: Review | None = None  # the reviewer's request for more evidence on the current claim

    @property
    def status(self) -> ItemStatus:
        """Where this skill stands for the person, in the words the task list shows."""
        current = self.current
        if self.draft and self.evidence_request:
            return ItemStatus("more_evidence", "More evidence needed", "red")
        if self.draft and self.open_review:
            return ItemStatus("in_progress", f"Changed since you sent it to {self.reviewer_name}", "light-blue")
        if self.draft:
            return ItemStatus("in_progress", "In progress", "light-blue")
        if self.open_review:
            return ItemStatus("sent", f"Sent to {self.reviewer_name}", "blue")
        if current and current.needs_revalidation:
            return ItemStatus("check_again", "Check again: the framework changed", "orange")
        if current and current.validation_id:
            level = current.validated_level.name if current.validated_level else "no level yet"
            return ItemStatus("validated", f"Validated at {level}", "green")
        if current and current.claim_id:
            level = current.claimed_level.name if current.claimed_level else "no level yet"
            return ItemStatus("claimed", f"Claimed {level}, not validated", "grey")
        return ItemStatus("not_started", "Not started", "grey")

    @property
    def reviewer_name(self) -> str:
        reviewer = self.open_review.reviewer if self.open_review else None
        return reviewer.user.get_full_name() if reviewer else "an accredited assessor"

    @property
    def claim_differs(self) -> bool:
        """The person claimed another level than the one validated: shown beside it, never hidden."""
        return bool(self.current and self.current.sources_disagree)


def self_assessment_items(*, person: Person, release) -> list[SelfAssessmentItem]:
    """The skills a person should self-assess in `release`: those their current and target role levels
    require, plus any they added (drafts) or already claimed. A constant number of queries."""
    from frameworks.models import Skill

    required: dict[int, list] = {}
    for label, role_level in (("Current role", person.current_role_level), ("Target role", person.target_role_level)):
        if role_level is None or role_level.release_id != release.pk:
            continue
        for requirement in Requirement.objects.filter(role_level=role_level).select_related("level"):
            required.setdefault(requirement.skill_id, []).append((label, requirement.level))
    drafts = {
        draft.skill_id: draft
        for draft in SelfAssessmentDraft.objects.filter(person=person, skill__release=release).select_related("level")
    }
    currents = {
        current.skill_id: current
        for current in CurrentLevel.objects.filter(person=person, release=release).select_related(
            "claimed_level", "validated_level", "claim", "validation"
        )
    }
    reviews = {
        review.claim.skill_id: review
        for review in Review.objects.filter(
            claim__person=person, claim__release=release, status=ReviewStatus.OPEN
        ).select_related("claim__level", "reviewer__user")
    }
    # A request for more evidence was made on the current claim, or on the claim it was carried over from when
    # a new framework release was published since: the request still stands.
    skill_of_claim = {}
    for current in currents.values():
        if current.claim_id:
            skill_of_claim[current.claim_id] = current.skill_id
            if current.claim.carried_from_id:
                skill_of_claim[current.claim.carried_from_id] = current.skill_id
    requests = {
        skill_of_claim[review.claim_id]: review
        for review in Review.objects.filter(claim_id__in=skill_of_claim, status=ReviewStatus.MORE_EVIDENCE)
        .select_related("claim", "resolved_by")
        .order_by("resolved_at", "id")
    }
    skill_ids = set(required) | set(drafts) | set(currents)
    skills = Skill.objects.filter(pk__in=skill_ids).order_by("name")
    stale_before = timezone.now() - relativedelta(months=release.framework.reassessment_period_months)
    return [
        SelfAssessmentItem(
            skill=skill,
            required=required.get(skill.pk, []),
            draft=drafts.get(skill.pk),
            current=currents.get(skill.pk),
            open_review=reviews.get(skill.pk),
            stale=skill.pk in currents and currents[skill.pk].last_assessed_at < stale_before,
            evidence_request=requests.get(skill.pk),
        )
        for skill in skills
    ]


@dataclass(frozen=True)
class NextActions:
    """What a person has to do next in their skills, as counts (the dashboard and the skills overview)."""

    has_role_levels: bool
    in_progress: int  # answers not sent yet
    evidence_requested: int  # claims sent back for more evidence, not answered yet
    waiting: int  # claims sent and waiting for a decision
    check_again: int  # levels the framework's new text asks to be validated again
    stale: int  # levels older than the framework's reassessment period
    to_review: int  # claims waiting for this person's review (as line manager or assessor)
    has_team: bool

    @property
    def anything(self) -> bool:
        return bool(
            not self.has_role_levels
            or self.in_progress
            or self.evidence_requested
            or self.check_again
            or self.stale
            or self.to_review
        )


def person_next_actions(*, person: Person) -> NextActions:
    """Counts of what the person should do next, from the same statuses as their task list (so the dashboard and
    the task list never disagree). A constant number of queries, whatever the numbers."""
    release = person_release(person=person)
    items = self_assessment_items(person=person, release=release) if release else []
    counts = Counter(item.status.key for item in items)
    return NextActions(
        has_role_levels=bool(person.current_role_level_id or person.target_role_level_id),
        in_progress=counts["in_progress"],
        evidence_requested=counts["more_evidence"],
        waiting=sum(1 for item in items if item.open_review),
        check_again=counts["check_again"],
        stale=sum(1 for item in items if item.stale and not item.draft),
        to_review=reviews_for_line_manager(manager=person).count() + reviews_for_assessor(assessor=person).count(),
        has_team=person.direct_reports.exists(),
    )
