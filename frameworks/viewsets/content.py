"""What the framework admin's viewsets of release content share. Content of a published release, or of a draft
waiting for a moderator (docs/decisions/0114), is read-only: its rows have no Edit or Delete buttons, and their
edit and delete pages send the user to the Inspect page with a message saying how to change it instead (a new
draft release)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from frameworks.models import FrameworkRelease
from frameworks.selectors import release_default_for_editing, release_in_moderation, releases_in_moderation
from frameworks.services import FrameworkError, ReleaseInModerationError
from frameworks.viewsets.base import AdminModelViewSet, InspectAfterwardsMixin, ServiceErrorFormMixin

FROZEN_MESSAGE = (
    "Release {label} of {framework} is {status}, so it cannot be changed. To correct it, start a new draft from "
    "the current release (Frameworks › Releases › New draft from the current release) and change that."
)


class FrameworkServiceFormMixin(ServiceErrorFormMixin):
    """A FrameworkError the service raises is shown above the form. A refusal of the actor is a
    PermissionDenied, not a FrameworkError, so it answers 403 and is never shown here."""

    service_errors = (FrameworkError,)
    service_error_message = "Nothing was saved."


def release_of(instance) -> FrameworkRelease:
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


def _with_release(subtitle: str, release: FrameworkRelease) -> str:
    """A page header that says which release the row belongs to: "Checking work, in release 2026-04 (draft)"."""
    return f"{subtitle}, in release {release.label} ({release.get_status_display().lower()})"


class DraftOnlyMixin:
    """For Edit and Delete views of release content: the rows of a published release, or of a draft waiting
    for a moderator, are read-only. The services refuse such edits too; this sends the editor to the Inspect
    page with the reason before they type anything."""

    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        instance = self.get_object()
        release = self.release = release_of(instance)
        message = _locked_message(release, in_moderation=release.is_editable and release_in_moderation(release=release))
        if message:
            messages.warning(request, message)
            return redirect(self.inspect_url_name, instance.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return _with_release(super().get_page_subtitle(), self.release)


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
        release = release_of(instance)
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
        return release_of(self.object)

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
        release = release_of(instance)
        return f"{release.label} ({release.get_status_display().lower()})"


class ReleaseContentViewSet(InspectAfterwardsMixin, AdminModelViewSet):
    add_to_admin_menu = False
    inspect_view_enabled = True
    search_backend_name = None  # the ORM: content is searched in every release, drafts included
    index_view_class = ReleaseContentIndexView
    inspect_view_class = ReleaseContentInspectView
