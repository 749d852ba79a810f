import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from frameworks.models import Framework
from skills.models import ReleaseCarryForward

logger = logging.getLogger(__name__)


# The outbox's tasks keep no result: the Notification row is their outcome, and nothing reads a result. Without
# ignore_result every queued message subscribed to its result's channel on the Redis result backend, a round trip
# on every booking, review and approval.
@shared_task(acks_late=True, ignore_result=True)
def notification_send(*, notification_id: int) -> bool:
    """Send one message from the outbox. Whatever goes wrong, the message stays pending and the sweep retries
    it, so this task never retries itself."""
    from skills.services.notifications import notification_send  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return notification_send(notification_id=notification_id)


@shared_task(acks_late=True, ignore_result=True)
def notifications_send_batch(*, notification_ids: list[int]) -> int:
    """Send a batch of a bulk notification. Whatever is not sent stays pending for the sweep."""
    from skills.services.notifications import notifications_send_batch  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return notifications_send_batch(notification_ids=notification_ids)


@shared_task(acks_late=True)
def notifications_sweep() -> int:
    """Every minute, from the beat scheduler: send the outbox's pending messages that are due."""
    from skills.services.notifications import notifications_sweep  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return notifications_sweep()


@shared_task(acks_late=True)
def stale_reminders_send() -> int:
    """Daily: remind people whose assessments are older than their framework's reassessment period (at most
    once per period each)."""
    from skills.services.reminders import stale_reminders_send  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return sum(stale_reminders_send(framework=framework) for framework in Framework.objects.all())


@shared_task(acks_late=True, autoretry_for=(ConnectionError, OperationalError), retry_backoff=True, max_retries=5)
def carry_forward_run(*, release_id: int) -> str:
    """Carry current levels into a newly published release, chunk by chunk for at most
    CARRY_FORWARD_TASK_SECONDS, then queue itself to go on. Each chunk commits on its own and a redelivered or
    duplicated task starts after the last committed chunk, so a retry is safe. Returns the run's status."""
    from skills.services.carry_forward import carry_forward_run  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    run = ReleaseCarryForward.objects.get(release_id=release_id)
    return carry_forward_run(run=run, seconds=settings.CARRY_FORWARD_TASK_SECONDS).status


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def people_import_run(*, import_id: int) -> str:
    """Run an HR feed import uploaded through the admin. A finished import is not run again, so a retry or a
    redelivered task is safe. Returns the import's status."""
    from skills.services.people_import import people_import_run  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return people_import_run(import_id=import_id).status


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def certificate_pdf_render(*, certificate_id: int) -> str:
    """Draw a certificate's PDF and store it, replacing an earlier drawing under the same key, so a retry or a
    redelivered task is safe. Returns the storage key."""
    from skills.services.certificate_pdf import certificate_pdf_render  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return certificate_pdf_render(certificate_id=certificate_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def status_list_publish() -> int | None:
    """Make the signed revocation status list again after a revocation. It is made from the revocations in the
    database each time, so a retry or a duplicate is safe. Returns how many certificates it lists as revoked."""
    from skills.credentials.errors import CredentialsUnavailable  # noqa: PLC0415 — see below
    from skills.credentials.status_list import status_list_publish  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    try:
        return status_list_publish().revoked_count
    except CredentialsUnavailable as error:
        # No signing keys (a deployment that has not run `credential_keys --ensure`, which its system check warns
        # about): the revocation itself stands and its verification page says so; the list is made, from every
        # revocation, on its first request once keys exist.
        logger.warning("The revocation status list was not signed: %s", error)
        return None


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def certificate_reminders_send() -> int:
    """Daily, from the beat scheduler: the expiry reminders due today (90, 30 and 7 days before). Each goes out
    once, so a retry or a second run sends nothing new. Returns how many certifications were reminded about."""
    from skills.services.certificate_reminders import certificate_reminders_send  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return certificate_reminders_send()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def capability_summary_refresh() -> int:
    """Every CAPABILITY_REPORTS_REFRESH_MINUTES and each night, from the beat scheduler: rebuild the summary HR's
    reports read, and keep the day's unit × skill figures for the trends (a re-run the same day replaces them,
    so there is one snapshot a day). Set-based: a few seconds for 100,000 people. Returns the people counted."""
    from skills.services.capability_summary import capability_summary_refresh  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return capability_summary_refresh().people


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def subject_access_export_build(*, export_id: int) -> str:
    """Put a subject-access export's zip together and store it. A finished export is left as it is, so a retry or
    a redelivered task is safe. Returns the export's status."""
    from skills.services.subject_access import subject_access_export_build  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return subject_access_export_build(export_id=export_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def subject_access_exports_expire() -> int:
    """Hourly, from the beat scheduler: delete the subject-access exports whose time is up, file and record.
    Idempotent. Returns how many were deleted."""
    from skills.services.subject_access import subject_access_exports_expire  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return subject_access_exports_expire()


@shared_task(acks_late=True)
def retention_apply() -> dict:
    """Nightly, from the beat scheduler: apply the retention periods (idempotent: a repeat finds nothing)."""
    from skills.services.retention import retention_apply  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return retention_apply().as_dict()
