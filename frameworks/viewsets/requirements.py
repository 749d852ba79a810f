"""Frameworks › Required skills: the skill, and the level of it, that each role level of a draft needs."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from frameworks.filters import RequirementFilterSet
from frameworks.forms import RequirementCreateForm, RequirementEditForm
from frameworks.models import Requirement
from frameworks.services import FrameworkError, requirement_delete, requirement_set
from frameworks.viewsets.content import (
    DraftOnlyMixin,
    FrameworkServiceFormMixin,
    ReleaseColumn,
    ReleaseContentIndexView,
    ReleaseContentViewSet,
)


def _role_level_text(requirement: Requirement) -> str:
    return f"{requirement.role.name}: {requirement.role_level or 'no levels'}"


class RequirementIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework", "role", "role_level", "skill", "level")


class RequirementCreateView(FrameworkServiceFormMixin, generic.CreateView):
    page_title = "Require a skill"

    def save_instance(self):
        data = self.form.cleaned_data
        return requirement_set(
            role_level=data["role_level"], skill=data["skill"], level=data["level"], actor=self.request.user
        )


class RequirementEditView(DraftOnlyMixin, FrameworkServiceFormMixin, generic.EditView):
    def save_instance(self):
        requirement = Requirement.objects.select_related("role_level__release", "skill").get(pk=self.object.pk)
        if requirement.role_level is None:
            raise FrameworkError("A skill listed for a role without levels has no level to change.")
        return requirement_set(
            role_level=requirement.role_level,
            skill=requirement.skill,
            level=self.form.cleaned_data["level"],
            actor=self.request.user,
        )


class RequirementDeleteView(DraftOnlyMixin, generic.DeleteView):
    def form_valid(self, form):
        try:
            requirement_delete(requirement=self.object, actor=self.request.user)
        except FrameworkError as error:
            messages.error(self.request, str(error))
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class RequirementViewSet(ReleaseContentViewSet):
    model = Requirement
    icon = "link"
    menu_label = "Required skills"
    name = "frameworks_requirement"
    url_prefix = "frameworks/required-skills"
    list_display = [
        Column("role_level", label="Role level", accessor=_role_level_text),
        "skill",
        "level",
        ReleaseColumn("release", label="Release"),
    ]
    list_export = ["role", "role_level", "skill", "skill.code", "level", "release"]
    export_headings = {"role_level": "Role level", "skill.code": "Skill code"}
    export_filename = "framework-required-skills"
    filterset_class = RequirementFilterSet
    search_fields = ["skill__name", "role__name", "role_level__name"]
    ordering = ["role__name", "role_level__seniority", "skill__name"]
    form_fields = RequirementCreateForm.Meta.fields
    index_view_class = RequirementIndexView
    add_view_class = RequirementCreateView
    edit_view_class = RequirementEditView
    delete_view_class = RequirementDeleteView

    def get_form_class(self, for_update=False):
        return RequirementEditForm if for_update else RequirementCreateForm
