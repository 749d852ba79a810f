"""Filtersets of the skills app, and the search of people that goes with them."""

import django_filters
from django.db.models import Q, QuerySet
from wagtail.admin.filters import WagtailFilterSet

from skills.models import Grade, OrganisationUnit, Person, Profession
from skills.selectors import org_units_for_hr


def people_matching(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    """People whose first name, last name, e-mail address or staff number contains each word of `query`
    (case-insensitively), so that "ada love" finds Ada Lovelace."""
    for word in query.split():
        queryset = queryset.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(staff_number__icontains=word)
        )
    return queryset


class PersonAdminFilterSet(WagtailFilterSet):
    """The admin's people list: by organisation unit (including every unit below it), grade and profession."""

    org_unit = django_filters.ModelChoiceFilter(
        label="Organisation unit (and below)",
        queryset=OrganisationUnit.objects.order_by("full_name"),
        method="filter_org_unit",
    )
    grade = django_filters.ModelChoiceFilter(queryset=Grade.objects.all())
    profession = django_filters.ModelChoiceFilter(queryset=Profession.objects.all())

    class Meta:
        model = Person
        fields = ["org_unit", "grade", "profession"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            # An HR analyst chooses among their own units only; the names of others are not theirs to see.
            self.filters["org_unit"].queryset = org_units_for_hr(user=request.user).order_by("full_name")

    def filter_org_unit(self, queryset, name, unit):
        return queryset.filter(org_unit__path__startswith=unit.path)
