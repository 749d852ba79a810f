"""Frameworks › Releases: a release's page (summary, actions, panels other apps add), a new draft from the
current release, and the preview, publication request and discard pages of frameworks.admin_views."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import HeaderButton

from frameworks import admin_views
from frameworks.enums import ReleaseStatus
from frameworks.forms import NewDraftForm
from frameworks.models import FrameworkRelease
from frameworks.services import framework_release_draft_create_from_current
from frameworks.viewsets.base import AdminModelViewSet, InspectAfterwardsMixin
from frameworks.viewsets.content import FrameworkServiceFormMixin

# Apps above frameworks add panels to a release's admin page (skills: the progress of carrying people's levels
# forward) through a Wagtail hook, so this app names none of them. Each hook takes (request, release) and returns
# safe HTML or None.
RELEASE_PANELS_HOOK = "frameworks_release_panels"


class NewDraftView(FrameworkServiceFormMixin, generic.CreateView):
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


class FrameworkReleaseViewSet(InspectAfterwardsMixin, AdminModelViewSet):
    model = FrameworkRelease
    icon = "history"
    menu_label = "Releases"
    name = "frameworks_release"
    url_prefix = "frameworks/releases"
    add_to_admin_menu = False
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
    # Releases are drafted (the add view clones the current one) and published through moderation; their
    # content is edited row by row in the other viewsets.
    refused_actions = ("change", "delete")

    def get_form_class(self, for_update=False):
        return NewDraftForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/<path:subpath>", admin_views.release_preview, name="preview"),
            path("preview/<int:pk>/", admin_views.release_preview, {"subpath": ""}, name="preview_home"),
            path("publish/<int:pk>/", admin_views.ReleasePublicationRequestView.as_view(), name="request_publication"),
            path("discard/<int:pk>/", admin_views.ReleaseDiscardView.as_view(), name="discard"),
        ]
