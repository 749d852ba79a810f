"""The training admin's listing filters (django-filter, as Wagtail's listings use them)."""

import django_filters
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet

from courses.enums import DeliveryMode, SessionStatus
from courses.models import CoursePage, Session


def live_courses():
    """Courses that have sessions: every course that is not self-paced e-learning, by title."""
    return CoursePage.objects.exclude(delivery_mode=DeliveryMode.SELF_PACED).order_by("title")


class SessionFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(queryset=live_courses(), label="Course", empty_label="All courses")
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices, label="Status", empty_label="Any status")
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "Upcoming"), ("past", "Started or past")],
        label="When",
        empty_label="Any time",
        method="filter_when",
    )

    class Meta:
        model = Session
        fields = ["course", "status"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gte=now)
        if value == "past":
            return queryset.filter(starts_at__lt=now)
        return queryset
