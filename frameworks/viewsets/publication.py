"""Frameworks › Publication requests: a snippet, for Wagtail's workflow, revisions and preview. Approving or
publishing one publishes its release (docs/decisions/0110, 0115, 0118)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, ObjectList, Panel, PublishingPanel
from wagtail.admin.ui.tables import DateColumn, LiveStatusTagColumn
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from frameworks import admin_views
from frameworks.forms import ReleasePublicationForm
from frameworks.models import FrameworkRelease, ReleasePublication
from frameworks.services import FrameworkError


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
