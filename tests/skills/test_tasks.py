"""The skills tasks: ids in, the service they are named after called, and safe to run twice (a retry or a
redelivered message after a worker died). The HR feed's, the carry-forward's and the stale reminders' tasks are
tested beside their services (test_services_people.py, test_carry_forward_chunks.py, test_services_reminders.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from skills import tasks
from skills.enums import NotificationStatus
from skills.models import Notification
from skills.services.notifications import notify

pytestmark = pytest.mark.django_db


def queued(learner, manager) -> Notification:
    with transaction.atomic():
        return notify("claims_submitted", recipient=manager, event="claims:7", person_id=learner.pk, count=2)


def test_a_message_task_delivered_twice_sends_one_email(learner, manager):
    notification = queued(learner, manager)

    assert tasks.notification_send(notification_id=notification.pk) is True
    tasks.notification_send(notification_id=notification.pk)

    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT


def test_a_batch_task_delivered_twice_sends_each_message_once(learner, manager):
    notification = queued(learner, manager)

    tasks.notifications_send_batch(notification_ids=[notification.pk])
    tasks.notifications_send_batch(notification_ids=[notification.pk])

    assert len(mail.outbox) == 1


def test_the_sweep_run_twice_sends_what_is_due_once(learner, manager):
    notification = queued(learner, manager)
    # Its own task never ran (the broker was down) and the grace period has passed: the sweep's to send.
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=1))

    tasks.notifications_sweep()
    tasks.notifications_sweep()

    assert len(mail.outbox) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
