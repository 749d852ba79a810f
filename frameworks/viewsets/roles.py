"""Frameworks › Roles and Role levels. Roles and their levels come from the framework's files; editors change a
role level's text and, in Required skills, the skills it needs."""

from django.db.models import Count
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from frameworks.filters import RoleFilterSet, RoleLevelFilterSet
from frameworks.forms import RoleLevelForm
from frameworks.models import Role, RoleLevel
from frameworks.services import role_level_update
from frameworks.viewsets.content import (
    DraftOnlyMixin,
    FrameworkServiceFormMixin,
    ReleaseColumn,
    ReleaseContentIndexView,
    ReleaseContentInspectView,
    ReleaseContentViewSet,
)


class RoleIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return (
            super().get_queryset().select_related("release__framework", "family").annotate(level_count=Count("levels"))
        )


class RoleInspectView(ReleaseContentInspectView):
    template_name = "frameworks/admin/role_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_levels"] = self.object.levels.order_by("seniority")
        context["role_level_edit_url_name"] = "frameworks_role_level:edit"
        return context


class RoleViewSet(ReleaseContentViewSet):
    model = Role
    icon = "user"
    menu_label = "Roles"
    name = "frameworks_role"
    url_prefix = "frameworks/roles"
    list_display = [
        "name",
        "family",
        Column("level_count", label="Levels"),
        ReleaseColumn("release", label="Release"),
    ]
    list_export = ["name", "code", "family", "level_count", "release"]
    export_headings = {"level_count": "Levels"}
    export_filename = "framework-roles"
    filterset_class = RoleFilterSet
    search_fields = ["name", "code", "description"]
    ordering = ["name"]
    form_fields = ["name"]
    index_view_class = RoleIndexView
    inspect_view_class = RoleInspectView
    refused_actions = ("add", "change", "delete")  # a role's levels and their skills are what editors change


class RoleLevelIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework", "role")


class RoleLevelEditView(DraftOnlyMixin, FrameworkServiceFormMixin, generic.EditView):
    def save_instance(self):
        role_level = RoleLevel.objects.select_related("release").get(pk=self.object.pk)
        data = self.form.cleaned_data
        return role_level_update(role_level=role_level, actor=self.request.user, **data)


class RoleLevelInspectView(ReleaseContentInspectView):
    template_name = "frameworks/admin/role_level_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requirements"] = self.object.requirements.select_related("skill", "level").order_by("skill__name")
        return context


class RoleLevelViewSet(ReleaseContentViewSet):
    model = RoleLevel
    icon = "list-ol"
    menu_label = "Role levels"
    name = "frameworks_role_level"
    url_prefix = "frameworks/role-levels"
    list_display = ["name", "role", "seniority", "indicative_grade", ReleaseColumn("release", label="Release")]
    list_export = ["name", "code", "role", "seniority", "indicative_grade", "release"]
    export_filename = "framework-role-levels"
    filterset_class = RoleLevelFilterSet
    search_fields = ["name", "code", "role__name", "description"]
    ordering = ["role__name", "seniority"]
    form_fields = RoleLevelForm.Meta.fields
    index_view_class = RoleLevelIndexView
    edit_view_class = RoleLevelEditView
    inspect_view_class = RoleLevelInspectView
    refused_actions = ("add", "delete")  # role levels come with their role, from the files

    def get_form_class(self, for_update=False):
        return RoleLevelForm
