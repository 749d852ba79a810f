"""The "People" admin: organisation units, grades, professions, people and the HR feed import.

Only superusers and HR analysts (the skills model permissions granted by migration 0005) see or use any of it;
choosers of people and units are refused to everyone else too. Writes that carry rules go through services
(`person_update`, `org_unit_create`, `org_unit_rename`, `people_import_upload`); grades and professions are
plain reference rows, saved by Wagtail's views (which validate their unique constraints and log the change).
Nothing is deleted here: people and units are superseded or renamed, never removed.
"""

from functools import wraps
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count
from django.http import Http404
from django.urls import path, reverse
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from frameworks.models import Framework, RoleLevel
from skills.filters import PersonAdminFilterSet, people_matching
from skills.importers import COLUMNS, PeopleImportReport
from skills.models import Grade, HRResponsibility, OrganisationUnit, PeopleImport, Person, Profession
from skills.selectors import org_units_for_hr, people_for_hr
from skills.services.errors import NotAllowed, SkillsError
from skills.services.people import (
    ManagementLoop,
    OwnRightsChange,
    org_unit_create,
    org_unit_rename,
    people_import_upload,
    person_update,
)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
HR_ANALYST_GROUP = "HR analyst"


class HRPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, except for the actions this admin never offers on the model, which nobody
    (not even a superuser) is given."""

    def __init__(self, model, *, never=()):
        super().__init__(model)
        self.never = frozenset(never)

    def user_has_permission(self, user, action):
        return action not in self.never and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.never]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


class _ReferenceViewSet(ModelViewSet):
    """What every viewset of this admin shares: no copies, no deletes, not in the reference index (the HR feed
    writes these rows in bulk, past the signals that keep the index)."""

    copy_view_enabled = False
    add_to_reference_index = False
    never = ("delete",)

    @property
    def permission_policy(self):
        return HRPermissionPolicy(self.model, never=self.never)


def _require_permission(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return permission_denied(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class _HROnlyChooserViewSet(ChooserViewSet):
    """A chooser that only users with `required_permission` may open (choosers are otherwise open to anyone who
    can enter the admin, and these list people)."""

    required_permission = ""
    register_widget = False
    per_page = 20

    def get_urlpatterns(self):
        guard = _require_permission(self.required_permission)
        return [
            path(str(pattern.pattern), guard(pattern.callback), name=pattern.name)
            for pattern in super().get_urlpatterns()
        ]


# --- choosers ---------------------------------------------------------------------------------------------------


class PersonSearchForm(BaseFilterForm):
    q = forms.CharField(label="Search term", required=False, widget=forms.TextInput(attrs={"placeholder": "Search"}))

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching, self.search_query = True, query
            objects = people_matching(objects, query)
        return objects


class UnitSearchForm(BaseFilterForm):
    q = forms.CharField(label="Search term", required=False, widget=forms.TextInput(attrs={"placeholder": "Search"}))

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching, self.search_query = True, query
            for word in query.split():
                objects = objects.filter(full_name__icontains=word)
        return objects


class _PersonColumnsMixin:
    filter_form_class = PersonSearchForm
    ordering = ["user__last_name", "user__first_name", "pk"]

    @property
    def columns(self):
        return [
            *super().columns,
            Column("staff_number", label="Staff number"),
            Column("org_unit", label="Organisation unit", accessor="org_unit.full_name"),
        ]


class _ScopedChooserMixin:
    """A chooser listing only what the user may see as HR (`scoped_objects`); choosing anything else is 404."""

    def scoped_objects(self):
        raise NotImplementedError

    def get_object_list(self):
        return self.scoped_objects()


class _ScopedChosenView(chooser_views.ChosenView):
    def get(self, request, pk):
        try:
            item = self.scoped_objects().get(pk=pk)
        except (ObjectDoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        return self.get_chosen_response(item)


class _ScopedPeople:
    def scoped_objects(self):
        return people_for_hr(user=self.request.user).select_related("user", "org_unit")


class _ScopedUnits:
    def scoped_objects(self):
        return org_units_for_hr(user=self.request.user)


class PersonChooseView(_ScopedPeople, _ScopedChooserMixin, _PersonColumnsMixin, chooser_views.ChooseView):
    pass


class PersonChooseResultsView(_ScopedPeople, _ScopedChooserMixin, _PersonColumnsMixin, chooser_views.ChooseResultsView):
    pass


class PersonChosenView(_ScopedPeople, _ScopedChosenView):
    pass


class PersonChooserViewSet(_HROnlyChooserViewSet):
    model = Person
    icon = "user"
    choose_one_text = "Choose a person"
    choose_another_text = "Choose another person"
    required_permission = "skills.change_person"
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView


class UnitChooseView(_ScopedUnits, _ScopedChooserMixin, chooser_views.ChooseView):
    filter_form_class = UnitSearchForm
    ordering = ["full_name"]


class UnitChooseResultsView(_ScopedUnits, _ScopedChooserMixin, chooser_views.ChooseResultsView):
    filter_form_class = UnitSearchForm
    ordering = ["full_name"]


class UnitChosenView(_ScopedUnits, _ScopedChosenView):
    pass


class OrganisationUnitChooserViewSet(_HROnlyChooserViewSet):
    model = OrganisationUnit
    icon = "folder-open-inverse"
    choose_one_text = "Choose an organisation unit"
    choose_another_text = "Choose another unit"
    required_permission = "skills.view_organisationunit"
    choose_view_class = UnitChooseView
    choose_results_view_class = UnitChooseResultsView
    chosen_view_class = UnitChosenView


person_chooser_viewset = PersonChooserViewSet("skills_person_chooser", url_prefix="skills/choose-person")
org_unit_chooser_viewset = OrganisationUnitChooserViewSet(
    "skills_org_unit_chooser", url_prefix="skills/choose-organisation-unit"
)


# --- organisation units -----------------------------------------------------------------------------------------


class OrganisationUnitCreateForm(forms.ModelForm):
    unit_path = forms.CharField(
        label="Full name",
        max_length=1000,
        help_text="The unit's path from the department down, names separated by '/', e.g. "
        "'Department for Education/Digital and Data/Platform team'. Missing units above it are created too.",
    )

    class Meta:
        model = OrganisationUnit
        fields = []


class OrganisationUnitRenameForm(forms.ModelForm):
    class Meta:
        model = OrganisationUnit
        fields = ["name"]
        help_texts = {"name": "Renaming a unit changes the full names of every unit below it."}


class _ServiceErrorsMixin:
    """Show a service's refusal on the form rather than failing the request."""

    error_field = None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except OwnRightsChange as exc:
            return self._refused_on_form(form, exc.field, exc)
        except NotAllowed:
            return permission_denied(self.request)
        except SkillsError as exc:
            return self._refused_on_form(form, self.error_field_for(exc), exc)

    def _refused_on_form(self, form, field, exc):
        form.add_error(field, str(exc))
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)

    def error_field_for(self, exc):
        return self.error_field


class OrganisationUnitCreateView(_ServiceErrorsMixin, CreateView):
    error_field = "unit_path"

    def save_instance(self):
        return org_unit_create(full_name=self.form.cleaned_data["unit_path"], actor=self.request.user)


class OrganisationUnitEditView(_ServiceErrorsMixin, EditView):
    error_field = "name"

    def get_queryset(self):
        return org_units_for_hr(user=self.request.user)

    def save_instance(self):
        # The form has already set the new name on self.object; the service re-reads the unit.
        unit = OrganisationUnit.objects.get(pk=self.object.pk)
        return org_unit_rename(unit=unit, name=self.form.cleaned_data["name"], actor=self.request.user)


class OrganisationUnitIndexView(IndexView):
    def get_base_queryset(self):
        scoped = org_units_for_hr(user=self.request.user).values("pk")
        return super().get_base_queryset().filter(pk__in=scoped).annotate(people_count=Count("people"))


class OrganisationUnitViewSet(_ReferenceViewSet):
    model = OrganisationUnit
    name = "skills_org_unit"
    url_prefix = "skills/organisation-units"
    icon = "folder-open-inverse"
    menu_label = "Organisation units"
    index_view_class = OrganisationUnitIndexView
    add_view_class = OrganisationUnitCreateView
    edit_view_class = OrganisationUnitEditView
    list_display = [
        "full_name",
        Column("depth", label="Level"),
        Column("people_count", label="People in the unit", sort_key="people_count"),
    ]
    search_fields = ["full_name"]
    search_backend_name = None
    ordering = ["full_name"]

    def get_form_class(self, for_update=False):
        return OrganisationUnitRenameForm if for_update else OrganisationUnitCreateForm


# --- grades and professions ---------------------------------------------------------------------------------------


class GradeViewSet(_ReferenceViewSet):
    model = Grade
    name = "skills_grade"
    url_prefix = "skills/grades"
    icon = "list-ol"
    form_fields = ["code", "name", "rank"]
    list_display = ["name", "code", "rank"]
    ordering = ["rank"]


class ProfessionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(people_count=Count("people"))


class ProfessionViewSet(_ReferenceViewSet):
    model = Profession
    name = "skills_profession"
    url_prefix = "skills/professions"
    icon = "tag"
    index_view_class = ProfessionIndexView
    form_fields = ["name"]
    list_display = ["name", Column("people_count", label="People", sort_key="people_count")]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]


# --- people -------------------------------------------------------------------------------------------------------


class RoleLevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.role.name}: {obj} ({obj.release.framework.name})"


def _current_role_levels():
    return (
        RoleLevel.objects.filter(release__in=Framework.objects.values("current_release"))
        .select_related("role", "release__framework")
        .order_by("release__framework__name", "role__name", "seniority")
    )


class PersonAdminForm(forms.ModelForm):
    """What HR may change about a person. Names, e-mail and staff number come from the HR feed."""

    current_role_level = RoleLevelChoiceField(queryset=RoleLevel.objects.none(), required=False)
    target_role_level = RoleLevelChoiceField(queryset=RoleLevel.objects.none(), required=False)
    accredited_frameworks = forms.ModelMultipleChoiceField(
        queryset=Framework.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Frameworks this person may validate others' claims for, as an assessor.",
    )

    class Meta:
        model = Person
        fields = [
            "org_unit",
            "grade",
            "profession",
            "line_manager",
            "current_role_level",
            "target_role_level",
            "accredited_frameworks",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].widget = org_unit_chooser_viewset.widget_class()
        self.fields["line_manager"].widget = person_chooser_viewset.widget_class()
        self.fields["line_manager"].help_text = "Refused if this person manages them, directly or through others."
        for name in ("current_role_level", "target_role_level"):
            self.fields[name].queryset = _current_role_levels()
        self.fields["current_role_level"].help_text = "From the current release of a framework."


class PersonEditView(_ServiceErrorsMixin, EditView):
    template_name = "skills/admin/person_edit.html"

    def get_queryset(self):
        return people_for_hr(user=self.request.user)

    def error_field_for(self, exc):
        return "line_manager" if isinstance(exc, ManagementLoop) else None

    def save_instance(self):
        data = self.form.cleaned_data
        return person_update(
            person=self.object,
            actor=self.request.user,
            org_unit=data["org_unit"],
            grade=data["grade"],
            profession=data["profession"],
            line_manager=data["line_manager"],
            current_role_level=data["current_role_level"],
            target_role_level=data["target_role_level"],
            accredited_frameworks=list(data["accredited_frameworks"]),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = Person.objects.select_related("user").get(pk=self.object.pk)
        return context


class PersonIndexView(IndexView):
    def get_base_queryset(self):
        scoped = people_for_hr(user=self.request.user).values("pk")
        return (
            super().get_base_queryset().filter(pk__in=scoped).select_related("user", "org_unit", "grade", "profession")
        )

    def search_queryset(self, queryset):
        return people_matching(queryset, self.search_query) if self.is_searching else queryset


class PersonViewSet(_ReferenceViewSet):
    model = Person
    name = "skills_person"
    url_prefix = "skills/people"
    icon = "user"
    menu_label = "People"
    never = ("add", "delete")
    index_view_class = PersonIndexView
    edit_view_class = PersonEditView
    form_class = PersonAdminForm
    filterset_class = PersonAdminFilterSet
    list_display = [
        "__str__",
        Column("staff_number", label="Staff number", sort_key="staff_number"),
        Column("email", label="E-mail", accessor="user.email", sort_key="user__email"),
        Column("org_unit", label="Organisation unit", accessor="org_unit.full_name", sort_key="org_unit__full_name"),
        Column("grade", label="Grade", accessor="grade.name", sort_key="grade__rank"),
        Column("profession", label="Profession", accessor="profession"),
    ]
    search_fields = ["staff_number"]  # enables the search box; PersonIndexView searches names and e-mail too
    search_backend_name = None
    ordering = ["user__last_name", "user__first_name"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return PersonAdminForm


# --- the HR feed import -------------------------------------------------------------------------------------------


def _framework_choices():
    published = Framework.objects.filter(current_release__isnull=False).values_list("slug", "name")
    return sorted(published, key=lambda choice: (choice[0] != settings.CAPABILITY_DEFAULT_FRAMEWORK, choice[1]))


class PeopleImportForm(forms.ModelForm):
    framework_slug = forms.ChoiceField(
        label="Framework",
        choices=_framework_choices,
        help_text="The role and role_level columns name roles in this framework's current release.",
    )

    class Meta:
        model = PeopleImport
        fields = ["file", "framework_slug", "dry_run"]
        labels = {"file": "HR feed (CSV)", "dry_run": "Check only: write nothing"}
        help_texts = {
            "file": "A UTF-8 CSV file with the columns " + ", ".join(COLUMNS) + ". Every value is required but "
            "profession and line_manager_staff_number. Nothing is written unless every row is right.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".csv":
            raise forms.ValidationError("Upload the feed as a .csv file (in Excel: Save as 'CSV UTF-8').")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.")
        return upload


class PeopleImportCreateView(_ServiceErrorsMixin, CreateView):
    inspect_url_name = None
    page_title = "Import people"
    submit_button_label = "Upload and import"

    def save_instance(self):
        data = self.form.cleaned_data
        return people_import_upload(
            file=data["file"], actor=self.request.user, framework_slug=data["framework_slug"], dry_run=data["dry_run"]
        )

    def get_page_subtitle(self):
        return "Upload the HR feed"

    def get_success_message(self, instance):
        return None

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class PeopleImportResultsView(InspectView):
    template_name = "skills/admin/people_import_results.html"
    page_title = "Import results"

    def get_object(self, queryset=None):
        if not self.request.user.has_perm("skills.view_peopleimport"):
            return super().get_object(queryset)  # the permission check that follows turns them away
        record = _imports_for(self.request.user).filter(pk=self.pk).first() if str(self.pk).isdigit() else None
        if record is None:
            raise Http404
        return record

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context["record"] = record
        context["report"] = PeopleImportReport.from_dict(record.report) if record.report else None
        context["index_url"] = reverse(self.index_url_name)
        return context


def _import_result(record: PeopleImport) -> str:
    if not record.report:
        return ""
    report = PeopleImportReport.from_dict(record.report)
    if not report.ok:
        return f"{report.error_count} problem(s)"
    return f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"


def _imports_for(user):
    """An HR analyst sees the imports they uploaded (their reports quote the files); superusers see all."""
    imports = PeopleImport.objects.all()
    return imports if user.is_superuser else imports.filter(requested_by=user)


class PeopleImportIndexView(IndexView):
    add_item_label = "Upload an HR feed"

    def get_base_queryset(self):
        scoped = _imports_for(self.request.user).values("pk")
        return super().get_base_queryset().filter(pk__in=scoped).select_related("requested_by")


class PeopleImportViewSet(_ReferenceViewSet):
    model = PeopleImport
    name = "skills_people_import"
    url_prefix = "skills/people-imports"
    icon = "upload"
    menu_label = "Import people"
    never = ("change", "delete")
    index_view_class = PeopleImportIndexView
    add_view_class = PeopleImportCreateView
    inspect_view_class = PeopleImportResultsView
    inspect_view_enabled = True
    form_class = PeopleImportForm
    list_display = [
        "original_name",
        Column("status", label="Status", accessor="get_status_display"),
        BooleanColumn("dry_run", label="Check only"),
        Column("result", label="Result", accessor=_import_result),
        Column("requested_by", label="By", accessor="requested_by"),
        DateColumn("created_at", label="Uploaded", sort_key="created_at"),
    ]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return PeopleImportForm

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)


# --- HR analysts' organisation units -------------------------------------------------------------------------------


class HRResponsibilityForm(forms.ModelForm):
    class Meta:
        model = HRResponsibility
        fields = ["user", "org_unit"]
        labels = {"user": "HR analyst", "org_unit": "Organisation unit"}
        help_texts = {"org_unit": "The analyst sees and changes the people of this unit and every unit below it."}

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        analysts = Group.objects.filter(name=HR_ANALYST_GROUP).values("user")
        self.fields["user"].queryset = get_user_model().objects.filter(pk__in=analysts).order_by("email")
        self.fields["org_unit"].widget = org_unit_chooser_viewset.widget_class()


class HRResponsibilityViewSet(_ReferenceViewSet):
    """Which organisation units each HR analyst looks after. No role is given these permissions, so only
    superusers see this; Wagtail's views log each assignment added or removed."""

    model = HRResponsibility
    name = "skills_hr_responsibility"
    url_prefix = "skills/hr-responsibilities"
    icon = "key"
    menu_label = "HR analysts' units"
    never = ()
    form_class = HRResponsibilityForm
    list_display = [
        Column("user", label="HR analyst", accessor="user"),
        Column("org_unit", label="Organisation unit (and below)", accessor="org_unit.full_name"),
    ]
    ordering = ["user__email", "org_unit__full_name"]

    def get_form_class(self, for_update=False):
        return HRResponsibilityForm

    def get_queryset(self, request):
        return HRResponsibility.objects.select_related("user", "org_unit")


class PeopleViewSetGroup(ViewSetGroup):
    """The "People" menu: organisation and people reference data, and the HR feed import."""

    menu_label = "People"
    menu_icon = "group"
    menu_order = 250
    items = (
        PersonViewSet,
        OrganisationUnitViewSet,
        GradeViewSet,
        ProfessionViewSet,
        PeopleImportViewSet,
        HRResponsibilityViewSet,
    )
