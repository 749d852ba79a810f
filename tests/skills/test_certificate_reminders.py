"""Expiry reminders: 90, 30 and 7 days before a certification expires, each once, to the holder and their line
manager, for Capability's certificates in force and confirmed external certifications; a late run sends only the
nearest threshold; days are London days; the run reads in chunks with a fixed number of queries a chunk."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from skills.enums import ExternalCertificationStatus
from skills.models import Certificate, CertificationReminder, ExternalCertification, Notification
from skills.services.certificate_reminders import certificate_reminders_send, threshold_due
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

# A winter day at noon in London (GMT): the London day and the UTC day are the same.
NOW = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
TODAY = date(2027, 1, 15)
_numbers = itertools.count(1)


def certificate(holder, *, expires_on, **fields) -> Certificate:
    number = next(_numbers)
    values = {
        "holder": holder,
        "kind": Certificate.Kind.COURSE,
        "award": f"courses.course:{900000 + number}",
        "title": f"Course {number}",
        "number": f"CAP-T-{number}",
        "issued_on": expires_on - timedelta(days=730) if expires_on else TODAY,
        "expires_on": expires_on,
        "status_list_index": number,
    }
    values.update(fields)
    return Certificate.objects.create(**values)


def external(person, *, expires_on, status=ExternalCertificationStatus.CONFIRMED) -> ExternalCertification:
    decided = status in (ExternalCertificationStatus.CONFIRMED, ExternalCertificationStatus.REJECTED)
    return ExternalCertification.objects.create(
        person=person,
        name="PRINCE2 Practitioner",
        issuer="PeopleCert",
        issued_on=expires_on - timedelta(days=1095),
        expires_on=expires_on,
        evidence="external-certifications/x.pdf",
        evidence_name="x.pdf",
        evidence_type="application/pdf",
        status=status,
        submitted_at=timezone.now(),
        decided_at=timezone.now() if decided else None,
        decision_reason="No" if status == ExternalCertificationStatus.REJECTED else "",
        withdrawn_at=timezone.now() if status == ExternalCertificationStatus.WITHDRAWN else None,
    )


@pytest.fixture
def holder():
    return PersonFactory(line_manager=PersonFactory())


def sent_thresholds(subject) -> list[int]:
    field = "certificate" if isinstance(subject, Certificate) else "external_certification"
    return sorted(CertificationReminder.objects.filter(**{field: subject}).values_list("threshold", flat=True))


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (1, 7), (0, None), (-3, None)],
)
def test_the_threshold_due_is_the_nearest_not_yet_passed(days_left, due):
    assert threshold_due(expires_on=TODAY + timedelta(days=days_left), today=TODAY) == due


def test_the_holder_and_their_manager_are_reminded_90_days_before_and_a_second_run_sends_nothing_new(
    holder, django_capture_on_commit_callbacks
):
    item = certificate(holder, expires_on=TODAY + timedelta(days=90), title="Agile foundations")

    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_reminders_send(now=NOW) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_reminders_send(now=NOW) == 0
        assert certificate_reminders_send(now=NOW + timedelta(hours=5)) == 0

    assert sent_thresholds(item) == [90]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [holder.user.email, holder.line_manager.user.email]
    )
    to_holder = next(message for message in mail.outbox if message.to == [holder.user.email])
    assert to_holder.subject == "Your Agile foundations certification expires on 15 April 2027"
    assert "in 90 days" in to_holder.body
    to_manager = next(message for message in mail.outbox if message.to == [holder.line_manager.user.email])
    assert f"{holder.user.get_full_name()}'s Agile foundations certification" in to_manager.subject


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(91, []), (90, [90]), (31, [90]), (30, [30]), (8, [30]), (7, [7]), (1, [7]), (0, []), (-1, [])],
)
def test_on_the_boundary_days_exactly_one_threshold_goes_out(holder, days_left, expected):
    item = certificate(holder, expires_on=TODAY + timedelta(days=days_left))
    certificate_reminders_send(now=NOW)
    assert sent_thresholds(item) == expected


def test_each_threshold_goes_out_once_as_the_days_pass(holder):
    item = certificate(holder, expires_on=TODAY + timedelta(days=100))
    for day in range(100):
        certificate_reminders_send(now=NOW + timedelta(days=day))
    assert sent_thresholds(item) == [7, 30, 90]
    assert Notification.objects.filter(kind="certification_expiring").count() == 3
    assert Notification.objects.filter(kind="team_certification_expiring").count() == 3


def test_a_late_run_sends_only_the_nearest_threshold_never_three_at_once(holder):
    item = certificate(holder, expires_on=TODAY + timedelta(days=5))  # nothing ran for months
    certificate_reminders_send(now=NOW)
    certificate_reminders_send(now=NOW + timedelta(days=1))
    assert sent_thresholds(item) == [7]
    assert Notification.objects.filter(kind="certification_expiring").count() == 1


def test_the_day_is_the_london_day(holder):
    """23:30 UTC on 30 June is 00:30 on 1 July in London (BST): 90 days before 29 September by London's calendar,
    91 by UTC's."""
    item = certificate(holder, expires_on=date(2026, 9, 29))
    certificate_reminders_send(now=datetime(2026, 6, 30, 22, 59, tzinfo=UTC))  # 23:59 on 30 June in London
    assert sent_thresholds(item) == []
    certificate_reminders_send(now=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    assert sent_thresholds(item) == [90]


def test_a_revoked_or_superseded_certificate_gets_no_reminder(holder):
    revoked = certificate(
        holder, expires_on=TODAY + timedelta(days=30), revoked_at=timezone.now(), revoked_reason="Issued in error"
    )
    superseded = certificate(holder, expires_on=TODAY + timedelta(days=30), superseded_at=timezone.now())
    without_expiry = certificate(holder, expires_on=None, issued_on=TODAY - timedelta(days=400))
    assert certificate_reminders_send(now=NOW) == 0
    assert sent_thresholds(revoked) == sent_thresholds(superseded) == sent_thresholds(without_expiry) == []


def test_confirmed_external_certifications_are_reminded_and_unconfirmed_ones_are_not(holder):
    confirmed = external(holder, expires_on=TODAY + timedelta(days=30))
    others = [
        external(holder, expires_on=TODAY + timedelta(days=30), status=status)
        for status in (
            ExternalCertificationStatus.WAITING,
            ExternalCertificationStatus.REJECTED,
            ExternalCertificationStatus.WITHDRAWN,
        )
    ]
    assert certificate_reminders_send(now=NOW) == 1
    assert sent_thresholds(confirmed) == [30]
    assert all(sent_thresholds(other) == [] for other in others)


def test_the_external_reminder_says_to_record_the_renewal(holder, django_capture_on_commit_callbacks):
    external(holder, expires_on=TODAY + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reminders_send(now=NOW)
    to_holder = next(message for message in mail.outbox if message.to == [holder.user.email])
    assert "PRINCE2 Practitioner certification (PeopleCert)" in to_holder.body
    assert "/skills/certificates/external/record/" in to_holder.body


def test_someone_without_a_line_manager_is_reminded_alone_and_an_inactive_account_not_at_all():
    alone = PersonFactory()
    gone = PersonFactory(line_manager=PersonFactory())
    gone.user.is_active = False
    gone.user.save()
    certificate(alone, expires_on=TODAY + timedelta(days=30))
    certificate(gone, expires_on=TODAY + timedelta(days=30))
    assert certificate_reminders_send(now=NOW) == 1
    assert list(Notification.objects.values_list("user_id", flat=True)) == [alone.user_id]


def _run_queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        certificate_reminders_send(now=NOW, **kwargs)
    return len(queries)


def test_a_run_costs_a_fixed_number_of_queries_a_chunk_whatever_the_number_of_people():
    certificate_reminders_send(now=NOW)  # the first run records its heartbeat; later ones update it
    people = [PersonFactory(line_manager=PersonFactory()) for _ in range(12)]
    for person in people[:3]:
        certificate(person, expires_on=TODAY + timedelta(days=30))
        external(person, expires_on=TODAY + timedelta(days=7))
    small = _run_queries()
    for person in people[3:]:
        certificate(person, expires_on=TODAY + timedelta(days=30))
        external(person, expires_on=TODAY + timedelta(days=7))
    large = _run_queries()
    assert small == large  # 3 and 9 of each, in one chunk each

    # In chunks of 2, each chunk costs the same: one query to read it and a fixed few to write.
    for person in people:
        certificate(person, expires_on=TODAY + timedelta(days=8))
    with CaptureQueriesContext(connection) as queries:
        reminded = certificate_reminders_send(now=NOW, chunk=2)
    assert reminded == 12
    reads = [query for query in queries if 'FROM "skills_certificate"' in query["sql"] and "LIMIT 2" in query["sql"]]
    assert len(reads) == 7  # six chunks of two, and the read that finds no more


def test_the_beat_task_runs_the_service(holder):
    from skills.tasks import certificate_reminders_send as task  # noqa: PLC0415

    item = certificate(holder, expires_on=timezone.localdate() + timedelta(days=7))
    assert task.delay().get() == 1
    assert sent_thresholds(item) == [7]
