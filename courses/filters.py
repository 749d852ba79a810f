"""The catalogue's filters (`/courses/`): a plain GET form that works without JavaScript.

The skill, role family and level reached apply to the same outcome ("develops Data analysis to Practitioner");
the location, dates and "has seats" to the same upcoming session ("a session in Leeds in March with a seat
left"). Choices come from the frameworks' current releases and the sessions scheduled: a value from elsewhere is
refused with a message saying what to do.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.enums import DeliveryMode
from courses.models import CourseOutcome, CoursePage
from courses.selectors.catalogue import (
    ONLINE,
    bookable_with_seats,
    framework_choices,
    level_choices,
    location_choices,
    outcome_match,
    role_family_choices,
    skill_choices,
    upcoming_sessions,
)

COST_CHOICES = [("free", "Free"), ("paid", "Paid")]
INVALID_CHOICE = "Choose one of the options listed, or the first one to see every course"


class CatalogueForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("starts_after"), cleaned.get("starts_before")
        if after and before and before < after:
            self.add_error("starts_before", "The end of the date range must be on or after its start")
        return cleaned


class CatalogueFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Search", method="filter_search")
    skill = django_filters.ChoiceFilter(label="Skill", method="filter_none", empty_label="Any skill")
    role_family = django_filters.ChoiceFilter(label="Role family", method="filter_none", empty_label="Any role family")
    level = django_filters.ChoiceFilter(label="Level reached", method="filter_none", empty_label="Any level")
    delivery_mode = django_filters.ChoiceFilter(
        label="How it is delivered", choices=DeliveryMode.choices, empty_label="Any way"
    )
    location = django_filters.ChoiceFilter(label="Location", method="filter_none", empty_label="Anywhere")
    starts_after = django_filters.DateFilter(
        label="Has a session starting from", method="filter_none", widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_before = django_filters.DateFilter(
        label="Has a session starting by", method="filter_none", widget=forms.DateInput(attrs={"type": "date"})
    )
    has_seats = django_filters.BooleanFilter(
        label="Only courses with a seat I can book now", method="filter_none", widget=forms.CheckboxInput
    )
    cost = django_filters.ChoiceFilter(label="Cost", choices=COST_CHOICES, method="filter_cost", empty_label="Any cost")

    class Meta:
        model = CoursePage
        form = CatalogueForm
        fields = [
            "search",
            "skill",
            "role_family",
            "level",
            "delivery_mode",
            "location",
            "starts_after",
            "starts_before",
            "has_seats",
            "cost",
        ]

    def __init__(self, data=None, *, queryset: QuerySet[CoursePage], now=None, request=None, locations=None, **kwargs):
        """With `request`, the framework choices come from the cache (`framework_choices`); `locations` are the
        location choices when the caller has them (`location_choices`), else they are read."""
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        self.now = now or timezone.now()
        if request is not None:
            skills, families, levels = framework_choices(request)
        else:
            skills, families, levels = skill_choices(), role_family_choices(), level_choices()
        self.filters["skill"].extra["choices"] = skills
        self.filters["role_family"].extra["choices"] = families
        self.filters["level"].extra["choices"] = levels
        self.filters["location"].extra["choices"] = location_choices(now=self.now) if locations is None else locations
        for name in ("skill", "role_family", "level", "delivery_mode", "location", "cost"):
            self.filters[name].extra["error_messages"] = {"invalid_choice": INVALID_CHOICE}
        self.filters["starts_after"].extra["error_messages"] = {"invalid": "Enter a real date, like 31 3 2026"}
        self.filters["starts_before"].extra["error_messages"] = {"invalid": "Enter a real date, like 31 3 2026"}

    @property
    def active(self) -> bool:
        """Whether any filter is set (the page then offers to clear them)."""
        return self.is_bound and any(self.data.get(name) for name in self.filters)

    def filter_none(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(provider__icontains=word)
            )
        return queryset

    def filter_cost(self, queryset, name, value):
        return queryset.filter(cost_pence=0) if value == "free" else queryset.filter(cost_pence__gt=0)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        outcomes = outcome_match(
            skill=data.get("skill") or "", role_family=data.get("role_family") or "", level=data.get("level") or ""
        )
        if outcomes is not None:
            queryset = queryset.filter(Exists(CourseOutcome.objects.filter(outcomes, course_id=OuterRef("pk"))))
        sessions = upcoming_sessions(now=self.now).filter(course_id=OuterRef("pk"))
        session_filtered = False
        location = data.get("location")
        if location:
            sessions = sessions.filter(town="") if location == ONLINE else sessions.filter(town=location)
            session_filtered = True
        if data.get("starts_after"):
            sessions = sessions.filter(starts_at__date__gte=data["starts_after"])
            session_filtered = True
        if data.get("starts_before"):
            sessions = sessions.filter(starts_at__date__lte=data["starts_before"])
            session_filtered = True
        if data.get("has_seats"):
            sessions = bookable_with_seats(sessions, now=self.now)
            session_filtered = True
        if session_filtered:
            queryset = queryset.filter(Exists(sessions))
        return queryset
