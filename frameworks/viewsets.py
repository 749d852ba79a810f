"""The framework admin: Wagtail viewsets grouped under one "Frameworks" menu (registered in wagtail_hooks).

Every write goes through `frameworks.services`: the views below validate with the forms in `frameworks.forms`
and call a service instead of saving the form, so the admin, the commands and the API keep the same rules and
the same audit log (which each object's History page shows). Content of a published release is read-only:
its rows have no Edit or Delete buttons, and their edit and delete pages send the user to the Inspect page
with a message saying how to change it instead (a new draft release).
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList, Panel, PublishingPanel
from wagtail.admin.ui.tables import Column, DateColumn, LiveStatusTagColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .enums import ReleaseStatus
from .forms import (
    FrameworkAdminForm,
    FrameworkImportForm,
    NewDraftForm,
    ReleaseChangeForm,
    ReleasePublicationForm,
    RequirementCreateForm,
    RequirementEditForm,
    RoleLevelForm,
    SkillCreateForm,
    SkillEditForm,
)
from .models import (
    Framework,
    FrameworkImport,
    FrameworkRelease,
    ReleaseChange,
    ReleasePublication,
    Requirement,
    Role,
    RoleLevel,
    Skill,
)
from .selectors import (
    release_change_details,
    release_default_for_editing,
    release_in_moderation,
    releases_in_moderation,
)
from .services import (
    FrameworkError,
    ReleaseInModerationError,
    SkillInUseError,
    framework_import_job_create,
    framework_release_draft_create_from_current,
    framework_update,
    release_change_note_set,
    requirement_delete,
    requirement_set,
    role_level_update,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
    skill_update,
)

FROZEN_MESSAGE = (
    "Release {label} of {framework} is {status}, so it cannot be changed. To correct it, start a new draft from "
    "the current release (Frameworks › Releases › New draft from the current release) and change that."
)


class FrameworkPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, minus the actions this admin never offers for the model (`refused`), for
    superusers too: framework records are superseded, not deleted, and some are only written by services."""

    def __init__(self, model, refused=()):
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [action for action in actions if action not in self.refused])

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.refused])


def _release_of(instance) -> FrameworkRelease:
    return instance if isinstance(instance, FrameworkRelease) else instance.release


def _frozen_message(release: FrameworkRelease) -> str:
    return FROZEN_MESSAGE.format(
        label=release.label, framework=release.framework, status=release.get_status_display().lower()
    )


def _locked_message(release: FrameworkRelease, *, in_moderation: bool) -> str | None:
    """Why the content of `release` cannot be changed now, or None when it can."""
    if not release.is_editable:
        return _frozen_message(release)
    if in_moderation:
        return str(ReleaseInModerationError(release))
    return None


class ServiceFormMixin:
    """For Create and Edit views: `save_instance` calls a service; a FrameworkError it raises is shown on the
    form (nothing is written) instead of failing the request."""

    inspect_url_name = None

    def form_valid(self, form):
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()
        except FrameworkError as error:
            form.add_error(None, str(error))
            self.produced_error_message = "Nothing was saved."
            return self.form_invalid(form)
        response = self.save_action()
        hook_response = self.run_after_hook()
        return hook_response if hook_response is not None else response


class DraftOnlyMixin:
    """For Edit and Delete views of release content: the rows of a published release, or of a draft waiting
    for a moderator (docs/decisions/0114), are read-only. The services refuse such edits too; this sends the
    editor to the Inspect page with the reason before they type anything."""

    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        instance = self.get_object()
        release = self.release = _release_of(instance)
        message = _locked_message(release, in_moderation=release.is_editable and release_in_moderation(release=release))
        if message:
            messages.warning(request, message)
            return redirect(self.inspect_url_name, instance.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return _with_release(super().get_page_subtitle(), self.release)


def _with_release(subtitle: str, release: FrameworkRelease) -> str:
    """A page header that says which release the row belongs to: "Checking work, in release 2026-04 (draft)"."""
    return f"{subtitle}, in release {release.label} ({release.get_status_display().lower()})"


class ReleaseContentIndexView(generic.IndexView):
    """Listing of release content: Edit and Delete only on rows of drafts that are not waiting for a moderator
    (the other rows link to Inspect)."""

    @cached_property
    def releases_in_moderation(self) -> set[int]:
        return releases_in_moderation()

    def get_filterset_kwargs(self):
        # Every release holds a copy of every row: unfiltered, the listing mixes them all. Unless the editor
        # chose a release (or a framework or status), show the one they are most likely working on.
        kwargs = super().get_filterset_kwargs()
        if not {"release", "framework", "status"} & set(self.request.GET):
            release = release_default_for_editing()
            if release is not None:
                data = self.request.GET.copy()
                data["release"] = str(release.pk)
                kwargs["data"] = data
        return kwargs

    def _can_change(self, instance) -> bool:
        release = _release_of(instance)
        return release.is_editable and release.pk not in self.releases_in_moderation

    def get_edit_url(self, instance):
        if self._can_change(instance):
            return super().get_edit_url(instance)

    def get_delete_url(self, instance):
        if self._can_change(instance):
            return super().get_delete_url(instance)


class ReleaseContentInspectView(generic.InspectView):
    """Inspect page of release content: no Edit or Delete button while the release cannot be changed, and a
    message saying why (`locked_message`)."""

    @cached_property
    def release(self) -> FrameworkRelease:
        return _release_of(self.object)

    @cached_property
    def locked_message(self) -> str | None:
        release = self.release
        return _locked_message(release, in_moderation=release.is_editable and release_in_moderation(release=release))

    def get_page_subtitle(self):
        return _with_release(super().get_page_subtitle(), self.release)

    def get_edit_url(self):
        if not self.locked_message:
            return super().get_edit_url()

    def get_delete_url(self):
        if not self.locked_message:
            return super().get_delete_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locked_message"] = self.locked_message
        return context


class ReleaseColumn(Column):
    """The release a row belongs to: "DDaT framework 2025-10 (published)"."""

    def get_value(self, instance):
        release = _release_of(instance)
        return f"{release.label} ({release.get_status_display().lower()})"


class InspectAfterwardsMixin:
    """Create and delete views are told where an object's Inspect page is (Wagtail only tells edit views)."""

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)


class ReleaseContentViewSet(InspectAfterwardsMixin, ModelViewSet):
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None  # the ORM: content is searched in every release, drafts included
    index_view_class = ReleaseContentIndexView
    inspect_view_class = ReleaseContentInspectView
    refused_actions: tuple[str, ...] = ()

    @cached_property
    def permission_policy(self):
        return FrameworkPermissionPolicy(self.model, refused=self.refused_actions)


# --- frameworks ------------------------------------------------------------------------------------------


class FrameworkEditView(ServiceFormMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return framework_update(framework=self.form.instance, actor=self.request.user, **data)


class FrameworkIndexView(generic.IndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("current_release")


class FrameworkViewSet(ModelViewSet):
    model = Framework
    icon = "folder-open-inverse"
    menu_label = "Frameworks"
    name = "frameworks_framework"
    url_prefix = "frameworks/frameworks"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["name", "slug", Column("current_release", label="Current release", accessor="current_release")]
    form_fields = FrameworkAdminForm.Meta.fields
    index_view_class = FrameworkIndexView
    edit_view_class = FrameworkEditView

    def get_form_class(self, for_update=False):
        return FrameworkAdminForm

    @cached_property
    def permission_policy(self):
        # Frameworks come into being by importing their first release.
        return FrameworkPermissionPolicy(self.model, refused=("add", "delete"))


# --- releases --------------------------------------------------------------------------------------------


class NewDraftView(ServiceFormMixin, generic.CreateView):
    page_title = "New draft from the current release"
    submit_button_label = "Create the draft"

    def get_page_subtitle(self):
        return ""

    success_message = (
        "Draft release %(object)s created. Edit its skills and role levels, then submit it for publication."
    )

    def save_instance(self):
        data = self.form.cleaned_data
        return framework_release_draft_create_from_current(
            framework=data["framework"], label=data["label"], actor=self.request.user
        )

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class ReleaseIndexView(generic.IndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("framework")

    @cached_property
    def add_item_label(self):
        return "New draft from the current release"

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("frameworks.add_frameworkimport"):
            buttons.append(HeaderButton("Import files", url=reverse("frameworks_import:add"), icon_name="upload"))
        return buttons


# Apps above frameworks add panels to a release's admin page (skills: the progress of carrying people's levels
# forward) through a Wagtail hook, so this app names none of them. Each hook takes (request, release) and returns
# safe HTML or None.
RELEASE_PANELS_HOOK = "frameworks_release_panels"


class ReleaseInspectView(generic.InspectView):
    template_name = "frameworks/admin/release_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.object
        context.update(admin_views.release_summary(request=self.request, release=release))
        context["release_panels"] = [
            panel for hook in hooks.get_hooks(RELEASE_PANELS_HOOK) if (panel := hook(self.request, release))
        ]
        return context


class FrameworkReleaseViewSet(InspectAfterwardsMixin, ModelViewSet):
    model = FrameworkRelease
    icon = "history"
    menu_label = "Releases"
    name = "frameworks_release"
    url_prefix = "frameworks/releases"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "label",
        "framework",
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda release: release.status == ReleaseStatus.PUBLISHED,
        ),
        DateColumn("created_at", label="Created"),
        DateColumn("published_at", label="Published"),
    ]
    list_filter = ["framework", "status"]
    ordering = ["-created_at"]
    form_fields = NewDraftForm.Meta.fields
    index_view_class = ReleaseIndexView
    add_view_class = NewDraftView
    inspect_view_class = ReleaseInspectView

    def get_form_class(self, for_update=False):
        return NewDraftForm

    @cached_property
    def permission_policy(self):
        # Releases are drafted (the add view clones the current one) and published through moderation; their
        # content is edited row by row in the other viewsets.
        return FrameworkPermissionPolicy(self.model, refused=("change", "delete"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/<path:subpath>", admin_views.release_preview, name="preview"),
            path("preview/<int:pk>/", admin_views.release_preview, {"subpath": ""}, name="preview_home"),
            path("publish/<int:pk>/", admin_views.ReleasePublicationRequestView.as_view(), name="request_publication"),
            path("discard/<int:pk>/", admin_views.ReleaseDiscardView.as_view(), name="discard"),
        ]


# --- skills ----------------------------------------------------------------------------------------------


class ReleaseContentFilterSet(WagtailFilterSet):
    framework = django_filters.ModelChoiceFilter(
        field_name="release__framework", queryset=Framework.objects.all(), label="Framework"
    )
    release = django_filters.ModelChoiceFilter(
        queryset=FrameworkRelease.objects.select_related("framework").order_by("-created_at"), label="Release"
    )
    status = django_filters.ChoiceFilter(field_name="release__status", choices=ReleaseStatus.choices, label="Status")


class SkillFilterSet(ReleaseContentFilterSet):
    in_use = django_filters.BooleanFilter(method="filter_in_use", label="Needed by a role level")

    class Meta:
        model = Skill
        fields = []

    def filter_in_use(self, queryset, name, value):
        # EXISTS rather than a join to requirements with DISTINCT: no rows multiply, whatever else is joined.
        needed = Exists(Requirement.objects.filter(skill=OuterRef("pk")))
        return queryset.filter(needed if value else ~needed)


class SkillIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework")


class SkillCreateView(ServiceFormMixin, generic.CreateView):
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


class SkillEditView(DraftOnlyMixin, ServiceFormMixin, generic.EditView):
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


# --- roles and role levels -------------------------------------------------------------------------------


class RoleFilterSet(ReleaseContentFilterSet):
    class Meta:
        model = Role
        fields = []


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
    filterset_class = RoleFilterSet
    search_fields = ["name", "code", "description"]
    ordering = ["name"]
    form_fields = ["name"]
    index_view_class = RoleIndexView
    inspect_view_class = RoleInspectView
    refused_actions = ("add", "change", "delete")  # a role's levels and their skills are what editors change


class RoleLevelFilterSet(ReleaseContentFilterSet):
    role = django_filters.CharFilter(field_name="role__code", label="Role code")

    class Meta:
        model = RoleLevel
        fields = []


class RoleLevelIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework", "role")


class RoleLevelEditView(DraftOnlyMixin, ServiceFormMixin, generic.EditView):
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


# --- required skills -------------------------------------------------------------------------------------


class RequirementFilterSet(ReleaseContentFilterSet):
    skill = django_filters.CharFilter(field_name="skill__code", label="Skill code")
    role = django_filters.CharFilter(field_name="role__code", label="Role code")

    class Meta:
        model = Requirement
        fields = []


class RequirementIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework", "role", "role_level", "skill", "level")


class RequirementCreateView(ServiceFormMixin, generic.CreateView):
    page_title = "Require a skill"

    def save_instance(self):
        data = self.form.cleaned_data
        return requirement_set(
            role_level=data["role_level"], skill=data["skill"], level=data["level"], actor=self.request.user
        )


class RequirementEditView(DraftOnlyMixin, ServiceFormMixin, generic.EditView):
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
        Column("role_level", label="Role level", accessor=lambda r: f"{r.role.name}: {r.role_level or 'no levels'}"),
        "skill",
        "level",
        ReleaseColumn("release", label="Release"),
    ]
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


# --- change log ------------------------------------------------------------------------------------------


class ReleaseChangeFilterSet(ReleaseContentFilterSet):
    class Meta:
        model = ReleaseChange
        fields = ["subject", "kind"]


class ReleaseChangeIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework", "release__previous_release")

    def get_table(self, object_list):
        # Each line says what changed in words ("Text for the Practitioner level changed"), not as codes.
        object_list = list(object_list)
        by_release = {}
        for change in object_list:
            by_release.setdefault(change.release_id, []).append(change)
        for changes in by_release.values():
            release = changes[0].release
            details = release_change_details(changes=changes, from_release=release.previous_release, to_release=release)
            for change, detail in zip(changes, details, strict=True):
                change.summary = detail.summary
        return super().get_table(object_list)


class ReleaseChangeEditView(DraftOnlyMixin, ServiceFormMixin, generic.EditView):
    def save_instance(self):
        change = ReleaseChange.objects.select_related("release").get(pk=self.object.pk)
        return release_change_note_set(change=change, note=self.form.cleaned_data["note"], actor=self.request.user)


class ReleaseChangeViewSet(ReleaseContentViewSet):
    model = ReleaseChange
    icon = "doc-full"
    menu_label = "Change log"
    name = "frameworks_change"
    url_prefix = "frameworks/changes"
    list_display = [
        Column("name", label="Name", accessor=lambda change: change.name or change.code),
        "subject",
        Column("summary", label="Change"),
        "note",
        ReleaseColumn("release", label="Release"),
    ]
    filterset_class = ReleaseChangeFilterSet
    search_fields = ["name", "code", "note"]
    ordering = ["release", "position"]
    form_fields = ReleaseChangeForm.Meta.fields
    index_view_class = ReleaseChangeIndexView
    edit_view_class = ReleaseChangeEditView
    refused_actions = ("add", "delete")  # the change log is computed; editors explain its lines

    def get_form_class(self, for_update=False):
        return ReleaseChangeForm


# --- imports ---------------------------------------------------------------------------------------------


class ImportCreateView(ServiceFormMixin, generic.CreateView):
    page_title = "Import framework files"
    submit_button_label = "Import"
    success_message = None

    def get_page_subtitle(self):
        return ""

    def save_instance(self):
        data = self.form.cleaned_data
        return framework_import_job_create(
            kind=data["kind"],
            framework_slug=data["framework_slug"],
            release_label=data["release_label"],
            roles_file=data.get("roles_file"),
            skills_file=data.get("skills_file"),
            workbook=data.get("workbook"),
            actor=self.request.user,
        )

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class ImportInspectView(generic.InspectView):
    template_name = "frameworks/admin/import_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin_views.import_report_context(self.object))
        return context


class FrameworkImportViewSet(InspectAfterwardsMixin, ModelViewSet):
    model = FrameworkImport
    icon = "upload"
    menu_label = "Imports"
    name = "frameworks_import"
    url_prefix = "frameworks/imports"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        Column("release_label", label="Release", accessor=lambda job: f"{job.framework_slug} {job.release_label}"),
        StatusTagColumn("status", label="Status", accessor="get_status_display"),
        Column("outcome", label="Outcome", accessor="get_outcome_display"),
        "requested_by",
        DateColumn("created_at", label="Uploaded"),
    ]
    list_filter = ["status", "framework_slug"]
    ordering = ["-created_at"]
    form_fields = FrameworkImportForm.Meta.fields
    add_view_class = ImportCreateView
    inspect_view_class = ImportInspectView

    def get_form_class(self, for_update=False):
        return FrameworkImportForm

    @cached_property
    def permission_policy(self):
        # An import is a record of what happened: it is neither edited nor deleted.
        return FrameworkPermissionPolicy(self.model, refused=("change", "delete"))


# --- publication (a snippet, for Wagtail's workflow, revisions and preview) --------------------------------


class RefusedPublicationMixin:
    """Approving or publishing a release publication publishes its release, which can be refused (a release
    that is no longer a draft, or has no skills): then nothing at all is saved, and the moderator is told why."""

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except FrameworkError as error:
            messages.error(request, f"The release was not published: {error}")
            edit_url = reverse(ReleasePublication.snippet_viewset.get_url_name("edit"), args=[kwargs["pk"]])
            if request.headers.get("x-requested-with") == "XMLHttpRequest" and hasattr(self, "render_modal_json"):
                return self.render_modal_json(request, {"step": "success", "redirect": edit_url})
            return redirect(edit_url)


class PublicationEditView(RefusedPublicationMixin, snippet_views.EditView):
    pass


class PublicationWorkflowActionView(RefusedPublicationMixin, snippet_views.WorkflowActionView):
    pass


class ReleaseChangesPanel(Panel):
    """On the publication request (where the moderator approves): the release's change log with each skill's
    text before and after, and the link to preview its public pages, so that the moderator approves what they
    have read."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "frameworks/admin/publication_changes_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            release_id = getattr(self.instance, "release_id", None)
            if release_id is None:
                return context
            release = FrameworkRelease.objects.select_related("framework", "previous_release").get(pk=release_id)
            context.update(admin_views.release_changes_context(release=release))
            return context


class ReleasePublicationViewSet(SnippetViewSet):
    model = ReleasePublication
    icon = "tick-inverse"
    menu_label = "Publication requests"
    url_prefix = "frameworks/publications"
    list_display = ["__str__", LiveStatusTagColumn(), "requested_by", DateColumn("created_at", label="Requested")]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            # First what the moderator approves, then the editor's summary of it.
            ReleaseChangesPanel(heading="What changes in this release"),
            FieldPanel("release"),
            FieldPanel("summary"),
            PublishingPanel(),
        ],
        base_form_class=ReleasePublicationForm,
    )
    edit_view_class = PublicationEditView
    workflow_action_view_class = PublicationWorkflowActionView

    def get_queryset(self, request):
        return ReleasePublication.objects.select_related("release__framework", "requested_by")


class FrameworksViewSetGroup(ViewSetGroup):
    menu_label = "Frameworks"
    menu_icon = "table"
    menu_order = 150
    items = (
        FrameworkReleaseViewSet,
        SkillViewSet,
        RoleViewSet,
        RoleLevelViewSet,
        RequirementViewSet,
        ReleaseChangeViewSet,
        ReleasePublicationViewSet,
        FrameworkImportViewSet,
        FrameworkViewSet,
    )
