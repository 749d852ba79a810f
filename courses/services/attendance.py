"""Attendance: once a session has started a training administrator marks, for each confirmed booking, whether the
person attended, and then closes the session.

Attended completes the booking and records course-completion evidence in the skills ledger (one COURSE row per
outcome, and an Achievement that asks for a certificate where the course leads to one) through skills' service;
did not attend is a no-show. A mark corrected later never edits the ledger: attended → did not attend withdraws
the evidence by compensating rows, did not attend → attended records it again under a new reference
(``courses.booking:12:2``), since a withdrawn reference is never reused.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from courses.enums import BookingStatus, SessionStatus
from courses.errors import BookingError, NotAllowed
from courses.models import Booking, Session
from courses.services.bookings import session_bookings_cancel
from courses.services.evaluations import evaluation_request
from courses.services.plans import plan_sync_for_booking
from skills.models import Achievement
from skills.services import Outcome, course_evidence_record, course_evidence_retract
from skills.services.notifications import notify

MARK_ATTENDANCE = "courses.change_booking"
MARKABLE = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
RETRACT_REASON = "Attendance corrected: the person did not attend."
CLOSE_REASON = "The session has taken place."


def booking_reference(booking_id: int) -> str:
    return f"courses.booking:{booking_id}"


def _achievements(booking_id: int) -> list[Achievement]:
    """Every completion recorded for the booking, oldest first (``courses.booking:12``, ``…:12:2``, …)."""
    base = booking_reference(booking_id)
    return list(Achievement.objects.filter(Q(reference=base) | Q(reference__startswith=f"{base}:")).order_by("id"))


def completed_on(session: Session, now: datetime) -> date:
    """The day a completion is recorded for: the session's last day, or today when attendance is marked before
    the session has ended (a course over several days, marked on its first) — never a day that has not come, which
    would put the certificate's validFrom in the future and make every verifier refuse it."""
    return min(timezone.localtime(session.ends_at).date(), timezone.localtime(now).date())


def _record_evidence(booking: Booking, session: Session, outcomes: list[Outcome], actor, now: datetime) -> None:
    recorded = _achievements(booking.pk)
    if any(achievement.withdrawn_at is None for achievement in recorded):
        return
    base = booking_reference(booking.pk)
    reference = f"{base}:{len(recorded) + 1}" if recorded else base
    course = session.course
    course_evidence_record(
        person=booking.person,
        outcomes=outcomes,
        reference=reference,
        title=course.title,
        url=course.url or "",
        award=course.award,
        achieved_on=completed_on(session, now),
        author=actor,
        certificate_requested=course.leads_to_certificate,
        certificate_validity_months=course.certificate_validity_months,
    )


def _retract_evidence(booking: Booking, actor) -> None:
    for achievement in _achievements(booking.pk):
        if achievement.withdrawn_at is None:
            course_evidence_retract(reference=achievement.reference, author=actor, reason=RETRACT_REASON)


def _check_actor(actor) -> None:
    if actor is not None and not (actor.is_active and actor.has_perm(MARK_ATTENDANCE)):
        raise NotAllowed("Only a training administrator can mark attendance.")


def _locked_session(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)


@transaction.atomic
def attendance_mark(*, session: Session, marks: dict[int, bool], actor, now: datetime | None = None) -> list[Booking]:
    """Mark attendance for confirmed (or already marked) bookings of the session: `marks` maps a booking id to
    whether the person attended. Returns the bookings whose mark changed; each person is told."""
    _check_actor(actor)
    now = now or timezone.now()
    session = _locked_session(session)
    if session.status == SessionStatus.CANCELLED:
        raise BookingError("This session was cancelled: there is no attendance to mark.")
    if now < session.starts_at:
        start = timezone.localtime(session.starts_at)
        raise BookingError(f"Attendance can be marked once the session has started ({start:%-d %B %Y at %H:%M %Z}).")
    bookings = {
        booking.pk: booking
        for booking in Booking.objects.select_for_update(of=("self",))
        .filter(session=session, pk__in=list(marks))
        .select_related("person")
    }
    missing = sorted(set(marks) - set(bookings))
    if missing:
        raise BookingError(f"Booking {missing[0]} is not on this session's roster.")
    for booking_id in sorted(bookings):
        booking = bookings[booking_id]
        if booking.status not in MARKABLE:
            raise BookingError(
                f"{booking.person} has no confirmed place ({booking.get_status_display().lower()}): "
                "only confirmed attendees can be marked."
            )
    outcomes = [
        Outcome(framework_id=outcome.framework_id, skill_code=outcome.skill_code, rank=outcome.to_rank)
        for outcome in session.course.outcomes.all()
    ]
    changed = []
    for booking_id in sorted(bookings):
        booking = bookings[booking_id]
        target = BookingStatus.COMPLETED if marks[booking_id] else BookingStatus.NO_SHOW
        if booking.status == target:
            continue
        previous = booking.status
        if target == BookingStatus.COMPLETED:
            _record_evidence(booking, session, outcomes, actor, now)
        elif previous == BookingStatus.COMPLETED:
            _retract_evidence(booking, actor)
        booking.status = target
        booking.attendance_marked_by = actor
        booking.attendance_marked_at = now
        booking.save(update_fields=["status", "attendance_marked_by", "attendance_marked_at", "updated_at"])
        log(
            instance=booking,
            action="capability.courses.attendance_mark",
            user=actor,
            data={"session": session.pk, "person": booking.person_id, "status": target, "was": previous},
        )
        notify(
            "attendance_recorded",
            recipient=booking.person,
            event=f"booking:{booking.pk}:attendance:{target}:{now.isoformat()}",
            booking_id=booking.pk,
        )
        plan_sync_for_booking(booking)
        evaluation_request(booking=booking)  # only once, and only for those who attended
        changed.append(booking)
    return changed


@transaction.atomic
def session_close(*, session: Session, actor, now: datetime | None = None) -> Session:
    """Close a session that has taken place: only once every confirmed booking has its attendance marked. Requests
    and waiting-list places still open are cancelled (the session has happened) and their people told."""
    _check_actor(actor)
    if actor is not None and not actor.has_perm("courses.change_session"):
        raise NotAllowed("Only a training administrator can close sessions.")
    now = now or timezone.now()
    session = _locked_session(session)
    if session.status != SessionStatus.SCHEDULED:
        raise BookingError(f"This session is {session.get_status_display().lower()}: it cannot be closed.")
    if now < session.starts_at:
        raise BookingError("The session has not started yet: it can be closed once it has taken place.")
    unmarked = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count()
    if unmarked:
        raise BookingError(
            f"{unmarked} confirmed {'booking has' if unmarked == 1 else 'bookings have'} no attendance mark yet: "
            "mark everyone before closing the session."
        )
    for booking in session_bookings_cancel(session=session, actor=actor, reason=CLOSE_REASON, now=now):
        notify(
            "booking_cancelled", recipient=booking.person, event=f"booking:{booking.pk}:closed", booking_id=booking.pk
        )
    session.status = SessionStatus.COMPLETED
    session.save(update_fields=["status", "updated_at"])
    log(instance=session, action="capability.courses.session_close", user=actor, data={})
    return session
