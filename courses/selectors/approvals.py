"""What a line manager (or their delegate) decides and sees of their team's training: the requests waiting for
them, one request with how the course meets the learner's gaps, and the reporting line's bookings."""

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses.enums import BookingStatus, CompletionStatus
from courses.models import Booking, CourseCompletion, CourseOutcome
from frameworks.prepared import PreparedRead
from skills.models import Delegation, Person
from skills.selectors import approver_may_decide, current_levels_for, gap_analysis, reporting_line
from skills.selectors.delegation import delegator_ids_for

APPROVALS_PAGE_SIZE = 50
TEAM_TRAINING_PAGE_SIZE = 50
# "Completed recently" on the team's training page: attended within this many days.
RECENTLY_COMPLETED_DAYS = 90


@dataclass(frozen=True)
class WaitingRequest:
    booking: Booking
    delegation: Delegation | None  # set when the request is the delegator's team's, decided as their delegate


def approvals_waiting(*, approver: Person, now: datetime | None = None, on: date | None = None) -> QuerySet[Booking]:
    """The requests `approver` may decide now: from their direct reports and from the direct reports of every
    manager who has delegated to them today (`on`, London's day of `now` unless given); never their own; only
    while booking for the session is still open (after that a request lapses). Oldest first."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(status=BookingStatus.REQUESTED, session__booking_closes_at__gt=now)
        .filter(
            Q(person__line_manager=approver)
            | Q(person__line_manager_id__in=delegator_ids_for(delegate=approver, on=on or timezone.localdate(now)))
        )
        .exclude(person=approver)
        .order_by("created_at", "id")
    )


def approvals_page(
    *, approver: Person, covering: list[Delegation], page_number=None, now: datetime | None = None
) -> tuple[Page, list]:
    """One page (50) of `approvals_waiting`, each request with its learner, course and session, marked with the
    delegation it came through (`covering`: the delegations in force to the approver, from
    `delegations_around`). Two queries whatever the queue's length (the count, the page); one for an empty
    queue."""
    delegations = {delegation.delegator_id: delegation for delegation in covering}
    queue = approvals_waiting(approver=approver, now=now).select_related("person__user", "session__course")
    page = Paginator(queue, APPROVALS_PAGE_SIZE).get_page(page_number)
    rows = [
        WaitingRequest(
            booking,
            delegations.get(booking.person.line_manager_id) if booking.person.line_manager_id != approver.pk else None,
        )
        for booking in page
    ]
    return page, rows


def approval_get_for(*, user, booking_id) -> Booking | None:
    """The booking `booking_id` with its learner (account, line manager, target role level), session, course
    and who decided, if `user` may decide the learner's requests today (`approver_may_decide`: their line
    manager or that manager's delegate, never the learner) and it went to approval, else None: the page
    answers 404. Two queries."""
    booking = (
        Booking.objects.select_related(
            "person__user",
            "person__line_manager__user",
            "person__target_role_level__role",
            "person__target_role_level__release",
            "session__course",
            "decided_by",
            "cancelled_by",
        )
        .filter(pk=booking_id)
        .order_by()
        .first()
    )
    if booking is None or not _went_to_approval(booking):
        return None
    if not approver_may_decide(approver=user, person=booking.person):
        return None
    return booking


def _went_to_approval(booking: Booking) -> bool:
    """A request waiting, or one that was decided or lapsed: a booking confirmed without approval (the course
    did not need it) was never a request, and has no approval page."""
    return booking.status in (BookingStatus.REQUESTED, BookingStatus.DECLINED, BookingStatus.LAPSED) or (
        booking.decided_at is not None
    )


@dataclass(frozen=True)
class OutcomeFit:
    """One outcome of the course against the learner: what their target role level needs of the skill and
    their validated level now."""

    outcome: CourseOutcome
    required: object  # the Level the target role level needs, or None
    validated: object  # the learner's validated Level now, or None
    validated_rank: int

    @property
    def required_rank(self) -> int:
        return self.required.rank if self.required else 0

    @property
    def has_gap(self) -> bool:
        return self.required is not None and self.validated_rank < self.required_rank

    @property
    def closes_gap(self) -> bool:
        """The course takes the learner to (or towards) what their target needs."""
        return self.has_gap and self.outcome.to_rank > self.validated_rank

    @property
    def verdict(self) -> str:
        if self.required is None:
            return "Not needed for their target role level"
        if not self.has_gap:
            return "Already met"
        if self.outcome.to_rank >= self.required_rank:
            return "Closes their gap"
        if self.closes_gap:
            return "Narrows their gap"
        return "Below their validated level"


def course_fit(*, booking: Booking) -> list[OutcomeFit]:
    """How each of the course's outcomes meets the learner's gaps: the requirement of their target role level
    (`gap_analysis`) and their validated level (`current_levels_for`) for each outcome skill, matched on the
    skill's stable code. Four queries at most (outcomes, requirements: none once read for a published release, the
    target's levels, current levels)."""
    person = booking.person
    outcomes = list(
        CourseOutcome.objects.filter(course_id=booking.session.course_id)
        .select_related("skill", "from_level", "to_level")
        .order_by("sort_order", "pk")
    )
    if not outcomes:
        return []
    target = person.target_role_level
    analysis = gap_analysis(person=person, role_level=target) if target is not None else None
    required = {row.requirement.skill.code: row.requirement.level for row in (analysis.rows if analysis else [])}
    validated: dict[str, tuple] = {}
    for current in current_levels_for(person=person).values():
        # The level in the target's release wins over one in another release of the same skill.
        if current.skill_code not in validated or (target is not None and current.release_id == target.release_id):
            validated[current.skill_code] = (current.validated_level, current.validated_rank)
    return [
        OutcomeFit(
            outcome,
            required.get(outcome.skill_code),
            *validated.get(outcome.skill_code, (None, 0)),
        )
        for outcome in outcomes
    ]


TEAM_VIEWS = {
    "upcoming": "Booked",
    "requested": "Waiting for approval",
    "waitlisted": "On a waiting list",
    "completed": "Completed recently",
}


def _team_view_filter(view: str, now: datetime) -> Q:
    if view == "requested":
        return Q(status=BookingStatus.REQUESTED, session__booking_closes_at__gt=now)
    if view == "waitlisted":
        return Q(status=BookingStatus.WAITLISTED, session__starts_at__gt=now)
    if view == "completed":
        return Q(status=BookingStatus.COMPLETED, session__ends_at__gte=now - timedelta(days=RECENTLY_COMPLETED_DAYS))
    return Q(status=BookingStatus.CONFIRMED, session__ends_at__gt=now)


def team_training(*, manager: Person, view: str, page_number=None, now: datetime | None = None):
    """The bookings of everyone in `manager`'s reporting line (directly or through others) in one view of
    TEAM_VIEWS, 50 a page: upcoming confirmed places and waiting lists by session date, requests by how long
    they have waited, recent completions newest first. Returns (page, counts per view). Three queries (the
    counts, the page's count, the page), whatever the line's size."""
    now = now or timezone.now()
    bookings = Booking.objects.filter(person__in=reporting_line(manager_id=manager.pk).values("pk"))
    counts = bookings.aggregate(**{name: Count("pk", filter=_team_view_filter(name, now)) for name in TEAM_VIEWS})
    ordering = {
        "requested": ("created_at", "id"),
        "completed": ("-session__starts_at", "id"),
    }.get(view, ("session__starts_at", "id"))
    queue = (
        bookings.filter(_team_view_filter(view, now))
        .select_related("person__user", "person__line_manager__user", "session__course")
        .order_by(*ordering)
    )
    return Paginator(queue, TEAM_TRAINING_PAGE_SIZE).get_page(page_number), counts


class CompletionToConfirm(NamedTuple):
    """A self-paced completion waiting for the line manager to confirm it, as the dashboard names it."""

    pk: int
    person_name: str  # User.get_full_name
    course_title: str


def manager_training_to_do(*, manager: Person, now: datetime | None = None, limit: int = 5) -> dict:
    """What a line manager has to decide about their team's training, for the dashboard: how many requests wait
    for them (their own team's and any delegated to them), and the oldest self-paced completions waiting for them
    to confirm (at most `limit`, each with the person's name and the course's title, read as values: decision
    0225). Two queries."""
    now = now or timezone.now()
    return {
        "requests": _APPROVALS_WAITING.count(approver_id=manager.pk, now=now, on=timezone.localdate(now)),
        "completions": [
            CompletionToConfirm(pk, f"{first_name} {last_name}".strip(), title)
            for pk, first_name, last_name, title in _completions_waiting(limit).list(manager_id=manager.pk)
        ],
    }


# Both read on every manager's dashboard: compiled once per process (decision 0025).
def _approvals_waiting(*, approver_id: int, now: datetime, on: date):
    return approvals_waiting(approver=Person(pk=approver_id), now=now, on=on).order_by().values("pk")


_APPROVALS_WAITING = PreparedRead(_approvals_waiting)


@functools.cache
def _completions_waiting(limit: int) -> PreparedRead:
    return PreparedRead(
        lambda *, manager_id: (
            CourseCompletion.objects.filter(person__line_manager_id=manager_id, status=CompletionStatus.CLAIMED)
            .order_by("created_at", "id")
            .values_list("pk", "person__user__first_name", "person__user__last_name", "course__title")[:limit]
        )
    )
