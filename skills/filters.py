"""Filtersets of the skills app, the search of people that goes with them, and the filter forms of the People
admin's choosers."""

import html

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm

from frameworks.models import FrameworkRelease, Requirement, Role, RoleFamily, RoleLevel, Skill
from skills.models import Certificate, CertificateStatus, CurrentLevel, Grade, OrganisationUnit, Person, Profession
from skills.selectors import org_units_for_hr, reporting_line
from skills.selectors.capability import refresh_cached
from skills.selectors.certificates import certificates_standing_on
from skills.selectors.team import TeamFilterChoices, team_filter_choices_read


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


class PersonSearchForm(BaseFilterForm):
    """The person chooser's search: names, e-mail address and staff number (`people_matching`)."""

    q = forms.CharField(label="Search term", required=False, widget=forms.TextInput(attrs={"placeholder": "Search"}))

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching, self.search_query = True, query
            objects = people_matching(objects, query)
        return objects


class UnitSearchForm(BaseFilterForm):
    """The organisation unit chooser's search: each word in the unit's full name."""

    q = forms.CharField(label="Search term", required=False, widget=forms.TextInput(attrs={"placeholder": "Search"}))

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching, self.search_query = True, query
            for word in query.split():
                objects = objects.filter(full_name__icontains=word)
        return objects


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
    """The team matrix's filters, as a plain GET form that works without JavaScript: a name, a team within the
    reporting line, a role family, a role, a current role level, a skill (only the people whose role level needs
    it, and only its column), and people with gaps. Each narrows the people and so the matrix's columns, which
    are the skills the shown people's role levels require.

    `people` is the manager's whole reporting line, and every choice offered is found in it: a value from
    outside it (another line's team, a made-up role) is refused as an invalid choice, and the filters only ever
    narrow `people`. The choices take three queries whatever the line's size."""

    name = django_filters.CharFilter(label="Name", method="filter_name")
    team = django_filters.ChoiceFilter(label="Team", method="filter_team", empty_label="Everyone in your line")
    role_family = django_filters.ChoiceFilter(
        label="Role family", field_name="current_role_level__role__family_id", empty_label="Any role family"
    )
    role = django_filters.ChoiceFilter(label="Role", field_name="current_role_level__role_id", empty_label="Any role")
    role_level = django_filters.ChoiceFilter(
        label="Current role level", field_name="current_role_level_id", empty_label="Any role level"
    )
    skill = django_filters.ChoiceFilter(label="Skill", method="filter_skill", empty_label="Any skill")
    gaps = django_filters.BooleanFilter(label="Only people with gaps", method="filter_gaps", widget=forms.CheckboxInput)

    class Meta:
        model = Person
        fields = ["name", "team", "role_family", "role", "role_level", "skill", "gaps"]

    def __init__(self, data=None, *, people: QuerySet[Person], choices: TeamFilterChoices | None = None, **kwargs):
        """`choices`: the choices for `people`, when the caller has them (from the cache: `team_filter_choices`);
        else they are read."""
        super().__init__(data, queryset=people, **kwargs)
        if choices is None:
            choices = team_filter_choices_read(people=people)
        for field in ("role_family", "role", "role_level", "skill", "team"):
            self.filters[field].extra["choices"] = getattr(choices, field)
        for field in ("team", "role_family", "role", "role_level", "skill"):
            self.filters[field].extra["error_messages"] = {
                "invalid_choice": "Choose one of the options listed, or the first one to see everyone"
            }

    @property
    def chosen_skill(self) -> str | None:
        """The skill chosen, once the filters are valid: the matrix then shows only its column."""
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("skill") or None

    @property
    def active(self) -> bool:
        """Whether any filter is set (the page then offers to clear them)."""
        return self.is_bound and any(self.data.get(name) for name in self.filters)

    def filter_name(self, queryset, name, value):
        return people_matching(queryset, value)

    def filter_team(self, queryset, name, value):
        # The chosen manager's own line, within the viewer's (the choice is one of the viewer's people).
        return queryset.filter(pk__in=reporting_line(manager_id=int(value)).values("pk"))

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


class CertificateAdminFilterSet(WagtailFilterSet):
    """The certificates admin: by standing (derived from the dates and revocation, as everywhere), kind and when
    they were issued."""

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[
            (CertificateStatus.VALID.value, "Valid"),
            ("expiring", "Expiring within 30 days"),
            (CertificateStatus.EXPIRED.value, "Expired"),
            (CertificateStatus.REVOKED.value, "Revoked"),
        ],
        method="filter_status",
    )
    kind = django_filters.ChoiceFilter(choices=Certificate.Kind.choices)
    issued_on = django_filters.DateFromToRangeFilter(label="Issued between", widget=DateRangePickerWidget)

    class Meta:
        model = Certificate
        fields = ["status", "kind", "issued_on"]

    def filter_status(self, queryset, name, value):
        return certificates_standing_on(queryset, value)


class ChoicesSelect(forms.Select):
    """A select whose options are written in Python, in the markup Django's select template writes.

    The capability filters offer every role level, role and skill of the published releases (hundreds of options
    on the DDaT release): through the template renderer, each option is a template include, and the filter form
    alone cost more than the rest of the dashboard (docs/decisions/0213, addendum). Grouped choices fall back to
    the template."""

    def render(self, name, value, attrs=None, renderer=None):
        # Through iter(): list() would ask a model choice iterator for its length first, one COUNT query more.
        choices = list(iter(self.choices))
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options, selected = [], False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            is_selected = not selected and option_value in chosen
            selected = selected or is_selected
            # conditional_escape's rule (a safe string as it is, anything else escaped), without its per-call
            # wrappers: hundreds of options a select made them a third of the dashboard's time.
            text = label.__html__() if hasattr(label, "__html__") else html.escape(str(label))
            options.append(
                f'\n  <option value="{html.escape(option_value)}"{" selected" if is_selected else ""}>{text}</option>'
            )
        final = self.build_attrs(self.attrs, attrs)
        markup = f'<select name="{html.escape(name)}"{flatatt(final)}>{"".join(options)}\n</select>'
        return mark_safe(markup)  # noqa: S308 (every value and label escaped above, the attributes by flatatt)


class OptionRows(BaseChoiceIterator):
    """A model choice's options for the page, read as plain rows (`values_list` of the key and what the label is
    made of) instead of one model instance each: the capability filters' role levels, roles and units cost more
    to instantiate than to query. Lazy, like the model choice iterator it stands in for: queried only when the
    select is rendered. Validation still goes through the field's queryset."""

    def __init__(self, *, empty_label, rows: QuerySet, label=lambda row: row[1]):
        self.empty_label, self.rows, self.label = empty_label, rows, label

    def __iter__(self):
        if self.empty_label is not None:
            yield ("", self.empty_label)
        for row in self.rows:
            yield (row[0], self.label(row))


class OptionList(BaseChoiceIterator):
    """A select's options: its empty label, then `options` ((value, label) pairs, or an iterator of them), read
    only when the select is rendered."""

    def __init__(self, *, empty_label, options):
        self.empty_label, self.options = empty_label, options

    def __iter__(self):
        if self.empty_label is not None:
            yield ("", self.empty_label)
        yield from self.options


class CapabilityFilterSet(django_filters.FilterSet):
    """The filters of every capability report (docs/decisions/0213): plain GET, no JavaScript. The unit choices
    are the viewer's own units (and everything below them): any other unit is an invalid choice, so a report of
    another analyst's unit is never computed. The framework choices are those of the releases people's role
    levels are in."""

    unit = django_filters.ModelChoiceFilter(
        label="Organisation unit", method="keep", queryset=OrganisationUnit.objects.none(), empty_label="All yours"
    )
    grade = django_filters.ModelChoiceFilter(
        label="Grade", method="keep", queryset=Grade.objects.order_by("rank", "name"), empty_label="Any grade"
    )
    profession = django_filters.ModelChoiceFilter(
        label="Profession", method="keep", queryset=Profession.objects.order_by("name"), empty_label="Any profession"
    )
    role_family = django_filters.ModelChoiceFilter(
        label="Role family", method="keep", queryset=RoleFamily.objects.none(), empty_label="Any role family"
    )
    role = django_filters.ModelChoiceFilter(
        label="Role", method="keep", queryset=Role.objects.none(), empty_label="Any role"
    )
    role_level = django_filters.ModelChoiceFilter(
        label="Role level", method="keep", queryset=RoleLevel.objects.none(), empty_label="Any role level"
    )
    skill = django_filters.ChoiceFilter(label="Skill", method="keep", choices=(), empty_label="Every skill")
    release = django_filters.ModelChoiceFilter(
        label="Framework release", method="keep", queryset=FrameworkRelease.objects.none(), empty_label="Any release"
    )
    basis = django_filters.ChoiceFilter(
        label="Levels counted",
        method="keep",
        choices=(("validated", "Validated"), ("claimed", "Claimed")),
        empty_label=None,
        help_text="Validated: confirmed by a manager, an assessor or a course. Claimed: people's own assessments.",
    )
    assessed_since = django_filters.DateFilter(
        label="Assessed since",
        method="keep",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only people (or, with a skill, levels) assessed on or after this date. For example, 2026-04-01",
    )

    class Meta:
        model = OrganisationUnit
        fields: list[str] = []

    def __init__(self, *args, units, releases, options_version: str | None = None, unit_options=None, **kwargs):
        """`units`, `releases`: what may be chosen (validation always goes through them). `unit_options`: the unit
        options as (key, full name) rows when the caller has them already (the reports' unit tree), instead of a
        query. `options_version`: the summary's version (its refresh): the other options are then read once per
        refresh and kept in the cache, since the figures a report offers to filter are as of that refresh too (a
        grade, profession or release new since it has nobody counted in it yet)."""
        super().__init__(*args, **kwargs)
        self.options_version = options_version
        fields = self.form.fields
        fields["unit"].queryset = units
        fields["unit"].label_from_instance = lambda unit: unit.full_name
        # Only what the options show: the role levels' descriptions (JSON) would cost more than the page.
        fields["role_family"].queryset = (
            RoleFamily.objects.filter(release__in=releases).only("name").order_by("name", "release_id")
        )
        fields["role"].queryset = Role.objects.filter(release__in=releases).only("name").order_by("name", "release_id")
        fields["role_level"].queryset = (
            RoleLevel.objects.filter(release__in=releases)
            .select_related("role")
            .only("name", "role__name")
            .order_by("role__name", "seniority")
        )
        fields["role_level"].label_from_instance = lambda level: f"{level.role.name}: {level.name}"
        fields["release"].queryset = FrameworkRelease.objects.filter(pk__in=releases).select_related("framework")
        fields["release"].label_from_instance = lambda release: f"{release.framework.name} {release.label}"
        fields["skill"].choices = [
            ("", "Every skill"),
            *self._options(
                "skill",
                lambda: list(
                    dict(
                        Skill.objects.filter(release__in=releases)
                        .order_by("name", "-release_id")
                        .values_list("code", "name")
                    ).items()
                ),
            ),
        ]
        fields["basis"].initial = "validated"
        for field in fields.values():
            if type(field.widget) is forms.Select:
                widget = ChoicesSelect(attrs=field.widget.attrs)
                widget.choices, widget.is_required = field.widget.choices, field.widget.is_required
                field.widget = widget
        # The options as rows, in each queryset's order and with each field's labels (every name is the model's
        # str()).
        labels = {
            "unit": ("full_name",),
            "grade": ("name",),
            "profession": ("name",),
            "role_family": ("name",),
            "role": ("name",),
            "role_level": ("role__name", "name"),
            "release": ("framework__name", "label"),
        }
        for name, parts in labels.items():
            field = fields[name]
            rows = OptionRows(
                empty_label=None,
                rows=field.queryset.values_list("pk", *parts),
                label=(lambda row: f"{row[1]}: {row[2]}")
                if name == "role_level"
                else (lambda row: f"{row[1]} {row[2]}")
                if name == "release"
                else (lambda row: row[1]),
            )
            if name == "unit" and unit_options is not None:
                options = list(unit_options)
            elif name == "unit":
                options = rows  # the viewer's own units: never shared through the cache
            else:
                options = self._options(name, lambda rows=rows: list(rows))
            field.widget.choices = OptionList(empty_label=field.empty_label, options=options)

    def _options(self, name: str, read):
        """The options of field `name`: `read()`, kept in the cache for the summary's version when there is one."""
        if not self.options_version:
            return read()
        return refresh_cached(f"capability-filter-options:{self.options_version}:{name}", read)

    def keep(self, queryset, name, value):
        return queryset
