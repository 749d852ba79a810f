"""A course page: what it is, who it is for, its outcomes linked to the framework's skill pages, and its
upcoming sessions with seats and a way to book (or, self-paced, a way to record it), in a fixed number of
queries whatever the number of sessions and outcomes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.enums import CompletionStatus, DeliveryMode, SessionStatus
from courses.models import CourseCompletion
from courses.selectors.catalogue import session_book_path
from tests.courses.catalogue_helpers import level, published_release, session_in
from tests.courses.factories import course_create
from tests.skills.factories import GradeFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def release():
    return published_release(skills=3)


def test_the_course_page_shows_its_details_and_outcomes_linked_to_the_skill_pages(client, release):
    skills = list(release.skills.order_by("pk"))
    grades = [
        GradeFactory(code="SEO", name="Senior executive officer", rank=5),
        GradeFactory(code="G7", name="Grade 7", rank=7),
    ]
    course = course_create(
        title="Data analysis essentials",
        summary="Clean, explore and explain data.",
        provider="Government Digital Academy",
        duration_hours=Decimal("10.5"),
        cost_pence=49900,
        prerequisites="Basic spreadsheets.",
        needs_approval=True,
        leads_to_certificate=True,
        certificate_validity_months=24,
        grades=grades,
        outcomes=[(skills[0], None, level(release, 2)), (skills[1], level(release, 2), level(release, 3))],
    )

    page = text(client.get(course.url))

    for expected in (
        "Clean, explore and explain data.",
        "Government Digital Academy",
        "10.5 hours",
        "£499",
        f"{grades[0].name}, {grades[1].name}",
        "Basic spreadsheets.",
        "Needed: your line manager approves your booking",
        "Yes, valid for 24 months",
        f'<a class="govuk-link" href="/frameworks/ddat/skills/{skills[0].code}/">{skills[0].name}</a>',
        "from no level to Working",
        f'href="/frameworks/ddat/skills/{skills[1].code}/"',
        "from Working to Practitioner",
    ):
        assert expected in page
    assert "No sessions are scheduled" in page


def test_upcoming_sessions_show_time_with_zone_place_seats_and_a_book_link(client, release):
    course = course_create(title="Agile in practice")
    soon = session_in(course, days=10, town="Leeds", capacity=12)
    full = session_in(course, days=20, town="", capacity=1)
    type(full).objects.filter(pk=full.pk).update(seats_taken=1)
    later = session_in(course, days=60, booking_opens_at=timezone.now() + timedelta(days=20))
    session_in(course, days=30, status=SessionStatus.CANCELLED)

    response = client.get(course.url)
    page = text(response)

    assert [session.pk for session in response.context["sessions"]] == [soon.pk, full.pk, later.pk]
    assert "12 seats left" in page
    assert "Full – join the waiting list" in page
    assert "Online" in page
    starts = timezone.localtime(soon.starts_at)
    ends = timezone.localtime(soon.ends_at)
    zone = starts.tzname()
    assert zone in ("GMT", "BST")
    if ends.date() == starts.date():  # a day's session: its end as a time on the same day
        assert f"{starts:%a %-d %B %Y}, " in page
        assert f" to {ends.strftime('%-I:%M%p').lower().replace(':00', '')} {ends.tzname()}</h3>" in page
    assert f'href="{session_book_path(soon)}"' in page
    assert f'href="/training/sessions/{full.pk}/book/"' in page  # the waiting list
    assert f'href="{session_book_path(later)}"' not in page
    assert "Booking opens" in page


def test_a_self_paced_course_offers_to_record_its_completion_instead_of_sessions(client, release, learner):
    course = course_create(title="Intro to cloud", delivery_mode=DeliveryMode.SELF_PACED)

    page = text(client.get(course.url))

    assert "Upcoming sessions" not in page
    assert "Record that you completed this course" in page
    assert f'href="/training/courses/{course.pk}/completed/"' in page

    completion = CourseCompletion.objects.create(
        person=learner, course=course, completed_on=timezone.localdate(), evidence="Certificate 123"
    )
    client.force_login(learner.user)
    page = text(client.get(course.url))
    assert "waiting for your line manager" in page
    assert f"/training/completions/{completion.pk}/" in page
    assert "Record that you completed this course" not in page
    CourseCompletion.objects.filter(pk=completion.pk).update(status=CompletionStatus.REJECTED)
    assert "Record that you completed this course" in text(client.get(course.url))


def test_the_course_page_takes_the_same_pinned_number_of_queries_whatever_its_sessions(
    client, release, django_assert_num_queries
):
    skills = list(release.skills.order_by("pk"))
    course = course_create(title="Big course", outcomes=[(skills[0], None, level(release, 2))])
    session_in(course)
    client.get(course.url)  # Wagtail's site, routes and the frame are cached from here on

    # The outcomes with their skills and levels; the framework pages they link to; the eligible grades; the
    # upcoming sessions.
    with django_assert_num_queries(4):
        assert client.get(course.url).status_code == 200

    for index in range(1, 3):
        course.outcomes.create(skill=skills[index], from_level=None, to_level=level(release, 3))
    for day in range(20):
        session_in(course, days=11 + day)
    course.save_revision().publish()
    client.get(course.url)
    with django_assert_num_queries(4):
        assert client.get(course.url).status_code == 200
