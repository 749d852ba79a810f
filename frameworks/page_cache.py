"""What the public framework pages show of a published release, kept in the cache (decision 0119).

A published release is frozen, so a framework page changes only when something is published: a release (the
current one changes, the one it replaces becomes an earlier release), a framework's details, the Wagtail page
tree the breadcrumbs and links come from, or something another app lists on these pages through this cache.
(The courses that develop a skill are not among them: courses keep that listing under their own catalogue
version, decision 0301's amendment of 7 December.) Each page's content is cached as data and rendered fragments,
never as a whole response: every response carries its own CSP nonce, CSRF token and signed-in header, and some
parts are per person (the actions other apps add through hooks, such as skills' "set as the role level you are
working towards").

Keys carry one version, a token in the shared cache replaced whenever any of that changes: a framework or release
row saved or deleted, a page published, unpublished, moved or deleted (`connect`, from the app's ready()), or
`release_pages_invalidate` called by another app that changed what it shows on a release's pages through this
cache. One version for every framework: all of
these are rare, editorial events, and one token lets the frame read it with its own (`cache_versions`).

A version is replaced at once and again when the transaction commits: a request that read the old rows while
the transaction was still open may have cached them under the version of the moment, which the second
replacement leaves behind.

Old entries are never read again and expire after TIMEOUT. Pages are read from this process's own entries first (the
content objects as built, never changed once cached, so they are not copied or unpickled), then from the shared
cache: a page served from the cache reads the shared cache only for the versions.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from frameworks.models import Framework, FrameworkRelease
from frameworks.process_cache import LayeredCache

VERSION_KEY = "frameworks:pages:version"
TIMEOUT = 60 * 60 * 24
# This process's own entries, in front of the shared cache: the content objects themselves, least recently read
# first. Not the "local" Django cache, which pickles on every read: unpickling a page's content (model instances)
# cost more than the rest of serving it from the cache (decision 0120).
_entries = LayeredCache(entries=500, timeout=TIMEOUT)


# The versions a request reads in its first round trip, whichever of them it asks for first: every page with the
# site's frame reads them all (the frame registers its own and the ones its pages read: `versions_read_together`), so
# a view that reads one before its template renders the frame (the team page's requirements, the task list's)
# makes no second round trip.
_READ_TOGETHER: dict[str, None] = {VERSION_KEY: None}


def versions_read_together(*keys: str) -> None:
    """Have the first `cache_versions` of every request read `keys` too (in the same round trip)."""
    _READ_TOGETHER.update(dict.fromkeys(keys))


def cache_versions(request, *keys: str) -> dict[str, str]:
    """The version tokens stored in the shared cache under `keys` (created where missing), read at most once per
    request and in one round trip: the tokens already read for this request (`request.cache_versions`) are not
    read again, and the request's first read takes every version registered with `versions_read_together` with
    it. The site's frame reads this app's VERSION_KEY with its own, so that a framework page costs no second round
    trip."""
    known = getattr(request, "cache_versions", None)
    if known is None:
        known = request.cache_versions = {}
        keys_read = [*dict.fromkeys([*keys, *_READ_TOGETHER])]
    else:
        keys_read = keys
    missing = [key for key in keys_read if key not in known]
    if missing:
        found = cache.get_many(missing)
        for key in missing:
            if key not in found:
                cache.add(key, uuid.uuid4().hex, None)
                found[key] = cache.get(key)
        known.update(found)
    return {key: known[key] for key in keys}


def _replace() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def framework_pages_invalidate() -> None:
    """Make every cached framework page stale."""
    _replace()


def release_pages_invalidate(*, release) -> None:
    """Make the cached pages of `release` stale (with every other framework page: see the module docstring). For
    apps that show their own content on a release's public pages through this cache: call it from the service
    that changes that content. (The skill page's courses are cached by courses under the catalogue's own version,
    decision 0301, and do not call it.)"""
    _replace()


def page_key(request, *, page_id: int, label: str | None, view_name: str, arguments: dict) -> str:
    """The cache key of one framework page: the version, the Wagtail page, the release (None: the current one,
    whichever that is for this version), the view and its arguments (codes from the URL, which routing has already
    limited to word characters and hyphens)."""
    version = cache_versions(request, VERSION_KEY)[VERSION_KEY]
    parts = [f"{name}={value}" for name, value in sorted(arguments.items())]
    return ":".join(["frameworks:page", version, str(page_id), label or "", view_name, *parts])


def page_get(key: str):
    """The content cached under `key`, or None: from this process's own entries first (as stored, not a copy:
    content is never changed once cached), then from the shared cache."""
    return _entries.get(key)


def page_set(key: str, content) -> None:
    _entries.set(key, content)


def _changed(sender, **kwargs) -> None:
    framework_pages_invalidate()


def connect() -> None:
    """Invalidate on every change the cached pages show (called once, from the app's ready())."""

    for model in (Framework, FrameworkRelease):
        post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_changed, dispatch_uid="page_cache_page_tree")
    post_delete.connect(_changed, sender=Page, dispatch_uid="page_cache_page_deleted")
