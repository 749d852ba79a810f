"""Training administrators' reports, every figure checked against a hand-built history; suppression of small
groups; the CSV exports (opened with the csv module, formula-safe); who may see them; constant query counts."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cms.accounts.enums import Role
from courses.enums import BookingStatus, CompletionStatus, DeliveryMode, SessionStatus
from courses.models import CourseInterest, Evaluation
from courses.selectors.reports import demand_by_skill, demand_without_sessions, training_report
from tests.cms.factories import UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.courses.reporting import at, booking_in, completion_of, past_session, release_with_skill
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}
URL = "/admin/training-reports/"
EVIL = '=HYPERLINK("https://evil.example", "Click")'


def answer(person, *, booking=None, completion=None, scores=(3, 3, 3)):
    satisfaction, work, gap = scores
    return Evaluation.objects.create(
        person=person,
        booking=booking,
        completion=completion,
        satisfaction=satisfaction,
        relevance_to_work=work,
        relevance_to_gap=gap,
    )


@pytest.fixture
def history(settings):
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 3
    x = course_create(title="Data modelling in practice", provider="Academy")
    y = course_create(title="Agile online", provider="Academy", delivery_mode=DeliveryMode.SELF_PACED)
    z = course_create(title=EVIL, provider="-Supplier")
    s1 = past_session(course=x, starts_at=at(2026, 3, 10), capacity=10, town="Leeds")
    attended = [booking_in(s1, PersonFactory(), BookingStatus.COMPLETED) for _ in range(3)]
    for booking, scores in zip(attended, [(5, 4, 2), (4, 4, 3), (3, 4, 4)], strict=True):
        answer(booking.person, booking=booking, scores=scores)
    booking_in(s1, PersonFactory(), BookingStatus.NO_SHOW)
    booking_in(s1, PersonFactory(), BookingStatus.CONFIRMED)
    booking_in(s1, PersonFactory(), BookingStatus.WAITLISTED)
    booking_in(s1, PersonFactory(), BookingStatus.WAITLISTED)
    booking_in(s1, PersonFactory(), BookingStatus.REQUESTED)
    booking_in(s1, PersonFactory(), BookingStatus.CANCELLED)
    booking_in(s1, PersonFactory(), BookingStatus.DECLINED)
    s2 = past_session(course=x, starts_at=at(2026, 4, 10), capacity=5, status=SessionStatus.CANCELLED)
    booking_in(s2, PersonFactory(), BookingStatus.CANCELLED)
    before = past_session(course=x, starts_at=at(2025, 12, 1), capacity=8)  # outside the period
    booking_in(before, PersonFactory(), BookingStatus.COMPLETED)
    for scores in [(2, 5, 5), (4, 1, 1)]:
        person = PersonFactory()
        answer(person, completion=completion_of(y, person, on=date(2026, 6, 1)), scores=scores)
    completion_of(y, PersonFactory(), on=date(2026, 6, 2), status=CompletionStatus.CLAIMED)
    s4 = past_session(course=z, starts_at=at(2026, 5, 1), capacity=4, town="")
    for _ in range(4):
        booking_in(s4, PersonFactory(), BookingStatus.CONFIRMED)
    return {"x": x, "y": y, "z": z, "s1": s1, "s2": s2, "s4": s4}


def test_courses_sessions_and_providers_add_up(history):
    report = training_report(**PERIOD)
    by_course = {row.course_title: row.figures for row in report.courses}
    x = by_course["Data modelling in practice"]
    assert (x.sessions, x.capacity, x.places_taken, x.waitlisted, x.awaiting_approval) == (2, 10, 5, 2, 1)
    assert (x.attended, x.no_show) == (3, 1)
    assert x.fill_rate == Decimal("50.0")
    assert x.attendance_rate == Decimal("75.0")
    assert x.no_show_rate == Decimal("25.0")
    assert x.scores.answers == 3
    assert (x.scores.satisfaction, x.scores.relevance_to_work, x.scores.relevance_to_gap) == (
        Decimal("4.0"),
        Decimal("4.0"),
        Decimal("3.0"),
    )
    y = by_course["Agile online"]
    assert (y.sessions, y.completions, y.scores.answers) == (0, 2, 2)
    assert y.scores.satisfaction == "[c]"  # 2 answers, under the threshold of 3
    z = by_course[EVIL]
    assert (z.capacity, z.places_taken, z.fill_rate) == (4, 4, Decimal("100.0"))
    assert z.attendance_rate is None
    assert z.scores.satisfaction is None

    sessions = {row.session_id: row.figures for row in report.sessions}
    assert set(sessions) == {history["s1"].pk, history["s2"].pk, history["s4"].pk}
    assert sessions[history["s1"].pk].fill_rate == Decimal("50.0")
    assert sessions[history["s2"].pk].capacity == 0  # cancelled: no seats to fill

    providers = {row.provider: row for row in report.providers}
    academy = providers["Academy"]
    assert (academy.courses, academy.figures.scores.answers) == (2, 5)
    assert academy.figures.scores.satisfaction == Decimal("3.6")  # (5 + 4 + 3 + 2 + 4) / 5
    assert report.totals.capacity == 14
    assert report.totals.places_taken == 9


def test_the_period_and_course_filters(history):
    everything = training_report()
    assert len(everything.sessions) == 4
    one = training_report(date_from=date(2026, 3, 10), date_to=date(2026, 3, 10), course=history["x"])
    assert [row.session_id for row in one.sessions] == [history["s1"].pk]
    assert one.courses[0].figures.completions == 0


def test_demand_where_no_session_is_scheduled(history):
    framework = release_with_skill()[0].framework
    upcoming = SessionFactory().course  # a course with a session to come
    for person in [PersonFactory(), PersonFactory()]:
        CourseInterest.objects.create(person=person, course=history["x"])
    CourseInterest.objects.create(person=PersonFactory(), course=upcoming)
    for _ in range(3):
        CourseInterest.objects.create(
            person=PersonFactory(), framework=framework, skill_code="data-modelling", level_rank=3
        )
    CourseInterest.objects.create(person=PersonFactory(), framework=framework, skill_code="data-modelling")
    assert [(row.course_title, row.people) for row in demand_without_sessions()] == [("Data modelling in practice", 2)]
    skills = [(row.skill_name, row.level_name, row.people) for row in demand_by_skill()]
    assert skills == [("Data modelling", "Practitioner", 3), ("Data modelling", "", 1)]


@pytest.fixture
def administrator(db):
    return UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])


def test_the_page_shows_the_figures(client, history, administrator):
    client.force_login(administrator)
    response = client.get(URL, {"date_from": "2026-01-01", "date_to": "2026-12-31"})
    assert response.status_code == 200
    page = response.text
    assert "50.0%" in page
    assert "75.0%" in page
    assert "[c]" in page
    assert "fewer than 3 answers" in page


def test_a_bad_period_is_named_and_kept(client, history, administrator):
    client.force_login(administrator)
    response = client.get(URL, {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert "The end of the period must be on or after its start." in response.text
    assert 'value="2026-12-31"' in response.text
    response = client.get(URL, {"date_from": "31st of March"})
    assert "Enter a valid date." in response.text


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_each_table_exports_as_formula_safe_csv(client, history, administrator):
    client.force_login(administrator)
    query = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    rows = read_csv(client.get(URL, query | {"export": "courses"}))
    assert rows[0][:4] == ["Course", "Provider", "Sessions", "Capacity"]
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Data modelling in practice"][1:7] == ["Academy", "2", "10", "5", "50.0", "2"]
    assert by_title["Agile online"][-3:] == ["[c]", "[c]", "[c]"]
    assert "'" + EVIL in by_title  # the formula is written as text
    assert by_title["'" + EVIL][1] == "'-Supplier"
    sessions = read_csv(client.get(URL, query | {"export": "sessions"}))
    assert len(sessions) == 4
    assert {row[2] for row in sessions[1:]} >= {"2026-03-10 09:00 GMT", "2026-05-01 10:00 BST"}
    providers = read_csv(client.get(URL, query | {"export": "providers"}))
    assert [row[0] for row in providers[1:]] == ["'-Supplier", "Academy"]
    assert read_csv(client.get(URL, {"export": "demand-courses"}))[0] == ["Course", "Provider", "People interested"]
    assert read_csv(client.get(URL, {"export": "demand-skills"}))[0][0] == "Framework"


@pytest.mark.parametrize("role", [Role.CONTENT_EDITOR, Role.HR_ANALYST, Role.FRAMEWORK_MODERATOR])
def test_other_admin_roles_get_403(client, role):
    client.force_login(UserFactory(roles=[role]))
    for url in (URL, URL + "effectiveness/", URL + "history/", URL + "?export=courses"):
        assert client.get(url).status_code == 403


def test_a_learner_is_sent_to_sign_in(client):
    client.force_login(UserFactory(roles=[Role.LEARNER]))
    assert client.get(URL).status_code == 302


def test_the_query_count_stays_constant(client, history, administrator, django_assert_num_queries):
    client.force_login(administrator)
    client.get(URL)
    with django_assert_num_queries(QUERIES) as context:
        client.get(URL)
    for _ in range(3):
        session = past_session(course=course_create(), starts_at=timezone.now() - timedelta(days=40))
        booking_in(session, PersonFactory(), BookingStatus.COMPLETED)
    with django_assert_num_queries(QUERIES):
        client.get(URL)
    assert context


QUERIES = 14
