"""Training effectiveness from hand-built ledgers: who completed a course (or missed it) and whether a line
manager or assessor validated a higher level in its outcome skill within 3 and 6 months."""

from datetime import date, timedelta

import pytest

from courses.enums import BookingStatus
from courses.selectors.effectiveness import effectiveness_report
from skills.enums import AssessmentSource
from skills.selectors import reporting_line
from skills.services import assessment_record
from tests.courses.factories import course_create
from tests.courses.reporting import at, booking_in, completion_of, past_session, release_with_skill
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOW = at(2026, 12, 4)
ENDS = at(2026, 3, 1, 16)  # the end of the main session: the completers' moment


@pytest.fixture
def threshold(settings):
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 1
    return settings


@pytest.fixture
def history(db):
    """One course developing Data modelling from Working to Practitioner, and the people below."""
    _, skill, levels = release_with_skill()
    working, practitioner = levels["working"], levels["practitioner"]
    course = course_create(title="Data modelling in practice", outcomes=[(skill, working, practitioner)])
    session = past_session(course=course, starts_at=ENDS - timedelta(hours=7))
    later = past_session(course=course, starts_at=at(2026, 5, 1, 9))  # ends 1 May, 16:00
    recent = past_session(course=course, starts_at=at(2026, 11, 1, 9))
    manager = PersonFactory()
    people = {name: PersonFactory(line_manager=manager if name in "ABG" else None) for name in "ABCDEFGHIJKL"}

    def judge(name, level, when, source=AssessmentSource.LINE_MANAGER):
        return assessment_record(person=people[name], skill=skill, level=level, source=source, created_at=when)

    for name in "ABCDEFGHJKL":  # everyone starts validated at Working (January)
        judge(name, working, at(2026, 1, 10))
    for name in "ABCDEF":
        booking_in(session, people[name], BookingStatus.COMPLETED)
    judge("A", practitioner, at(2026, 4, 15))  # rose within 3 months
    judge("B", practitioner, ENDS + timedelta(days=184))  # 1 September 16:00: exactly 6 months, inclusive
    judge("C", practitioner, at(2026, 2, 20))  # validated before the course: not a rise it made
    judge("D", practitioner, at(2026, 3, 2), source=AssessmentSource.COURSE)  # the course's own evidence
    judge("E", practitioner, ENDS + timedelta(days=184, seconds=1), source=AssessmentSource.ASSESSOR)  # too late
    judge("F", working, at(2026, 4, 1))  # validated again at the same level: no rise
    booking_in(session, people["G"], BookingStatus.NO_SHOW)
    judge("G", practitioner, at(2026, 5, 1))  # rose anyway: the comparison group's 3-month rise
    booking_in(session, people["H"], BookingStatus.CANCELLED, confirmed_at=at(2026, 2, 1))
    booking_in(session, people["I"], BookingStatus.CANCELLED)  # cancelled from the waiting list: not in a group
    booking_in(session, people["J"], BookingStatus.NO_SHOW)
    booking_in(later, people["J"], BookingStatus.COMPLETED)  # missed it once, then attended: a completer only
    booking_in(recent, people["K"], BookingStatus.COMPLETED)  # finished a month ago: no window has passed
    completion_of(course, people["L"], on=date(2026, 3, 1))  # imported or self-paced, confirmed
    judge("L", practitioner, at(2026, 3, 1, 8))  # the same day, after midnight: counts
    return course, manager, people, skill


def test_each_group_and_window_counts_what_the_ledger_shows(history, threshold):
    course, *_ = history
    [row] = effectiveness_report(now=NOW)
    assert row.course_id == course.pk
    completers, comparison = row.completers, row.comparison
    assert completers.people == 9  # A-F, J, K, L
    assert (completers.within_3.people, completers.within_3.rose) == (8, 2)  # A, L
    assert (completers.within_6.people, completers.within_6.rose) == (8, 3)  # A, B, L
    assert completers.within_3.share == pytest.approx(25)
    assert str(completers.within_6.share) == "37.5"
    assert comparison.people == 2  # G, H
    assert (comparison.within_3.people, comparison.within_3.rose) == (2, 1)
    assert (comparison.within_6.people, comparison.within_6.rose) == (2, 1)


def test_a_withdrawn_validation_does_not_count(history, threshold):
    _, _, people, skill = history
    row = assessment_record(
        person=people["F"],
        skill=skill,
        level=skill.release.levels.get(code="expert"),
        source=AssessmentSource.ASSESSOR,
        created_at=at(2026, 4, 2),
    )
    [before] = effectiveness_report(now=NOW)
    assert before.completers.within_3.rose == 3
    assessment_record(
        person=people["F"],
        skill=skill,
        level=None,
        source=AssessmentSource.ASSESSOR,
        reason="Wrong person",
        retracts=row,
    )
    [after] = effectiveness_report(now=NOW)
    assert after.completers.within_3.rose == 2


def test_windows_not_yet_passed_leave_people_out(history, threshold):
    [row] = effectiveness_report(now=at(2026, 7, 1))  # 4 months after: the 6-month window has not passed for anyone
    assert row.completers.within_3.people == 7  # A-F and L (J's 3 months end on 1 August)
    assert row.completers.within_6.people == 0
    assert row.completers.within_6.share is None


def test_small_groups_are_suppressed(history, settings):
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 5
    [row] = effectiveness_report(now=NOW)
    assert row.completers.within_3.share == 25
    assert row.comparison.within_3.share == "[c]"
    assert row.comparison.within_3.rose_shown == "[c]"


def test_a_managers_team_only(history, threshold):
    _, manager, _, _ = history
    [row] = effectiveness_report(people=reporting_line(manager_id=manager.pk), now=NOW)
    assert row.completers.people == 2  # A and B
    assert row.completers.within_6.rose == 2
    assert row.comparison.people == 1  # G


def test_the_query_count_is_constant(history, threshold, django_assert_num_queries):
    with django_assert_num_queries(4):
        effectiveness_report(now=NOW)
    course, *_ = history
    for _ in range(5):
        booking_in(past_session(course=course), PersonFactory(), BookingStatus.COMPLETED)
    with django_assert_num_queries(4):
        effectiveness_report(now=NOW)
