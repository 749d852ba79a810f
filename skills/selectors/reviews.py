"""Claims waiting for a reviewer: the queues, a claim's context, and who may review what."""

import functools
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page
from django.db import connection
from django.db.models import Count, F, Min, QuerySet, RowRange, Window
from django.db.models.expressions import Col
from django.db.models.functions import RowNumber

from frameworks.models import Requirement
from frameworks.prepared import PreparedRead
from skills.enums import ReviewerKind, ReviewStatus
from skills.models import (
    Assessment,
    Person,
    Review,
)
from skills.models.delegation import london_today
from skills.selectors.delegation import delegation_covers, delegator_ids_for
from skills.selectors.levels import skill_history
from skills.selectors.pagination import CountedPaginator, page_number_asked
from skills.selectors.people import management_chain, management_chain_ids, person_visible_to, reporting_line


def reviews_for_line_manager(*, manager: Person) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            person__line_manager=manager, reviewer_kind=ReviewerKind.LINE_MANAGER, status=ReviewStatus.OPEN
        )
        .select_related("claim__person__user", "claim__skill", "claim__level", "claim__release__framework")
        .order_by("created_at", "id")
    )


def reviews_delegated_to(*, delegate: Person, on=None) -> QuerySet[Review]:
    """Open line-manager reviews of the teams whose managers have delegated to `delegate` today, never the
    delegate's own claims: the delegated part of their queue."""
    return (
        Review.objects.filter(
            person__line_manager_id__in=delegator_ids_for(delegate=delegate, on=on),
            reviewer_kind=ReviewerKind.LINE_MANAGER,
            status=ReviewStatus.OPEN,
        )
        .exclude(person=delegate)
        .select_related("claim__person__user", "claim__skill", "claim__level", "claim__release__framework")
        .order_by("created_at", "id")
    )


def reviews_for_assessor(*, assessor: Person) -> QuerySet[Review]:
    """Open assessor reviews in the frameworks the assessor is accredited for, never their own claims nor
    those of anyone in their line (an assessor is independent): neither people who report to them nor the
    managers above them."""
    return (
        Review.objects.filter(
            reviewer_kind=ReviewerKind.ASSESSOR,
            status=ReviewStatus.OPEN,
            release__framework__in=assessor.accredited_frameworks.all(),
        )
        .exclude(person=assessor)
        .exclude(person_id__in=reporting_line(manager_id=assessor.pk).values("pk"))
        .exclude(person_id__in=management_chain(person_id=assessor.pk).values("pk"))
        .select_related("claim__person__user", "claim__skill", "claim__level", "claim__release__framework")
        .order_by("created_at", "id")
    )


def reviews_waiting_count(*, reviewer: Person) -> int:
    """How many claims wait for `reviewer`, as line manager (their own team's and those delegated to them) and
    as assessor (the queues never share a claim: each review is for one kind of reviewer, and a delegate is
    never in the delegator's team). One query; none for a person from `person_for_user` who has nobody
    reporting to them and no accreditation, whose queues are empty by definition (only a manager can be
    delegated to)."""
    if getattr(reviewer, "has_direct_reports", True) is False and getattr(reviewer, "is_accredited", True) is False:
        return 0
    return _REVIEWS_WAITING.count(reviewer_id=reviewer.pk, today=london_today())


def _reviews_waiting(*, reviewer_id: int, today: date):
    reviewer = Person(pk=reviewer_id)
    as_manager = reviews_for_line_manager(manager=reviewer).order_by().values("pk")
    delegated = reviews_delegated_to(delegate=reviewer, on=today).order_by().values("pk")
    as_assessor = reviews_for_assessor(assessor=reviewer).order_by().values("pk")
    return as_manager.union(delegated, as_assessor, all=True)


# Counted on every dashboard: compiled once per process (decision 0025).
_REVIEWS_WAITING = PreparedRead(_reviews_waiting)


def review_visible_to(*, viewer: Person | None, review: Review) -> bool:
    if viewer is None or viewer.pk == review.claim.person_id:
        return False
    if review.reviewer_kind == ReviewerKind.LINE_MANAGER:
        line_manager_id = review.claim.person.line_manager_id
        return line_manager_id == viewer.pk or delegation_covers(delegate=viewer, delegator_id=line_manager_id)
    return (
        viewer.accredited_frameworks.filter(pk=review.claim.release.framework_id).exists()
        and not person_visible_to(viewer=viewer, person=review.claim.person)
        and review.claim.person_id not in management_chain_ids(person=viewer)
    )


def review_get_for_reviewer(*, viewer: Person | None, review_id) -> Review | None:
    """The review with id `review_id`, with the claim, the person (account and role levels), the skill, the
    level and the framework loaded, or None when there is no such review or `viewer` may not review it
    (`review_visible_to`: the person's line manager, or the manager they have delegated to today, for a
    line-manager review; an assessor accredited for the
    framework and outside the person's line for an assessor review; never the person themselves)."""
    review = (
        Review.objects.select_related(
            "claim__person__user",
            "claim__person__current_role_level__role",
            "claim__person__target_role_level__role",
            "claim__skill",
            "claim__level",
            "claim__release__framework",
        )
        .filter(pk=review_id)
        .order_by()
        .first()
    )
    if review is None or not review_visible_to(viewer=viewer, review=review):
        return None
    return review


@dataclass(frozen=True)
class ReviewRequirement:
    label: str  # "Current role" or "Working towards"
    role_level: object
    level: object  # the Level the role level requires, or None when it does not require the skill


@dataclass(frozen=True)
class EvidenceAnswer:
    """A claim that came back after a reviewer asked for more evidence: what was asked, and what changed."""

    request: Review  # the closed review, its `message` the reviewer's words
    previous: Assessment  # the claim the request was about

    def evidence_changed_from(self, claim: Assessment) -> bool:
        return self.previous.evidence.strip() != claim.evidence.strip()

    def level_changed_from(self, claim: Assessment) -> bool:
        return self.previous.level_id != claim.level_id


@dataclass(frozen=True)
class ReviewContext:
    """What a reviewer needs beside the claim: what the person's role levels require of the skill, every earlier
    judgement of it, every earlier request for evidence, and (when the claim answers one) what changed."""

    requirements: list[ReviewRequirement]
    history: list[Assessment]  # the ledger for this skill, newest first, without the claim under review
    requests: list[Review]  # earlier requests for more evidence, newest first
    answer: EvidenceAnswer | None
    evidence_changed: bool
    level_changed: bool

    @property
    def other_requests(self) -> list[Review]:
        """The earlier requests besides the one this claim answers (shown with it already)."""
        answered = self.answer.request.pk if self.answer else None
        return [request for request in self.requests if request.pk != answered]


def review_context(*, review: Review) -> ReviewContext:
    """The context of a claim under review. A constant number of queries (four)."""
    claim = review.claim
    person = claim.person
    role_levels = [
        (label, role_level)
        for label, role_level in (
            ("Current role", person.current_role_level),
            ("Working towards", person.target_role_level),
        )
        if role_level is not None
    ]
    required = {
        requirement.role_level_id: requirement.level
        for requirement in Requirement.objects.filter(
            role_level_id__in=[role_level.pk for _, role_level in role_levels], skill__code=claim.skill.code
        ).select_related("level")
    }
    history = [row for row in skill_history(person=person, skill_code=claim.skill.code) if row.pk != claim.pk]
    requests = list(evidence_requests(person=person, skill_code=claim.skill.code))
    earlier = [
        request for request in requests if request.claim.created_at <= claim.created_at and request.claim_id != claim.pk
    ]
    answer = EvidenceAnswer(request=earlier[0], previous=earlier[0].claim) if earlier else None
    return ReviewContext(
        requirements=[
            ReviewRequirement(label, role_level, required.get(role_level.pk)) for label, role_level in role_levels
        ],
        history=history,
        requests=requests,
        answer=answer,
        evidence_changed=bool(answer and answer.evidence_changed_from(claim)),
        level_changed=bool(answer and answer.level_changed_from(claim)),
    )


def evidence_requests(*, person: Person, skill_code: str) -> QuerySet[Review]:
    """Every request for more evidence of a person's skill (across releases), newest first, with who asked."""
    return (
        Review.objects.filter(claim__person=person, claim__skill__code=skill_code, status=ReviewStatus.MORE_EVIDENCE)
        .select_related("claim__level", "resolved_by")
        .order_by("-resolved_at", "-id")
    )


@dataclass(frozen=True)
class QueuedClaim:
    review_id: int
    skill_name: str
    level_name: str  # the level claimed; empty for "no level yet"
    sent_at: object


@dataclass(frozen=True)
class ReviewGroup:
    """A person's claims on one page of a queue. `total` counts all their claims waiting in the queue and
    `first` is the place of the first one shown among them, so a person whose claims run over a page break
    can be shown as such."""

    person_id: int
    name: str
    claims: list[QueuedClaim]
    total: int
    first: int
    line_manager_id: int | None = None  # whose team the person is in: marks a delegated queue's groups
    delegation: object = None  # the Delegation the claims came through, in the delegated queue

    @property
    def last(self) -> int:
        return self.first + len(self.claims) - 1

    @property
    def split(self) -> bool:
        return len(self.claims) < self.total


REVIEWS_PAGE_SIZE = 50


def _queue_rows(reviews: QuerySet[Review]) -> QuerySet:
    """The queue's claims in order, each with its person's number of claims, its place among them and the queue's
    length (`review_queue_page`)."""
    # One window definition for the three figures per person, so the database sorts the queue once and computes
    # them in one pass (a row number ignores the frame, and given the same one it shares the pass); the minimum of
    # times in ascending order is the first one. The queue's length is a window over every row, read
    # with the page instead of counting the queue again.
    window = {
        "partition_by": [F("person_id")],
        "order_by": [F("created_at").asc(), F("id").asc()],
        "frame": RowRange(start=None, end=None),
    }
    return (
        reviews.annotate(
            waiting_since=Window(Min("created_at"), **window),
            person_total=Window(Count("id"), **window),
            place=Window(RowNumber(), **window),
            queue_total=Window(Count("id")),
        )
        .order_by("waiting_since", "person_id", "created_at", "id")
        .values_list("pk", "person_total", "place", "queue_total")
    )


# A reviewer's own queues, by the name `review_queue_page`'s `queue` gives them.
QUEUES = {
    "line_manager": lambda reviewer: reviews_for_line_manager(manager=reviewer),
    "assessor": lambda reviewer: reviews_for_assessor(assessor=reviewer),
}


@functools.cache
def _queue_first_page(queue: str) -> PreparedRead:
    """The first page of a reviewer's `queue` (the one nearly every visit reads), compiled once per process
    (decision 0025): the queue's windows cost the ORM more to compile than the rest of the page's reads. Other
    pages are compiled as they are asked for: a page's offset is part of its SQL, and a page number is whatever
    the address says."""

    def build(*, reviewer_id):
        return _queue_rows(QUEUES[queue](Person(pk=reviewer_id)))[:REVIEWS_PAGE_SIZE]

    return PreparedRead(build)


# A queue page's claims with their people's names, skills and levels, in SQL: the ORM took longer to build the read
# of a page's fifty claims than the database to answer it.
QUEUED_CLAIMS_SQL = """
    SELECT review.id, review.created_at, review.person_id, account.first_name, account.last_name, skill.name,
           level.name, person.line_manager_id
    FROM skills_review review
    JOIN skills_person person ON person.id = review.person_id
    JOIN accounts_user account ON account.id = person.user_id
    JOIN skills_assessment claim ON claim.id = review.claim_id
    JOIN frameworks_skill skill ON skill.id = claim.skill_id
    LEFT JOIN frameworks_level level ON level.id = claim.level_id
    WHERE review.id IN ({reviews})
"""


def _queued_claims(*, review_ids: list[int]) -> list[tuple]:
    """(review id, sent at, person id, first name, last name, skill name, level name or None, the person's line
    manager's id) for each of `review_ids`: one query, none without ids."""
    if not review_ids:
        return []
    # Only placeholders are formatted into the SQL; every value is a parameter.
    sql = QUEUED_CLAIMS_SQL.format(reviews=", ".join(["%s"] * len(review_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(review_id) for review_id in review_ids])
        rows = cursor.fetchall()
    # The moment as the ORM would give it (SQLite hands it back as text).
    expression = Col(Review._meta.db_table, Review._meta.get_field("created_at"))
    converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
    if not converters:
        return rows
    converted = []
    for row in rows:
        sent_at = row[1]
        for converter in converters:
            sent_at = converter(sent_at, expression, connection)
        converted.append((row[0], sent_at, *row[2:]))
    return converted


def review_queue_page(
    *,
    reviews: QuerySet[Review] | None = None,
    page_number=None,
    queue: str | None = None,
    reviewer: Person | None = None,
) -> tuple[Page, list[ReviewGroup]]:
    """One page (50 claims) of a queue from `reviews_for_line_manager` or `reviews_for_assessor`, grouped by
    person: the person waiting longest first, each person's claims in the order they were sent. The grouping,
    each person's count, each claim's place and the queue's length are window functions in the database, so a
    page loads only its own claims: two queries (the page's claims with the queue's length, and their names)
    whatever the queue's length, one for an empty queue. A page number out of range shows the last page, as
    elsewhere on the site, in two queries more (the count, and the last page). A reviewer's own queue is named
    rather than given (`queue`, a key of QUEUES, with `reviewer`), so that its first page is a prepared read.

    The names, skills and levels are read for the page's claims only, in a second query, rather than joined to
    every claim in the queue before sorting."""
    size = REVIEWS_PAGE_SIZE

    def queue_reviews() -> QuerySet[Review]:
        # A named queue's queryset is built only when a page other than its (prepared) first one is read.
        nonlocal reviews
        if reviews is None:
            reviews = QUEUES[queue](reviewer)
        return reviews

    def page_rows(number: int) -> list:
        if queue is not None and number == 1:
            return _queue_first_page(queue).list(reviewer_id=reviewer.pk)
        return list(_queue_rows(queue_reviews())[(number - 1) * size : number * size])

    number = page_number_asked(page_number)
    rows = page_rows(number) if number >= 1 else []
    if rows:
        count = rows[0][3]
    elif number == 1:
        count = 0
    else:  # past the end (or below 1): the last page
        count = queue_reviews().order_by().count()
        number = max(1, -(-count // size))
        rows = page_rows(number) if count else []
    page = Page(
        rows, number, CountedPaginator(Review.objects.none() if reviews is None else reviews, size, count=count)
    )
    shown = {review_id: (total, place) for review_id, total, place, _ in rows}
    details = {row[0]: row for row in _queued_claims(review_ids=list(shown))}
    groups: list[ReviewGroup] = []
    for review_id, (total, place) in shown.items():
        _, sent_at, person_id, first_name, last_name, skill_name, level_name, line_manager_id = details[review_id]
        if not groups or groups[-1].person_id != person_id:
            name = f"{first_name} {last_name}".strip()
            groups.append(ReviewGroup(person_id, name, [], total, place, line_manager_id))
        groups[-1].claims.append(QueuedClaim(review_id, skill_name, level_name or "", sent_at))
    return page, groups


def next_review_for(*, reviewer: Person, person_id: int) -> Review | None:
    """The reviewer's next waiting claim from the same person (as line manager first, then as their manager's
    delegate, then as assessor)."""
    return (
        reviews_for_line_manager(manager=reviewer).filter(person_id=person_id).first()
        or reviews_delegated_to(delegate=reviewer).filter(person_id=person_id).first()
        or reviews_for_assessor(assessor=reviewer).filter(person_id=person_id).first()
    )


def assessor_request_open(*, claim) -> Review | None:
    """The open request for an accredited assessor to validate `claim`, if one was made."""
    if claim is None:
        return None
    return Review.objects.filter(claim=claim, reviewer_kind=ReviewerKind.ASSESSOR, status=ReviewStatus.OPEN).first()
