"""Two reminder runs at the same moment (a redelivered beat task, two schedulers by mistake) send each reminder
once: the unique constraint decides, and each run messages only the reminders it recorded."""

from datetime import timedelta

import pytest

from skills.models import CertificationReminder, Notification
from skills.services.certificate_reminders import certificate_reminders_send
from tests.concurrency import run_together
from tests.skills.factories import PersonFactory
from tests.skills.test_certificate_reminders import NOW, TODAY, certificate, external

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_runs_at_once_send_each_reminder_once():
    for index in range(20):
        person = PersonFactory(line_manager=PersonFactory())
        certificate(person, expires_on=TODAY + timedelta(days=5 + index))
        external(person, expires_on=TODAY + timedelta(days=40 + index))

    outcomes = run_together(
        lambda: certificate_reminders_send(now=NOW, chunk=7),
        lambda: certificate_reminders_send(now=NOW + timedelta(seconds=1), chunk=7),
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sum(outcomes) == 40
    assert CertificationReminder.objects.count() == 40
    assert Notification.objects.filter(kind="certification_expiring").count() == 40
    assert Notification.objects.filter(kind="team_certification_expiring").count() == 40
