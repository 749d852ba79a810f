"""Filtersets of the frameworks app: the public skills A to Z, and the framework admin's listings."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from wagtail.admin.filters import WagtailFilterSet

from frameworks.enums import ReleaseStatus
from frameworks.models import Framework, FrameworkRelease, ReleaseChange, Requirement, Role, RoleLevel, Skill


class SkillFilter(django_filters.FilterSet):
    """Skills A to Z: `role_family` (a family code) keeps skills that some role of that family requires;
    `q` searches names and descriptions."""

    role_family = django_filters.CharFilter(method="filter_role_family", label="Role family")
    q = django_filters.CharFilter(method="filter_search", label="Search")

    class Meta:
        model = Skill
        fields = ["role_family", "q"]

    def filter_role_family(self, queryset, name, value):
        required_in_family = Requirement.objects.filter(skill=OuterRef("pk"), role__family__code=value)
        return queryset.filter(Exists(required_in_family))

    def filter_search(self, queryset, name, value):
        query = Q()
        for word in value.split():
            query &= Q(name__icontains=word) | Q(description__icontains=word)
        return queryset.filter(query)


# --- the framework admin's listings (frameworks.viewsets) ---------------------------------------------------------


class ReleaseContentFilterSet(WagtailFilterSet):
    """Release content in the admin: by framework, release and the release's status."""

    framework = django_filters.ModelChoiceFilter(
        field_name="release__framework", queryset=Framework.objects.all(), label="Framework"
    )
    release = django_filters.ModelChoiceFilter(
        queryset=FrameworkRelease.objects.select_related("framework").order_by("-created_at"), label="Release"
    )
    status = django_filters.ChoiceFilter(field_name="release__status", choices=ReleaseStatus.choices, label="Status")


class SkillFilterSet(ReleaseContentFilterSet):
    in_use = django_filters.BooleanFilter(method="filter_in_use", label="Needed by a role level")

    class Meta:
        model = Skill
        fields = []

    def filter_in_use(self, queryset, name, value):
        # EXISTS rather than a join to requirements with DISTINCT: no rows multiply, whatever else is joined.
        needed = Exists(Requirement.objects.filter(skill=OuterRef("pk")))
        return queryset.filter(needed if value else ~needed)


class RoleFilterSet(ReleaseContentFilterSet):
    class Meta:
        model = Role
        fields = []


class RoleLevelFilterSet(ReleaseContentFilterSet):
    role = django_filters.CharFilter(field_name="role__code", label="Role code")

    class Meta:
        model = RoleLevel
        fields = []


class RequirementFilterSet(ReleaseContentFilterSet):
    skill = django_filters.CharFilter(field_name="skill__code", label="Skill code")
    role = django_filters.CharFilter(field_name="role__code", label="Role code")

    class Meta:
        model = Requirement
        fields = []


class ReleaseChangeFilterSet(ReleaseContentFilterSet):
    class Meta:
        model = ReleaseChange
        fields = ["subject", "kind"]
