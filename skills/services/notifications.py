"""The outbox: every message the service sends to a person (docs/decisions/0012).

A service that changes something a person must hear about calls `notify` (or `notify_account`, for messages
about an account rather than a person) inside its transaction. That writes a `Notification` row; after commit a
task sends it, and a periodic sweep retries whatever is still pending. A rollback leaves nothing to send; a
broker outage or a worker killed mid-send delays a message but never loses it; a message re-sent after a crash
carries the same Message-ID.

Each kind of message is registered once (skills.notification_kinds; skills' own kinds below, other apps
register theirs in their `AppConfig.ready`).
"""

import logging
import uuid
from datetime import timedelta
from email.encoders import encode_base64
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import parseaddr
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist, engines
from django.urls import reverse
from django.utils import timezone

from frameworks.models import FrameworkRelease
from skills.enums import NotificationStatus
from skills.models import AccountEmailChange, Notification, Person, Review, TaskHeartbeat
from skills.notification_kinds import notification_kind, notification_kind_register
from skills.tasks import notification_send as notification_send_task
from skills.tasks import notifications_send_batch as notifications_send_batch_task

logger = logging.getLogger(__name__)

# A new message is left to its own task for this long before the sweep may send it instead.
SWEEP_GRACE = timedelta(minutes=2)
# Retries back off exponentially up to this interval; a message is retried until it is sent.
MAX_RETRY_INTERVAL = timedelta(hours=6)
SWEEP_BATCH = 200
SWEEP_HEARTBEAT = "notifications-sweep"


def notify(kind: str, *, recipient: Person, event: str | None = None, new_event: bool = False, **ids) -> Notification:
    """Queue a message to a person about something that concerns them, in the current transaction.
    `event` identifies what happened (e.g. ``review:12``); the same event is never sent twice to the same
    person. `ids` are the primary keys the message's templates need. `new_event`: as for `notify_account`."""
    return notify_account(kind, user_id=recipient.user_id, event=event, new_event=new_event, **ids)


def notify_account(
    kind: str,
    *,
    user=None,
    user_id: int | None = None,
    to_address: str = "",
    event: str | None = None,
    new_event: bool = False,
    **ids,
) -> Notification:
    """Queue a message about an account, in the current transaction. `to_address` sends it to another address
    than the account's current one (the old address, after an e-mail change); empty means the account's address
    when the message is sent.

    `new_event=True` says that `event` names something this transaction has just created (a booking made in it),
    so it cannot have been queued before: the row is inserted without the savepoint that otherwise catches a
    repeat (two statements fewer, where hundreds of bookings arrive in the same second, docs/decisions/0024). If
    it was queued after all, the caller's transaction fails rather than sending it twice."""
    notification_kind(kind)  # refuses an unknown kind now, not when the message is sent
    user_id = user.pk if user is not None else user_id
    if user_id is None:
        raise TypeError("notify_account needs the recipient's user or user_id.")
    key = f"{kind}:{event or uuid.uuid4().hex}:{user_id}:{to_address.lower()}"
    fields = {"kind": kind, "user_id": user_id, "to_address": to_address, "context": ids}
    next_attempt_at = timezone.now() + SWEEP_GRACE
    if new_event:
        notification = Notification.objects.create(key=key[:200], next_attempt_at=next_attempt_at, **fields)
    else:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(key=key[:200], next_attempt_at=next_attempt_at, **fields)
        except IntegrityError:  # this event has already been queued for this recipient
            return Notification.objects.get(key=key[:200])
    # robust: if the broker is down, the commit still stands and the sweep sends the message later.
    transaction.on_commit(lambda: notification_send_task.delay(notification_id=notification.pk), robust=True)
    return notification


BULK_TASK_SIZE = 500


def notify_bulk(kind: str, *, event: str, recipients: list[tuple[int, dict]]) -> int:
    """Queue one message of `kind` about the same `event` to many accounts at once: `recipients` are
    (user id, ids for the templates) pairs. In the current transaction, in bulk; an account already told about
    this event is not told again. After commit, tasks send them in batches. Returns how many were queued."""
    return notify_many([(kind, event, user_id, ids) for user_id, ids in recipients])


def notify_many(messages: list[tuple[str, str, int, dict]]) -> int:
    """Queue many messages at once, each about its own event: `messages` are (kind, event, user id, ids for the
    templates). As `notify_bulk` (in the current transaction, in bulk, an event already told to an account is not
    told again, sent in batches after commit), for a run that tells each person about their own thing (expiry
    reminders). Returns how many were queued."""
    for kind in {message[0] for message in messages}:
        notification_kind(kind)
    now = timezone.now()
    rows = [
        Notification(
            key=f"{kind}:{event}:{user_id}:"[:200],
            kind=kind,
            user_id=user_id,
            context=ids,
            created_at=now,
            next_attempt_at=now + SWEEP_GRACE,
        )
        for kind, event, user_id, ids in messages
    ]
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    queued = list(
        Notification.objects.filter(
            key__in=[row.key for row in rows], status=NotificationStatus.PENDING, created_at=now
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(queued), BULK_TASK_SIZE):
        batch = queued[start : start + BULK_TASK_SIZE]
        transaction.on_commit(
            lambda batch=batch: notifications_send_batch_task.delay(notification_ids=batch), robust=True
        )
    return len(queued)


def _message_id(notification: Notification) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "capability.invalid"
    return f"<{notification.message_id}@{domain}>"


def _attachment(filename: str, content: bytes | str, mimetype: str) -> MIMEBase:
    """A MIME part for an attachment that keeps the mimetype's parameters (Django's `attach` would drop or
    mangle them): a calendar invite needs ``method=REQUEST`` on its part for mail clients to offer it as one."""
    header = Message()
    header["Content-Type"] = mimetype
    maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
    params = {key: value for key, value in header.get_params()[1:] if key != "charset"}
    if maintype == "text":
        text = content.decode(header.get_content_charset() or "utf-8") if isinstance(content, bytes) else content
        part = MIMEText(text, subtype, "utf-8")
        for key, value in params.items():
            part.set_param(key, value)
    else:
        part = MIMEBase(maintype, subtype, **params)
        part.set_payload(content.encode() if isinstance(content, str) else content)
        encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def notification_render(notification: Notification) -> EmailMessage:
    """The e-mail for a notification, rendered now from current data, without HTML escaping, with the kind's
    attachments (built now, too)."""
    kind = notification_kind(notification.kind)
    context = {"base_url": settings.CAPABILITY_BASE_URL, "user": notification.user, **notification.context}
    context.update(kind.build_context(notification))
    text = engines["text"]
    subject = " ".join(text.from_string(kind.subject).render(context).split())
    body = text.get_template(kind.template).render(context)
    address = notification.to_address or notification.user.email
    message = EmailMessage(subject=subject, body=body, to=[address], headers={"Message-ID": _message_id(notification)})
    for filename, content, mimetype in kind.attachments(notification, context) if kind.attachments else ():
        message.attach(_attachment(filename, content, mimetype))
    return message


def notification_send(*, notification_id: int) -> bool:
    """Send one queued message if it is still pending; returns whether it was sent now. Safe to call twice
    and from several workers: the row is locked while it is sent and a sent message is never sent again. A
    message is marked sent only after the mail server has accepted it, so a worker that dies in between leaves
    it pending and it is sent again, with the same Message-ID."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .first()
        )
        if notification is None:  # sent or failed already, or another worker is sending it
            return False
        notification.attempts += 1
        try:
            message = notification_render(notification)
        except (ObjectDoesNotExist, TemplateDoesNotExist, KeyError) as error:
            notification.status = NotificationStatus.FAILED
            notification.last_error = f"{type(error).__name__}: {error}"[:500]
            notification.save(update_fields=["status", "attempts", "last_error"])
            logger.error("Notification %s can never be sent: %s", notification.pk, notification.last_error)
            return False
        try:
            message.send()
        except (SMTPException, OSError) as error:
            backoff = min(timedelta(minutes=2**notification.attempts), MAX_RETRY_INTERVAL)
            notification.next_attempt_at = timezone.now() + backoff
            notification.last_error = f"{type(error).__name__}: {error}"[:500]
            notification.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            logger.warning("Notification %s not sent (attempt %s): %s", notification.pk, notification.attempts, error)
            return False
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.subject = message.subject[:250]
        notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "subject", "attempts", "last_error"])
    return True


def heartbeat_record(*, name: str, at=None) -> None:
    TaskHeartbeat.objects.update_or_create(name=name, defaults={"last_run_at": at or timezone.now()})


def notifications_sweep(*, now=None, limit: int = SWEEP_BATCH) -> int:
    """Send the pending messages that are due: those whose task never ran (the broker was down), failed to
    send (the mail server was down) or died mid-send. Runs from the beat scheduler every minute, at most
    `limit` messages a run, oldest first. Returns how many were sent."""
    now = now or timezone.now()
    heartbeat_record(name=SWEEP_HEARTBEAT, at=now)
    due = (
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(notification_send(notification_id=pk) for pk in list(due))


def notifications_send_batch(*, notification_ids: list[int]) -> int:
    """Send several queued messages (a bulk notification's batch); returns how many were sent now."""
    return sum(notification_send(notification_id=pk) for pk in notification_ids)


# --- Account messages (a change of e-mail address told to the old address) -----------------------------------


def _account_change_context(notification: Notification) -> dict:
    """The change of address, with its confirmation link rebuilt from the change (an HMAC): no secret is stored
    in the outbox."""
    from skills.services.accounts import (  # noqa: PLC0415 — a cycle: that module imports notify_account from this one
        email_change_expires_at,
        email_change_token,
    )

    change = AccountEmailChange.objects.get(pk=notification.context["change_id"], user_id=notification.user_id)
    return {
        "change": change,
        "expires_at": email_change_expires_at(change),
        "confirm_path": reverse(
            "skills:email-change", kwargs={"change_id": change.pk, "token": email_change_token(change)}
        ),
    }


notification_kind_register(
    name="email_change_confirm",
    label="Confirm a change of your email address",
    subject="Confirm the change of your Capability e-mail address",
    template="skills/email/email_change_confirm.txt",
    build_context=_account_change_context,
)
notification_kind_register(
    name="email_changed",
    label="Your email address has changed",
    subject="Your Capability e-mail address has changed",
    template="skills/email/email_changed.txt",
    build_context=_account_change_context,
)


# --- Skills' own messages ------------------------------------------------------------------------------------


def _skills_context(notification: Notification) -> dict:
    ids = notification.context
    context = {"recipient": Person.objects.select_related("user").get(user_id=notification.user_id)}
    if "person_id" in ids:
        context["person"] = Person.objects.select_related("user").get(pk=ids["person_id"])
    if "release_id" in ids:
        release = FrameworkRelease.objects.select_related("framework").get(pk=ids["release_id"])
        context.update(release=release, framework=release.framework)
    if "review_id" in ids:
        review = Review.objects.select_related("claim__skill", "claim__level", "outcome__level", "resolved_by").get(
            pk=ids["review_id"]
        )
        context.update(review=review, skill=review.claim.skill)
    return context


for _name, _label, _subject in [
    ("claims_submitted", "Claims to review", "Claims to review from {{ person.user.get_full_name }}"),
    ("claim_reviewed", "Your claim was reviewed", "Your {{ skill.name }} claim has been reviewed"),
    ("evidence_requested", "More evidence needed", "More evidence needed for your {{ skill.name }} claim"),
    ("stale_reminder", "Time to review your skills", "Time to review your skills"),
    (
        "levels_to_check",
        "Levels to check after a framework change",
        "{{ framework.name }} {{ release.label }}: check {{ count }} of your skill levels again",
    ),
    (
        "team_levels_to_check",
        "Your team's levels to check after a framework change",
        "{{ framework.name }} {{ release.label }}: {{ people }} in your team have levels to check again",
    ),
]:
    notification_kind_register(
        name=_name,
        label=_label,
        subject=_subject,
        template=f"skills/email/{_name}.txt",
        build_context=_skills_context,
    )
