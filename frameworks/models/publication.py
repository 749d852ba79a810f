from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin, WorkflowMixin

from frameworks.models.releases import FrameworkRelease


class ReleasePublication(WorkflowMixin, DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    """A request to publish one draft release, moderated through Wagtail's workflow (a Wagtail snippet).

    A release's content is data, not a page, so it cannot go through a page workflow itself; this small
    object stands for "publish release X" and does (docs/decisions/0110-release-publication-workflow.md).
    Editors create it (`release_publication_request`) and submit it to the "Framework release publication"
    workflow; a Framework moderator approves; Wagtail then publishes this object, and `publish()` below makes
    the release the framework's current one with `framework_release_publish`, in the same transaction. Only
    users with the `publish_releasepublication` permission (Framework moderators) can approve or publish.
    A scheduled publication (go-live date) publishes the release when Wagtail's `publish_scheduled` runs.

    Personal data: the requester's account (and, in Wagtail's revisions and workflow states, who approved).
    """

    release = models.OneToOneField(FrameworkRelease, on_delete=models.PROTECT, related_name="publication")
    summary = models.TextField(
        blank=True, help_text="What this release changes and why, for the moderator who approves it."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="release_publication",
        for_concrete_model=False,
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="release_publication",
        for_concrete_model=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        # One name everywhere (the menu, the dashboard, messages): a request to publish a release.
        verbose_name = "publication request"
        verbose_name_plural = "publication requests"

    def __str__(self):
        release = self.release
        return f"Publish {release.framework.title_name} {release.label}"

    def publish(self, revision, user=None, **kwargs):
        """Wagtail's publish (what approving the workflow's last task calls), then the release's own publication.

        Raises ReleaseStateError (and nothing is published) when the release can no longer be published, and
        SelfApprovalError when `user` asked for this publication (another moderator must approve it).
        """
        from frameworks.services.publication import release_publication_approver_check, release_publication_complete  # noqa: PLC0415 — a Wagtail entry point: the services import these models

        with transaction.atomic():
            release_publication_approver_check(publication=self, approver=user)
            result = super().publish(revision, user=user, **kwargs)
            # A go-live date in the future leaves the object not live: the release waits for that date.
            if type(self).objects.filter(pk=self.pk, live=True).exists():
                release_publication_complete(publication=self, actor=user)
        return result

    # --- preview: the public framework page as it will look ------------------------------------------

    def serve_preview(self, request, mode_name):
        from frameworks.views.serve import serve_release_preview  # noqa: PLC0415 — a Wagtail entry point: the views import these models

        return serve_release_preview(request, release=self.release, subpath="")
