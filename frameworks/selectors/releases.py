"""Frameworks and their releases: which release to show or edit, its counts, its moderation state, its change log."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Revision, WorkflowState

from frameworks.enums import ReleaseStatus
from frameworks.models import (
    Framework,
    FrameworkRelease,
    ReleaseChange,
    ReleasePublication,
    Requirement,
    Role,
    RoleLevel,
    Skill,
)

VISIBLE_STATUSES = (ReleaseStatus.PUBLISHED, ReleaseStatus.SUPERSEDED)


def framework_get(*, slug: str) -> Framework:
    """The framework with its current release loaded. Raises Framework.DoesNotExist."""
    return Framework.objects.select_related("current_release").get(slug=slug)


def frameworks_published() -> QuerySet[Framework]:
    """Frameworks that have a published release, A to Z, each with `current_release` loaded (one query)."""
    return Framework.objects.filter(current_release__isnull=False).select_related("current_release").order_by("name")


def release_get(*, framework_slug: str, label: str | None = None, published_only: bool = True) -> FrameworkRelease:
    """A framework's release by label, or its current release when `label` is None (one query).

    Raises FrameworkRelease.DoesNotExist when there is no such release, when `label` is None and nothing is
    published yet, or when `published_only` and the release is a draft.
    """
    releases = FrameworkRelease.objects.select_related("framework").filter(framework__slug=framework_slug)
    if published_only:
        releases = releases.filter(status__in=VISIBLE_STATUSES)
    if label is None:
        return releases.get(status=ReleaseStatus.PUBLISHED)
    return releases.get(label=label)


def framework_releases(*, framework: Framework, published_only: bool = True) -> QuerySet[FrameworkRelease]:
    """The framework's releases, newest first, each annotated with `change_count` (one query)."""
    releases = framework.releases.annotate(change_count=Count("changes")).order_by("-created_at", "-pk")
    if published_only:
        releases = releases.filter(status__in=VISIBLE_STATUSES)
    return releases


def release_content_counts(*, release: FrameworkRelease) -> dict[str, int]:
    """How many skills, roles, role levels, required skills and change log lines `release` holds (one query).

    Each count is its own scalar subquery on one table: counting them over joins of the release's tables
    multiplies their rows (billions on the real DDaT release) before DISTINCT can throw them away.
    """

    def count_of(model):
        rows = model.objects.filter(release=OuterRef("pk")).order_by().values("release").annotate(n=Count("pk"))
        return Coalesce(Subquery(rows.values("n")[:1]), 0)

    names = {
        "skills": Skill,
        "roles": Role,
        "role_levels": RoleLevel,
        "requirements": Requirement,
        "changes": ReleaseChange,
    }
    # The aliases differ from the release's reverse relations, which annotate() would refuse to shadow.
    row = (
        FrameworkRelease.objects.filter(pk=release.pk)
        .annotate(**{f"{name}_count": count_of(model) for name, model in names.items()})
        .values(*(f"{name}_count" for name in names))
        .get()
    )
    return {name: row[f"{name}_count"] for name in names}


def release_default_for_editing() -> FrameworkRelease | None:
    """The release the admin's content listings show unless the editor picks one: the newest draft, or else
    the most recently published current release (one or two queries)."""
    draft = FrameworkRelease.objects.filter(status=ReleaseStatus.DRAFT).order_by("-created_at", "-pk").first()
    if draft is not None:
        return draft
    return FrameworkRelease.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-published_at", "-pk").first()


def releases_in_moderation() -> set[int]:
    """Ids of the draft releases whose content is locked for moderation (docs/decisions/0114): their
    publication request waits for a Framework moderator, or was approved to go live at a later time. Two
    queries, whatever the number of releases."""
    content_type = ContentType.objects.get_for_model(ReleasePublication)
    waiting = WorkflowState.objects.filter(
        base_content_type=content_type, status=WorkflowState.STATUS_IN_PROGRESS
    ).values_list("object_id")
    scheduled = Revision.objects.filter(base_content_type=content_type, approved_go_live_at__isnull=False).values_list(
        "object_id"
    )
    publication_ids = [int(object_id) for (object_id,) in waiting.union(scheduled)]
    if not publication_ids:
        return set()
    return set(
        ReleasePublication.objects.filter(pk__in=publication_ids, release__status=ReleaseStatus.DRAFT).values_list(
            "release_id", flat=True
        )
    )


def release_in_moderation(*, release: FrameworkRelease) -> bool:
    """Whether the content of `release` is locked for moderation (see releases_in_moderation)."""
    return release.pk in releases_in_moderation()


def release_publication_requester_ids(*, publication: ReleasePublication) -> set[int]:
    """Ids of the accounts that asked for `publication`: who created the request and who submitted the workflow
    now running. None of them may approve it (docs/decisions/0115)."""
    requesters = {publication.requested_by_id}
    state = publication.current_workflow_state
    if state is not None:
        requesters.add(state.requested_by_id)
    return requesters - {None}


def release_change_log(*, release: FrameworkRelease) -> QuerySet[ReleaseChange]:
    """The stored change log of `release` against its previous release, in display order (one query)."""
    return release.changes.order_by("position")
