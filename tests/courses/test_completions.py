"""Self-paced completions: a learner's claim until their line manager confirms it, which records course evidence
(one ledger row per outcome) and no certificate. Wrong users get 404 and nothing changes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.enums import CompletionStatus, DeliveryMode
from courses.errors import NotAllowed
from courses.models import CourseCompletion
from courses.services.completions import (
    CompletionError,
    completion_confirm,
    completion_record,
    completion_reject,
    completion_withdraw,
)
from skills.enums import AssessmentSource
from skills.models import Achievement, Assessment, Certificate, Notification
from tests.courses.catalogue_helpers import level, published_release
from tests.courses.factories import course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    return published_release(skills=2)


@pytest.fixture
def course(release):
    skills = list(release.skills.order_by("pk"))
    return course_create(
        title="Cloud foundations",
        delivery_mode=DeliveryMode.SELF_PACED,
        leads_to_certificate=True,
        outcomes=[(skills[0], None, level(release, 2)), (skills[1], level(release, 1), level(release, 3))],
    )


def record_url(course):
    return f"/training/courses/{course.pk}/completed/"


def completion_url(completion):
    return f"/training/completions/{completion.pk}/"


def claim(learner, course, **fields):
    return completion_record(
        person=learner,
        course=course,
        completed_on=fields.get("completed_on", timezone.localdate()),
        evidence=fields.get("evidence", "Certificate CF-123"),
        actor=learner.user,
    )


# --- the services -----------------------------------------------------------------------------------------------


def test_recording_makes_a_claim_and_asks_the_line_manager(learner, manager, course):
    completion = claim(learner, course)

    assert completion.status == CompletionStatus.CLAIMED
    assert Notification.objects.filter(kind="completion_to_confirm", user=manager.user).count() == 1
    assert not Assessment.objects.filter(person=learner).exists()  # a claim is not evidence yet
    assert ModelLogEntry.objects.filter(action="capability.courses.completion_record").count() == 1


def test_recording_alone_issues_no_certificate(learner, course):
    claim(learner, course)

    assert not Certificate.objects.exists()


def test_confirming_records_course_evidence_per_outcome_and_the_certificate(learner, manager, course):
    completion = claim(learner, course)

    completion_confirm(completion=completion, actor=manager.user)

    completion.refresh_from_db()
    assert completion.status == CompletionStatus.CONFIRMED
    assert completion.decided_by == manager.user
    achievement = Achievement.objects.get(reference=f"courses.completion:{completion.pk}")
    assert achievement.certificate_requested is True  # the course leads to a certificate
    certificate = Certificate.objects.get(holder=learner)
    assert (certificate.achievement, certificate.award, certificate.issued_on) == (
        achievement,
        f"courses.course:{completion.course_id}",
        completion.completed_on,
    )
    assert achievement.award == f"courses.course:{completion.course_id}"
    rows = Assessment.objects.filter(person=learner, source=AssessmentSource.COURSE).order_by("level__rank")
    assert [row.level.rank for row in rows] == [2, 3]
    assert Notification.objects.filter(kind="completion_decided", user=learner.user).count() == 1


def test_rejecting_needs_a_reason_and_records_nothing(learner, manager, course):
    completion = claim(learner, course)

    with pytest.raises(CompletionError, match="Say why"):
        completion_reject(completion=completion, actor=manager.user, reason="  ")
    completion_reject(completion=completion, actor=manager.user, reason="No certificate attached.")

    completion.refresh_from_db()
    assert completion.status == CompletionStatus.REJECTED
    assert completion.decision_reason == "No certificate attached."
    assert not Assessment.objects.filter(person=learner).exists()
    assert Notification.objects.filter(kind="completion_decided", user=learner.user).count() == 1


def test_only_the_line_manager_decides_and_only_the_learner_records_or_withdraws(learner, manager, course):
    stranger = PersonFactory()
    with pytest.raises(NotAllowed):
        completion_record(
            person=learner, course=course, completed_on=timezone.localdate(), evidence="x", actor=stranger.user
        )
    completion = claim(learner, course)
    with pytest.raises(NotAllowed):
        completion_confirm(completion=completion, actor=stranger.user)
    with pytest.raises(NotAllowed):
        completion_confirm(completion=completion, actor=learner.user)  # not their own
    with pytest.raises(NotAllowed):
        completion_withdraw(completion=completion, actor=manager.user)
    completion.refresh_from_db()
    assert completion.status == CompletionStatus.CLAIMED


def test_a_claim_is_refused_for_a_future_date_a_course_with_sessions_a_second_claim_or_no_manager(
    learner, course, release
):
    with pytest.raises(CompletionError, match="today or in the past"):
        claim(learner, course, completed_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(CompletionError, match="book a session"):
        claim(learner, course_create(title="Classroom"))
    claim(learner, course)
    with pytest.raises(CompletionError, match="already recorded"):
        claim(learner, course)
    with pytest.raises(CompletionError, match="no line manager"):
        claim(PersonFactory(), course)


def test_a_withdrawn_claim_can_be_recorded_again_and_a_decided_one_is_not_decided_twice(learner, manager, course):
    completion = claim(learner, course)
    completion_withdraw(completion=completion, actor=learner.user)
    with pytest.raises(CompletionError, match="already been dealt with"):
        completion_confirm(completion=completion, actor=manager.user)
    again = claim(learner, course)
    assert again.pk != completion.pk


# --- the pages --------------------------------------------------------------------------------------------------


def test_the_learner_records_a_completion_through_the_form_and_sees_it_waiting(client, learner, manager, course):
    client.force_login(learner.user)
    assert client.get(record_url(course)).status_code == 200

    response = client.post(
        record_url(course), {"completed_on": timezone.localdate().isoformat(), "evidence": "Certificate CF-9"}
    )

    completion = CourseCompletion.objects.get()
    assert response.status_code == 302
    assert response.url == completion_url(completion)
    page = client.get(completion_url(completion)).content.decode()
    assert "Waiting for your line manager" in page
    assert "Withdraw this record" in page


def test_the_form_refuses_bad_input_clearly_and_keeps_what_was_typed(client, learner, course):
    client.force_login(learner.user)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()

    response = client.post(record_url(course), {"completed_on": future, "evidence": "My notes"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert "The date you completed the course must be today or in the past" in page
    assert "My notes" in page
    assert not CourseCompletion.objects.exists()
    response = client.post(record_url(course), {"completed_on": "", "evidence": ""})
    assert "Enter the date you completed the course" in response.content.decode()
    assert "Say what shows you completed the course" in response.content.decode()


def test_a_learner_without_a_line_manager_is_told_what_to_do(client, course):
    loner = PersonFactory()
    client.force_login(loner.user)

    response = client.post(record_url(course), {"completed_on": timezone.localdate().isoformat(), "evidence": "x"})

    assert "ask your training team" in response.content.decode()
    assert not CourseCompletion.objects.exists()


def test_the_record_page_is_404_for_a_course_that_is_not_self_paced_or_not_live(client, learner, course):
    client.force_login(learner.user)
    assert client.get(record_url(course_create(title="Classroom"))).status_code == 404
    course.unpublish()
    assert client.get(record_url(course)).status_code == 404


def test_the_manager_confirms_through_the_page(client, learner, manager, course):
    completion = claim(learner, course)
    client.force_login(manager.user)
    page = client.get(completion_url(completion)).content.decode()
    assert "Certificate CF-123" in page
    assert "Yes, confirm it" in page

    response = client.post(completion_url(completion), {"decision": "confirm"})

    assert response.status_code == 302
    completion.refresh_from_db()
    assert completion.status == CompletionStatus.CONFIRMED
    assert Achievement.objects.filter(reference=f"courses.completion:{completion.pk}", url=course.url).exists()


def test_the_manager_must_give_a_reason_to_reject(client, learner, manager, course):
    completion = claim(learner, course)
    client.force_login(manager.user)

    response = client.post(completion_url(completion), {"decision": "reject", "reason": ""})

    assert "Say why you are not confirming it" in response.content.decode()
    completion.refresh_from_db()
    assert completion.status == CompletionStatus.CLAIMED
    client.post(completion_url(completion), {"decision": "reject", "reason": "Wrong course"})
    completion.refresh_from_db()
    assert completion.status == CompletionStatus.REJECTED
    client.force_login(learner.user)
    assert "Wrong course" in client.get(completion_url(completion)).content.decode()


def test_the_learner_withdraws_through_the_page(client, learner, course):
    completion = claim(learner, course)
    client.force_login(learner.user)

    client.post(completion_url(completion))

    completion.refresh_from_db()
    assert completion.status == CompletionStatus.WITHDRAWN


@pytest.mark.parametrize("method", ["get", "post"])
def test_anyone_else_gets_404_and_nothing_changes(client, learner, course, method):
    completion = claim(learner, course)
    colleague = PersonFactory(line_manager=learner.line_manager)  # same manager, not the person
    their_report = PersonFactory(line_manager=learner)  # the learner's own report: not their manager
    for other in (colleague, their_report, PersonFactory()):
        client.force_login(other.user)
        response = getattr(client, method)(completion_url(completion), {"decision": "confirm"})
        assert response.status_code == 404
    completion.refresh_from_db()
    assert completion.status == CompletionStatus.CLAIMED
    assert not Achievement.objects.exists()
    client.force_login(learner.user)
    assert client.get("/training/completions/999999/").status_code == 404
