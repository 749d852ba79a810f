"""Training that closes a person's gaps: for each skill below its required level, the upcoming sessions and the
self-paced courses whose outcomes reach the needed level, ranked, each with the reason in words.

A course's outcome closes a gap when it is in the same framework and skill (by stable code) and its step
covers the gap: ``from_rank <= validated rank < needed rank <= to_rank``. An outcome that starts above the
person's validated level (``from_rank > validated``) is left out: the course assumes a level nobody has
validated, so the person could not follow it, and recommending it would hide the step they are missing. Such
a course is still in the catalogue, which the "more training for this skill" link opens (see decision 0208).

The recommendations cost two queries, whatever the number of gaps: one for the matching outcomes with their
courses, one for the open sessions of those courses.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from courses.enums import ACTIVE_BOOKING_STATUSES, BookingStatus, DeliveryMode, SessionStatus
from courses.models import Booking, CourseOutcome, CoursePage, Session
from skills.models import Person

# A waitlist this short still gives a fair chance of a seat; a longer one is not recommended.
SHORT_WAITLIST = 5
# Recommendations shown per gap; the catalogue link shows the rest.
PER_GAP = 3
# What `recommendations_for_gaps` reads of each outcome, its course and its levels.
OUTCOME_FIELDS = (
    "course_id",
    "framework_id",
    "skill_code",
    "from_rank",
    "to_rank",
    "from_level__name",
    "to_level__name",
    "course__title",
    "course__url_path",
    "course__live",
    "course__delivery_mode",
)
# What the ranking and the writer read of each session (`seats_left` is capacity less seats_taken).
SESSION_FIELDS = ("course_id", "starts_at", "town", "capacity", "seats_taken")


@dataclass(frozen=True)
class Gap:
    """One skill below its required level: what the recommendations are for. Ranks are the framework's."""

    framework_id: int
    skill_code: str
    skill_name: str
    validated_rank: int
    needed_rank: int
    needed_level_name: str

    @property
    def key(self) -> tuple[int, str, int, int]:
        return (self.framework_id, self.skill_code, self.validated_rank, self.needed_rank)


@dataclass(frozen=True)
class Recommendation:
    course: CoursePage
    outcome: CourseOutcome
    session: Session | None  # None: a self-paced course, taken at any time
    reason: str
    exact_step: bool

    @property
    def is_self_paced(self) -> bool:
        return self.session is None

    @property
    def availability(self) -> str:
        """Seats left, or how long the waiting list is, in words."""
        if self.session is None:
            return "Self-paced: start when you like"
        if self.session.already_booked:
            return "You have a booking for this session"
        if self.session.seats_left:
            return f"{self.session.seats_left} seat{'s' if self.session.seats_left != 1 else ''} left"
        waiting = self.session.waiting
        return f"Full: {waiting} on the waiting list" if waiting else "Full: you would be first on the waiting list"


@dataclass
class GapRecommendations:
    gap: Gap
    recommendations: list[Recommendation] = field(default_factory=list)
    more: int = 0  # how many more the catalogue has for this gap
    courses_without_session: list[CoursePage] = field(default_factory=list)

    @property
    def none_bookable(self) -> bool:
        return not self.recommendations


def reason_in_words(*, outcome: CourseOutcome, gap: Gap, whose: str = "your") -> str:
    """Why the course is recommended, to the person ("your role level") or to their management ("their")."""
    start = outcome.from_level.name if outcome.from_level_id else "no level"
    return (
        f"Develops {gap.skill_name} from {start} to {outcome.to_level.name}; "
        f"{whose} role level needs {gap.needed_level_name}"
    )


def _eligible(person: Person):
    """Courses for everyone (no grade chosen) or for the person's grade."""
    grades = CoursePage.eligible_grades.through.objects.filter(coursepage_id=OuterRef("course_id"))
    return ~Exists(grades) | Exists(grades.filter(grade_id=person.grade_id))


def recommendations_for_gaps(
    *,
    person: Person,
    gaps: list[Gap],
    now: datetime | None = None,
    per_gap: int = PER_GAP,
    considered: list | None = None,
) -> dict[tuple, GapRecommendations]:
    """For each gap (keyed by `Gap.key`), the ranked recommendations: exact step first (the course starts at
    the person's validated level and ends at the needed level), then the soonest (self-paced counts as now),
    then the most seats left. Only live courses for the person's grade; only scheduled sessions open for booking
    now with seats left or a short waiting list (or one the person has booked). Also the courses that match
    but have no such session, for registering interest. Two queries however many gaps (one when no matching
    course is taught in sessions). `considered`, when given, receives the seats of every session weighed, shown or
    not, as `session_seats` reads them: what the answer depends on besides the catalogue's structure and the gaps."""
    now = now or timezone.now()
    results = {gap.key: GapRecommendations(gap=gap) for gap in gaps}
    if not gaps:
        return results
    # One condition per step (framework, validated and needed rank) with the step's skills, not one per gap:
    # Django took longer to build fourteen conditions than PostgreSQL to run them.
    steps = defaultdict(set)
    for gap in gaps:
        steps[(gap.framework_id, gap.validated_rank, gap.needed_rank)].add(gap.skill_code)
    matches = Q()
    for (framework_id, validated_rank, needed_rank), skill_codes in steps.items():
        matches |= Q(
            framework_id=framework_id,
            skill_code__in=sorted(skill_codes),
            from_rank__lte=validated_rank,
            to_rank__gte=needed_rank,
        )
    outcomes = list(
        CourseOutcome.objects.filter(matches, course__live=True)
        .filter(_eligible(person))
        .select_related("course", "from_level", "to_level")
        # Only what the ranking, the reasons and the writer read (`get_url` reads the course's url_path), not
        # the course page's body and the rest of its row.
        .only(*OUTCOME_FIELDS)
        .order_by("course__title", "pk")
    )
    taught = {outcome.course_id for outcome in outcomes if outcome.course.delivery_mode != DeliveryMode.SELF_PACED}
    sessions_by_course = defaultdict(list)
    if taught:
        for session in (
            Session.objects.filter(
                course_id__in=taught,
                status=SessionStatus.SCHEDULED,
                booking_opens_at__lte=now,
                booking_closes_at__gt=now,
            )
            .annotate(
                waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
                already_booked=Exists(
                    Booking.objects.filter(session=OuterRef("pk"), person=person, status__in=ACTIVE_BOOKING_STATUSES)
                ),
            )
            .only(*SESSION_FIELDS)
            .order_by("starts_at", "pk")
        ):
            if considered is not None:
                considered.append(
                    (session.pk, session.seats_taken, session.capacity, session.waiting, int(session.already_booked))
                )
            if session.seats_left or session.waiting < SHORT_WAITLIST or session.already_booked:
                sessions_by_course[session.course_id].append(session)

    for gap in gaps:
        found = results[gap.key]
        ranked = []
        for outcome in outcomes:
            if (outcome.framework_id, outcome.skill_code) != (gap.framework_id, gap.skill_code):
                continue
            if not outcome.from_rank <= gap.validated_rank < gap.needed_rank <= outcome.to_rank:
                continue
            exact = outcome.from_rank == gap.validated_rank and outcome.to_rank == gap.needed_rank
            reason = reason_in_words(outcome=outcome, gap=gap)
            if outcome.course.delivery_mode == DeliveryMode.SELF_PACED:
                ranked.append(Recommendation(outcome.course, outcome, None, reason, exact))
                continue
            sessions = sessions_by_course.get(outcome.course_id, [])
            if not sessions:
                found.courses_without_session.append(outcome.course)
            for session in sessions:
                ranked.append(Recommendation(outcome.course, outcome, session, reason, exact))
        ranked.sort(
            key=lambda item: (
                not item.exact_step,
                item.session.starts_at if item.session else now,
                -(item.session.seats_left if item.session else 0),
            )
        )
        found.recommendations = ranked[:per_gap]
        found.more = max(len(ranked) - per_gap, 0)
    return results


# The seats of sessions as `recommendations_for_gaps` weighs them for a person, in one statement written out: a
# cached answer asks it on every view, and the ORM takes longer to build it than the database to run it (decision
# 0208).
SESSION_SEATS_SQL = """
    SELECT sess.id, sess.seats_taken, sess.capacity,
           (SELECT COUNT(*) FROM courses_booking bk WHERE bk.session_id = sess.id AND bk.status = %s),
           (SELECT COUNT(*) FROM courses_booking mine
            WHERE mine.session_id = sess.id AND mine.person_id = %s AND mine.status IN ({active}))
    FROM courses_session sess
    WHERE sess.id IN ({sessions})
    ORDER BY sess.id
"""


def session_seats(session_ids, *, person_id: int) -> list[tuple[int, int, int, int, int]]:
    """(id, seats taken, capacity, people waiting, whether the person holds an open booking: 0 or 1) of each of
    `session_ids`, by id: one query."""
    session_ids = sorted(int(session_id) for session_id in session_ids)
    if not session_ids:
        return []
    # Only placeholders are formatted into the SQL; every value is a parameter.
    sql = SESSION_SEATS_SQL.format(
        active=", ".join(["%s"] * len(ACTIVE_BOOKING_STATUSES)), sessions=", ".join(["%s"] * len(session_ids))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [BookingStatus.WAITLISTED, int(person_id), *ACTIVE_BOOKING_STATUSES, *session_ids])
        return [(*row[:4], min(int(row[4]), 1)) for row in cursor.fetchall()]
