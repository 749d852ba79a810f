"""People › Organisation units: the organisation's tree, created and renamed through the services, never deleted.
An HR analyst sees, changes and exports their own units and those below them only."""

from django.db.models import Count
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView

from skills.models import OrganisationUnit
from skills.selectors import org_units_for_hr
from skills.services.people import org_unit_create, org_unit_rename
from skills.viewsets.base import SkillsModelViewSet, SkillsServiceFormMixin
from skills.viewsets.forms import OrganisationUnitCreateForm, OrganisationUnitRenameForm


class OrganisationUnitCreateView(SkillsServiceFormMixin, CreateView):
    error_field = "unit_path"

    def save_instance(self):
        return org_unit_create(full_name=self.form.cleaned_data["unit_path"], actor=self.request.user)


class OrganisationUnitEditView(SkillsServiceFormMixin, EditView):
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


class OrganisationUnitViewSet(SkillsModelViewSet):
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
    list_export = ["full_name", "name", "depth", "people_count"]
    export_headings = {"depth": "Level", "people_count": "People in the unit"}
    export_filename = "organisation-units"
    search_fields = ["full_name"]
    search_backend_name = None
    ordering = ["full_name"]

    def get_form_class(self, for_update=False):
        return OrganisationUnitRenameForm if for_update else OrganisationUnitCreateForm
