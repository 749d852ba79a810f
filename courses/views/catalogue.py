"""The context of the catalogue page (`/courses/`) and of a course page, served by Wagtail
(`CourseIndexPage.get_context`, `CoursePage.get_context`). A fixed number of queries whatever the number of
courses, sessions and outcomes."""

from django.core.paginator import Paginator
from django.utils import timezone

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
    now = timezone.now()
    filters = CatalogueFilterSet(
        request.GET or None, queryset=catalogue_courses(now=now).descendant_of(page), now=now, request=request
    )
    courses = filters.qs if filters.is_bound and filters.is_valid() else catalogue_courses(now=now).descendant_of(page)
    if filters.is_bound and not filters.is_valid():
        courses = courses.none()
    page_obj = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    results = list(page_obj.object_list)
    outcomes = outcomes_for(results)
    for course in results:
        course.outcome_list = outcomes[course.pk]
    return {"filters": filters, "page_obj": page_obj, "courses": results, "filtered": filters.active}


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
