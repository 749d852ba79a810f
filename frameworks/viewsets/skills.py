"""Frameworks › Skills: a draft's skills and their text at each level."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from wagtail.admin.views import generic

from frameworks.filters import SkillFilterSet
from frameworks.forms import SkillCreateForm, SkillEditForm
from frameworks.models import Skill
from frameworks.services import (
    FrameworkError,
    SkillInUseError,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
    skill_update,
)
from frameworks.viewsets.content import (
    DraftOnlyMixin,
    FrameworkServiceFormMixin,
    ReleaseColumn,
    ReleaseContentIndexView,
    ReleaseContentInspectView,
    ReleaseContentViewSet,
)


class SkillIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework")


class SkillCreateView(FrameworkServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return skill_create(
            release=data["release"],
            name=data["name"],
            code=data["code"],
            description=data["description"],
            guidance=data["guidance"],
            actor=self.request.user,
        )

    def get_success_url(self):
        # Next: its text at each level.
        return reverse(self.edit_url_name, args=[self.object.pk])


class SkillEditView(DraftOnlyMixin, FrameworkServiceFormMixin, generic.EditView):
    def save_instance(self):
        skill = Skill.objects.select_related("release__framework").get(pk=self.object.pk)
        data = self.form.cleaned_data
        if (data["name"], data["description"], data["guidance"]) != (skill.name, skill.description, skill.guidance):
            skill = skill_update(
                skill=skill,
                name=data["name"],
                description=data["description"],
                guidance=data["guidance"],
                actor=self.request.user,
            )
        for descriptor, text in self.form.changed_level_texts():
            descriptor.release = skill.release
            descriptor.skill = skill
            skill_level_descriptor_update(descriptor=descriptor, text=text, actor=self.request.user)
        return skill


class SkillDeleteView(DraftOnlyMixin, generic.DeleteView):
    def form_valid(self, form):
        try:
            skill_delete(skill=self.object, actor=self.request.user)
        except SkillInUseError as error:
            messages.error(
                self.request,
                format_html(
                    "{} cannot be deleted: these role levels need it. Remove it from them first (Frameworks › "
                    "Required skills).<ul>{}</ul>",
                    self.object.name,
                    format_html_join("", "<li>{}</li>", ((name,) for name in error.role_levels)),
                ),
            )
            return redirect(self.edit_url_name, self.object.pk)
        except FrameworkError as error:
            messages.error(self.request, str(error))
            return redirect(self.edit_url_name, self.object.pk)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class SkillInspectView(ReleaseContentInspectView):
    template_name = "frameworks/admin/skill_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["descriptors"] = self.object.descriptors.select_related("level").order_by("level__rank")
        context["requirements"] = self.object.requirements.select_related("role", "role_level", "level").order_by(
            "role__name", "role_level__seniority"
        )
        return context


class SkillViewSet(ReleaseContentViewSet):
    model = Skill
    icon = "pick"
    menu_label = "Skills"
    name = "frameworks_skill"
    url_prefix = "frameworks/skills"
    list_display = ["name", "code", ReleaseColumn("release", label="Release"), "release__framework"]
    list_export = ["name", "code", "description", "guidance", "release"]
    export_filename = "framework-skills"
    filterset_class = SkillFilterSet
    search_fields = ["name", "code", "description"]
    ordering = ["name"]
    form_fields = SkillCreateForm.Meta.fields
    index_view_class = SkillIndexView
    add_view_class = SkillCreateView
    edit_view_class = SkillEditView
    delete_view_class = SkillDeleteView
    inspect_view_class = SkillInspectView

    def get_form_class(self, for_update=False):
        return SkillEditForm if for_update else SkillCreateForm
