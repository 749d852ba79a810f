"""The two-day reminder to confirmed attendees: sent once per booking however often its periodic task runs.

Each booking due a reminder is locked, marked `reminder_sent_at` and its message queued in one short
transaction (a cancellation that got the lock first wins: the booking is no longer confirmed); the outbox's
event key dedupes the message too, so a second run, or two workers at once, send nothing more.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from courses.enums import BookingStatus, SessionStatus
from courses.models import Booking
from skills.services.notifications import notify

REMINDER_AHEAD = timedelta(days=2)
REMINDER_BATCH = 500


def _due(now: datetime):
    return Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_AHEAD,
    )


def booking_reminders_send(*, now: datetime | None = None, batch: int = REMINDER_BATCH) -> int:
    """Remind everyone confirmed on a session that starts within two days, once. Reads the due bookings in
    bounded batches; returns how many reminders were queued."""
    now = now or timezone.now()
    sent, after = 0, 0
    while ids := list(_due(now).filter(id__gt=after).order_by("id").values_list("id", flat=True)[:batch]):
        after = ids[-1]
        sent += sum(_remind_one(booking_id, now) for booking_id in ids)
    return sent


def _remind_one(booking_id: int, now: datetime) -> bool:
    with transaction.atomic():
        booking = _due(now).select_for_update(of=("self",)).select_related("person").filter(pk=booking_id).first()
        if booking is None:  # reminded meanwhile, cancelled, or the session moved
            return False
        booking.reminder_sent_at = now
        booking.save(update_fields=["reminder_sent_at", "updated_at"])
        notify(
            "booking_reminder", recipient=booking.person, event=f"booking:{booking.pk}:reminder", booking_id=booking.pk
        )
    return True
