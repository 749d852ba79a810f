"""Filtersets of the skills app, and the search of people that goes with them."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.admin.filters import WagtailFilterSet

from frameworks.models import Requirement, RoleLevel
from skills.models import CurrentLevel, Grade, OrganisationUnit, Person, Profession
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


class TeamFilterSet(django_filters.FilterSet):
    """The team matrix's filters, as a plain GET form that works without JavaScript: a name, a current role
    level, a skill (only the people whose role level needs it, and only its column), and people with gaps.
    `people` is the manager's whole reporting line; the choices offered are those found in it."""

    name = django_filters.CharFilter(label="Name", method="filter_name")
    role_level = django_filters.ModelChoiceFilter(
        label="Current role level", field_name="current_role_level", queryset=None, empty_label="Any role level"
    )
    skill = django_filters.ChoiceFilter(label="Skill", method="filter_skill", empty_label="Any skill")
    gaps = django_filters.BooleanFilter(label="Only people with gaps", method="filter_gaps", widget=forms.CheckboxInput)

    class Meta:
        model = Person
        fields = ["name", "role_level", "skill", "gaps"]

    def __init__(self, data=None, *, people: QuerySet[Person], **kwargs):
        super().__init__(data, queryset=people, **kwargs)
        role_level_ids = people.filter(current_role_level__isnull=False).values("current_role_level_id")
        self.filters["role_level"].queryset = RoleLevel.objects.filter(pk__in=role_level_ids).order_by(
            "role__name", "seniority"
        )
        self.filters["skill"].extra["choices"] = list(
            Requirement.objects.filter(role_level_id__in=role_level_ids)
            .order_by("skill__name", "skill__code")
            .values_list("skill__code", "skill__name")
            .distinct()
        )
        for field in ("role_level", "skill"):
            self.filters[field].extra["error_messages"] = {
                "invalid_choice": "Choose one of the options listed, or the first one to see everyone"
            }

    @property
    def chosen_skill(self) -> str | None:
        """The skill chosen, once the filters are valid: the matrix then shows only its column."""
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("skill") or None

    def filter_name(self, queryset, name, value):
        return people_matching(queryset, value)

    def filter_skill(self, queryset, name, value):
        needs = Requirement.objects.filter(role_level_id=OuterRef("current_role_level_id"), skill__code=value)
        return queryset.filter(Exists(needs))

    def filter_gaps(self, queryset, name, value):
        if not value:
            return queryset
        met = CurrentLevel.objects.filter(
            person_id=OuterRef(OuterRef("pk")),
            skill_code=OuterRef("skill__code"),
            validated_rank__gte=OuterRef("level__rank"),
        )
        gaps = Requirement.objects.filter(role_level_id=OuterRef("current_role_level_id"), level__isnull=False).filter(
            ~Exists(met)
        )
        skill = self.form.cleaned_data.get("skill")
        if skill:
            gaps = gaps.filter(skill__code=skill)
        return queryset.filter(Exists(gaps))
