"""Keeping the site search's index of skills, roles and role levels on the current releases."""

from wagtail.search.backends import get_search_backends

from frameworks.models import FrameworkRelease, Role, RoleLevel, Skill

INDEXED_MODELS = (Skill, Role, RoleLevel)


def release_search_index_update(*, release: FrameworkRelease) -> int:
    """Index the skills, roles and role levels of `release` if it is its framework's current release, and take
    those of the framework's other releases out of the index. Returns the number of objects indexed.

    Idempotent; run after a release is published (the task `frameworks.tasks.release_search_index_update`).
    Search results are filtered to current releases anyway, so a late run only leaves stale entries a while.
    """
    release = FrameworkRelease.objects.select_related("framework").get(pk=release.pk)
    is_current = release.framework.current_release_id == release.pk
    indexed = 0
    for backend in get_search_backends(with_auto_update=False):
        for model in INDEXED_MODELS:
            if is_current:
                objects = list(model.objects.filter(release=release))
                backend.add_bulk(model, objects)
                indexed += len(objects)
            others = model.objects.filter(release__framework_id=release.framework_id)
            if is_current:
                others = others.exclude(release=release)
            for stale in others.filter(index_entries__isnull=False).distinct():
                backend.delete(stale)
    return indexed
