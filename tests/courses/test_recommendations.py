"""Recommendations under each gap on the gap page: which sessions and courses close it, in what order, and why."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.catalogue_cache import catalogue_invalidate
from courses.enums import BookingStatus, DeliveryMode, SessionStatus
from courses.models import Booking
from courses.selectors.recommendations import Gap, recommendations_for_gaps
from skills.enums import AssessmentSource
from skills.services import assessment_record
from tests.conftest import page_queries
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import GradeFactory, PersonFactory
from tests.skills.test_views import client_for, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    return learner_setting()


def learner_setting():
    """A learner whose role level needs Practitioner in three skills, validated at Working in the first."""
    release, role_level = make_release(3)
    levels = {level.code: level for level in release.levels.all()}
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager, target_role_level=role_level)
    skill = release.skills.get(code="skill-00")
    assessment_record(
        person=learner, skill=skill, level=levels["working"], source=AssessmentSource.LINE_MANAGER, author=manager.user
    )
    return release, levels, skill, manager, learner


def gap_for(release, skill, *, validated=2, needed=3):
    return Gap(
        framework_id=release.framework_id,
        skill_code=skill.code,
        skill_name=skill.name,
        validated_rank=validated,
        needed_rank=needed,
        needed_level_name="Practitioner",
    )


def test_sessions_and_self_paced_courses_that_reach_the_level_are_ranked_exact_step_first(setting):
    release, levels, skill, manager, learner = setting
    broad = course_create(title="Data from scratch", outcomes=[(skill, None, levels["expert"])])
    exact = course_create(
        title="Working to Practitioner", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    online = course_create(
        title="Practitioner online",
        outcomes=[(skill, levels["working"], levels["practitioner"])],
        delivery_mode=DeliveryMode.SELF_PACED,
    )
    soon = timezone.now() + timedelta(days=5)
    broad_session = SessionFactory(course=broad, starts_at=soon)
    later_exact = SessionFactory(course=exact, starts_at=soon + timedelta(days=20))
    sooner_exact = SessionFactory(course=exact, starts_at=soon + timedelta(days=10))
    gap = gap_for(release, skill)

    found = recommendations_for_gaps(person=learner, gaps=[gap], per_gap=10)[gap.key]

    assert [(rec.course.title, rec.session) for rec in found.recommendations] == [
        ("Practitioner online", None),  # exact, and can start today
        ("Working to Practitioner", sooner_exact),
        ("Working to Practitioner", later_exact),
        ("Data from scratch", broad_session),
    ]
    assert found.recommendations[1].reason == (
        "Develops Skill 00 from Working to Practitioner; your role level needs Practitioner"
    )
    assert found.recommendations[3].reason.startswith("Develops Skill 00 from no level to Expert")
    assert found.recommendations[1].availability == "20 seats left"
    assert online.pk == found.recommendations[0].course.pk


def test_a_course_that_starts_above_the_validated_level_or_stops_short_is_not_recommended(setting):
    release, levels, skill, manager, learner = setting
    above = course_create(title="Expert track", outcomes=[(skill, levels["practitioner"], levels["expert"])])
    short = course_create(title="Awareness only", outcomes=[(skill, None, levels["working"])])
    SessionFactory(course=above)
    SessionFactory(course=short)
    gap = gap_for(release, skill)

    found = recommendations_for_gaps(person=learner, gaps=[gap])[gap.key]

    assert found.recommendations == []
    assert found.courses_without_session == []


def test_only_sessions_open_now_for_the_persons_grade_with_seats_or_a_short_waitlist_are_recommended(setting):
    release, levels, skill, manager, learner = setting
    outcome = [(skill, levels["working"], levels["practitioner"])]
    now = timezone.now()
    other_grade = course_create(title="For SCS", outcomes=outcome, grades=[GradeFactory(code="SCS1")])
    SessionFactory(course=other_grade)
    for_my_grade = course_create(title="For HEO", outcomes=outcome, grades=[learner.grade])
    SessionFactory(course=for_my_grade)
    course = course_create(title="Working to Practitioner", outcomes=outcome)
    SessionFactory(course=course, status=SessionStatus.CANCELLED)
    SessionFactory(course=course, starts_at=now + timedelta(days=90), booking_opens_at=now + timedelta(days=10))
    full = SessionFactory(course=course, capacity=1)
    full_long_queue = SessionFactory(course=course, capacity=1)
    for session, waiting in ((full, 2), (full_long_queue, 6)):
        Booking.objects.create(session=session, person=PersonFactory(), status=BookingStatus.CONFIRMED)
        session.seats_taken = 1
        session.waitlist_counter = waiting
        session.save()
        for position in range(1, waiting + 1):
            Booking.objects.create(
                session=session, person=PersonFactory(), status=BookingStatus.WAITLISTED, waitlist_position=position
            )
    gap = gap_for(release, skill)

    found = recommendations_for_gaps(person=learner, gaps=[gap], per_gap=10)[gap.key]

    shown = [(rec.course.title, rec.session.pk) for rec in found.recommendations]
    assert ("For HEO", for_my_grade.sessions.get().pk) in shown
    assert ("Working to Practitioner", full.pk) in shown
    assert len(shown) == 2
    full_rec = next(rec for rec in found.recommendations if rec.session.pk == full.pk)
    assert full_rec.availability == "Full: 2 on the waiting list"


def test_a_taught_course_with_no_open_session_is_offered_for_registering_interest(setting):
    release, levels, skill, manager, learner = setting
    course = course_create(
        title="Working to Practitioner", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    gap = gap_for(release, skill)

    found = recommendations_for_gaps(person=learner, gaps=[gap])[gap.key]

    assert found.recommendations == []
    assert [item.pk for item in found.courses_without_session] == [course.pk]


def test_at_most_a_few_per_gap_with_how_many_more_the_catalogue_has(setting):
    release, levels, skill, manager, learner = setting
    course = course_create(
        title="Working to Practitioner", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    for days in range(5, 10):
        SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=days))
    gap = gap_for(release, skill)

    found = recommendations_for_gaps(person=learner, gaps=[gap])[gap.key]

    assert len(found.recommendations) == 3
    assert found.more == 2


def test_the_gap_page_shows_each_gaps_recommendations_with_the_reason_and_ways_to_act(setting):
    release, levels, skill, manager, learner = setting
    course = course_create(
        title="Working to Practitioner", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    SessionFactory(course=course)
    waiting = course_create(
        title="Skill 01 in depth", outcomes=[(release.skills.get(code="skill-01"), None, levels["practitioner"])]
    )

    page = client_for(learner).get("/skills/gaps/").content.decode()

    assert "Training for Skill 00" in page
    assert "Develops Skill 00 from Working to Practitioner; your role level needs Practitioner" in page
    assert "20 seats left" in page
    assert "Add to my plan" in page
    assert f'name="course" value="{waiting.pk}"' in page  # ask for a session of the course with none open
    assert "Ask for training in Skill 02 at Practitioner" in page  # no course at all develops skill-02
    assert 'href="/courses/?skill=skill-00"' in page


def test_a_manager_sees_the_same_recommendations_for_a_team_member_without_acting_for_them(setting):
    release, levels, skill, manager, learner = setting
    course = course_create(
        title="Working to Practitioner", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    SessionFactory(course=course)

    page = client_for(manager).get(f"/skills/team/{learner.pk}/").content.decode()

    assert "Develops Skill 00 from Working to Practitioner; their role level needs Practitioner" in page
    assert "your role level" not in page
    assert "your validated level" not in page
    assert "Add to my plan" not in page
    assert "Ask for training" not in page
    assert client_for(PersonFactory()).get(f"/skills/team/{learner.pk}/").status_code == 404


def _page_queries(client, url) -> int:
    client.get(url)  # the site's root paths are cached by the first request of the process
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(page_queries(queries.captured_queries))


def _cold_and_warm_queries(client, url) -> tuple[int, int]:
    """The page's queries just after the catalogue changed (the recommendations written afresh), then once
    nothing has (the recommendations from the cache)."""
    # The site's root paths are cached by the first request of the process, and the frame's site by the first
    # that has not looked it up already for the courses' URLs.
    client.get(url)
    client.get(url)
    catalogue_invalidate()
    counts = []
    for _ in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(page_queries(queries.captured_queries)))
    return tuple(counts)


def test_the_gap_page_costs_the_same_queries_for_one_gap_with_one_course_as_for_many_with_many():
    counts = []
    for skill_count in (1, 3):
        release, role_level = make_release(skill_count)
        levels = {level.code: level for level in release.levels.all()}
        learner = PersonFactory(target_role_level=role_level, current_role_level=role_level)
        for skill in release.skills.all():
            for title in ("Intro", "Deep dive"):
                course = course_create(title=f"{title} {skill.code}", outcomes=[(skill, None, levels["expert"])])
                SessionFactory(course=course)
                SessionFactory(course=course)
            course_create(
                title=f"Online {skill.code}",
                outcomes=[(skill, None, levels["practitioner"])],
                delivery_mode=DeliveryMode.SELF_PACED,
            )
        counts.append(_cold_and_warm_queries(client_for(learner), "/skills/gaps/"))
        release.framework.slug = f"old-{skill_count}"
        release.framework.save()
    # Whatever the number of gaps and courses. Warm: the account, its session, the person with their role levels,
    # their levels, what they have registered interest in, the seats of the sessions the cached recommendations
    # weighed (and whether the person booked one) and their expiring certifications; the requirements of a
    # published release come from the process's cache, the recommendations from the cache (decision 0208, amendment
    # of 7 December). Cold, after a change to the catalogue: the catalogue's state (two), the matching outcomes,
    # their open sessions and the site (for the courses' URLs) instead of the seats. The learner works towards the
    # role level they hold: its analysis is made once and shown under both headings.
    assert counts == [(10, 6), (10, 6)]
