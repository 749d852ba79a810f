"""Whether training closed gaps: for each course, the share of the people who completed it whose validated level in
one of its outcome skills rose within 3 and within 6 months, beside the same share for people who were booked but
did not attend (the comparison group).

How it is measured, from the skills ledger (`skills.Assessment`):
- completers: attended bookings (measured from the end of their session) and confirmed self-paced or imported
  completions (from the start of the day completed, UK time); each person once per course, at their first
  completion. The comparison group: bookings marked no-show, or cancelled after a seat was confirmed (from the
  end of the session), people who also completed the course left out.
- the level before: the level of the person's latest judgement of the skill (any framework release, matched by the
  skill's stable code) made before that moment, whoever made it except a course — never a claim, never a row
  withdrawn or withdrawing another; none is "no level".
- a rise: a line manager's or assessor's judgement made from that moment up to and including 3 (or 6) calendar
  months later, at a level above the level before. Course evidence never counts, so the course cannot prove itself.
- a person counts once their window has passed (someone who finished last month is not yet in the 3-month figure);
  a share over fewer people than `CAPABILITY_SMALL_GROUP_THRESHOLD` is suppressed as "[c]".

Computed in bulk: four queries whatever the number of people or courses (no query per person).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.enums import BookingStatus, CompletionStatus
from courses.models import Booking, CourseCompletion, CourseOutcome
from courses.selectors.reports import SUPPRESSED, share, small_group_threshold, start_of_day
from skills.enums import AssessmentSource
from skills.models import Assessment, Person

WINDOWS = (3, 6)
VALIDATORS = (AssessmentSource.LINE_MANAGER, AssessmentSource.ASSESSOR)


@dataclass
class Window:
    months: int
    people: int = 0
    rose: int = 0

    @property
    def suppressed(self) -> bool:
        return 0 < self.people < small_group_threshold()

    @property
    def rose_shown(self) -> int | str:
        return SUPPRESSED if self.suppressed else self.rose

    @property
    def share(self) -> Decimal | str | None:
        if self.suppressed:
            return SUPPRESSED
        return share(self.rose, self.people)


@dataclass
class Group:
    """The people of one group for one course: how many, and each window's figures."""

    people: int = 0
    windows: dict[int, Window] = field(default_factory=lambda: {months: Window(months) for months in WINDOWS})

    @property
    def within_3(self) -> Window:
        return self.windows[3]

    @property
    def within_6(self) -> Window:
        return self.windows[6]


@dataclass
class EffectivenessRow:
    course_id: int
    course_title: str
    provider: str
    completers: Group = field(default_factory=Group)
    comparison: Group = field(default_factory=Group)

    @property
    def groups(self) -> tuple[Group, Group]:
        return self.completers, self.comparison


def _first(moments: dict, key, moment: datetime) -> None:
    if key not in moments or moment < moments[key]:
        moments[key] = moment


def effectiveness_report(
    *, people: QuerySet[Person] | None = None, now: datetime | None = None
) -> list[EffectivenessRow]:
    """Each course someone completed or missed, with both groups' figures, by course title. `people` limits the
    groups to them (a manager's reporting line); None means everyone."""
    now = now or timezone.now()
    completers: dict[tuple[int, int], datetime] = {}  # (course, person) -> first completion
    missed: dict[tuple[int, int], datetime] = {}
    titles: dict[int, tuple[str, str]] = {}

    bookings = Booking.objects.filter(
        Q(status__in=[BookingStatus.COMPLETED, BookingStatus.NO_SHOW])
        | Q(status=BookingStatus.CANCELLED, confirmed_at__isnull=False)
    )
    completions = CourseCompletion.objects.filter(status=CompletionStatus.CONFIRMED)
    if people is not None:
        bookings = bookings.filter(person__in=people.values("pk"))
        completions = completions.filter(person__in=people.values("pk"))
    for row in bookings.values(
        "person_id",
        "status",
        "session__course_id",
        "session__course__title",
        "session__course__provider",
        "session__ends_at",
    ).order_by():
        course_id = row["session__course_id"]
        titles[course_id] = (row["session__course__title"], row["session__course__provider"])
        target = completers if row["status"] == BookingStatus.COMPLETED else missed
        _first(target, (course_id, row["person_id"]), row["session__ends_at"])
    for row in completions.values(
        "person_id", "course_id", "course__title", "course__provider", "completed_on"
    ).order_by():
        titles[row["course_id"]] = (row["course__title"], row["course__provider"])
        _first(completers, (row["course_id"], row["person_id"]), start_of_day(row["completed_on"]))
    for key in completers:
        missed.pop(key, None)
    if not titles:
        return []

    outcomes: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for course_id, framework_id, code in CourseOutcome.objects.filter(course_id__in=titles).values_list(
        "course_id", "framework_id", "skill_code"
    ):
        outcomes[course_id].add((framework_id, code))

    person_ids = {person_id for _, person_id in completers} | {person_id for _, person_id in missed}
    codes = {code for pairs in outcomes.values() for _, code in pairs}
    ledger: dict[tuple[int, int, str], list[tuple[datetime, str, int]]] = defaultdict(list)
    rows = (
        Assessment.objects.filter(
            person_id__in=person_ids,
            skill__code__in=codes,
            is_claim=False,
            retracts__isnull=True,
            retracted_by__isnull=True,
        )
        .exclude(source=AssessmentSource.COURSE)
        .values_list("person_id", "skill__release__framework_id", "skill__code", "created_at", "source", "level__rank")
        .order_by("created_at", "pk")
    )
    for person_id, framework_id, code, created_at, source, rank in rows:
        ledger[(person_id, framework_id, code)].append((created_at, source, rank or 0))

    def rose_by(person_id: int, course_id: int, moment: datetime) -> dict[int, bool]:
        """For each window: whether a validation in it raised any outcome skill above its level before."""
        result = dict.fromkeys(WINDOWS, False)
        for framework_id, code in outcomes[course_id]:
            judgements = ledger.get((person_id, framework_id, code), [])
            before = 0
            for created_at, _, rank in judgements:
                if created_at < moment:
                    before = rank
            for months in WINDOWS:
                end = moment + relativedelta(months=months)
                if any(
                    moment <= created_at <= end and source in VALIDATORS and rank > before
                    for created_at, source, rank in judgements
                ):
                    result[months] = True
        return result

    report: dict[int, EffectivenessRow] = {
        course_id: EffectivenessRow(course_id, title, provider) for course_id, (title, provider) in titles.items()
    }
    for members, which in ((completers, "completers"), (missed, "comparison")):
        for (course_id, person_id), moment in members.items():
            group: Group = getattr(report[course_id], which)
            group.people += 1
            rose = rose_by(person_id, course_id, moment)
            for months in WINDOWS:
                if moment + relativedelta(months=months) <= now:
                    window = group.windows[months]
                    window.people += 1
                    window.rose += rose[months]
    return sorted(report.values(), key=lambda row: (row.course_title.lower(), row.course_id))
