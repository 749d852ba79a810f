"""Courses' side of development plans: a booking or a completion moves on the person's plan actions through
skills' `plan_actions_sync` (skills never imports courses). Skills knows the training by its course page URL and
a reference to the source row (``courses.booking:12``, ``courses.completion:3``), never by a foreign key.

The booking and attendance services call these after their own change (the lead wires the calls); both are
safe to call more than once for the same state.
"""

from courses.enums import BookingStatus, CompletionStatus
from courses.models import Booking, CourseCompletion, CoursePage
from skills.models import Achievement, Person, PlanAction
from skills.selectors.plans import plan_action_urls_waiting
from skills.services.plans import plan_actions_sync

# What a booking's status means for a plan action: booked (in progress), attended (done), or let go (back to
# planned: the person still needs what the action is for, so it is not dropped). A request waiting for approval
# or a place on the waiting list is already in progress: the person has acted on the plan.
BOOKING_TO_ACTION = {
    BookingStatus.REQUESTED: PlanAction.Status.IN_PROGRESS,
    BookingStatus.CONFIRMED: PlanAction.Status.IN_PROGRESS,
    BookingStatus.WAITLISTED: PlanAction.Status.IN_PROGRESS,
    BookingStatus.COMPLETED: PlanAction.Status.DONE,
    BookingStatus.CANCELLED: PlanAction.Status.PLANNED,
    BookingStatus.DECLINED: PlanAction.Status.PLANNED,
    BookingStatus.LAPSED: PlanAction.Status.PLANNED,
    BookingStatus.NO_SHOW: PlanAction.Status.PLANNED,
}


def booking_reference(booking: Booking) -> str:
    return f"courses.booking:{booking.pk}"


def completion_reference(completion: CourseCompletion) -> str:
    return f"courses.completion:{completion.pk}"


def _evidence(reference: str) -> list:
    """The ledger rows the completion under `reference` wrote (none if it wrote none or was withdrawn)."""
    achievement = Achievement.objects.filter(reference=reference, withdrawn_at__isnull=True).first()
    if achievement is None:
        return []
    return list(achievement.evidence.select_related("skill").order_by("pk"))


def plan_sync_for_booking(booking: Booking) -> list[PlanAction]:
    """Bring the person's plan actions for this booking's course into line with the booking: the action that
    carries the booking's reference, or else an open one whose URL is the course page (added from a
    recommendation), which then takes the reference."""
    status = BOOKING_TO_ACTION[booking.status]
    reference = booking_reference(booking)
    return plan_actions_sync(
        person=booking.person,
        reference=reference,
        status=status,
        evidence=_evidence(reference) if status == PlanAction.Status.DONE else (),
        url=booking.session.course.get_url() or "",
    )


def plan_waits_for_booking(*, person: Person, course: CoursePage) -> bool:
    """Whether a booking the person makes now on the course has a plan action to move on: one they added from a
    recommendation (its URL is the course page's). A booking just made carries a reference no action has yet,
    so when this says no, `plan_sync_for_booking` would change nothing: the booking service asks it before it
    takes the session's lock, and skips the sync. The course's URL (a read of the site's root paths) is worked out
    only when some action waits."""
    urls = plan_action_urls_waiting(person=person)
    return bool(urls) and (course.get_url() or "") in urls


def plan_sync_for_completion(completion: CourseCompletion) -> list[PlanAction]:
    """A self-paced completion: recorded (a claim) puts the action in progress; confirmed by the line manager
    makes it done with the evidence it wrote; rejected or withdrawn puts it back to planned."""
    status = {
        CompletionStatus.CLAIMED: PlanAction.Status.IN_PROGRESS,
        CompletionStatus.CONFIRMED: PlanAction.Status.DONE,
        CompletionStatus.REJECTED: PlanAction.Status.PLANNED,
        CompletionStatus.WITHDRAWN: PlanAction.Status.PLANNED,
    }[completion.status]
    reference = completion_reference(completion)
    return plan_actions_sync(
        person=completion.person,
        reference=reference,
        status=status,
        evidence=_evidence(reference) if status == PlanAction.Status.DONE else (),
        url=completion.course.get_url() or "",
    )
