"""Training administrators' reports: how sessions fill, the demand waiting for them, attendance, and what learners
said, by session, course and provider over a period; and the demand registered where no session is scheduled.

Each table is computed in one query whatever its size (the sessions of the period with their booking counts and
evaluation sums, folded into courses and providers in Python), so the report pages keep a constant query count.
Evaluation averages of a group with fewer answers than `CAPABILITY_SMALL_GROUP_THRESHOLD` are suppressed: shown as
"[c]", never as a figure.

Definitions (the page and the CSV say the same):
- places taken: bookings confirmed, attended or marked as no-show (each held a seat); fill rate = places taken /
  capacity, over the sessions not cancelled;
- waitlist demand: bookings on the waiting list now; approvals waiting: requests not yet decided;
- attendance rate = attended / (attended + no-show); no-show rate = no-show / (attended + no-show);
- a session is in the period when it starts in it (dates in UK time); a self-paced completion when it was
  completed in it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from courses.enums import BookingStatus, CompletionStatus, SessionStatus
from courses.models import Booking, CourseCompletion, CourseInterest, CoursePage, Session
from frameworks.models import Level, Skill

LONDON = ZoneInfo("Europe/London")
SUPPRESSED = "[c]"
SCORES = ("satisfaction", "relevance_to_work", "relevance_to_gap")


def small_group_threshold() -> int:
    return settings.CAPABILITY_SMALL_GROUP_THRESHOLD


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in UK time, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage to one decimal place; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Scores:
    """The evaluation answers of a group: their number and the sums of each score."""

    answers: int = 0
    sums: dict = field(default_factory=lambda: dict.fromkeys(SCORES, 0))

    def add(self, answers: int, sums: dict) -> None:
        self.answers += answers
        for name in SCORES:
            self.sums[name] += sums.get(name) or 0

    @property
    def suppressed(self) -> bool:
        return 0 < self.answers < small_group_threshold()

    def average(self, name: str) -> Decimal | str | None:
        """The average score to one decimal place; "[c]" for a group below the threshold; None with no answers."""
        if not self.answers:
            return None
        if self.suppressed:
            return SUPPRESSED
        return (Decimal(self.sums[name]) / Decimal(self.answers)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def satisfaction(self):
        return self.average("satisfaction")

    @property
    def relevance_to_work(self):
        return self.average("relevance_to_work")

    @property
    def relevance_to_gap(self):
        return self.average("relevance_to_gap")


@dataclass
class Figures:
    """Booking counts and evaluation answers of a session, or of the sessions of a course or provider."""

    sessions: int = 0
    capacity: int = 0
    places_taken: int = 0
    waitlisted: int = 0
    awaiting_approval: int = 0
    attended: int = 0
    no_show: int = 0
    completions: int = 0
    scores: Scores = field(default_factory=Scores)

    def add(self, other: "Figures") -> None:
        for name in ("sessions", "capacity", "places_taken", "waitlisted", "awaiting_approval", "attended", "no_show"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.completions += other.completions
        self.scores.add(other.scores.answers, other.scores.sums)

    @property
    def fill_rate(self) -> Decimal | None:
        return share(self.places_taken, self.capacity)

    @property
    def attendance_rate(self) -> Decimal | None:
        return share(self.attended, self.attended + self.no_show)

    @property
    def no_show_rate(self) -> Decimal | None:
        return share(self.no_show, self.attended + self.no_show)


@dataclass
class SessionRow:
    session_id: int
    course_id: int
    course_title: str
    provider: str
    starts_at: datetime
    town: str
    status: str
    figures: Figures


@dataclass
class CourseRow:
    course_id: int
    course_title: str
    provider: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class ProviderRow:
    provider: str
    courses: int = 0
    figures: Figures = field(default_factory=Figures)


@dataclass
class TrainingReport:
    sessions: list[SessionRow]
    courses: list[CourseRow]
    providers: list[ProviderRow]
    totals: Figures


def _in_period(field_name: str, date_from: date | None, date_to: date | None) -> Q:
    query = Q()
    if date_from:
        query &= Q(**{f"{field_name}__gte": start_of_day(date_from)})
    if date_to:
        query &= Q(**{f"{field_name}__lt": start_of_day(date_to + timedelta(days=1))})
    return query


def _status_count(status) -> Count:
    return Count("bookings", filter=Q(bookings__status=status))


def training_report(*, date_from: date | None = None, date_to: date | None = None, course=None) -> TrainingReport:
    """Sessions starting in the period (of one course, if given), with the courses and providers they add up to,
    and the course's self-paced completions (confirmed) and their answers. Two queries."""
    held = [BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW]
    sessions = Session.objects.filter(_in_period("starts_at", date_from, date_to))
    completions = CourseCompletion.objects.filter(status=CompletionStatus.CONFIRMED)
    if date_from:
        completions = completions.filter(completed_on__gte=date_from)
    if date_to:
        completions = completions.filter(completed_on__lte=date_to)
    if course is not None:
        sessions = sessions.filter(course=course)
        completions = completions.filter(course=course)
    rows = (
        sessions.values(
            "pk", "course_id", "course__title", "course__provider", "starts_at", "town", "status", "capacity"
        )
        .annotate(
            places_taken=Count("bookings", filter=Q(bookings__status__in=held)),
            waitlisted=_status_count(BookingStatus.WAITLISTED),
            awaiting_approval=_status_count(BookingStatus.REQUESTED),
            attended=_status_count(BookingStatus.COMPLETED),
            no_show=_status_count(BookingStatus.NO_SHOW),
            answers=Count("bookings__evaluation"),
            **{name: Sum(f"bookings__evaluation__{name}") for name in SCORES},
        )
        .order_by("starts_at", "pk")
    )
    session_rows = []
    for row in rows:
        cancelled = row["status"] == SessionStatus.CANCELLED
        figures = Figures(
            sessions=1,
            capacity=0 if cancelled else row["capacity"],
            places_taken=0 if cancelled else row["places_taken"],
            waitlisted=row["waitlisted"],
            awaiting_approval=row["awaiting_approval"],
            attended=row["attended"],
            no_show=row["no_show"],
        )
        figures.scores.add(row["answers"], {name: row[name] for name in SCORES})
        session_rows.append(
            SessionRow(
                session_id=row["pk"],
                course_id=row["course_id"],
                course_title=row["course__title"],
                provider=row["course__provider"],
                starts_at=row["starts_at"],
                town=row["town"],
                status=row["status"],
                figures=figures,
            )
        )
    courses: dict[int, CourseRow] = {}
    for row in session_rows:
        entry = courses.setdefault(row.course_id, CourseRow(row.course_id, row.course_title, row.provider))
        entry.figures.add(row.figures)
    completed = (
        completions.values("course_id", "course__title", "course__provider")
        .annotate(completions=Count("pk", distinct=True), answers=Count("evaluation"))
        .annotate(**{name: Sum(f"evaluation__{name}") for name in SCORES})
        .order_by()
    )
    for row in completed:
        entry = courses.setdefault(
            row["course_id"], CourseRow(row["course_id"], row["course__title"], row["course__provider"])
        )
        entry.figures.completions += row["completions"]
        entry.figures.scores.add(row["answers"], {name: row[name] for name in SCORES})
    course_rows = sorted(courses.values(), key=lambda entry: (entry.course_title.lower(), entry.course_id))
    providers: dict[str, ProviderRow] = {}
    totals = Figures()
    for entry in course_rows:
        provider = providers.setdefault(entry.provider, ProviderRow(entry.provider))
        provider.courses += 1
        provider.figures.add(entry.figures)
        totals.add(entry.figures)
    provider_rows = sorted(providers.values(), key=lambda entry: entry.provider.lower())
    return TrainingReport(sessions=session_rows, courses=course_rows, providers=provider_rows, totals=totals)


@dataclass
class CourseDemand:
    course_id: int
    course_title: str
    provider: str
    people: int


@dataclass
class SkillDemand:
    framework: str
    skill_code: str
    skill_name: str
    level_name: str
    people: int


def demand_without_sessions(*, now: datetime | None = None) -> list[CourseDemand]:
    """Courses people registered interest in that have no scheduled session still to start, most wanted first.
    One query."""
    now = now or timezone.now()
    upcoming = Session.objects.filter(course=OuterRef("pk"), status=SessionStatus.SCHEDULED, starts_at__gt=now)
    rows = (
        CoursePage.objects.annotate(people=Count("interests", distinct=True), has_upcoming=Exists(upcoming))
        .filter(people__gt=0, has_upcoming=False)
        .values("pk", "title", "provider", "people")
        .order_by("-people", "title", "pk")
    )
    return [CourseDemand(row["pk"], row["title"], row["provider"], row["people"]) for row in rows]


def demand_by_skill() -> list[SkillDemand]:
    """Interest registered against a skill (where no course develops it to the level the person needs), by skill
    and level, most wanted first; names from each framework's current release. Three queries."""
    rows = list(
        CourseInterest.objects.filter(course__isnull=True)
        .values("framework_id", "framework__name", "framework__current_release_id", "skill_code", "level_rank")
        .annotate(people=Count("person", distinct=True))
        .order_by("-people", "skill_code", "level_rank")
    )
    releases = {row["framework__current_release_id"] for row in rows if row["framework__current_release_id"]}
    skills = {
        (release_id, code): name
        for release_id, code, name in Skill.objects.filter(release_id__in=releases).values_list(
            "release_id", "code", "name"
        )
    }
    levels = {
        (release_id, rank): name
        for release_id, rank, name in Level.objects.filter(release_id__in=releases).values_list(
            "release_id", "rank", "name"
        )
    }
    return [
        SkillDemand(
            framework=row["framework__name"],
            skill_code=row["skill_code"],
            skill_name=skills.get((row["framework__current_release_id"], row["skill_code"]), row["skill_code"]),
            level_name=levels.get((row["framework__current_release_id"], row["level_rank"]), "")
            if row["level_rank"]
            else "",
            people=row["people"],
        )
        for row in rows
    ]


def waiting_list_for_skill(person, skill_code) -> QuerySet:
    """The waiting-list places `person` holds on sessions of courses that develop `skill_code` (both may be
    OuterRefs): training demand against a gap, for HR's capability dashboard."""
    return Booking.objects.filter(
        person_id=person, status=BookingStatus.WAITLISTED, session__course__outcomes__skill_code=skill_code
    )


def waiting_list_people() -> QuerySet:
    """The people holding any waiting-list place: where the count of those waiting for a skill starts."""
    return Booking.objects.filter(status=BookingStatus.WAITLISTED).values("person_id")


def interest_people() -> QuerySet:
    """The people who registered any interest: where the count of those interested in a skill starts."""
    return CourseInterest.objects.values("person_id")


def interest_in_skill(person, skill_code) -> QuerySet:
    """The interest `person` registered in `skill_code`, or in a course that develops it (both may be OuterRefs)."""
    return CourseInterest.objects.filter(
        Q(skill_code=skill_code) | Q(course__outcomes__skill_code=skill_code), person_id=person
    )
