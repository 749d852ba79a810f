"""The learner's booking pages: book (check your answers, clash shown first), one booking, cancel, and their
training. Each object route attacked as another learner (404, nothing changed) and anonymously (sign-in)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.enums import BookingStatus, DeliveryMode, SessionStatus
from courses.models import Booking
from courses.services.bookings import booking_cancel, booking_request
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import GradeFactory, PersonFactory

pytestmark = pytest.mark.django_db


def book_url(session):
    return reverse("courses:session-book", kwargs={"session_id": session.pk})


def booking_url(booking, cancel=False):
    return reverse("courses:booking-cancel" if cancel else "courses:booking", kwargs={"booking_id": booking.pk})


def book(session, person):
    return booking_request(session=session, person=person, actor=person.user)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner.user)
    return client


def text(response) -> str:
    return " ".join(response.content.decode().split())


# --- Access ------------------------------------------------------------------------------------------------


def test_every_route_sends_a_visitor_to_sign_in(client, learner):
    session = SessionFactory()
    booking = book(session, learner)
    for url in [reverse("courses:my-training"), book_url(session), booking_url(booking), booking_url(booking, True)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert client.post(booking_url(booking, True), {"reason": "Mischief"}).status_code == 302
    assert client.post(book_url(session)).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Booking.objects.count() == 1


def test_another_learners_booking_is_not_there_and_cannot_be_cancelled(client, learner):
    session = SessionFactory(capacity=1)
    booking = book(session, learner)
    waiting = book(session, PersonFactory())
    client.force_login(PersonFactory().user)
    for target in [booking, waiting]:
        assert client.get(booking_url(target)).status_code == 404
        assert client.get(booking_url(target, cancel=True)).status_code == 404
        assert client.post(booking_url(target, cancel=True), {"reason": "Mischief"}).status_code == 404
    assert list(Booking.objects.order_by("pk").values_list("status", flat=True)) == [
        BookingStatus.CONFIRMED,
        BookingStatus.WAITLISTED,
    ]
    assert "Mischief" not in text(client.get(reverse("courses:my-training")))


def test_a_session_of_an_unpublished_course_is_not_there(signed_in):
    course = course_create()
    course.unpublish()
    assert signed_in.get(book_url(SessionFactory(course=course))).status_code == 404
    assert signed_in.get("/training/sessions/999999/book/").status_code == 404
    # Beyond any id the database can hold: no session, not an error (SQLite cannot take such a number).
    assert signed_in.get("/training/sessions/99999999999999999999/book/").status_code == 404


# --- Booking -----------------------------------------------------------------------------------------------


def test_the_book_page_says_what_when_where_seats_and_who_approves(
    signed_in, learner, manager, django_assert_num_queries
):
    session = SessionFactory(capacity=3, course=course_create(title="Leading agile teams", needs_approval=True))
    with django_assert_num_queries(10):
        response = signed_in.get(book_url(session))
    page = text(response)
    assert response.status_code == 200
    assert "Leading agile teams" in page
    assert f"{timezone.localtime(session.starts_at):%H:%M}" in page
    assert timezone.localtime(session.starts_at).strftime("%Z") in page  # GMT or BST: the zone is visible
    assert "3 of 3 left" in page
    assert f"Needs your line manager's approval: {manager.user.get_full_name()} decides" in page
    assert "Only the training team sees this" in page
    assert "Your line manager sees this" in page
    assert "Quarry House" not in page  # the venue only once confirmed
    assert "Send request" in page


def test_a_full_session_says_you_will_join_the_waiting_list(signed_in):
    session = SessionFactory(capacity=1)
    book(session, PersonFactory())
    page = text(signed_in.get(book_url(session)))
    assert "This session is full: you will join the waiting list" in page
    assert "Join the waiting list" in page


def test_a_clash_with_another_confirmed_booking_is_shown_before_booking(signed_in, learner):
    session = SessionFactory()
    other = SessionFactory(
        starts_at=session.starts_at + timedelta(hours=1), course=course_create(title="Data ethics in practice")
    )
    book(other, learner)
    page = text(signed_in.get(book_url(session)))
    assert "This clashes with another session you are booked on" in page
    assert "Data ethics in practice" in page


def test_booking_confirms_and_shows_the_booking_with_the_venue(signed_in, learner):
    session = SessionFactory(capacity=2)
    response = signed_in.post(book_url(session), {"adjustments": "Step-free access", "reason": "My target role"})
    booking = Booking.objects.get(person=learner)
    assert response.status_code == 302
    assert response["Location"] == booking_url(booking)
    assert (booking.status, booking.adjustments, booking.reason) == (
        BookingStatus.CONFIRMED,
        "Step-free access",
        "My target role",
    )
    page = text(signed_in.get(response["Location"]))
    assert "Your place is confirmed." in page
    assert "Quarry House" in page
    assert "Step-free access" in page


# A booking is the statement budget of the busiest second the service has (hundreds of people booking a
# session the moment it opens): the page's checks are not asked again before the service asks them, the audit
# entry is one INSERT, no plan sync runs when no plan action waits for the course, whether the person holds a
# booking already is left to the one-active-booking index, the seats are written without the session's save and
# the confirmation is queued without a savepoint (docs/decisions/0023, 0024).
BOOKING_QUERIES = 12


def test_booking_keeps_its_statement_budget(signed_in, learner, django_assert_num_queries):
    first, session = SessionFactory(capacity=2), SessionFactory(capacity=2)
    signed_in.post(book_url(first), {})  # warms the per-process caches (content types, site paths) as a server's are
    with django_assert_num_queries(BOOKING_QUERIES):
        response = signed_in.post(book_url(session), {"adjustments": "", "reason": ""})
    assert response.status_code == 302
    assert Booking.objects.get(person=learner, session=session).status == BookingStatus.CONFIRMED


def test_a_second_post_goes_to_the_booking_already_held(signed_in, learner):
    session = SessionFactory()
    booking = book(session, learner)
    response = signed_in.post(book_url(session), {})
    assert response["Location"] == booking_url(booking)
    assert Booking.objects.count() == 1
    page = text(signed_in.get(book_url(session)))
    assert "You already have a booking for this session" in page
    assert "Confirm and book" not in page


def test_too_long_text_is_refused_and_kept(signed_in):
    session = SessionFactory()
    response = signed_in.post(book_url(session), {"adjustments": "x" * 2001, "reason": "Because"})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Your adjustment needs must be 2,000 characters or fewer" in page
    assert "x" * 2001 in page
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("session_fields", "course_fields", "message"),
    [
        ({"status": SessionStatus.CANCELLED}, {}, "This session has been cancelled"),
        ({"starts_at": None}, {}, "Booking for this session has closed"),
        ({}, {"delivery_mode": DeliveryMode.SELF_PACED}, "This course is self-paced"),
        ({}, {"grades": "other"}, "This course is for other grades than yours"),
    ],
)
def test_a_session_that_cannot_be_booked_says_why_and_offers_no_button(
    signed_in, session_fields, course_fields, message
):
    if course_fields.get("grades"):
        course_fields = {"grades": [GradeFactory(code="SCS1")]}
    if "starts_at" in session_fields:  # booking closed an hour ago
        now = timezone.now().replace(microsecond=0)
        session_fields = {
            "starts_at": now + timedelta(days=1),
            "booking_opens_at": now - timedelta(days=10),
            "booking_closes_at": now - timedelta(hours=1),
        }
    session = SessionFactory(course=course_create(**course_fields), **session_fields)
    page = text(signed_in.get(book_url(session)))
    assert message in page
    assert "<form" not in page.split("<main", 1)[1]
    response = signed_in.post(book_url(session), {})
    assert message in text(response)
    assert not Booking.objects.exists()


# --- One booking and cancelling -----------------------------------------------------------------------------


def test_a_waitlisted_booking_shows_its_place_among_those_waiting_and_no_venue(
    signed_in, learner, django_assert_num_queries
):
    session = SessionFactory(capacity=1, joining_link="https://meet.example.gov.uk/abc")
    book(session, PersonFactory())
    ahead = [book(session, PersonFactory()) for _ in range(2)]
    booking = book(session, learner)
    ahead[0].refresh_from_db()
    booking_cancel(booking=ahead[0], actor=ahead[0].person.user, reason="Ill")
    with django_assert_num_queries(7):
        response = signed_in.get(booking_url(booking))
    page = text(response)
    assert "On the waiting list" in page
    assert "You are number 2 on the waiting list." in page
    assert "meet.example.gov.uk" not in page
    assert "Quarry House" not in page
    assert "If a seat frees before booking closes" in page


def test_cancelling_needs_a_reason_then_cancels_and_frees_the_seat(signed_in, learner):
    session = SessionFactory(capacity=1)
    booking = book(session, learner)
    waiting = book(session, PersonFactory())
    assert "Cancel this booking" in text(signed_in.get(booking_url(booking)))
    assert signed_in.get(booking_url(booking, cancel=True)).status_code == 200
    response = signed_in.post(booking_url(booking, cancel=True), {"reason": ""})
    assert "Enter why you are cancelling" in text(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    response = signed_in.post(booking_url(booking, cancel=True), {"reason": "A clash with leave"})
    assert response["Location"] == booking_url(booking)
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (BookingStatus.CANCELLED, "A clash with leave")
    assert waiting.status == BookingStatus.CONFIRMED
    page = text(signed_in.get(booking_url(booking)))
    assert "This booking was cancelled" in page
    assert "Cancel this booking" not in page


def test_after_the_cut_off_the_page_says_to_contact_the_training_team(signed_in, learner):
    now = timezone.now().replace(microsecond=0)
    session = SessionFactory(
        starts_at=now + timedelta(days=3),
        booking_opens_at=now - timedelta(days=5),
        booking_closes_at=now + timedelta(days=2),
        cancellation_cutoff_at=now - timedelta(hours=1),
    )
    booking = book(session, learner)
    page = text(signed_in.get(booking_url(booking)))
    assert "contact the training team" in page
    assert "Cancel this booking" not in page
    response = signed_in.post(booking_url(booking, cancel=True), {"reason": "Ill"})
    assert response["Location"] == booking_url(booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# --- Your training ------------------------------------------------------------------------------------------


def test_your_training_lists_each_section_with_the_next_step_in_constant_queries(
    signed_in, learner, django_assert_num_queries
):
    full = SessionFactory(capacity=1, course=course_create(title="Cloud architecture"))
    book(full, PersonFactory())
    book(full, PersonFactory())
    book(full, learner)
    book(SessionFactory(course=course_create(title="User research basics")), learner)
    book(SessionFactory(course=course_create(title="Leading agile teams", needs_approval=True)), learner)
    signed_in.get(reverse("courses:my-training"))  # the first request records the signed-in session
    with django_assert_num_queries(7):
        response = signed_in.get(reverse("courses:my-training"))
    page = text(response)
    assert "User research basics" in page
    assert "Attend, or cancel by" in page
    assert "Cloud architecture" in page
    assert "On the waiting list, number 2" in page
    assert "Wait for your line manager's decision" in page
    for _ in range(5):
        book(SessionFactory(), learner)
    signed_in.get(reverse("courses:my-training"))  # new course pages emptied the site's navigation cache
    with django_assert_num_queries(7):
        signed_in.get(reverse("courses:my-training"))


def test_your_training_pages_each_section(signed_in, learner):
    for _ in range(22):
        book(SessionFactory(), learner)
    page = text(signed_in.get(reverse("courses:my-training")))
    assert "Page 1 of 2" in page
    assert "?upcoming_page=2" in page
    page = text(signed_in.get(reverse("courses:my-training") + "?upcoming_page=2"))
    assert "Page 2 of 2" in page
    assert Booking.objects.filter(person=learner, status=BookingStatus.CONFIRMED).count() == 22
