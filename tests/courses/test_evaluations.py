"""A learner is asked once how a course went, answers once, and only they can: after attending a session or a
confirmed self-paced completion."""

from datetime import date

import pytest
from django.urls import reverse

from courses.enums import BookingStatus, CompletionStatus, DeliveryMode
from courses.errors import NotAllowed
from courses.models import Evaluation
from courses.services.evaluations import AlreadyEvaluated, evaluation_request, evaluation_submit
from skills.models import Notification
from tests.courses.factories import course_create
from tests.courses.reporting import booking_in, completion_of, past_session
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"satisfaction": "4", "relevance_to_work": "5", "relevance_to_gap": "3", "comment": "Good pace."}


@pytest.fixture
def attended(learner):
    return booking_in(past_session(), learner, BookingStatus.COMPLETED)


@pytest.fixture
def completed(learner):
    course = course_create(title="Agile foundations online", delivery_mode=DeliveryMode.SELF_PACED)
    return completion_of(course, learner, on=date(2026, 11, 2))


def test_the_request_is_sent_once_with_the_link(attended, completed):
    first = evaluation_request(booking=attended)
    assert evaluation_request(booking=attended) == first
    other = evaluation_request(completion=completed)
    assert Notification.objects.filter(kind="evaluation_requested").count() == 2
    assert first.context == {"booking_id": attended.pk}
    assert other.context == {"completion_id": completed.pk}


def test_the_request_is_not_sent_before_attendance_or_confirmation(learner):
    confirmed = booking_in(past_session(), learner, BookingStatus.CONFIRMED)
    claim = completion_of(course_create(), learner, on=date(2026, 11, 2), status=CompletionStatus.CLAIMED)
    assert evaluation_request(booking=confirmed) is None
    assert evaluation_request(completion=claim) is None
    assert not Notification.objects.filter(kind="evaluation_requested").exists()


def test_the_message_renders_with_the_form_link(attended, completed):
    from skills.notification_kinds import notification_kind  # noqa: PLC0415 — the registry, read in the test

    for notification in (evaluation_request(booking=attended), evaluation_request(completion=completed)):
        context = notification_kind("evaluation_requested").build_context(notification)
        assert context["evaluation_path"] in (
            f"/training/bookings/{attended.pk}/evaluation/",
            f"/training/completions/{completed.pk}/evaluation/",
        )


def test_the_learner_answers_once(client, learner, attended):
    client.force_login(learner.user)
    url = reverse("courses:booking-evaluation", kwargs={"booking_id": attended.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "Very good" in response.text
    assert "Not relevant at all" in response.text
    response = client.post(url, ANSWERS, follow=True)
    assert "Thank you: your answers are sent." in response.text
    evaluation = Evaluation.objects.get()
    assert (evaluation.satisfaction, evaluation.relevance_to_work, evaluation.relevance_to_gap) == (4, 5, 3)
    assert evaluation.comment == "Good pace."
    assert evaluation.person == learner
    response = client.post(url, ANSWERS | {"satisfaction": "1"}, follow=True)
    assert "You have already told us how this course went" in response.text
    assert Evaluation.objects.get().satisfaction == 4
    with pytest.raises(AlreadyEvaluated):
        evaluation_submit(actor=learner.user, booking=attended, satisfaction=1, relevance_to_work=1, relevance_to_gap=1)


def test_a_confirmed_self_paced_completion_is_evaluated(client, learner, completed):
    client.force_login(learner.user)
    url = reverse("courses:completion-evaluation", kwargs={"completion_id": completed.pk})
    client.post(url, ANSWERS)
    assert Evaluation.objects.get().completion == completed


def test_a_missing_answer_is_named_and_what_was_typed_is_kept(client, learner, attended):
    client.force_login(learner.user)
    url = reverse("courses:booking-evaluation", kwargs={"booking_id": attended.pk})
    response = client.post(url, {"satisfaction": "4", "relevance_to_gap": "9", "comment": "Kept text"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose how relevant the course was to your work" in response.text
    assert "Choose how relevant the course was to the skill you wanted to develop" in response.text
    assert "Kept text" in response.text
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("status", [BookingStatus.CONFIRMED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED])
def test_a_booking_not_attended_is_404(client, learner, status):
    booking = booking_in(past_session(), learner, status)
    client.force_login(learner.user)
    url = reverse("courses:booking-evaluation", kwargs={"booking_id": booking.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, ANSWERS).status_code == 404
    assert not Evaluation.objects.exists()


def test_someone_else_gets_404_and_nothing_changes(client, manager, attended, completed):
    """Even the learner's own line manager: the answers are the learner's."""
    for user in (manager.user, PersonFactory().user):
        client.force_login(user)
        for url in (
            reverse("courses:booking-evaluation", kwargs={"booking_id": attended.pk}),
            reverse("courses:completion-evaluation", kwargs={"completion_id": completed.pk}),
        ):
            assert client.get(url).status_code == 404
            assert client.post(url, ANSWERS).status_code == 404
    assert not Evaluation.objects.exists()
    with pytest.raises(NotAllowed):
        evaluation_submit(actor=manager.user, booking=attended, satisfaction=5, relevance_to_work=5, relevance_to_gap=5)


def test_an_unclaimed_completion_is_404(client, learner):
    claim = completion_of(course_create(), learner, on=date(2026, 11, 2), status=CompletionStatus.CLAIMED)
    client.force_login(learner.user)
    assert client.get(reverse("courses:completion-evaluation", kwargs={"completion_id": claim.pk})).status_code == 404


def test_the_form_page_query_count_is_pinned(client, learner, attended, django_assert_num_queries):
    client.force_login(learner.user)
    url = reverse("courses:booking-evaluation", kwargs={"booking_id": attended.pk})
    client.get(url)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
