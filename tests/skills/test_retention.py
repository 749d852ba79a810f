"""Retention (`skills.services.retention.retention_apply`, its nightly task and `manage.py apply_retention`): what
is past its period goes once, a dry run changes nothing, the periods are settings."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from skills import tasks
from skills.enums import NotificationStatus
from skills.models import Notification, Person, SelfAssessmentDraft
from skills.services.retention import retention_apply
from tests.frameworks.factories import SkillFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def records(settings):
    settings.CAPABILITY_RETENTION_DAYS = {
        "person_record": 100,
        "notification": 30,
        "audit": 365,
        "evidence": 60,
    }
    today = timezone.localdate()
    now = timezone.now()
    old_leaver = PersonFactory(left_on=today - 101 * DAY)
    recent_leaver = PersonFactory(left_on=today - 99 * DAY)
    here = PersonFactory()
    old_sent = Notification.objects.create(
        key="old", kind="k", user=here.user, status=NotificationStatus.SENT, sent_at=now - 31 * DAY
    )
    new_sent = Notification.objects.create(
        key="new", kind="k", user=here.user, status=NotificationStatus.SENT, sent_at=now - 29 * DAY
    )
    waiting = Notification.objects.create(key="pending", kind="k", user=here.user, created_at=now - 300 * DAY)
    log(instance=here, action="capability.skills.person_update", user=None, data={})
    old_entry = ModelLogEntry.objects.latest("pk")
    ModelLogEntry.objects.filter(pk=old_entry.pk).update(timestamp=now - 366 * DAY)
    log(instance=here, action="capability.skills.person_update", user=None, data={})
    new_entry = ModelLogEntry.objects.latest("pk")
    old_draft = SelfAssessmentDraft.objects.create(person=here, skill=SkillFactory(), evidence="Old")
    # Noon, London time, on the day 61 days ago: periods count London days, and 61 × 24 hours before a late winter
    # evening is still day 60 in London when those days cross the change from summer time.
    SelfAssessmentDraft.objects.filter(pk=old_draft.pk).update(
        updated_at=timezone.make_aware(datetime.combine(today - 61 * DAY, time(12)))
    )
    new_draft = SelfAssessmentDraft.objects.create(person=here, skill=SkillFactory(), evidence="New")
    return {
        "old_leaver": old_leaver,
        "recent_leaver": recent_leaver,
        "kept": [new_sent, waiting, new_entry, new_draft],
        "gone": [old_sent, old_entry, old_draft],
    }


def test_retention_removes_what_is_past_its_period_once(records):
    report = retention_apply()

    assert report.leavers_erased == [records["old_leaver"].pk]
    assert (report.notifications_deleted, report.drafts_deleted) == (1, 1)
    assert report.audit_entries_deleted == 1
    assert Person.objects.get(pk=records["old_leaver"].pk).erased_at is not None
    assert Person.objects.get(pk=records["recent_leaver"].pk).erased_at is None
    for row in records["gone"]:
        assert not type(row).objects.filter(pk=row.pk).exists()
    for row in records["kept"]:
        assert type(row).objects.filter(pk=row.pk).exists()

    again = retention_apply()
    assert again.as_dict() == retention_apply(dry_run=True).as_dict() | {"dry_run": False}
    assert (again.leavers_erased, again.notifications_deleted, again.audit_entries_deleted, again.drafts_deleted) == (
        [],
        0,
        0,
        0,
    )


def test_a_dry_run_says_what_would_go_and_changes_nothing(records):
    report = retention_apply(dry_run=True)

    assert report.leavers_erased == [records["old_leaver"].pk]
    assert (report.notifications_deleted, report.audit_entries_deleted, report.drafts_deleted) == (1, 1, 1)
    assert Person.objects.get(pk=records["old_leaver"].pk).erased_at is None
    for row in records["gone"]:
        assert type(row).objects.filter(pk=row.pk).exists()


def test_the_command_reports_what_it_removed_and_its_dry_run_nothing(records):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Leavers whose personal data would be erased: 1." in out.getvalue()
    assert Person.objects.get(pk=records["old_leaver"].pk).erased_at is None

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert out.getvalue().splitlines() == [
        "Leavers whose personal data were erased: 1.",
        "Sent notifications that were deleted: 1.",
        "Audit log entries that were deleted: 1.",
        "Untouched self-assessment drafts that were deleted: 1.",
        "Unconfirmed full HR files whose uploads were deleted: 0.",
    ]


def test_the_nightly_task_applies_retention_and_is_scheduled(records):
    assert tasks.retention_apply.delay().get()["leavers_erased"] == [records["old_leaver"].pk]
    assert settings.CELERY_BEAT_SCHEDULE["skills-retention-apply"]["task"] == "skills.tasks.retention_apply"
