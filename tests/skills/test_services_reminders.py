from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from skills import tasks
from skills.enums import AssessmentSource
from skills.models import StaleReminder
from skills.services import stale_reminders_send
from tests.frameworks.factories import FrameworkReleaseFactory, publish_directly
from tests.skills.factories import AssessmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_people_with_assessments_older_than_the_period_are_reminded_once_per_period(
    release, skill, levels, django_capture_on_commit_callbacks
):
    stale_person, fresh_person = PersonFactory(), PersonFactory()
    long_ago = timezone.now() - timedelta(days=400)
    AssessmentFactory(
        person=stale_person, skill=skill, level=levels["working"], source=AssessmentSource.IMPORT, created_at=long_ago
    )
    AssessmentFactory(person=fresh_person, skill=skill, level=levels["working"], source=AssessmentSource.IMPORT)

    with django_capture_on_commit_callbacks(execute=True):
        assert stale_reminders_send(framework=release.framework) == 1
        assert stale_reminders_send(framework=release.framework) == 0
        assert tasks.stale_reminders_send.delay().get() == 0

    assert [message.to for message in mail.outbox] == [[stale_person.user.email]]
    assert StaleReminder.objects.get().person == stale_person


def test_the_reminder_comes_again_in_the_next_period(release, skill, levels):
    person = PersonFactory()
    AssessmentFactory(
        person=person,
        skill=skill,
        level=levels["working"],
        source=AssessmentSource.IMPORT,
        created_at=timezone.now() - timedelta(days=800),
    )
    stale_reminders_send(framework=release.framework, now=timezone.now() - timedelta(days=366))

    assert stale_reminders_send(framework=release.framework) == 1
    assert StaleReminder.objects.filter(person=person).count() == 2


def test_a_reminder_is_not_repeated_across_a_calendar_boundary_within_the_period(release, skill, levels):
    person = PersonFactory()
    AssessmentFactory(
        person=person,
        skill=skill,
        level=levels["working"],
        source=AssessmentSource.IMPORT,
        created_at=timezone.now() - timedelta(days=800),
    )
    now = timezone.now()

    assert stale_reminders_send(framework=release.framework, now=now) == 1
    assert stale_reminders_send(framework=release.framework, now=now + timedelta(days=40)) == 0


def test_a_reminder_in_another_framework_does_not_stop_this_one(release, skill, levels):

    other = publish_directly(FrameworkReleaseFactory())
    person = PersonFactory()
    StaleReminder.objects.create(person=person, framework=other.framework, period=999_999, stale_count=1)
    AssessmentFactory(
        person=person,
        skill=skill,
        level=levels["working"],
        source=AssessmentSource.IMPORT,
        created_at=timezone.now() - timedelta(days=800),
    )

    assert stale_reminders_send(framework=release.framework) == 1
