"""The course pages at the size of a real catalogue: 500 courses of real DDaT skills, 3,000 sessions.

Imports and publishes the real DDaT 2025-10 release with its public pages, then writes a catalogue of 500 course
pages (through Wagtail, each with one to three outcomes in real skills and levels) and 3,000 sessions (in bulk:
past and upcoming, in several towns and online, some full, some not yet open). Then it times, each requested
alternately with the reference measured in the same run (the public page of the DDaT skill that the most courses
develop, which lists them through the frameworks_skill_related hook): as an anonymous visitor, the catalogue
(first page, filtered, a later page) and the course page with the most sessions; as a learner working towards
the DDaT role level with the most required skills and no validated level yet, their gap page with its
recommendations (as a learner returning to it meets it, the recommendations from the cache; and just after a change
to the catalogue, written afresh); as a training administrator, the roster of a session with 30 confirmed and 40
waiting.
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.ddat import BASE, ddat_release_ensure
from bench.people import people_create
from cms.accounts.enums import Role
from cms.home.models import HomePage
from courses.catalogue_cache import catalogue_invalidate
from courses.enums import BookingStatus, DeliveryMode, SessionStatus
from courses.models import Booking, CourseIndexPage, CourseOutcome, CoursePage, Session
from frameworks.models import RoleLevel
from frameworks.services import framework_pages_ensure
from skills.models import Person

TARGET = (
    "the catalogue, a course page, the gap page with recommendations and the roster within 1.5× the framework "
    "skill page, the same query count at any size"
)
ROSTER_CONFIRMED, ROSTER_WAITING = 30, 40
TOWNS = ["Leeds", "London", "Manchester", "Newport", "Glasgow", "Bristol", "Darlington", ""]  # "": online
PROVIDERS = ["Government Digital Academy", "Civil Service College", "QA Ltd", "Learning Tree", "Coursera for Gov"]
# Statements of the request's frame on PostgreSQL, not of the page (as tests/conftest.py leaves them out).
FRAME_STATEMENTS = ("SELECT set_config('statement_timeout'", "RESET statement_timeout")


def add_arguments(group):
    group.add_argument("--courses", type=int, default=500, help="course pages in the catalogue (500)")
    group.add_argument("--sessions", type=int, default=3000, help="sessions across the courses (3000)")
    group.add_argument("--repeat", type=int, default=30, help="timed requests per page, and of the reference (30)")


@dataclass(frozen=True)
class Page:
    label: str
    key: str
    path: str
    before: Callable[[], None] | None = None  # run before each request of the page, outside its timing


def catalogue_build(*, release, courses: int, sessions: int, rng: random.Random) -> CourseIndexPage:
    """The catalogue page and its courses and sessions, unless a previous run left them."""
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="Courses", slug="courses")
        HomePage.objects.get().add_child(instance=index)
    have = CoursePage.objects.descendant_of(index).count()
    skills = list(release.skills.order_by("code"))
    levels = list(release.levels.order_by("rank"))
    modes = [DeliveryMode.CLASSROOM, DeliveryMode.ONLINE_LIVE, DeliveryMode.BLENDED, DeliveryMode.SELF_PACED]
    for number in range(have, courses):
        course = CoursePage(
            title=f"{rng.choice(skills).name} in practice {number:04d}",
            slug=f"bench-course-{number:04d}",
            summary="What the course covers, who it suits and what a learner can do afterwards, in a few lines.",
            provider=rng.choice(PROVIDERS),
            delivery_mode=modes[number % len(modes)],
            duration_hours=Decimal(rng.choice([3, 7, 14, 21])),
            cost_pence=rng.choice([0, 0, 25000, 79900, 125000]),
            needs_approval=number % 3 == 0,
        )
        for skill in rng.sample(skills, rng.randint(1, 3)):
            start = rng.randrange(0, len(levels) - 1)
            course.outcomes.add(
                CourseOutcome(skill=skill, from_level=levels[start - 1] if start else None, to_level=levels[start])
            )
        index.add_child(instance=course)
    scheduled = [course for course in CoursePage.objects.descendant_of(index) if not course.is_self_paced]
    missing = sessions - Session.objects.count()
    now = timezone.now().replace(microsecond=0)
    rows = []
    for number in range(max(missing, 0)):
        course = scheduled[number % len(scheduled)]
        starts = now + timedelta(days=rng.randint(-120, 240), hours=rng.randint(0, 8))
        capacity = rng.choice([8, 12, 20, 30])
        opens = starts - timedelta(days=rng.choice([30, 60, 120]))
        rows.append(
            Session(
                course=course,
                starts_at=starts,
                ends_at=starts + timedelta(hours=7),
                town=rng.choice(TOWNS),
                capacity=capacity,
                seats_taken=capacity if number % 5 == 0 else rng.randint(0, capacity),
                booking_opens_at=opens,
                booking_closes_at=starts - timedelta(days=2),
                cancellation_cutoff_at=starts - timedelta(days=3),
                status=SessionStatus.CANCELLED if number % 40 == 0 else SessionStatus.SCHEDULED,
            )
        )
    Session.objects.bulk_create(rows, batch_size=1000)
    return index


def learner_create(release) -> tuple[Person, int]:
    """A learner working towards the role level with the most required skills, with no validated level in any:
    a gap in each, for the courses to close. Returns them and how many skills their role level requires."""
    role_level = (
        RoleLevel.objects.filter(release=release).annotate(n=Count("requirements")).order_by("-n", "pk").first()
    )
    (learner,) = people_create(1, unit="Course pages", role_level=role_level)
    return learner, role_level.n


def roster_session(course: CoursePage) -> Session:
    """An upcoming session of the course, full, with people waiting: the roster a training administrator opens."""
    starts = timezone.now().replace(microsecond=0) + timedelta(days=20)
    session = Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=7),
        town="Leeds",
        venue="Quarry House, Leeds",
        capacity=ROSTER_CONFIRMED,
        seats_taken=ROSTER_CONFIRMED,
        waitlist_counter=ROSTER_WAITING,
        booking_opens_at=starts - timedelta(days=30),
        booking_closes_at=starts - timedelta(days=2),
        cancellation_cutoff_at=starts - timedelta(days=3),
    )
    people = people_create(ROSTER_CONFIRMED + ROSTER_WAITING, unit="Course pages")
    now = timezone.now()
    Booking.objects.bulk_create(
        Booking(
            session=session,
            person=person,
            created_at=now,
            adjustments="Step-free access" if n % 7 == 0 else "",
            **(
                {"status": BookingStatus.CONFIRMED, "confirmed_at": now}
                if n < ROSTER_CONFIRMED
                else {
                    "status": BookingStatus.WAITLISTED,
                    "waitlist_position": n - ROSTER_CONFIRMED + 1,
                    "waitlisted_at": now,
                }
            ),
        )
        for n, person in enumerate(people)
    )
    return session


def administrator_create():
    user = get_user_model().objects.create_user(
        email=f"bench-training-{timezone.now():%H%M%S%f}@bench.example", password="!", first_name="Tara"
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    return user


def page_figures(client, url: str, reference_url: str, repeat: int, before=None) -> tuple[float, float, int, int]:
    """Median server time (ms) of a page and of the reference page, requested alternately so that both meet the
    same load on a shared machine; the page's HTML size (bytes) and query count. `before` runs before each request
    of the page, untimed."""
    before = before or (lambda: None)
    for target in (url, reference_url):
        response = client.get(target)
        assert response.status_code == 200, (target, response.status_code)
    before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = sum(1 for query in queries.captured_queries if not query["sql"].startswith(FRAME_STATEMENTS))
    page_times, reference_times = [], []
    for _ in range(repeat):
        for target, times in ((reference_url, reference_times), (url, page_times)):
            if target == url:
                before()
            started = time.perf_counter()
            client.get(target)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(page_times), statistics.median(reference_times), len(response.content), count


def run(bench):
    args = bench.args
    release = ddat_release_ensure()
    framework_pages_ensure()
    index = catalogue_build(release=release, courses=args.courses, sessions=args.sessions, rng=random.Random(11))
    courses = CoursePage.objects.descendant_of(index)
    busiest = courses.annotate(n=Count("sessions")).order_by("-n", "pk").first()
    skill_code, developed_by = (
        CourseOutcome.objects.values_list("skill_code").annotate(n=Count("pk")).order_by("-n", "skill_code").first()
    )
    print(
        f"   {courses.count()} courses, {Session.objects.count()} sessions "
        f"({Session.objects.filter(starts_at__gt=timezone.now()).count()} upcoming), "
        f"{CourseOutcome.objects.count()} outcomes; the course page measured has {busiest.n} sessions; "
        f"the reference skill ({skill_code}) is developed by {developed_by} courses"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, after the bulk writes above

    client = Client()
    reference_url = f"{BASE}skills/{skill_code}/"
    catalogue = index.url
    # (label, summary key or None, path): the summary line carries the catalogue's first page and the course page.
    pages = [
        Page("catalogue, first page", "catalogue", catalogue),
        Page(
            "catalogue, filtered (skill, has seats, location)",
            "",
            f"{catalogue}?skill=ddat:{skill_code}&has_seats=true&location=Leeds",
        ),
        Page("catalogue, page 10", "", f"{catalogue}?page=10"),
        Page(f"course page ({busiest.n} sessions)", "course", busiest.url),
    ]
    learner, required = learner_create(release)
    learner_client = Client()
    learner_client.force_login(learner.user)
    roster = roster_session(busiest)
    administrator_client = Client()
    administrator_client.force_login(administrator_create())
    signed_in = [
        (
            Page(f"gap page with recommendations ({required} skills required, none held)", "gaps", "/skills/gaps/"),
            learner_client,
        ),
        (
            # The recommendations are cached under the catalogue's version (decision 0208, amendment of 7
            # December): here each request follows a change to the catalogue, and writes them afresh.
            Page("gap page just after the catalogue changed", "gaps_cold", "/skills/gaps/", catalogue_invalidate),
            learner_client,
        ),
        (
            Page(
                f"roster ({ROSTER_CONFIRMED} confirmed, {ROSTER_WAITING} waiting)",
                "roster",
                reverse("courses_session:roster", args=[roster.pk]),
            ),
            administrator_client,
        ),
    ]
    measured = {}
    references = []
    print(
        "   each page beside the DDaT skill page, requested alternately with it by the same client (anonymous, then "
        "the learner, then the training administrator):"
    )
    for page, page_client in [(page, client) for page in pages] + signed_in:
        ms, reference, size, count = page_figures(page_client, page.path, reference_url, args.repeat, page.before)
        references.append(reference)
        bench.report(
            f"{page.label} median",
            ms,
            f"ms, {size / 1024:,.0f} KB, {count} queries; skill page {reference:.1f} ms",
            reference=("skill page", reference),
        )
        if page.key:
            measured[page.key] = (ms, reference)
    skill_page = statistics.median(references)
    bench.report("the DDaT skill page (reference) median", skill_page, "ms")
    for key in ("catalogue", "course", "gaps", "gaps_cold", "roster"):
        bench.figures[f"{key}_ms"] = round(measured[key][0], 1)
    bench.figures["skill_page_ms"] = round(skill_page, 1)
    for key in ("catalogue", "course", "gaps", "gaps_cold", "roster"):
        ms, reference = measured[key]
        bench.figures[f"{key}_ratio"] = round(ms / reference, 2) if reference else float("inf")
