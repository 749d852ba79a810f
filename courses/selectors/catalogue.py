"""What the catalogue, the course pages and the framework skill pages read about courses.

Every list here takes a fixed number of queries whatever the number of courses, sessions and outcomes: the next
session of each course is a subquery, outcomes are fetched once for a page of courses, and a course page's
framework links come from one query for all its frameworks.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses.enums import SessionStatus
from courses.models import CourseOutcome, CoursePage, Session
from frameworks import page_cache
from frameworks.models import FrameworkPage, Level, Requirement, RoleFamily, Skill
from frameworks.process_cache import LayeredCache
from frameworks.views.site import FrameworkLinks


def session_book_path(session: Session) -> str:
    """Where a learner books `session`: the booking engine's check-and-book page."""
    return reverse("courses:session-book", kwargs={"session_id": session.pk})


def _restricted(path_field: str) -> Exists:
    """Whether the page whose tree path is `path_field` is under a view restriction (itself or an ancestor).
    Wagtail's `.public()` fetches every restriction first; this asks the database in the same query."""
    return Exists(
        PageViewRestriction.objects.annotate(
            prefix=Substr(OuterRef(path_field), 1, Length("page__path"), output_field=CharField())
        ).filter(prefix=F("page__path"))
    )


def courses_published() -> QuerySet[CoursePage]:
    """The live course pages that anyone may read."""
    return CoursePage.objects.live().filter(~_restricted("path"))


def upcoming_sessions(*, now: datetime | None = None) -> QuerySet[Session]:
    """Scheduled sessions that have not started."""
    return Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now or timezone.now())


def bookable_with_seats(sessions: QuerySet[Session], *, now: datetime) -> QuerySet[Session]:
    """Of `sessions`, those open for booking now with a seat left."""
    return sessions.filter(booking_opens_at__lte=now, booking_closes_at__gt=now, seats_taken__lt=F("capacity"))


def catalogue_courses(*, now: datetime | None = None) -> QuerySet[CoursePage]:
    """The published courses, A to Z, each with its next upcoming session (`next_session_*`, None when it has
    none) and the seats left on it, in the same query."""
    now = now or timezone.now()
    following = upcoming_sessions(now=now).filter(course_id=OuterRef("pk")).order_by("starts_at", "pk")
    return (
        courses_published()
        .defer("body")  # the catalogue shows the summary
        .annotate(
            next_session_id=Subquery(following.values("pk")[:1]),
            next_session_starts_at=Subquery(following.values("starts_at")[:1]),
            next_session_town=Subquery(following.values("town")[:1]),
            next_session_seats_left=Subquery(
                following.annotate(left=F("capacity") - F("seats_taken")).values("left")[:1],
                output_field=IntegerField(),
            ),
            upcoming_session_count=Coalesce(
                Subquery(
                    upcoming_sessions(now=now)
                    .filter(course_id=OuterRef("pk"))
                    .order_by()
                    .values("course_id")
                    .annotate(count=Count("pk"))
                    .values("count")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
        .order_by("title", "pk")
    )


def outcomes_for(courses) -> dict[int, list[CourseOutcome]]:
    """The outcomes of `courses` (a page of results), by course id, in one query, each with the names of its skill
    and levels loaded (and nothing else of them: a skill's texts are long)."""
    by_course: dict[int, list[CourseOutcome]] = {course.pk: [] for course in courses}
    for outcome in (
        CourseOutcome.objects.filter(course_id__in=by_course)
        .select_related("skill", "from_level", "to_level")
        .only("course_id", "skill__name", "from_level__name", "to_level__name", "skill_code", "from_rank", "to_rank")
        .order_by("course_id", "sort_order", "pk")
    ):
        by_course[outcome.course_id].append(outcome)
    return by_course


@dataclass(frozen=True)
class OutcomeLink:
    outcome: CourseOutcome
    url: str  # the skill's public page, "" when its framework has no public page


def outcome_links(outcomes: list[CourseOutcome], request=None) -> list[OutcomeLink]:
    """Each outcome with the URL of its skill's public page (in the framework's current release), one query for
    all their frameworks' pages."""
    framework_ids = {outcome.framework_id for outcome in outcomes}
    homes = {}
    if framework_ids:
        pages = FrameworkPage.objects.live().filter(~_restricted("path"), framework_id__in=framework_ids)
        for page in pages.order_by("pk"):
            homes.setdefault(page.framework_id, page.get_url(request) or "")
    links = []
    for outcome in outcomes:
        home = homes.get(outcome.framework_id, "")
        url = FrameworkLinks(home=home, base=home).url("skill", outcome.skill_code) if home else ""
        links.append(OutcomeLink(outcome=outcome, url=url))
    return links


def course_sessions(course: CoursePage, *, now: datetime | None = None) -> list[Session]:
    """A course's upcoming sessions, soonest first, each with `booking_state` ("open", "not_yet" or "closed")."""
    now = now or timezone.now()
    sessions = list(upcoming_sessions(now=now).filter(course=course).order_by("starts_at", "pk"))
    for session in sessions:
        if now < session.booking_opens_at:
            session.booking_state = "not_yet"
        elif now >= session.booking_closes_at:
            session.booking_state = "closed"
        else:
            session.booking_state = "open"
        session.book_path = session_book_path(session)
    return sessions


# --- the catalogue's filter choices ----------------------------------------------------------------------------


def skill_choices() -> list[tuple[str, str]]:
    """The skills of each framework's current release, by "<framework slug>:<skill code>" (stable across
    releases), labelled with their framework ("DDaT · Data analysis"), A to Z within each framework. One query."""
    skills = (
        Skill.objects.filter(release__framework__current_release=F("release"))
        .order_by("release__framework__name", "name", "code")
        .values_list(
            "code", "name", "release__framework__slug", "release__framework__short_name", "release__framework__name"
        )
    )
    return [
        (f"{slug}:{code}", f"{short_name or framework_name} · {name}")
        for code, name, slug, short_name, framework_name in skills
    ]


def role_family_choices() -> list[tuple[int, str]]:
    """The role families of each framework's current release. One query."""
    return list(
        RoleFamily.objects.filter(release__framework__current_release=F("release"))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def level_choices() -> list[tuple[str, str]]:
    """The level ranks of the current releases, each named by its levels ("Working", or "Working / 3" when the
    frameworks name a rank differently). One query."""
    names: dict[int, list[str]] = {}
    for rank, name in (
        Level.objects.filter(release__framework__current_release=F("release"))
        .order_by("rank", "release__framework__name")
        .values_list("rank", "name")
    ):
        if name not in names.setdefault(rank, []):
            names[rank].append(name)
    return [(str(rank), " / ".join(level_names)) for rank, level_names in names.items()]


# The framework choices change only when something is published (a release, a framework): kept under the
# framework pages' cache version, which every publication replaces (frameworks.page_cache, decision 0119), in this
# process first (decision 0120). Courses and sessions are not in them: those choices are read every time.
_framework_choices = LayeredCache(entries=8, timeout=page_cache.TIMEOUT)


def framework_choices(request) -> tuple[list, list, list]:
    """The skill, role family and level choices of the current releases (`skill_choices`, `role_family_choices`,
    `level_choices`), from the cache while nothing has been published since they were read: no query then, and
    the version is read in the request's one round trip to the cache."""
    version = page_cache.cache_versions(request, page_cache.VERSION_KEY)[page_cache.VERSION_KEY]
    key = f"courses:catalogue:choices:{version}"
    choices = _framework_choices.get(key)
    if choices is None:
        choices = (skill_choices(), role_family_choices(), level_choices())
        _framework_choices.set(key, choices)
    return choices


ONLINE = "online"


def location_choices(*, now: datetime | None = None) -> list[tuple[str, str]]:
    """ "Online" and the towns of upcoming sessions, A to Z. One query."""
    towns = upcoming_sessions(now=now).exclude(town="").order_by("town").values_list("town", flat=True).distinct()
    return [(ONLINE, "Online")] + [(town, town) for town in towns]


def outcome_match(*, skill: str = "", role_family: str = "", level: str = "") -> Q | None:
    """The outcomes that develop the chosen skill, a skill that the chosen role family's roles require, and/or
    reach the chosen level (all on the same outcome). None when nothing is chosen."""
    condition = Q()
    if skill:
        framework_slug, _, code = skill.partition(":")
        condition &= Q(framework__slug=framework_slug, skill_code=code)
    if role_family:
        # A course counts when one outcome's skill is required by a role of the family (current release).
        condition &= Q(
            Exists(
                Requirement.objects.filter(
                    role__family_id=role_family,
                    skill__code=OuterRef("skill_code"),
                    release__framework_id=OuterRef("framework_id"),
                )
            )
        )
    if level:
        condition &= Q(to_rank=int(level))
    return condition if condition else None


def courses_for_skill(*, framework_id: int, skill_code: str) -> list[CourseOutcome]:
    """The outcomes of published courses that develop the skill (by framework and stable code, so in any release),
    lowest level reached first, each with its course and levels loaded. One query."""
    return list(
        CourseOutcome.objects.filter(framework_id=framework_id, skill_code=skill_code)
        .filter(course__live=True)
        .filter(~_restricted("course__path"))
        .select_related("course", "from_level", "to_level")
        .order_by("to_rank", "from_rank", "course__title", "pk")
    )


COURSE_AWARD_PREFIX = "courses.course:"
RENEWAL_SESSIONS_LISTED = 5


def renewal_sessions(*, award: str, now: datetime | None = None, limit: int = RENEWAL_SESSIONS_LISTED) -> list[Session]:
    """The next sessions that renew a certificate of `award` (``courses.course:42``, what `CoursePage.award`
    names): that course's upcoming sessions open for booking now with a seat left, soonest first, at most
    `limit`; a course no longer published offers none. Empty for an award that is not a course's, or is
    malformed. One query."""
    if not award.startswith(COURSE_AWARD_PREFIX) or not award.removeprefix(COURSE_AWARD_PREFIX).isdecimal():
        return []
    now = now or timezone.now()
    course_id = int(award.removeprefix(COURSE_AWARD_PREFIX))
    sessions = bookable_with_seats(upcoming_sessions(now=now), now=now).filter(
        course_id=course_id, course__in=courses_published()
    )
    return list(sessions.order_by("starts_at", "pk")[:limit])
