"""People › People: what HR may change about a person (through `person_update`), in the analyst's own units
only. People come from the HR feed and are never added or deleted here."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import EditView, IndexView

from skills.filters import PersonAdminFilterSet, people_matching
from skills.models import Person
from skills.selectors import people_for_hr
from skills.services.people import ManagementLoop, person_update
from skills.viewsets.base import SkillsModelViewSet, SkillsServiceFormMixin
from skills.viewsets.forms import PersonAdminForm


class PersonEditView(SkillsServiceFormMixin, EditView):
    template_name = "skills/admin/person_edit.html"

    def get_queryset(self):
        return people_for_hr(user=self.request.user)

    def error_field_for(self, error):
        if isinstance(error, ManagementLoop):
            return "line_manager"
        return super().error_field_for(error)

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
    """The people an HR analyst looks after (`people_for_hr`): the listing and its CSV and XLSX exports."""

    def get_base_queryset(self):
        scoped = people_for_hr(user=self.request.user).values("pk")
        return (
            super().get_base_queryset().filter(pk__in=scoped).select_related("user", "org_unit", "grade", "profession")
        )

    def search_queryset(self, queryset):
        return people_matching(queryset, self.search_query) if self.is_searching else queryset


class PersonViewSet(SkillsModelViewSet):
    model = Person
    name = "skills_person"
    url_prefix = "skills/people"
    icon = "user"
    menu_label = "People"
    refused_actions = ("add", "delete")
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
    list_export = [
        "user.first_name",
        "user.last_name",
        "staff_number",
        "user.email",
        "org_unit.full_name",
        "grade.name",
        "profession",
    ]
    export_headings = {
        "user.first_name": "First name",
        "user.last_name": "Last name",
        "staff_number": "Staff number",
        "user.email": "E-mail",
        "org_unit.full_name": "Organisation unit",
        "grade.name": "Grade",
        "profession": "Profession",
    }
    export_filename = "people"
    search_fields = ["staff_number"]  # enables the search box; PersonIndexView searches names and e-mail too
    search_backend_name = None
    ordering = ["user__last_name", "user__first_name"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return PersonAdminForm
