"""The context of the catalogue page (`/courses/`) and of a course page, served by Wagtail
(`CourseIndexPage.get_context`, `CoursePage.get_context`). A fixed number of queries whatever the number of
courses, sessions and outcomes."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import timezone

from courses import catalogue_cache
from courses.enums import CompletionStatus
from courses.filters import CatalogueFilterSet
from courses.models import CourseCompletion, CourseIndexPage, CoursePage
from courses.selectors.catalogue import (
    catalogue_courses,
    course_sessions,
    outcome_links,
    outcomes_for,
)

PAGE_SIZE = 20


def catalogue_context(request, page: CourseIndexPage) -> dict:
    """The filters bound to the query string and a page of results: the count and the rows' HTML from the cache
    when they are there (decision 0301), else read and rendered, then kept."""
    now = timezone.now()
    state = catalogue_cache.catalogue_state(request, now=now)
    # Another process may have read the state a moment later than `now`: answer as of then, which the state
    # covers.
    now = max(now, state.read_at)
    filters = CatalogueFilterSet(
        request.GET or None, queryset=CoursePage.objects.all(), now=now, request=request, locations=state.locations
    )
    context = {"filters": filters, "filtered": filters.active}
    if filters.is_bound and not filters.is_valid():
        page_obj = Paginator([], PAGE_SIZE).get_page(1)
        return context | {"page_obj": page_obj, "courses": [], "results_html": ""}
    chosen = filters.form.cleaned_data if filters.is_bound else {}
    key = catalogue_cache.results_key(request, page_id=page.pk, state=state, filters=chosen)
    shared = not filters.active  # a filtered page is kept in this process only

    def matching():
        courses = catalogue_courses(now=now).descendant_of(page)
        return filters.filter_queryset(courses) if filters.is_bound else courses

    count = catalogue_cache.results_get(f"{key}:count")
    if count is None:
        count = matching().count()
        catalogue_cache.results_set(f"{key}:count", count, shared=shared)
    # The paginator needs only the count: the page's rows come from the cache or from `courses` below.
    page_obj = Paginator(range(count), PAGE_SIZE).get_page(request.GET.get("page"))
    results = catalogue_cache.results_get(f"{key}:{page_obj.number}")
    if results is None:
        results = _results_page(request, matching()[(page_obj.number - 1) * PAGE_SIZE : page_obj.number * PAGE_SIZE])
        catalogue_cache.results_set(f"{key}:{page_obj.number}", results, shared=shared)
    return context | {"page_obj": page_obj, "courses": results.rows, "results_html": results.html}


def _results_page(request, courses) -> catalogue_cache.ResultsPage:
    """A page of courses rendered as the catalogue shows them, each row through `catalogue_result.html`."""
    courses = list(courses)
    outcomes = outcomes_for(courses)
    for course in courses:
        course.outcome_list = outcomes[course.pk]
    html = render_to_string("courses/includes/catalogue_results.html", {"courses": courses}, request=request)
    rows = [catalogue_cache.CatalogueRow(title=course.title, url=course.get_url(request)) for course in courses]
    return catalogue_cache.ResultsPage(rows=rows, html=html)


def course_context(request, page: CoursePage) -> dict:
    now = timezone.now()
    outcomes = list(
        page.outcomes.select_related("skill", "from_level", "to_level", "framework").order_by("sort_order", "pk")
    )
    context = {
        "outcome_links": outcome_links(outcomes, request),
        "grades": list(page.eligible_grades.order_by("rank")),
        "sessions": [] if page.is_self_paced else course_sessions(page, now=now),
        "completion": None,
    }
    if page.is_self_paced and request.user.is_authenticated:
        context["completion"] = (
            CourseCompletion.objects.filter(person__user=request.user, course=page)
            .exclude(status=CompletionStatus.WITHDRAWN)
            .order_by("-created_at", "-pk")
            .first()
        )
    return context
