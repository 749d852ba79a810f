"""Admin pages of the framework admin that are not a model's standard listing or form: a release's summary and
actions, the preview of a draft's public pages, the request to publish a release, and an import's progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import WorkflowState

from frameworks.enums import ImportJobStatus, QuirkKind, ReleaseStatus
from frameworks.models import FrameworkImport, FrameworkPage, FrameworkRelease, ReleasePublication
from frameworks.selectors import (
    release_change_details,
    release_change_log,
    release_content_counts,
    release_in_moderation,
)
from frameworks.services import FrameworkError, StaleDraftError, framework_release_discard, release_publication_request
from frameworks.views import serve_release_preview

# How many examples of each kind of quirk the import page shows (the stored report keeps them all).
QUIRK_EXAMPLES = 3


def _can_see_drafts(user) -> bool:
    return user.has_perm("frameworks.view_frameworkrelease")


def release_summary(*, request, release: FrameworkRelease) -> dict:
    """What the release's admin page shows: counts, where to read or preview it, its publication request and
    the actions this user may take."""
    counts = release_content_counts(release=release)
    user = request.user
    publication = ReleasePublication.objects.filter(release=release).first()
    workflow_state = publication.current_workflow_state if publication else None
    page = FrameworkPage.objects.filter(framework_id=release.framework_id).live().first()
    public_url = None
    if page is not None and release.status != ReleaseStatus.DRAFT:
        public_url = f"{page.url}releases/{release.label}/"
    content_locked = release.is_editable and release_in_moderation(release=release)
    framework = release.framework
    stale = (
        release.is_editable
        and framework.current_release_id is not None
        and framework.current_release_id != release.previous_release_id
    )
    filter_query = f"?release={release.pk}"
    return {
        "release": release,
        "counts": counts,
        "publication": publication,
        "publication_url": AdminURLFinder(user).get_edit_url(publication) if publication else None,
        "workflow_state": workflow_state,
        "in_moderation": workflow_state is not None and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS,
        "content_locked": content_locked,
        "needs_changes": workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES,
        "preview_url": reverse("frameworks_release:preview_home", args=[release.pk]) if release.is_editable else None,
        "public_url": public_url,
        "skills_url": reverse("frameworks_skill:index") + filter_query,
        "role_levels_url": reverse("frameworks_role_level:index") + filter_query,
        "requirements_url": reverse("frameworks_requirement:index") + filter_query,
        "changes_url": reverse("frameworks_change:index") + filter_query,
        "history_url": reverse("frameworks_release:history", args=[release.pk]),
        "stale_message": str(StaleDraftError(release, framework.current_release)) if stale else None,
        "can_request_publication": release.is_editable
        and user.has_perm("frameworks.change_releasepublication")
        and not content_locked
        and not stale,
        "request_publication_url": reverse("frameworks_release:request_publication", args=[release.pk]),
        "can_discard": release.is_editable and not content_locked and user.has_perm("frameworks.add_frameworkrelease"),
        "discard_url": reverse("frameworks_release:discard", args=[release.pk]),
        "can_draft": release.framework.current_release_id == release.pk
        and user.has_perm("frameworks.add_frameworkrelease"),
        "new_draft_url": reverse("frameworks_release:add"),
    }


def release_changes_context(*, release: FrameworkRelease) -> dict:
    """A release's change log with the texts before and after, its preview and why it cannot be published
    (when it is a stale draft), for the moderator's approval screen."""
    framework = release.framework
    stale = release.is_editable and framework.current_release_id not in (None, release.previous_release_id)
    return {
        "release": release,
        "release_url": reverse("frameworks_release:inspect", args=[release.pk]),
        "change_details": release_change_details(
            changes=release_change_log(release=release), from_release=release.previous_release, to_release=release
        ),
        "preview_url": reverse("frameworks_release:preview_home", args=[release.pk]) if release.is_editable else None,
        "stale_message": str(StaleDraftError(release, framework.current_release)) if stale else None,
    }


def release_preview(request, pk: int, subpath: str):
    """The public pages of any release (drafts included) as they will look, for editors and moderators."""
    if not _can_see_drafts(request.user):
        raise PermissionDenied
    release = get_object_or_404(FrameworkRelease.objects.select_related("framework"), pk=pk)
    return serve_release_preview(request, release=release, subpath=subpath)


class PublicationRequestForm(forms.Form):
    summary = forms.CharField(
        label="What changes, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For the Framework moderator who approves the publication. The change log is attached.",
    )


class ReleasePublicationRequestView(WagtailAdminTemplateMixin, FormView):
    """Submit a draft release to the "Framework release publication" workflow."""

    form_class = PublicationRequestForm
    template_name = "frameworks/admin/request_publication.html"
    page_title = "Submit for publication"
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("frameworks.change_releasepublication"):
            raise PermissionDenied
        self.release = get_object_or_404(FrameworkRelease.objects.select_related("framework"), pk=kwargs["pk"])
        if not self.release.is_editable:
            raise Http404("Only a draft release can be submitted for publication.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.release.framework.title_name} {self.release.label}"

    def get_breadcrumbs_items(self):
        return _release_breadcrumbs(self.release, self.page_title)

    def get_initial(self):
        publication = ReleasePublication.objects.filter(release=self.release).first()
        return {"summary": publication.summary if publication else ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(release_summary(request=self.request, release=self.release))
        return context

    def form_valid(self, form):
        try:
            publication = release_publication_request(
                release=self.release, actor=self.request.user, summary=form.cleaned_data["summary"]
            )
        except FrameworkError as error:
            messages.error(self.request, str(error))
            return redirect("frameworks_release:inspect", self.release.pk)
        messages.success(
            self.request,
            f"{self.release.framework} {self.release.label} is waiting for a Framework moderator to approve it.",
        )
        return redirect(AdminURLFinder(self.request.user).get_edit_url(publication))


class ReleaseDiscardView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then discard a draft release (`framework_release_discard`)."""

    template_name = "frameworks/admin/discard_release.html"
    page_title = "Discard this draft"
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("frameworks.add_frameworkrelease"):
            raise PermissionDenied
        self.release = get_object_or_404(FrameworkRelease.objects.select_related("framework"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.release)

    def get_breadcrumbs_items(self):
        return _release_breadcrumbs(self.release, self.page_title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(release_summary(request=self.request, release=self.release))
        return context

    def post(self, request, *args, **kwargs):
        try:
            label = framework_release_discard(release=self.release, actor=request.user)
        except FrameworkError as error:
            messages.error(request, f"The draft was not discarded. {error}")
            return redirect("frameworks_release:inspect", self.release.pk)
        messages.success(request, f"Draft {self.release.framework.title_name} {label} discarded.")
        return redirect("frameworks_release:index")


def _release_breadcrumbs(release: FrameworkRelease, title: str) -> list[dict]:
    """Home › Releases › the release › this page, as the admin's other pages show their place."""
    return [
        {"url": reverse("wagtailadmin_home"), "label": "Home"},
        {"url": reverse("frameworks_release:index"), "label": "Releases"},
        {"url": reverse("frameworks_release:inspect", args=[release.pk]), "label": str(release)},
        {"url": "", "label": title},
    ]


def import_report_context(job: FrameworkImport) -> dict:
    """The import page's view of a job's stored report: outcome, counts, quirks (a few examples of each kind)
    and errors, and where to go next."""
    report = job.report or {}
    quirks = []
    for kind, count in (report.get("quirk_counts") or {}).items():
        examples = [quirk for quirk in report.get("quirks", []) if quirk["kind"] == kind][:QUIRK_EXAMPLES]
        quirks.append(
            {
                "label": QuirkKind(kind).label,
                "count": count,
                "examples": [_place(example) + ": " + example["message"] for example in examples],
            }
        )
    return {
        "job": job,
        "is_running": job.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING),
        "has_crashed": job.status == ImportJobStatus.CRASHED,
        "report_counts": [(name.replace("_", " "), value) for name, value in (report.get("counts") or {}).items()],
        "quirks": quirks,
        "errors": [_place(error) + ": " + error["message"] for error in report.get("errors", [])],
        "changes": report.get("changes") or {},
        "previous_release": report.get("previous_release") or "",
        "release_url": reverse("frameworks_release:inspect", args=[job.release_id]) if job.release_id else None,
        "new_import_url": reverse("frameworks_import:add"),
    }


def _place(problem: dict) -> str:
    parts = [problem["file"]]
    if problem.get("row") is not None:
        parts.append(f"row {problem['row']}")
    if problem.get("column"):
        parts.append(f"column '{problem['column']}'")
    return ", ".join(parts)
