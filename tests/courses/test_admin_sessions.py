"""The Training admin: the sessions listing (filters, export, query count), scheduling and changing sessions
with every rule on its field and times in UK time, cancelling a session, the roster and its CSV, attendance in
bulk and closing, and every route refused to the wrong roles with nothing changed."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.html import escape

from cms.accounts.enums import Role
from courses.enums import BookingStatus, DeliveryMode, SessionStatus
from courses.models import Booking, Session
from courses.services.bookings import booking_request
from skills.models import Achievement, Notification
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.courses.training_admin import course_with_outcome, training_administrator
from tests.frameworks.admin.refusals import assert_refused_to_everyone
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/training/sessions/"
SIGN_IN = "/accounts/sign-in/"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def administrator(client):
    user = training_administrator()
    client.force_login(user)
    return user


def _book(session, count, **fields):
    people = [PersonFactory() for _ in range(count)]
    return [booking_request(session=session, person=p, actor=p.user, **fields) for p in people]


def _started(session):
    """Move a booked session into the past: it started an hour ago (bookings were made while it was open)."""
    shift = session.starts_at - timezone.now() + timedelta(hours=1)
    fields = ["starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "cancellation_cutoff_at"]
    Session.objects.filter(pk=session.pk).update(**{f: getattr(session, f) - shift for f in fields})
    session.refresh_from_db()
    return session


def form_data(course, **changes):
    data = {
        "course": course.pk,
        "starts_at": "2027-07-01 09:30",
        "ends_at": "2027-07-01 16:30",
        "town": "Leeds",
        "venue": "Quarry House",
        "joining_link": "",
        "capacity": "12",
        "minimum_attendees": "4",
        "booking_opens_at": "2027-05-01 09:00",
        "booking_closes_at": "2027-06-28 17:00",
        "cancellation_cutoff_at": "2027-06-25 17:00",
    }
    return data | changes


def every_route(session, booking):
    return [
        ("get", SESSIONS),
        ("get", f"{SESSIONS}?export=csv"),
        ("get", f"{SESSIONS}new/"),
        ("get", f"{SESSIONS}edit/{session.pk}/"),
        ("get", f"{SESSIONS}{session.pk}/roster/"),
        ("get", f"{SESSIONS}{session.pk}/roster.csv"),
        ("get", f"{SESSIONS}{session.pk}/cancel/"),
        ("post", f"{SESSIONS}{session.pk}/cancel/"),
        ("post", f"{SESSIONS}{session.pk}/close/"),
        ("post", f"{SESSIONS}{session.pk}/roster/"),
        ("post", f"{SESSIONS}edit/{session.pk}/"),
    ]


# --- who may come in ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [SuperuserFactory, training_administrator])
def test_training_administrators_and_superusers_open_every_page(client, make_user):
    client.force_login(make_user())
    session = SessionFactory()
    (booking,) = _book(session, 1)
    for method, url in every_route(session, booking):
        if method == "get":
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("roles", "redirected_to"),
    [
        (None, SIGN_IN),
        ([Role.LEARNER], SIGN_IN),
        ([Role.LINE_MANAGER], SIGN_IN),
        ([Role.HR_ANALYST], "/admin/"),
        ([Role.CONTENT_EDITOR], "/admin/"),
        ([Role.FRAMEWORK_MODERATOR], "/admin/"),
    ],
)
def test_everyone_else_is_turned_away_from_every_route_and_nothing_changes(client, roles, redirected_to):
    if roles is not None:
        client.force_login(UserFactory(roles=roles))
    session = _started(SessionFactory())
    session_fields = session.__dict__.copy()
    (booking,) = Booking.objects.filter(pk__in=[b.pk for b in _book_at_open(session, 1)])

    for method, url in every_route(session, booking):
        data = {"reason": "x", f"booking_{booking.pk}": "attended", **form_data(session.course, capacity="1")}
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(redirected_to), (url, response.url)

    session.refresh_from_db()
    booking.refresh_from_db()
    assert (session.status, session.capacity, session.starts_at) == (
        session_fields["status"],
        session_fields["capacity"],
        session_fields["starts_at"],
    )
    assert booking.status == BookingStatus.CONFIRMED
    assert not Achievement.objects.exists()


def _book_at_open(session, count):
    """Bookings made while the (now past) session was open for booking."""
    people = [PersonFactory() for _ in range(count)]
    return [
        booking_request(session=session, person=p, actor=p.user, now=session.booking_opens_at + timedelta(minutes=1))
        for p in people
    ]


def test_the_training_menu_is_shown_to_training_administrators_only(client, administrator):
    menu = client.get("/admin/").content.decode()
    # One "Training" menu holds the sessions, the reports, the history import and the demand.
    for path in ["/admin/training/sessions/", "/admin/training-reports/", "/admin/training-reports/effectiveness/",
                 "/admin/training-reports/history/", "/admin/training-demand/"]:  # fmt: skip
        assert path in menu
    assert "Training reports" in menu
    assert "Training demand" in menu
    client.force_login(UserFactory(roles=[Role.HR_ANALYST]))
    menu = client.get("/admin/").content.decode()
    assert "/admin/training/sessions/" not in menu
    assert "/admin/training-demand/" not in menu


def test_nobody_deletes_or_copies_sessions_not_even_a_superuser():
    assert_refused_to_everyone(SESSIONS, ["delete"])


# --- the listing --------------------------------------------------------------------------------------------------


def test_the_listing_shows_each_session_in_uk_time_with_its_seats_and_waitlist(client, administrator):
    summer = datetime(2027, 7, 1, 8, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 BST
    session = SessionFactory(capacity=1, starts_at=summer, ends_at=summer + timedelta(hours=6))
    Session.objects.filter(pk=session.pk).update(
        booking_opens_at=timezone.now() - timedelta(days=1), booking_closes_at=summer - timedelta(days=1)
    )
    session.refresh_from_db()
    _book(session, 3)

    response = client.get(SESSIONS)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Thu 1 Jul 2027, 09:30 BST" in text
    assert "1 / 1" in text
    assert session.course.title in text
    row = response.context["object_list"][0]
    assert row.waitlisted == 2


def test_the_listing_keeps_its_query_count_however_many_sessions(client, administrator, django_assert_num_queries):
    for _ in range(2):
        _book(SessionFactory(capacity=1), 2)
    client.get(SESSIONS)  # warm caches (site, content types)
    with django_assert_num_queries(QUERIES_LISTING):
        assert client.get(SESSIONS).status_code == 200
    for _ in range(4):
        _book(SessionFactory(capacity=1), 2)
    with django_assert_num_queries(QUERIES_LISTING):
        assert client.get(SESSIONS).status_code == 200


QUERIES_LISTING = 12


def test_the_listing_filters_by_status_course_and_time(client, administrator):
    future = SessionFactory(town="Leeds")
    past = _started(SessionFactory(town="York"))
    cancelled = SessionFactory(town="Bristol", status=SessionStatus.CANCELLED)

    def listed(query):
        return {s.pk for s in client.get(SESSIONS + query).context["object_list"]}

    assert listed("?status=cancelled") == {cancelled.pk}
    assert listed("?when=past") == {past.pk}
    assert listed("?when=upcoming") == {future.pk, cancelled.pk}
    assert listed(f"?course={future.course_id}") == {future.pk}


def test_the_listing_paginates(client, administrator):
    course = course_create()
    for _ in range(51):
        SessionFactory(course=course)
    response = client.get(SESSIONS)
    assert len(response.context["object_list"]) == 50
    assert len(client.get(SESSIONS + "?p=2").context["object_list"]) == 1


def test_the_listing_exports_to_csv_formula_safe(client, administrator):
    session = SessionFactory(town="=HYPERLINK(1)")
    response = client.get(SESSIONS + "?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Course", "Starts (UK time)", "Ends (UK time)"]
    assert rows[1][0] == session.course.title
    assert rows[1][3] == "'=HYPERLINK(1)"


# --- scheduling and changing --------------------------------------------------------------------------------------


def test_scheduling_a_session_takes_uk_times_and_stores_utc(client, administrator):
    course = course_create()
    response = client.post(f"{SESSIONS}new/", form_data(course))
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts_at == datetime(2027, 7, 1, 8, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 BST
    assert session.created_by == administrator
    assert session.minimum_attendees == 4


def test_the_form_shows_times_in_uk_time_and_says_so(client, administrator):
    winter = datetime(2027, 1, 12, 9, 30, tzinfo=ZoneInfo("UTC"))
    session = SessionFactory(starts_at=winter, ends_at=winter + timedelta(hours=2))
    text = client.get(f"{SESSIONS}edit/{session.pk}/").content.decode()
    assert "2027-01-12 09:30" in text
    assert "Europe/London" in text


def test_self_paced_courses_are_not_offered(client, administrator):
    live = course_create(title="Live course")
    self_paced = course_create(title="Self-paced course", delivery_mode=DeliveryMode.SELF_PACED)
    field = client.get(f"{SESSIONS}new/").context["form"].fields["course"]
    choices = {int(str(value)) for value, _label in field.choices if value}
    assert choices == {live.pk}
    response = client.post(f"{SESSIONS}new/", form_data(self_paced))
    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2027-07-01 09:00"}, "ends_at", "The session must end after it starts."),
        ({"booking_closes_at": "2027-04-01 09:00"}, "booking_closes_at", "Booking must close after it opens."),
        ({"booking_closes_at": "2027-07-02 09:00"}, "booking_closes_at", "Booking must close before"),
        ({"cancellation_cutoff_at": "2027-07-02 09:00"}, "cancellation_cutoff_at", "cut-off must be before"),
        ({"capacity": "0"}, "capacity", ""),
        ({"minimum_attendees": "13"}, "minimum_attendees", "cannot be more than the capacity (12)"),
        ({"town": "", "venue": ""}, "venue", "online joining link"),
        ({"starts_at": "2027-03-28 01:30"}, "starts_at", ""),  # the clocks go forward: no such UK time
        ({"starts_at": "next Tuesday"}, "starts_at", ""),
    ],
)
def test_each_rule_is_reported_on_its_field_keeping_what_was_typed(client, administrator, changes, field, message):
    course = course_create()
    response = client.post(f"{SESSIONS}new/", form_data(course, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert form["town"].value() == changes.get("town", "Leeds")
    assert not Session.objects.exists()


def test_capacity_below_the_seats_confirmed_is_refused_with_the_number(client, administrator):
    session = SessionFactory(capacity=5)
    _book(session, 3)
    data = form_data(session.course, capacity="2")
    response = client.post(f"{SESSIONS}edit/{session.pk}/", data)
    assert response.status_code == 200
    assert "3 seats are already confirmed" in " ".join(response.context["form"].errors["capacity"])
    session.refresh_from_db()
    assert session.capacity == 5


def test_changing_the_time_in_the_admin_tells_the_confirmed_and_raising_capacity_promotes(client, administrator):
    session = SessionFactory(capacity=1)
    confirmed, waitlisted = _book(session, 2)
    local = {
        f: timezone.localtime(getattr(session, f), LONDON).strftime("%Y-%m-%d %H:%M")
        for f in ["starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "cancellation_cutoff_at"]
    }
    later = timezone.localtime(session.ends_at + timedelta(hours=1), LONDON).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        f"{SESSIONS}edit/{session.pk}/",
        form_data(session.course, **(local | {"ends_at": later}), capacity="2", minimum_attendees="1"),
    )
    assert response.status_code == 302, response.context["form"].errors
    confirmed.refresh_from_db()
    waitlisted.refresh_from_db()
    assert confirmed.ical_sequence == 1
    assert waitlisted.status == BookingStatus.CONFIRMED
    assert Notification.objects.filter(kind="booking_changed", user_id=confirmed.person.user_id).exists()


# --- cancelling ---------------------------------------------------------------------------------------------------


def test_cancelling_a_session_needs_a_reason_then_cancels_everything(client, administrator):
    session = SessionFactory(capacity=1)
    confirmed, waitlisted = _book(session, 2)
    response = client.post(f"{SESSIONS}{session.pk}/cancel/", {"reason": ""})
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED

    response = client.post(f"{SESSIONS}{session.pk}/cancel/", {"reason": "Trainer unwell"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert client.get(f"{SESSIONS}edit/{session.pk}/").status_code == 302  # nothing left to change


# --- the roster, attendance and closing ---------------------------------------------------------------------------


def test_the_roster_shows_adjustments_waitlist_in_order_and_requests(client, administrator, manager, learner):
    session = SessionFactory(capacity=1)
    (confirmed,) = _book(session, 1, adjustments="Step-free access")
    first, second = _book(session, 2)
    approval = SessionFactory(course=course_create(needs_approval=True))
    response = client.get(f"{SESSIONS}{session.pk}/roster/")
    text = response.content.decode()
    assert "Step-free access" in text
    # As the page writes them: a name such as O'Brien is escaped (O&#x27;Brien).
    assert text.index(escape(str(first.person))) < text.index(escape(str(second.person)))
    assert response.context["groups"]["waitlist"] == [first, second]
    booking_request(session=approval, person=learner, actor=learner.user)
    response = client.get(f"{SESSIONS}{approval.pk}/roster/")
    assert [b.person for b in response.context["groups"]["requested"]] == [learner]


def test_the_roster_escapes_what_people_typed_and_breaks_adjustment_lines(client, administrator):
    """The rows are written in Python (courses/viewsets/roster_rows.py): every value escaped as the template
    would, adjustments with `linebreaksbr`, the waiting-list time in UK time, a request with its manager."""
    session = SessionFactory(capacity=1)
    (confirmed,) = _book(session, 1, adjustments="Step-free <access>\r\n& a hearing loop")
    (waiting,) = _book(session, 1)
    Booking.objects.filter(pk=waiting.pk).update(waitlisted_at=datetime(2026, 7, 1, 12, 5, tzinfo=ZoneInfo("UTC")))
    ended, requested = _book(session, 2)
    Booking.objects.filter(pk=ended.pk).update(
        status=BookingStatus.CANCELLED, waitlist_position=None, cancel_reason="Off <sick> & away"
    )
    Booking.objects.filter(pk=requested.pk).update(status=BookingStatus.REQUESTED, waitlist_position=None)
    manager = PersonFactory(user__first_name="Mo <b>", user__last_name="& Co")
    requested.person.line_manager = manager
    requested.person.save(update_fields=["line_manager"])
    user = confirmed.person.user
    user.first_name, user.last_name = "Ann <i>", "O'Neil & Sons"
    user.save(update_fields=["first_name", "last_name"])

    text = client.get(f"{SESSIONS}{session.pk}/roster/").content.decode()

    assert f'<tr data-booking="{confirmed.pk}"><td>Ann &lt;i&gt; O&#x27;Neil &amp; Sons<br>' in text
    assert "<td>Step-free &lt;access&gt;<br>&amp; a hearing loop</td><td>Confirmed</td></tr>" in text
    assert f'<tr data-booking="{waiting.pk}"><td>1</td><td>{escape(waiting.person)}</td><td>None</td>' in text
    assert "<td>1 Jul 2026, 13:05 BST</td></tr>" in text
    assert f'<li data-booking="{requested.pk}">{escape(requested.person)} (manager: Mo &lt;b&gt; &amp; Co)</li>' in text
    assert f"<td>{escape(ended.person)}</td><td>Cancelled</td><td>Off &lt;sick&gt; &amp; away</td></tr>" in text
    assert "<i>" not in text
    assert "<access>" not in text


def test_the_roster_keeps_its_query_count(client, administrator, django_assert_num_queries):
    session = SessionFactory(capacity=2)
    _book(session, 3)
    url = f"{SESSIONS}{session.pk}/roster/"
    client.get(url)
    with django_assert_num_queries(QUERIES_ROSTER):
        client.get(url)
    _book(session, 5)
    with django_assert_num_queries(QUERIES_ROSTER):
        client.get(url)


QUERIES_ROSTER = 11


def test_the_roster_csv_is_formula_safe_and_lists_everyone(client, administrator):
    session = SessionFactory(capacity=1)
    _book(session, 1, adjustments="=cmd|' /C calc'!A0")
    _book(session, 1)
    response = client.get(f"{SESSIONS}{session.pk}/roster.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][5:8] == ["Status", "Waiting list position", "Reasonable adjustments"]
    assert rows[1][7] == "'=cmd|' /C calc'!A0"
    assert (rows[2][5], rows[2][6]) == ("On the waiting list", "1")


def test_attendance_in_bulk_then_closing(client, administrator):
    session = _started(SessionFactory(course=course_with_outcome()))
    attended, absent = _book_at_open(session, 2)
    url = f"{SESSIONS}{session.pk}/roster/"

    response = client.post(url, {f"booking_{attended.pk}": "attended"})
    assert response.status_code == 302
    assert client.post(f"{SESSIONS}{session.pk}/close/").status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED  # one person is not marked yet

    client.post(url, {f"booking_{attended.pk}": "attended", f"booking_{absent.pk}": "absent"})
    attended.refresh_from_db()
    absent.refresh_from_db()
    assert (attended.status, absent.status) == (BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
    assert Achievement.objects.filter(person=attended.person).count() == 1
    client.post(f"{SESSIONS}{session.pk}/close/")
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_attendance_is_not_offered_before_the_session_starts(client, administrator):
    session = SessionFactory()
    (booking,) = _book(session, 1)
    response = client.get(f"{SESSIONS}{session.pk}/roster/")
    assert not response.context["show_attendance"]
    response = client.post(f"{SESSIONS}{session.pk}/roster/", {f"booking_{booking.pk}": "attended"})
    assert response.status_code == 200
    assert "once the session has started" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_an_unknown_session_is_404(client, administrator):
    assert client.get(f"{SESSIONS}999999/roster/").status_code == 404
    assert client.get(f"{SESSIONS}999999/roster.csv").status_code == 404
    assert client.post(f"{SESSIONS}999999/close/").status_code == 404


QUERIES_FORMS = {"new": 10, "edit": 14, "cancel": 11}


@pytest.mark.parametrize("page", ["new", "edit", "cancel"])
def test_the_forms_keep_their_query_count(client, administrator, django_assert_num_queries, page):
    course_create()
    session = SessionFactory(capacity=1)
    _book(session, 2)
    url = {
        "new": f"{SESSIONS}new/",
        "edit": f"{SESSIONS}edit/{session.pk}/",
        "cancel": f"{SESSIONS}{session.pk}/cancel/",
    }
    client.get(url[page])
    for _ in range(3):
        course_create()
    _book(session, 3)
    with django_assert_num_queries(QUERIES_FORMS[page]):
        assert client.get(url[page]).status_code == 200
