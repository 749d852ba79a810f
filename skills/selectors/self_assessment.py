"""The learner's task list and what they should do next."""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.db.models import BigIntegerField, CharField, DateTimeField, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from frameworks.enums import ReleaseStatus
from frameworks.models import Requirement, Skill
from frameworks.prepared import PreparedRead
from skills.enums import ReviewStatus
from skills.models import (
    CurrentLevel,
    Person,
    Review,
    SelfAssessmentDraft,
)
from skills.selectors.people import ROLE_LEVEL_RELEASES, person_read, person_release
from skills.selectors.reviews import reviews_waiting_count


@dataclass(frozen=True)
class ItemStatus:
    key: str  # not_started, in_progress, more_evidence, sent, check_again, validated, claimed
    text: str
    colour: str  # a GOV.UK tag modifier


def status_key(
    *,
    draft: bool,
    evidence_requested: bool,
    open_review: bool,
    needs_revalidation: bool,
    validated: bool,
    claimed: bool,
) -> str:
    """Where a skill stands for a person, as one of ItemStatus's keys: the one rule the task list
    (`SelfAssessmentItem.status`) and the dashboard's counts (`person_next_actions`) share, so they never disagree.
    `evidence_requested` is a reviewer's request for more evidence on the current claim, which only an answer in
    progress (a draft) can meet."""
    if draft:
        return "more_evidence" if evidence_requested else "in_progress"
    if open_review:
        return "sent"
    if needs_revalidation:
        return "check_again"
    if validated:
        return "validated"
    if claimed:
        return "claimed"
    return "not_started"


def item_status(
    key: str, *, open_review: bool, reviewer_name: str, validated_level: str | None, claimed_level: str | None
) -> ItemStatus:
    """A status key (`status_key`) in the words and colour the task list shows: the one wording the task list's
    rows (`task_list`) and the items of the skill and check pages (`SelfAssessmentItem.status`) share."""
    if key == "more_evidence":
        return ItemStatus(key, "More evidence needed", "red")
    if key == "in_progress" and open_review:
        return ItemStatus(key, f"Changed since you sent it to {reviewer_name}", "light-blue")
    if key == "in_progress":
        return ItemStatus(key, "In progress", "light-blue")
    if key == "sent":
        return ItemStatus(key, f"Sent to {reviewer_name}", "blue")
    if key == "check_again":
        return ItemStatus(key, "Check again: the framework changed", "orange")
    if key == "validated":
        return ItemStatus(key, f"Validated at {validated_level or 'no level yet'}", "green")
    if key == "claimed":
        return ItemStatus(key, f"Claimed {claimed_level or 'no level yet'}, not validated", "grey")
    return ItemStatus(key, "Not started", "grey")


ANY_ASSESSOR = "an accredited assessor"


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
        key = status_key(
            draft=self.draft is not None,
            evidence_requested=self.evidence_request is not None,
            open_review=self.open_review is not None,
            needs_revalidation=bool(current and current.needs_revalidation),
            validated=bool(current and current.validation_id),
            claimed=bool(current and current.claim_id),
        )
        return item_status(
            key,
            open_review=self.open_review is not None,
            reviewer_name=self.reviewer_name,
            validated_level=current.validated_level.name if current and current.validated_level else None,
            claimed_level=current.claimed_level.name if current and current.claimed_level else None,
        )

    @property
    def reviewer_name(self) -> str:
        reviewer = self.open_review.reviewer if self.open_review else None
        return reviewer.user.get_full_name() if reviewer else ANY_ASSESSOR

    @property
    def claim_differs(self) -> bool:
        """The person claimed another level than the one validated: shown beside it, never hidden."""
        return bool(self.current and self.current.sources_disagree)


def self_assessment_items(*, person: Person, release) -> list[SelfAssessmentItem]:
    """The skills a person should self-assess in `release`: those their current and target role levels
    require, plus any they added (drafts) or already claimed. A constant number of queries."""
    labelled = [
        (label, role_level)
        for label, role_level in (
            ("Current role", person.current_role_level),
            ("Target role", person.target_role_level),
        )
        if role_level is not None and role_level.release_id == release.pk
    ]
    by_role_level: dict[int, list[Requirement]] = {}
    if labelled:
        for requirement in Requirement.objects.filter(
            role_level_id__in={role_level.pk for _, role_level in labelled}
        ).select_related("level"):
            by_role_level.setdefault(requirement.role_level_id, []).append(requirement)
    required: dict[int, list] = {}
    for label, role_level in labelled:
        for requirement in by_role_level.get(role_level.pk, []):
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
    # Only what the pages show of a skill: its description and guidance are long and never shown here.
    skills = Skill.objects.filter(pk__in=skill_ids).only("pk", "code", "name", "release_id").order_by("name")
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


# The task list's reads, compiled once per process (decision 0025). A person has at most two role levels: the
# requirements of both are read with one statement (the same id twice for one).
_REQUIREMENTS_OF_TWO = PreparedRead(
    lambda *, first_id, second_id: Requirement.objects.filter(
        Q(role_level_id=first_id) | Q(role_level_id=second_id)
    ).values_list("role_level_id", "skill_id", "level__name")
)
# The columns of `_task_list_rows`, each branch's own named alike so that the union lines them up: which read the
# row is from (`TASK_LIST_DRAFT`, `TASK_LIST_CURRENT` or `TASK_LIST_REVIEWER`), the skill, then the current level's
# columns (claim, whether a reviewer sent it or the claim it was carried from back for more evidence, needs
# revalidation, validation, last assessed, validated and claimed levels' names) and the open review's (reviewer and
# their names, when and in which order it was made), each empty in the other branches.
_TASK_LIST_COLUMNS = (
    "tl_from",
    "tl_skill",
    "tl_claim",
    "tl_requested",
    "tl_reval",
    "tl_valid",
    "tl_last",
    "tl_validated",
    "tl_claimed",
    "tl_reviewer",
    "tl_first",
    "tl_last_name",
    "tl_review_at",
    "tl_review_id",
)
TASK_LIST_DRAFT, TASK_LIST_CURRENT, TASK_LIST_REVIEWER = 0, 1, 2


def _empty(field) -> Cast:
    """An empty column of `field`'s type. Typed, not a bare NULL: PostgreSQL settles a three-branch union's column
    types two branches at a time, and two bare NULLs settle as text, which then cannot meet an id."""
    return Cast(Value(None), output_field=field)


def _none_of_a_current_level() -> dict:
    """The current level's columns, empty, for the other branches (fresh expressions for each queryset)."""
    return {
        "tl_claim": _empty(BigIntegerField()),
        "tl_requested": Value(False),
        "tl_reval": Value(False),
        "tl_valid": _empty(BigIntegerField()),
        "tl_last": _empty(DateTimeField()),
        "tl_validated": _empty(CharField()),
        "tl_claimed": _empty(CharField()),
    }


def _none_of_a_review() -> dict:
    """The open review's columns, empty, for the other branches."""
    return {
        "tl_reviewer": _empty(BigIntegerField()),
        "tl_first": _empty(CharField()),
        "tl_last_name": _empty(CharField()),
        "tl_review_at": _empty(DateTimeField()),
        "tl_review_id": _empty(BigIntegerField()),
    }


def _task_list_rows(*, person_id: int, release_id: int):
    """In one statement, the person's rows in `release` that the task list reads: the skills with an answer in
    progress, the current levels (with their claim, whether a reviewer sent it back for more evidence, flags and
    levels' names) and the open reviews of their claims (with the reviewer's names). Rows of `_TASK_LIST_COLUMNS`."""
    drafts = (
        SelfAssessmentDraft.objects.filter(person_id=person_id, skill__release_id=release_id)
        .order_by()
        .annotate(
            tl_from=Value(TASK_LIST_DRAFT),
            tl_skill=F("skill_id"),
            **_none_of_a_current_level(),
            **_none_of_a_review(),
        )
        .values_list(*_TASK_LIST_COLUMNS)
    )
    currents = (
        CurrentLevel.objects.filter(person_id=person_id, release_id=release_id)
        .order_by()
        .annotate(
            tl_from=Value(TASK_LIST_CURRENT),
            tl_skill=F("skill_id"),
            tl_claim=F("claim_id"),
            tl_requested=_evidence_request_exists(),
            tl_reval=F("needs_revalidation"),
            tl_valid=F("validation_id"),
            tl_last=F("last_assessed_at"),
            tl_validated=F("validated_level__name"),
            tl_claimed=F("claimed_level__name"),
            **_none_of_a_review(),
        )
        .values_list(*_TASK_LIST_COLUMNS)
    )
    reviewers = (
        Review.objects.filter(claim__person_id=person_id, claim__release_id=release_id, status=ReviewStatus.OPEN)
        .order_by()
        .annotate(
            tl_from=Value(TASK_LIST_REVIEWER),
            tl_skill=F("claim__skill_id"),
            **_none_of_a_current_level(),
            tl_reviewer=F("reviewer_id"),
            tl_first=F("reviewer__user__first_name"),
            tl_last_name=F("reviewer__user__last_name"),
            tl_review_at=F("created_at"),
            tl_review_id=F("id"),
        )
        .values_list(*_TASK_LIST_COLUMNS)
    )
    return drafts.union(currents, reviewers, all=True)


# Read on every task list: compiled once per process (decision 0025); one statement, not three (decision 0224).
_TASK_LIST_ROWS = PreparedRead(_task_list_rows)
_RELEASE_SKILLS = PreparedRead(
    lambda *, release_id: Skill.objects.filter(release_id=release_id).values_list("pk", "code", "name").order_by("name")
)


# What a published (or superseded) release's task lists read of it, kept in this process under the framework pages'
# version (replaced by every release saved, so by a publication): such a release is frozen (decision 0104), and
# every task list in it reads the same skills and its role levels' requirements. A draft's are read each time.
@lru_cache(maxsize=64)
def _frozen_release_skills(framework_version: str, release_id: int) -> tuple:
    return tuple(_RELEASE_SKILLS.list(release_id=release_id))


@lru_cache(maxsize=512)
def _frozen_requirements_of_two(framework_version: str, first_id: int, second_id: int) -> tuple:
    return tuple(_REQUIREMENTS_OF_TWO.list(first_id=first_id, second_id=second_id))


def needs_text(required, *, stale: bool, draft: bool) -> str:
    """What the person's role levels need of a skill, as the task list words it under the skill's name.
    `required` is (label, level name) pairs."""
    needs = "; ".join(f"{label}: {level}" for label, level in required) or "Added by you"
    if stale and not draft:
        needs = f"{needs}. Due for reassessment: last assessed more than a reassessment period ago"
    return needs


class SkillChoice(NamedTuple):
    code: str
    name: str


@dataclass(frozen=True)
class TaskListRow:
    """One skill on the task list: what the page shows of it."""

    skill_id: int
    code: str
    name: str
    needs: str  # what the person's role levels need of it (`needs_text`)
    status: ItemStatus


@dataclass(frozen=True)
class TaskList:
    rows: list[TaskListRow]  # the skills to assess, by name
    addable: list["SkillChoice"]  # the release's other skills, by name: the "add a skill" choices


def task_list(*, person: Person, release, framework_version: str | None = None) -> TaskList:
    """The task list of `self_assessment_items` (the same skills, needs and statuses, by the same rules:
    `status_key`, `item_status`, `needs_text`) read narrowly for the task list page: the columns it shows, as
    tuples, not the items' model instances, which the skill and check pages need (decision 0221). The release's
    skills are read once, for the list and the "add a skill" choices; the answers in progress, the current levels
    and the open reviews in one union (decision 0224), with whether a reviewer sent a current level's claim back
    for more evidence (decision 0225). Three queries at most. Given the framework pages' version
    (`frameworks.page_cache.cache_versions`), a published release's skills and requirements are read once per
    process and version: two fewer (decision 0223)."""
    frozen = framework_version is not None and release.status != ReleaseStatus.DRAFT
    labelled = [
        (label, role_level.pk)
        for label, role_level in (
            ("Current role", person.current_role_level),
            ("Target role", person.target_role_level),
        )
        if role_level is not None and role_level.release_id == release.pk
    ]
    by_role_level: dict[int, list[tuple[int, str]]] = {}
    if labelled:
        first, second = labelled[0][1], labelled[-1][1]
        for role_level_id, skill_id, level_name in (
            _frozen_requirements_of_two(framework_version, first, second)
            if frozen
            else _REQUIREMENTS_OF_TWO.list(first_id=first, second_id=second)
        ):
            by_role_level.setdefault(role_level_id, []).append((skill_id, level_name))
    required: dict[int, list[tuple[str, str]]] = {}
    for label, role_level_id in labelled:
        for skill_id, level_name in by_role_level.get(role_level_id, []):
            required.setdefault(skill_id, []).append((label, level_name))
    of_person = {"person_id": person.pk, "release_id": release.pk}
    drafts, currents, reviewers, newest = set(), {}, {}, {}
    for read_from, skill_id, *current, reviewer_id, first_name, last_name, made_at, review_id in _TASK_LIST_ROWS.list(
        **of_person
    ):
        if read_from == TASK_LIST_DRAFT:
            drafts.add(skill_id)
        elif read_from == TASK_LIST_CURRENT:
            currents[skill_id] = (skill_id, *current)
        elif skill_id not in newest or (made_at, review_id) > newest[skill_id]:
            # An open review, by a named reviewer or any assessor (User.get_full_name). A claim can wait for its line
            # manager and an assessor at once: the newest review is named, as on the skill's page (`Review`'s
            # ordering, which the union does not keep).
            newest[skill_id] = (made_at, review_id)
            reviewers[skill_id] = f"{first_name} {last_name}".strip() if reviewer_id else ANY_ASSESSOR
    listed = set(required) | drafts | set(currents)
    stale_before = timezone.now() - relativedelta(months=release.framework.reassessment_period_months)
    rows, addable = [], []
    for skill_id, code, name in (
        _frozen_release_skills(framework_version, release.pk) if frozen else _RELEASE_SKILLS.list(release_id=release.pk)
    ):
        if skill_id not in listed:
            addable.append(SkillChoice(code, name))
            continue
        current = currents.get(skill_id)
        _, claim_id, requested, needs_revalidation, validation_id, last_assessed_at, validated, claimed = current or (
            (None, None, False, False) + (None,) * 4
        )
        draft = skill_id in drafts
        key = status_key(
            draft=draft,
            # An answer in progress on a claim a reviewer sent back for more evidence (or the claim it carried over).
            evidence_requested=bool(draft and requested),
            open_review=skill_id in reviewers,
            needs_revalidation=needs_revalidation,
            validated=bool(validation_id),
            claimed=bool(claim_id),
        )
        status = item_status(
            key,
            open_review=skill_id in reviewers,
            reviewer_name=reviewers.get(skill_id, ANY_ASSESSOR),
            validated_level=validated,
            claimed_level=claimed,
        )
        stale = current is not None and last_assessed_at < stale_before
        rows.append(
            TaskListRow(skill_id, code, name, needs_text(required.get(skill_id, []), stale=stale, draft=draft), status)
        )
    return TaskList(rows=rows, addable=addable)


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


def person_for_next_actions(*, user) -> Person | None:
    """The signed-in account's person as `person_next_actions` and the dashboard read them: `person_for_user`
    without the unit, grade and line manager, which the dashboard does not show: four fewer tables to plan and
    build on every dashboard (decision 0221). Their role levels' releases and frameworks, whether anyone reports
    to them and whether they are accredited. One query; None for an account without a skills profile."""
    return person_read(user=user, related=ROLE_LEVEL_RELEASES, flags=True)


def person_next_actions(*, person: Person) -> NextActions:
    """Counts of what the person should do next, by the same rule as their task list (`status_key`, so the
    dashboard and the task list never disagree), from narrow reads rather than the task list's items: the
    release, the skills with answers in progress and the current levels' flags, each row with whether its skill
    has an open review and (a current level) whether its claim was sent back for more evidence; the claims
    waiting for the person's review and whether anyone reports to them (known already for a person from
    `person_for_user`). At most three queries, whatever the numbers (decisions 0207, 0221, 0223: the answers in
    progress and the current levels in one)."""
    release = person_release(person=person)
    counts: Counter = Counter()
    waiting = stale = 0
    if release is not None:
        drafts, currents = {}, {}
        for draft, *row in _NEXT_ACTION_ROWS.list(person_id=person.pk, release_id=release.pk):
            if draft:
                drafts[row[0]] = row[5]  # whether it has a claim waiting for a review
            else:
                currents[row[0]] = row
        stale_before = timezone.now() - relativedelta(months=release.framework.reassessment_period_months)
        for skill_id in drafts.keys() | currents.keys():
            draft = skill_id in drafts
            _, claim_id, needs_revalidation, validation_id, last_assessed_at, open_review, requested = currents.get(
                skill_id, (skill_id, None, False, None, None, drafts.get(skill_id), False)
            )
            counts[
                status_key(
                    draft=draft,
                    evidence_requested=bool(draft and claim_id and requested),
                    open_review=bool(open_review),
                    needs_revalidation=needs_revalidation,
                    validated=bool(validation_id),
                    claimed=bool(claim_id),
                )
            ] += 1
            waiting += bool(open_review)
            stale += skill_id in currents and not draft and last_assessed_at < stale_before
    return NextActions(
        has_role_levels=bool(person.current_role_level_id or person.target_role_level_id),
        in_progress=counts["in_progress"],
        evidence_requested=counts["more_evidence"],
        waiting=waiting,
        check_again=counts["check_again"],
        stale=stale,
        to_review=reviews_waiting_count(reviewer=person),
        has_team=_has_direct_reports(person),
    )


# The columns of `_next_action_rows`, each branch's own named alike so that the union lines them up.
_NEXT_ACTION_COLUMNS = ("na_draft", "na_skill", "na_claim", "na_reval", "na_valid", "na_last", "na_open", "na_req")


def _next_action_rows(*, person_id: int, release_id: int):
    """In one statement: the skills with an answer in progress (the first column true), each with whether it has a
    claim waiting for a review; and the current levels with their flags (false), each with whether it has a claim
    waiting for a review and whether its claim was sent back for more evidence. Rows of (draft, skill id, claim
    id, needs revalidation, validation id, last assessed at, open review, evidence requested)."""
    drafts = (
        SelfAssessmentDraft.objects.filter(person_id=person_id, skill__release_id=release_id)
        .order_by()
        .annotate(
            na_draft=Value(True),
            na_skill=F("skill_id"),
            na_claim=Value(None, output_field=IntegerField()),
            na_reval=Value(False),
            na_valid=Value(None, output_field=IntegerField()),
            na_last=Value(None, output_field=DateTimeField()),
            na_open=_open_review_exists(person=person_id, release=release_id),
            na_req=Value(False),
        )
        .values_list(*_NEXT_ACTION_COLUMNS)
    )
    currents = (
        CurrentLevel.objects.filter(person_id=person_id, release_id=release_id)
        .order_by()
        .annotate(
            na_draft=Value(False),
            na_skill=F("skill_id"),
            na_claim=F("claim_id"),
            na_reval=F("needs_revalidation"),
            na_valid=F("validation_id"),
            na_last=F("last_assessed_at"),
            na_open=_open_review_exists(person=person_id, release=release_id),
            na_req=_evidence_request_exists(),
        )
        .values_list(*_NEXT_ACTION_COLUMNS)
    )
    return drafts.union(currents, all=True)


# Read on every dashboard: compiled once per process (decision 0025).
_NEXT_ACTION_ROWS = PreparedRead(_next_action_rows)


def _open_review_exists(*, person: Person | int, release) -> Exists:
    """Whether the person's claim on the outer row's skill (`skill_id`) in `release` waits for a review."""
    return Exists(
        Review.objects.filter(
            claim__person=person, claim__release=release, claim__skill_id=OuterRef("skill_id"), status=ReviewStatus.OPEN
        )
    )


def _evidence_request_exists() -> Exists:
    """Whether a reviewer sent the outer current level's claim, or the claim it was carried over from, back for
    more evidence (the request still stands after a new release is published)."""
    return Exists(
        Review.objects.filter(
            Q(claim_id=OuterRef("claim_id")) | Q(claim_id=OuterRef("claim__carried_from_id")),
            status=ReviewStatus.MORE_EVIDENCE,
        )
    )


def _has_direct_reports(person: Person) -> bool:
    """Whether anyone reports to `person`: read with them by `person_for_user`, else one query."""
    known = getattr(person, "has_direct_reports", None)
    return person.direct_reports.exists() if known is None else known
