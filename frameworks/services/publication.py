"""Publishing a release through Wagtail moderation (docs/decisions/0110-release-publication-workflow.md).

An editor asks for a draft release to be published (`release_publication_request`), which submits its
ReleasePublication to the "Framework release publication" workflow; a Framework moderator approves it in the
Wagtail admin; Wagtail publishes the ReleasePublication, which calls `release_publication_complete`.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import WorkflowState

from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkRelease, ReleasePublication
from frameworks.selectors import release_publication_requester_ids
from frameworks.services.errors import ReleaseStateError, SelfApprovalError
from frameworks.services.pages import framework_page_ensure
from frameworks.services.permissions import actor_check
from frameworks.services.releases import (
    framework_release_publish,
    release_assert_based_on_current,
    release_changes_store,
)


@transaction.atomic
def release_publication_request(
    *, release: FrameworkRelease, actor: AbstractBaseUser | None, summary: str = "", submit: bool = True
) -> ReleasePublication:
    """Ask for the draft `release` to be published: its ReleasePublication is created (or updated with the new
    `summary`), a revision saved and, with `submit`, sent to the framework publication workflow (or sent back
    to it after a moderator asked for changes).

    `actor` needs the permission to change release publications (Content editors and Framework moderators);
    otherwise NotAllowed. Raises ReleaseStateError when the release is not a draft, has no skills, is
    already waiting for a moderator, or no workflow is set up for release publications; StaleDraftError when
    the draft was made from a release that is no longer the framework's current one.
    """
    actor_check(actor, "frameworks.change_releasepublication", refusal="You cannot ask for a release to be published.")
    release = (
        FrameworkRelease.objects.select_for_update(of=("self",))
        .select_related("framework__current_release")
        .get(pk=release.pk)
    )
    if release.status != ReleaseStatus.DRAFT:
        raise ReleaseStateError(
            f"{release.framework} {release.label} is {release.get_status_display().lower()}; "
            "only a draft release can be published."
        )
    if not release.skills.exists():
        raise ReleaseStateError(f"{release.framework} {release.label} has no skills; add them before publishing.")
    release_assert_based_on_current(release=release, current=release.framework.current_release)
    if submit:
        # The moderator reads the change log: bring it up to date with every edit made since the draft began
        # (its content is locked from now on, so the log stays exact).
        release_changes_store(release=release)
    publication = ReleasePublication.objects.filter(release=release).first()
    if publication is None:
        publication = ReleasePublication(
            release=release, requested_by=actor, summary=summary, live=False, has_unpublished_changes=True
        )
        publication.save()
    elif summary and summary != publication.summary:
        publication.summary = summary
        publication.save(update_fields=["summary"])
    state = publication.current_workflow_state
    if submit and state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise ReleaseStateError(f"{release.framework} {release.label} is already waiting for a moderator.")
    publication.save_revision(user=actor)
    if submit:
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user=actor)
        else:
            workflow = publication.get_workflow()
            if workflow is None:
                raise ReleaseStateError(
                    "No workflow is set up for publication requests; ask an administrator to assign one."
                )
            workflow.start(publication, actor)
    log(
        instance=release,
        action="capability.frameworks.publication_request",
        user=actor,
        data={"framework": release.framework.slug, "label": release.label, "submitted": submit},
    )
    return publication


def release_publication_approver_check(*, publication: ReleasePublication, approver: AbstractBaseUser | None) -> None:
    """Raise SelfApprovalError when `approver` asked for this publication (created the request or submitted the
    workflow now running): a release goes live only with a second person's approval
    (docs/decisions/0115-a-different-approver.md). `approver=None` is the system publishing at a go-live
    time that a moderator approved earlier. Called by `ReleasePublication.publish` before anything is saved,
    for approval through the workflow and for the Publish button alike."""
    if approver is None:
        return
    if approver.pk in release_publication_requester_ids(publication=publication):
        release = FrameworkRelease.objects.select_related("framework").get(pk=publication.release_id)
        raise SelfApprovalError(release)


def release_publication_complete(*, publication: ReleasePublication, actor: AbstractBaseUser | None) -> None:
    """Publish the release of the approved `publication` (`framework_release_publish`) and make sure its
    framework has a public page. Called by `ReleasePublication.publish` inside Wagtail's publish transaction;
    not meant to be called on its own (it does not check permissions: Wagtail's publish action did)."""
    release = FrameworkRelease.objects.select_related("framework").get(pk=publication.release_id)
    framework_release_publish(release=release, actor=actor)
    framework_page_ensure(framework=release.framework)
