import django_filters
from django.db.models import Exists, OuterRef, Q

from .models import Requirement, Skill


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
