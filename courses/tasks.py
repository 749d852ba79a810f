"""The courses app's periodic tasks: thin adapters over its services (decision 0018), run by the beat scheduler
(CELERY_BEAT_SCHEDULE in cms/settings/base.py). Each is safe to run twice or on two workers at once."""

from celery import shared_task


@shared_task(acks_late=True)
def bookings_lapse() -> int:
    """Every 15 minutes: requests still waiting for approval when booking closes lapse, and the learner is told."""
    from courses.services.bookings import bookings_lapse  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return bookings_lapse()


@shared_task(acks_late=True)
def booking_reminders_send() -> int:
    """Hourly: remind confirmed attendees two days before their session, once each."""
    from courses.services.reminders import booking_reminders_send  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return booking_reminders_send()
