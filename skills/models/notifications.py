import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from skills.enums import NotificationStatus


class Notification(models.Model):
    """One message to one account: the outbox (docs/decisions/0012).

    Written in the same transaction as the change it reports, so a rollback leaves nothing to send; sent after
    commit by a task and retried by a periodic sweep until it is sent. `key` names the event and the recipient:
    the same event never queues a second message to the same person. `message_id` is the e-mail's Message-ID,
    the same on every attempt, so a message re-sent after a crash mid-send is recognised as the same message.

    Personal data: the recipient's account and, where the message must go to another address than the account's
    current one (a notice to the old address after an e-mail change), that address. The message itself is not
    stored: it is rendered from `context` (primary keys) when it is sent, so it never holds a password-reset
    token and always shows current data. `subject` is kept once sent, for the person's list of notifications.
    """

    key = models.CharField(max_length=200, unique=True, help_text="The event and the recipient.")
    kind = models.CharField(max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    to_address = models.EmailField(blank=True, help_text="Empty: the account's address when the message is sent.")
    context = models.JSONField(default=dict, blank=True)
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=NotificationStatus, default=NotificationStatus.PENDING)
    subject = models.CharField(max_length=250, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text="When the periodic sweep may (re)try it if the task has not sent it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=NotificationStatus.PENDING),
                name="skills_notification_due",
            ),
            models.Index(fields=["user", "-created_at"], name="skills_notification_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=NotificationStatus.SENT, sent_at__isnull=False) | ~Q(status=NotificationStatus.SENT),
                name="skills_notification_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.user_id} ({self.status})"


class TaskHeartbeat(models.Model):
    """When a periodic task last ran, so that the health endpoint can tell whether the beat scheduler and the
    workers are alive. Holds no personal data."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M:%S}"
