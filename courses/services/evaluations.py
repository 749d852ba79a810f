"""Asking a learner, once, how a course went, and keeping their answer.

A learner is asked after a session they attended (a COMPLETED booking) or a self-paced course whose completion
their line manager confirmed. The attendance and completion services call `evaluation_request`; it tells the
learner once (the outbox's event key), however often it is called. `evaluation_submit` keeps one answer per
booking or completion: the database's one-to-one keeps it so under a double submit too.
"""

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from courses.enums import BookingStatus, CompletionStatus
from courses.errors import CoursesError, NotAllowed
from courses.models import Booking, CourseCompletion, Evaluation
from skills.services.notifications import notify


class EvaluationError(CoursesError):
    """This evaluation cannot be given: it was given already."""


class AlreadyEvaluated(EvaluationError):
    def __init__(self):
        super().__init__("You have already told us how this course went: thank you.")


def _subject(booking: Booking | None, completion: CourseCompletion | None) -> Booking | CourseCompletion:
    if (booking is None) == (completion is None):
        raise TypeError("Pass either a booking or a completion.")
    return booking if booking is not None else completion


def evaluation_is_due(*, booking: Booking | None = None, completion: CourseCompletion | None = None) -> bool:
    """Whether the learner may evaluate this: they attended the session, or their completion is confirmed."""
    if booking is not None:
        return booking.status == BookingStatus.COMPLETED
    return completion is not None and completion.status == CompletionStatus.CONFIRMED


def evaluation_request(*, booking: Booking | None = None, completion: CourseCompletion | None = None):
    """Ask the learner how the course went, with a link to the form. Once per booking or completion: asking again
    queues nothing new. Does nothing (returns None) when the learner did not attend or the completion is not
    confirmed. A system action: the caller has checked its own actor."""
    subject = _subject(booking, completion)
    if not evaluation_is_due(booking=booking, completion=completion):
        return None
    if booking is not None:
        return notify(
            "evaluation_requested", recipient=booking.person, event=f"booking:{subject.pk}", booking_id=subject.pk
        )
    return notify(
        "evaluation_requested", recipient=completion.person, event=f"completion:{subject.pk}", completion_id=subject.pk
    )


def evaluation_submit(
    *,
    actor,
    booking: Booking | None = None,
    completion: CourseCompletion | None = None,
    satisfaction: int,
    relevance_to_work: int,
    relevance_to_gap: int,
    comment: str = "",
) -> Evaluation:
    """Keep the learner's answer. Only the learner, only once, only after they attended (or their completion was
    confirmed): anyone else is refused with NotAllowed, a second answer with AlreadyEvaluated."""
    subject = _subject(booking, completion)
    person = subject.person
    if actor is None or not actor.is_authenticated or actor.pk != person.user_id:
        raise NotAllowed("Only the learner can say how their course went.")
    if not evaluation_is_due(booking=booking, completion=completion):
        raise NotAllowed("You can say how a course went once you have attended or completed it.")
    for score in (satisfaction, relevance_to_work, relevance_to_gap):
        if score not in range(1, 6):
            raise EvaluationError("Each answer is a score from 1 to 5.")
    lookup = {"booking": booking} if booking is not None else {"completion": completion}
    if Evaluation.objects.filter(**lookup).exists():
        raise AlreadyEvaluated
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                person=person,
                satisfaction=satisfaction,
                relevance_to_work=relevance_to_work,
                relevance_to_gap=relevance_to_gap,
                comment=comment.strip(),
                **lookup,
            )
    except IntegrityError:  # a second submit racing the first
        raise AlreadyEvaluated from None
    log(
        instance=evaluation,
        action="capability.courses.evaluation_submit",
        user=actor,
        data={"booking": booking.pk if booking else None, "completion": completion.pk if completion else None},
    )
    return evaluation
