"""The booking engine: every change to a booking, each a service that checks its actor, locks the session row,
keeps the seat count and the waitlist in order, notifies through the outbox and writes the audit log.

Seats: `Session.seats_taken` counts confirmed bookings and a check constraint keeps it within capacity; every
service that changes it first locks the session row (`SELECT … FOR UPDATE`), so concurrent bookings queue on
that lock and see each other's seats. The waitlist is first come, first served: positions come from the
session's counter, taken under the same lock, and promotion takes the lowest position first, once. The time a
service records is read after it holds the lock, so the order of `waitlisted_at` (and of booking ids) is the
order in which the lock was granted, which is the order of the positions.
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from courses.catalogue_cache import catalogue_seats_changed
from courses.enums import ACTIVE_BOOKING_STATUSES, BookingStatus, SessionStatus
from courses.errors import AlreadyBooked, BookingError, NotAllowed
from courses.models import Booking, Session
from courses.services.plans import plan_sync_for_booking, plan_waits_for_booking
from frameworks.audit import audit_log
from skills.models import Person
from skills.selectors import approver_may_decide
from skills.selectors.delegation import delegation_active_from
from skills.services.notifications import notify

MANAGE_BOOKINGS = "courses.change_booking"


def _locked_session(session: Session) -> Session:
    """The session row as it is now, locked. Its course is the one the caller holds (read now if it holds none,
    before the lock): a course page is a wide row that changes nothing the lock guards."""
    course = session.course
    locked = Session.objects.select_for_update().get(pk=session.pk)
    locked.course = course
    return locked


# The booking engine's busiest statements, written out: hundreds of bookings of one session arrive in the same
# second and queue on its lock, and the ORM takes several times longer to build each of these than PostgreSQL takes
# to run it (docs/decisions/0024). The session's own table and columns, nothing joined.
_SEATS_LOCK_SQL = (
    "SELECT status, capacity, seats_taken, waitlist_counter, (booking_opens_at <= %s AND %s < booking_closes_at) "
    "FROM {table} WHERE id = %s{lock}"
)
_SEATS_WRITE_SQL = "UPDATE {table} SET seats_taken = %s, waitlist_counter = %s, updated_at = %s WHERE id = %s"
_ELIGIBLE_GRADES_SQL = "SELECT {grade} FROM {table} WHERE {course} = %s"


def _lock_seats(session: Session, now: datetime) -> None:
    """Lock the session's row and bring onto `session` what the seats decide (status, capacity, seats taken,
    waitlist counter), as they are now; raise BookingError, saying why, if it no longer takes bookings at `now`.
    One statement that reads no more than that: the rest of the row is the caller's, read before the lock."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(_SEATS_LOCK_SQL.format(table=Session._meta.db_table, lock=lock), [at, at, session.pk])
        session.status, session.capacity, session.seats_taken, session.waitlist_counter, is_open = cursor.fetchone()
    if session.status != SessionStatus.SCHEDULED or not is_open:  # closed meanwhile: say why, from the row
        session.refresh_from_db(fields=["status", "booking_opens_at", "booking_closes_at"])
        session_open(session=session, now=now)
        raise BookingError("This session does not take bookings now: choose another date.")


def _locked_booking(booking: Booking) -> Booking:
    """The booking as it is now, locked, after its session's lock (always session first: no deadlock)."""
    return Booking.objects.select_for_update(of=("self",)).select_related("person__user").get(pk=booking.pk)


def is_training_administrator(actor) -> bool:
    return actor is not None and actor.is_active and actor.has_perm(MANAGE_BOOKINGS)


def person_may_book(*, person: Person, session: Session) -> None:
    """Raise BookingError if the person's grade is not one the course is for."""
    through = type(session.course).eligible_grades.through
    sql = _ELIGIBLE_GRADES_SQL.format(
        table=through._meta.db_table,
        grade=through._meta.get_field("grade").column,
        course=through._meta.get_field("coursepage").column,
    )
    with connection.cursor() as cursor:  # written out: asked of every booking (_SEATS_LOCK_SQL)
        cursor.execute(sql, [session.course.pk])
        grade_ids = {grade_id for (grade_id,) in cursor.fetchall()}
    if grade_ids and person.grade_id not in grade_ids:
        raise BookingError("This course is for other grades than yours: ask the training team if it suits you.")


def booking_open(session: Session, now: datetime) -> bool:
    return session.status == SessionStatus.SCHEDULED and session.booking_opens_at <= now < session.booking_closes_at


def session_bookable(*, session: Session, person: Person, now: datetime) -> None:
    """Raise BookingError, saying why, if the person cannot book the session now (whatever seats are left: a
    full session still takes bookings onto its waiting list). The booking page asks the same question."""
    if session.course.is_self_paced:
        raise BookingError("This course is self-paced: record your completion instead of booking a session.")
    session_open(session=session, now=now)
    person_may_book(person=person, session=session)


def session_open(*, session: Session, now: datetime) -> None:
    """Raise BookingError, saying why, if the session does not take bookings now (from its own row: no query)."""
    if session.status == SessionStatus.CANCELLED:
        raise BookingError("This session has been cancelled: choose another date.")
    if session.status != SessionStatus.SCHEDULED:
        raise BookingError("This session has already taken place: choose another date.")
    if now < session.booking_opens_at:
        opens = timezone.localtime(session.booking_opens_at)
        raise BookingError(f"Booking for this session opens on {opens:%-d %B %Y at %H:%M %Z}.")
    if now >= session.booking_closes_at:
        raise BookingError("Booking for this session has closed: choose another date.")


def booking_clashes(*, person: Person, session: Session) -> list[Booking]:
    """The person's other confirmed bookings whose sessions overlap this one in time (shown before they book)."""
    return list(
        Booking.objects.filter(
            person=person,
            status=BookingStatus.CONFIRMED,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .exclude(session=session)
        .select_related("session__course")
        .order_by("session__starts_at")
    )


def _notify(
    kind: str, booking: Booking, *, recipient: Person | None = None, event: str = "", new_event: bool = False
) -> None:
    notify(
        kind,
        recipient=recipient or booking.person,
        event=f"booking:{booking.pk}:{event or booking.status}:{booking.ical_sequence}",
        new_event=new_event,
        booking_id=booking.pk,
    )


def _audit(booking: Booking, action: str, actor, *, plan: bool = True, **data) -> None:
    """Write the transition to the audit log, and move the person's development plan action for this course on
    with it (booked: in progress; let go: planned again). `plan=False`: the caller knows that no action waits."""
    if plan:
        plan_sync_for_booking(booking)
    audit_log(
        booking,
        f"capability.courses.{action}",
        user=actor,
        data={"session": booking.session_id, "person": booking.person_id, "status": booking.status, **data},
    )


def _place(booking: Booking, session: Session, now: datetime) -> None:
    """Give the booking a seat if one is free, else the next waitlist place. The session is locked. Its seat
    counters are written with an UPDATE, not `save()`: what the session's save signals watch (the catalogue's
    rows) has not changed, and the catalogue is told of the seats when the change commits."""
    if session.seats_taken < session.capacity:
        session.seats_taken += 1
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = now
        booking.waitlist_position = None
    else:
        session.waitlist_counter += 1
        booking.status = BookingStatus.WAITLISTED
        booking.waitlist_position = session.waitlist_counter
        booking.waitlisted_at = now
    session.updated_at = timezone.now()  # as the field's auto_now would: when the row was written, not `now`
    with connection.cursor() as cursor:  # under the lock: written out (_SEATS_LOCK_SQL)
        cursor.execute(
            _SEATS_WRITE_SQL.format(table=Session._meta.db_table),
            [
                session.seats_taken,
                session.waitlist_counter,
                connection.ops.adapt_datetimefield_value(session.updated_at),
                session.pk,
            ],
        )
    catalogue_seats_changed()


def _announce_placement(booking: Booking, *, new_event: bool = False) -> None:
    _notify(
        "booking_confirmed" if booking.status == BookingStatus.CONFIRMED else "booking_waitlisted",
        booking,
        new_event=new_event,
    )


def _active_booking(*, session: Session, person: Person) -> Booking | None:
    return Booking.objects.filter(session=session, person=person, status__in=ACTIVE_BOOKING_STATUSES).first()


def booking_request(
    *, session: Session, person: Person, actor, adjustments: str = "", reason: str = "", now: datetime | None = None
) -> Booking:
    """Book the person onto the session: confirmed if a seat is free, waitlisted if not, or a request waiting for
    their line manager when the course needs approval (a request holds no seat). A person books for themselves;
    a training administrator may book for anyone. Booking twice returns nothing new: AlreadyBooked carries the
    booking the person already holds.

    Hundreds of people may book one session in the same second, each waiting for its lock in turn, so the lock is
    held only for what the seats decide (docs/decisions/0024): every question whose answer does not depend on the
    seats is asked before it. Whether the person holds a booking already is not asked at all: the database's
    one-active-booking index refuses a second one (a double-click, or booking again from an old page), which is
    answered with the booking already held."""
    if actor is not None and actor != person.user and not is_training_administrator(actor):
        raise NotAllowed("You can only book training for yourself.")
    try:
        return _booking_request(
            session=session, person=person, actor=actor, adjustments=adjustments, reason=reason, now=now
        )
    except IntegrityError:  # rolled back: nothing of this booking was kept
        existing = _active_booking(session=session, person=person)
        if existing is not None:
            raise AlreadyBooked(existing) from None
        raise BookingError("This booking could not be made: try again.") from None


@transaction.atomic
def _booking_request(
    *, session: Session, person: Person, actor, adjustments: str, reason: str, now: datetime | None
) -> Booking:
    # Before the lock: what the person may book, who approves, and whether a plan action waits for this course.
    # Each is the person's own or the course's, which the lock does not guard.
    session_bookable(session=session, person=person, now=now or timezone.now())
    approver = person.line_manager if session.course.needs_approval else None
    delegation = delegation_active_from(delegator=approver, on=timezone.localdate(now)) if approver else None
    plan_waiting = plan_waits_for_booking(person=person, course=session.course)

    _lock_seats(session, now or timezone.now())  # asks again, of the locked row, whether it takes bookings now
    now = now or timezone.now()  # read under the lock: arrival order is the order the lock is granted
    booking = Booking(
        session=session, person=person, adjustments=adjustments.strip(), reason=reason.strip(), created_at=now
    )
    if approver is not None:
        booking.status = BookingStatus.REQUESTED
    else:
        _place(booking, session, now)
    booking.save()  # a second active booking of the person's is refused here: IntegrityError, rolled back
    _audit(booking, "booking_request", actor, plan=plan_waiting)
    # The booking was created in this transaction, so nothing about it can have been queued before (new_event).
    if booking.status == BookingStatus.REQUESTED:
        _notify("booking_requested", booking, new_event=True)
        _notify("booking_approval_needed", booking, recipient=approver, event="approval", new_event=True)
        if delegation is not None:  # the manager is away: their delegate decides, and is told too
            _notify("booking_approval_needed", booking, recipient=delegation.delegate, event="approval", new_event=True)
    else:
        _announce_placement(booking, new_event=True)
    return booking


def _check_approver(booking: Booking, actor) -> None:
    if actor is None:
        return
    if not approver_may_decide(approver=actor, person=booking.person):
        raise NotAllowed("Only the person's line manager (or their delegate) can decide this request.")


@transaction.atomic
def booking_approve(*, booking: Booking, actor, now: datetime | None = None) -> Booking:
    """The line manager approves a request: it is confirmed, or waitlisted with its position set now."""
    session = _locked_session(booking.session)
    booking = _locked_booking(booking)
    now = now or timezone.now()
    _check_approver(booking, actor)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingError(f"This request has already been dealt with: it is {booking.get_status_display().lower()}.")
    if not booking_open(session, now):
        raise BookingError("Booking for this session has closed, so the request can no longer be approved.")
    booking.decided_by = actor
    booking.decided_at = now
    _place(booking, session, now)
    booking.save()
    _audit(booking, "booking_approve", actor)
    _announce_placement(booking)
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, actor, reason: str, now: datetime | None = None) -> Booking:
    """The line manager declines a request, saying why; the learner is told the reason."""
    if not reason.strip():
        raise BookingError("Say why you are declining the request: the learner will see your reason.")
    _locked_session(booking.session)
    booking = _locked_booking(booking)
    now = now or timezone.now()
    _check_approver(booking, actor)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingError(f"This request has already been dealt with: it is {booking.get_status_display().lower()}.")
    booking.status = BookingStatus.DECLINED
    booking.decided_by = actor
    booking.decided_at = now
    booking.decline_reason = reason.strip()
    booking.save()
    _audit(booking, "booking_decline", actor)
    _notify("booking_declined", booking)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor, reason: str, now: datetime | None = None) -> Booking:
    """Cancel an open booking (requested, confirmed or waitlisted) with a reason. The learner may cancel their own
    until the session's cancellation cut-off; a training administrator at any time. A freed seat goes to the
    waitlist at once, in order."""
    if not reason.strip():
        raise BookingError("Say why the booking is cancelled.")
    session = _locked_session(booking.session)
    booking = _locked_booking(booking)
    now = now or timezone.now()
    administrator = is_training_administrator(actor)
    if actor is not None and actor != booking.person.user and not administrator:
        raise NotAllowed("You can only cancel your own bookings.")
    if booking.status not in ACTIVE_BOOKING_STATUSES:
        raise BookingError(f"This booking cannot be cancelled: it is {booking.get_status_display().lower()}.")
    if (
        actor is not None
        and not administrator
        and booking.status == BookingStatus.CONFIRMED
        and now >= session.cancellation_cutoff_at
    ):
        raise BookingError(
            "It is past this session's cancellation cut-off: contact the training team to cancel your place."
        )
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.waitlist_position = None
    booking.cancelled_by = actor
    booking.cancelled_at = now
    booking.cancel_reason = reason.strip()
    if was_confirmed:
        booking.ical_sequence += 1
        Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") - 1)
        catalogue_seats_changed()
        session.seats_taken -= 1
    booking.save()
    _audit(booking, "booking_cancel", actor, reason=booking.cancel_reason)
    _notify("booking_cancelled", booking)
    if was_confirmed:
        waitlist_promote(session=session, now=now, locked=True)
    return booking


def waitlist_promote(*, session: Session, now: datetime | None = None, locked: bool = False) -> list[Booking]:
    """Fill free seats from the waitlist, lowest position first, while booking is open. Each promoted booking is
    confirmed once and its person told. `locked` says the caller holds the session's lock already (inside its
    transaction); otherwise this takes the lock in a transaction of its own."""
    if not locked:
        with transaction.atomic():
            return waitlist_promote(session=_locked_session(session), now=now, locked=True)
    now = now or timezone.now()
    if not booking_open(session, now):
        return []
    free = session.capacity - session.seats_taken
    if free <= 0:
        return []
    promoted = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status=BookingStatus.WAITLISTED)
        .order_by("waitlist_position")[:free]
    )
    for booking in promoted:
        booking.status = BookingStatus.CONFIRMED
        booking.waitlist_position = None
        booking.promoted_at = now
        booking.confirmed_at = now
        booking.save(update_fields=["status", "waitlist_position", "promoted_at", "confirmed_at", "updated_at"])
        _audit(booking, "booking_promote", None)
        _notify("booking_promoted", booking)
    if promoted:
        session.seats_taken += len(promoted)
        Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + len(promoted))
        catalogue_seats_changed()
    return promoted


@transaction.atomic
def session_capacity_set(*, session: Session, capacity: int, actor, now: datetime | None = None) -> Session:
    """Change a session's capacity. It cannot go below the seats already confirmed; raising it promotes from the
    waitlist at once."""
    if actor is not None and not actor.has_perm("courses.change_session"):
        raise NotAllowed("Only a training administrator can change a session's capacity.")
    if capacity < 0:
        raise BookingError("The capacity must be 0 or more.")
    session = _locked_session(session)
    if capacity < session.seats_taken:
        raise BookingError(f"{session.seats_taken} seats are already confirmed: the capacity cannot be less than that.")
    session.capacity = capacity
    session.save(update_fields=["capacity", "updated_at"])
    log(instance=session, action="capability.courses.session_capacity", user=actor, data={"capacity": capacity})
    waitlist_promote(session=session, now=now, locked=True)
    return session


LAPSE_BATCH = 500


def bookings_lapse(*, now: datetime | None = None, batch: int = LAPSE_BATCH) -> int:
    """Requests still waiting for a decision when booking closes lapse, and the learner is told. Periodic; a
    request lapses once, each in its own short transaction, read in bounded batches."""
    now = now or timezone.now()
    lapsed, after = 0, 0
    due = Booking.objects.filter(status=BookingStatus.REQUESTED, session__booking_closes_at__lte=now)
    while ids := list(due.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:batch]):
        after = ids[-1]
        lapsed += sum(_lapse_one(booking_id) for booking_id in ids)
    return lapsed


def _lapse_one(booking_id: int) -> bool:
    """Lapse one request if it is still waiting (locked first: a decision made meanwhile stands)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("person__user").get(pk=booking_id)
        if booking.status != BookingStatus.REQUESTED:
            return False
        booking.status = BookingStatus.LAPSED
        booking.save(update_fields=["status", "updated_at"])
        _audit(booking, "booking_lapse", None)
        _notify("booking_lapsed", booking)
    return True


def session_bookings_cancel(*, session: Session, actor, reason: str, now: datetime) -> list[Booking]:
    """Cancel every open booking of a session whose lock the caller holds (the session is cancelled, or closed
    with people still waiting): each audited and its plan kept in step, a confirmed one's invite SEQUENCE raised so
    that its calendar takes the cancellation. No seat is freed for promotion: the caller tells each person why."""
    bookings = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(session=session, status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("person")
        .order_by("id")
    )
    for booking in bookings:
        previous = booking.status
        if previous == BookingStatus.CONFIRMED:
            booking.ical_sequence += 1
        booking.status = BookingStatus.CANCELLED
        booking.waitlist_position = None
        booking.cancelled_by = actor
        booking.cancelled_at = now
        booking.cancel_reason = reason
        booking.save()
        _audit(booking, "booking_cancel", actor, was=previous)
    return bookings


LEAVER_REASON = "The person has left the organisation."


def leaver_bookings_cancel(*, person: Person, now: datetime | None = None) -> list[Booking]:
    """Cancel a leaver's open bookings (requested, confirmed or waitlisted) on sessions that have not started,
    as the system, each through `booking_cancel` so its seat goes to the waitlist in order and it is audited.
    Called when skills says the person has left; a booking already cancelled is skipped, so it can run again."""
    now = now or timezone.now()
    cancelled = []
    open_bookings = Booking.objects.filter(
        person=person, status__in=ACTIVE_BOOKING_STATUSES, session__starts_at__gt=now
    ).order_by("pk")
    for booking in open_bookings:
        cancelled.append(booking_cancel(booking=booking, actor=None, reason=LEAVER_REASON, now=now))
    return cancelled
