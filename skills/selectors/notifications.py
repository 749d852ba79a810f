"""An account's messages and the outbox's health."""

import functools
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Min, Q
from django.utils import timezone

from frameworks.prepared import PreparedRead
from skills.enums import NotificationStatus
from skills.models import (
    Notification,
    TaskHeartbeat,
)
from skills.notification_kinds import notification_kind_label

RECENT_NOTIFICATIONS = 50


def notifications_recent(*, user, limit: int = RECENT_NOTIFICATIONS) -> list:
    """The account's most recent messages (`limit` of them), newest first, each with a `label` to show while it
    is not sent yet. One query whatever the number."""
    notifications = _recent_read(limit).list(user_id=user.pk)
    for notification in notifications:
        notification.label = notification.subject or notification_kind_label(notification.kind)
    return notifications


class RecentNotification(NamedTuple):
    label: str
    created_at: datetime


def notification_labels_recent(*, user, limit: int) -> list[RecentNotification]:
    """What the dashboard shows of the account's `limit` most recent messages, newest first: each one's label and
    when it was made. One query of three columns: the message's context (JSON), its ids and its delivery state,
    which `notifications_recent` reads, are not read, converted or built into instances on every dashboard."""
    return [
        RecentNotification(subject or notification_kind_label(kind), created_at)
        for subject, kind, created_at in _labels_read(limit).list(user_id=user.pk)
    ]


@functools.cache
def _labels_read(limit: int) -> PreparedRead:
    return PreparedRead(
        lambda *, user_id: (
            Notification.objects.filter(user_id=user_id)
            .order_by("-created_at", "-id")
            .values_list("subject", "kind", "created_at")[:limit]
        )
    )


@functools.cache
def _recent_read(limit: int) -> PreparedRead:
    """The read of `notifications_recent` for one limit, compiled once per process (decision 0025): the
    dashboard reads it on every request."""
    return PreparedRead(
        lambda *, user_id: Notification.objects.filter(user_id=user_id).order_by("-created_at", "-id")[:limit]
    )


def outbox_health(*, now=None) -> dict:
    """Figures for the health endpoint: messages waiting and how long the oldest has waited, messages being
    retried and those that can never be sent, and seconds since the periodic sweep (run by the beat
    scheduler) last ran (None: never, as with eager Celery). Three queries."""

    now = now or timezone.now()
    figures = Notification.objects.aggregate(
        pending=Count("id", filter=Q(status=NotificationStatus.PENDING)),
        retrying=Count("id", filter=Q(status=NotificationStatus.PENDING, attempts__gt=0)),
        failed=Count("id", filter=Q(status=NotificationStatus.FAILED)),
        oldest=Min("created_at", filter=Q(status=NotificationStatus.PENDING)),
    )
    oldest = figures.pop("oldest")
    last_sweep = TaskHeartbeat.objects.filter(name="notifications-sweep").values_list("last_run_at", flat=True).first()
    return {
        **figures,
        "oldest_pending_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "beat_last_ran_seconds_ago": round((now - last_sweep).total_seconds()) if last_sweep else None,
    }
