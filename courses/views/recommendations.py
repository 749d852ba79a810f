"""The training recommended under each gap on skills' gap page (through the `skills_gap_recommendations` hook,
registered in courses/wagtail_hooks.py): the person's own page offers "add to my plan" and registering
interest; a manager looking at a team member's page sees the same recommendations without those actions."""

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from courses.catalogue_cache import catalogue_state, catalogue_structure_version, catalogue_versions
from courses.models import CourseInterest
from courses.selectors.recommendations import (
    Gap,
    GapRecommendations,
    Recommendation,
    reason_in_words,
    recommendations_for_gaps,
    session_seats,
)
from frameworks.process_cache import LayeredCache


def gaps_of(analyses) -> list[Gap]:
    """The unmet rows of each gap analysis, as the selector's gaps (one per skill and step, however many role
    levels share it)."""
    gaps = {}
    for analysis in analyses:
        framework_id = analysis.role_level.release.framework_id
        for row in analysis.rows:
            if row.met or row.requirement.level is None:
                continue
            gap = Gap(
                framework_id=framework_id,
                skill_code=row.requirement.skill.code,
                skill_name=row.requirement.skill.name,
                validated_rank=row.validated_rank,
                needed_rank=row.required_rank,
                needed_level_name=row.requirement.level.name,
            )
            gaps[gap.key] = gap
    return list(gaps.values())


def gap_recommendations_html(request, person, analyses) -> dict[tuple[int, str], str]:
    """{(role_level_id, skill_code): html} for each unmet requirement of `analyses`, from the cache when nothing
    it was written from has changed (see `_cache_key`)."""
    gaps = gaps_of(analyses)
    if not gaps:
        return {}
    viewer = getattr(request, "person", None)
    is_self = viewer is not None and viewer.pk == person.pk
    interested_courses, interested_skills = set(), set()
    if is_self:
        for course_id, framework_id, skill_code in CourseInterest.objects.filter(person=person).values_list(
            "course_id", "framework_id", "skill_code"
        ):
            if course_id:
                interested_courses.add(course_id)
            else:
                interested_skills.add((framework_id, skill_code))
    key = _cache_key(
        request,
        person,
        analyses,
        is_self=is_self,
        interests=(interested_courses, interested_skills),
    )
    entry = _entries.get(key) if key else None
    if entry is not None and session_seats(entry.seats_of, person_id=person.pk) != entry.seats:
        entry = None  # a seat taken or freed, a waiting list changed or the person booked, on a session they weighed
    if entry is None:
        considered = []
        entry = _Written(
            _written(
                request,
                person,
                analyses,
                gaps,
                is_self=is_self,
                interested_courses=interested_courses,
                interested_skills=interested_skills,
                considered=considered,
            ),
            seats_of=tuple(sorted(seats[0] for seats in considered)),
            seats=sorted(considered),
        )
        if key:
            _entries.set(key, entry)
    written = entry.html
    if not is_self:
        return {place: mark_safe(html) for place, html in written.items()}  # noqa: S308 — written by _Writer
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    return {place: mark_safe(html.replace(CSRF_MARK, csrf)) for place, html in written.items()}  # noqa: S308 — written by _Writer


# The recommendations of one person's page are kept this long, under a key that names everything they were written
# from (`_cache_key`): long enough for the visits of a working day, short enough that keys nobody asks for again
# leave the shared cache.
CACHE_TIMEOUT = 60 * 60
# In this process as built (never unpickled) in front of the shared cache: about 100 KB for fourteen gaps, so 100
# entries keep a process under about 10 MB (frameworks.process_cache).
_entries = LayeredCache(entries=100, timeout=CACHE_TIMEOUT)
# Where each form's CSRF field goes: the blocks are cached without the token, which every request has its own of.
# No value from the database can write it: they are all escaped, and "<" with them.
CSRF_MARK = "<!--capability:csrf-->"


def _cache_key(request, person, analyses, *, is_self: bool, interests) -> str | None:
    """The key of the recommendations written for `person`'s page from `analyses`: the version of the catalogue's
    structure (replaced by every change to its courses, outcomes, restrictions and sessions but seats taken and
    freed, which each cached entry checks for the sessions it weighed: courses.catalogue_cache) and the moment its
    answers stop being true as time passes, the framework pages' version, the site, the page's
    path (the forms come back to it), who looks (the person, or their management without the forms), the person's
    grade (which courses they may take), what they have asked for, and each gap. (Their open bookings count only on
    the sessions weighed, which each entry checks with their seats.) None for a path with a query string, which is
    not worth a place in the shared cache."""
    if request.GET:
        return None
    _version, framework_version = catalogue_versions(request)
    version = catalogue_structure_version(request)
    state = catalogue_state(request, now=timezone.now())
    interested_courses, interested_skills = interests
    shown = [
        (
            analysis.role_level.pk,
            [
                (
                    row.requirement.skill.code,
                    row.requirement.skill.name,
                    row.validated_rank,
                    row.required_rank,
                    row.requirement.level.name,
                )
                for row in analysis.rows
                if not row.met and row.requirement.level is not None
            ],
        )
        for analysis in analyses
    ]
    material = repr(
        (
            request.get_host(),
            request.path,
            is_self,
            person.pk,
            person.grade_id,
            sorted(interested_courses),
            sorted(interested_skills),
            shown,
        )
    )
    digest = hashlib.sha256(material.encode()).hexdigest()[:40]
    return f"courses:gap-recommendations:{version}:{framework_version}:{state.moment}:{digest}"


@dataclass(frozen=True)
class _Written:
    """The recommendations as cached: each block's HTML, and the seats of the sessions weighed when they were
    written ((id, seats taken, capacity, waiting, booked by the person), by id), which must still be the same for
    them to be shown."""

    html: dict
    seats_of: tuple[int, ...]
    seats: list[tuple[int, int, int, int]]


def _written(request, person, analyses, gaps, *, is_self, interested_courses, interested_skills, considered) -> dict:
    """{(role_level_id, skill_code): html} as `_Writer` writes it, with `CSRF_MARK` for each form's token."""
    found = recommendations_for_gaps(person=person, gaps=gaps, considered=considered)
    course_urls: dict[int, str] = {}
    for item in found.values():
        for course in [rec.course for rec in item.recommendations] + item.courses_without_session:
            if course.pk not in course_urls:
                course_urls[course.pk] = course.get_url(request) or ""
    writer = _Writer(request, is_self=is_self, course_urls=course_urls, interested_courses=interested_courses)
    html, written = {}, {}
    for analysis in analyses:
        framework_id = analysis.role_level.release.framework_id
        for row in analysis.rows:
            if row.met or row.requirement.level is None:
                continue
            item = found[(framework_id, row.requirement.skill.code, row.validated_rank, row.required_rank)]
            if item.gap.key not in written:  # the same gap under the current and the target role level: once
                written[item.gap.key] = writer.gap(
                    item, interested_in_skill=(framework_id, item.gap.skill_code) in interested_skills
                )
            html[(analysis.role_level.pk, row.requirement.skill.code)] = written[item.gap.key]
    return html


class _Writer:
    """The recommendations under one gap, written in Python rather than through a template: a gap page lists a
    block for each of a role level's skills (a dozen or more), each with its courses, forms and links, and the
    template engine made the blocks three fifths of the page's time (docs/decisions/0208, amendment). Every value from
    the database goes through `format_html`, which escapes it."""

    def __init__(self, request, *, is_self: bool, course_urls: dict[int, str], interested_courses: set[int]):
        self.is_self = is_self
        self.whose = "your" if is_self else "their"  # a manager reads about their team member
        self.course_urls = course_urls
        self.interested_courses = interested_courses
        self.next = request.get_full_path()
        self.csrf = mark_safe(CSRF_MARK) if is_self else ""  # noqa: S308 — a constant, replaced by the field
        self.plan_action_add = reverse("skills:plan-action-add")
        self.interest = reverse("courses:interest")
        self.plan = reverse("skills:plan")

    def gap(self, item: GapRecommendations, *, interested_in_skill: bool) -> SafeString:
        gap = item.gap
        parts = [
            format_html(
                '<div class="capability-recommendations">\n'
                '<h3 class="govuk-heading-s govuk-!-margin-bottom-2">Training for {}</h3>',
                gap.skill_name,
            )
        ]
        if item.recommendations:
            parts.append(
                format_html(
                    '<ul class="govuk-list govuk-!-margin-bottom-2">{}</ul>',
                    mark_safe("".join(self.recommendation(rec, gap) for rec in item.recommendations)),  # noqa: S308 — each written by format_html
                )
            )
        elif not item.courses_without_session:
            parts.append(
                format_html(
                    '<p class="govuk-body-s govuk-!-margin-bottom-2">No course in the catalogue develops {} to {} '
                    "from {} validated level.</p>",
                    gap.skill_name,
                    gap.needed_level_name,
                    self.whose,
                )
            )
        for course in item.courses_without_session:
            parts.append(self.without_session(course))
        if self.is_self and not item.recommendations and not item.courses_without_session:
            parts.append(self.ask_for_skill(gap, interested=interested_in_skill))
        if self.is_self:
            parts.append(
                format_html(
                    '<p class="govuk-body-s govuk-!-margin-bottom-1"><a class="govuk-link" '
                    'href="{}?skill_code={}&amp;target_rank={}#add">Plan something else for {}</a>, such as '
                    "on-the-job work, a mentor or reading</p>",
                    self.plan,
                    quote(gap.skill_code, safe="/"),
                    gap.needed_rank,
                    gap.skill_name,
                )
            )
        more = (
            format_html("{} more in the catalogue for {}", item.more, gap.skill_name)
            if item.more
            else format_html("All training for {} in the catalogue", gap.skill_name)
        )
        parts.append(
            format_html(
                '<p class="govuk-body-s govuk-!-margin-bottom-0"><a class="govuk-link" href="/courses/?skill={}">{}</a>'
                "</p>\n</div>",
                quote(gap.skill_code, safe="/"),
                more,
            )
        )
        return mark_safe("\n".join(parts))  # noqa: S308 — each part written by format_html

    def recommendation(self, rec: Recommendation, gap: Gap) -> SafeString:
        course_url = self.course_urls[rec.course.pk]
        session = rec.session
        starts = timezone.localtime(session.starts_at) if session else None
        when = (
            format_html(": {}, {}", date_format(starts, "l j F Y, H:i T"), session.town or "online") if session else ""
        )
        tag = '\n<strong class="govuk-tag govuk-tag--blue">\n  Exact step\n</strong>\n' if rec.exact_step else ""
        form = ""
        if self.is_self:
            fields = [
                ("kind", "session" if session else "course"),
                ("title", f"{rec.course.title}, {date_format(starts, 'j F Y')}")
                if session
                else ("title", rec.course.title),
                ("url", course_url),
                ("skill_code", gap.skill_code),
                ("target_rank", gap.needed_rank),
            ]
            if session:
                fields.append(("target_date", date_format(starts, "Y-m-d")))
            fields.append(("next", self.next))
            form = format_html(
                '<form method="post" action="{}" class="govuk-!-margin-top-1">{}{}'
                '<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" '
                'data-module="govuk-button">Add to my plan<span class="govuk-visually-hidden">: {}</span></button>'
                "</form>",
                self.plan_action_add,
                self.csrf,
                _hidden(fields),
                rec.course.title,
            )
        return format_html(
            '<li class="govuk-!-margin-bottom-3"><a class="govuk-link govuk-!-font-weight-bold" href="{}">{}</a>{}{}'
            '<br><span class="govuk-body-s">{}. {}.</span>{}</li>',
            course_url,
            rec.course.title,
            when,
            mark_safe(tag),  # noqa: S308 — a constant
            rec.availability,
            rec.reason if self.is_self else reason_in_words(outcome=rec.outcome, gap=gap, whose=self.whose),
            form,
        )

    def without_session(self, course) -> SafeString:
        interested = course.pk in self.interested_courses
        text = format_html(
            '<p class="govuk-body-s govuk-!-margin-bottom-2"><a class="govuk-link" href="{}">{}</a> develops it, but '
            "has no session open for booking{}</p>",
            self.course_urls[course.pk],
            course.title,
            ": you have asked for one." if interested else ".",
        )
        if not self.is_self or interested:
            return text
        return text + format_html(
            '\n<form method="post" action="{}">{}{}<button type="submit" class="govuk-button '
            'govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button">Ask for a session'
            '<span class="govuk-visually-hidden"> of {}</span></button></form>',
            self.interest,
            self.csrf,
            _hidden([("course", course.pk), ("next", self.next)]),
            course.title,
        )

    def ask_for_skill(self, gap: Gap, *, interested: bool) -> SafeString:
        if interested:
            return format_html(
                '<p class="govuk-body-s govuk-!-margin-bottom-2">You have asked for training in {}. '
                '<a class="govuk-link" href="{}">See or withdraw what you have asked for</a>.</p>',
                gap.skill_name,
                self.interest,
            )
        return format_html(
            '<form method="post" action="{}">{}{}<button type="submit" class="govuk-button govuk-button--secondary '
            'govuk-!-margin-bottom-2" data-module="govuk-button">Ask for training in {} at {}</button></form>',
            self.interest,
            self.csrf,
            _hidden(
                [
                    ("framework", gap.framework_id),
                    ("skill", gap.skill_code),
                    ("level", gap.needed_rank),
                    ("next", self.next),
                ]
            ),
            gap.skill_name,
            gap.needed_level_name,
        )


def _hidden(fields) -> SafeString:
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', fields)
