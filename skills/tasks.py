from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse

from skills.models import AccountEmailChange, Person, Review

KINDS = {
    "claims_submitted": "Claims to review from {person}",
    "claim_reviewed": "Your {skill} claim has been reviewed",
    "evidence_requested": "More evidence needed for your {skill} claim",
    "stale_reminder": "Time to review your skills",
}


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_notification(*, kind: str, recipient_id: int, **ids) -> int:
    """Render and send one notification e-mail. Re-reads everything by id, so a retry sends current data."""
    recipient = Person.objects.select_related("user").get(pk=recipient_id)
    context = {"recipient": recipient, "base_url": settings.WAGTAILADMIN_BASE_URL, **ids}
    if "person_id" in ids:
        context["person"] = Person.objects.select_related("user").get(pk=ids["person_id"])
    if "review_id" in ids:
        review = Review.objects.select_related("claim__skill", "claim__level", "outcome__level").get(
            pk=ids["review_id"]
        )
        context.update(review=review, skill=review.claim.skill)
    subject = KINDS[kind].format(person=context.get("person", ""), skill=context.get("skill", ""))
    body = render_to_string(f"skills/email/{kind}.txt", context)
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient.user.email])


ACCOUNT_KINDS = {
    "email_change_confirm": "Confirm the change of your Capability e-mail address",
    "email_changed": "Your Capability e-mail address has changed",
}


@shared_task(autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_account_notification(*, kind: str, user_id: int, to_address: str, change_id: int) -> int:
    """Send one e-mail about an account to `to_address` (the old address, for a change of address). The
    confirmation link is rebuilt from the change, so no secret is carried by the queue."""
    from skills.services.accounts import email_change_expires_at, email_change_token

    user = get_user_model().objects.get(pk=user_id)
    change = AccountEmailChange.objects.get(pk=change_id, user_id=user_id)
    context = {
        "user": user,
        "change": change,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "expires_at": email_change_expires_at(change),
        "confirm_path": reverse(
            "skills:email-change", kwargs={"change_id": change.pk, "token": email_change_token(change)}
        ),
    }
    body = render_to_string(f"skills/email/{kind}.txt", context)
    return send_mail(subject=ACCOUNT_KINDS[kind], message=body, from_email=None, recipient_list=[to_address])


@shared_task(acks_late=True)
def send_stale_reminders() -> int:
    """Daily: remind people whose assessments are older than their framework's reassessment period (at most
    once per period each)."""
    from frameworks.models import Framework
    from skills.services.reminders import stale_reminders_send

    return sum(stale_reminders_send(framework=framework) for framework in Framework.objects.all())


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def carry_forward_release(*, release_id: int) -> int:
    """Carry current levels into a newly published release (idempotent, so a retry is safe)."""
    from frameworks.models import FrameworkRelease
    from skills.services.carry_forward import release_carry_forward

    return release_carry_forward(release=FrameworkRelease.objects.select_related("previous_release").get(pk=release_id))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def people_import_task(*, import_id: int) -> str:
    """Run an HR feed import uploaded through the admin. A finished import is not run again, so a retry or a
    redelivered task is safe. Returns the import's status."""
    from skills.services.people import people_import_run

    return people_import_run(import_id=import_id).status
