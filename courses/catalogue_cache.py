"""What the catalogue (`/courses/`) shows of its courses, kept in the cache (decision 0301).

Three things, each under the catalogue's version (a token in the shared cache) and the framework pages' version
(the filters by skill, role family and level read the current releases):

- the catalogue's state: the towns of upcoming sessions (the location filter's choices) and the moment the
  cached answers stop being true as time passes — the earliest start, booking opening or booking closing of an
  upcoming session after the moment it was read. A session that starts leaves the "next session", the towns and
  the date filters; a booking that opens or closes changes "has seats". Until that moment nothing but a change
  to the rows can change an answer, and a change to the rows replaces the version;
- for each combination of filters, how many courses match;
- for each page of those results, the rows' HTML (`catalogue_result.html`, rendered once for the twenty) with
  the courses' titles and URLs.

The state's key carries the catalogue's version; the results' keys carry both versions and the state's moment, so
a stale entry is never read again and expires. The catalogue's version is replaced when a session is saved
(except the seat counters the booking engine saves, which it reports itself) or deleted, a course page is
published, unpublished, saved, moved or deleted, a view restriction is saved or deleted, an outcome changes, or a
site is saved or deleted (the courses' URLs: relative on their own site, absolute from another) (`connect`, from
the app's ready()), and by the booking engine after it commits a change to a session's seats
(`catalogue_seats_changed`). A second version, the structure's, is replaced by all of these but the booking engine's:
the recommendations on a person's gap page are kept under it and check the seats of their own sessions
(courses.views.recommendations), and so are the courses listed on a skill's public page (courses.views.skill_courses),
which show no seats. The frame reads the structure's version with its own (cms.navigation.frame).

Only data and fragments are cached, never a response: the filter form with the visitor's values, the pagination
with their query string, the frame (signed-in header, CSRF token, CSP nonce) are rendered for each request. The
bare catalogue and its plain pages are kept in the shared cache; a filtered page only in this process, so that
query strings cannot fill the shared cache.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import CourseOutcome, CoursePage, Session
from courses.selectors.catalogue import location_choices, upcoming_sessions
from frameworks import page_cache
from frameworks.process_cache import LayeredCache

VERSION_KEY = "courses:catalogue:version"
# Replaced with VERSION_KEY by every change but the booking engine's to seats and waiting lists: what the catalogue
# holds, for caches that read the seats of the few sessions they show for themselves (the gap page's
# recommendations, courses.views.recommendations).
STRUCTURE_KEY = "courses:catalogue:structure"
TIMEOUT = 60 * 60 * 24
# The state, counts and pages of this process, in front of the shared cache (frameworks.process_cache), never
# changed once stored. A page of rows is 30–60 KB of HTML: 200 entries keep a process under about 12 MB.
_entries = LayeredCache(entries=200, timeout=TIMEOUT)


@dataclass(frozen=True)
class CatalogueState:
    """What the catalogue's answers depend on besides the rows: read at `read_at`, true until `valid_until`
    (None: until a row changes)."""

    locations: list[tuple[str, str]]
    read_at: datetime
    valid_until: datetime | None

    @property
    def moment(self) -> str:
        return self.valid_until.isoformat() if self.valid_until else "-"


@dataclass(frozen=True)
class CatalogueRow:
    title: str
    url: str


@dataclass(frozen=True)
class ResultsPage:
    """A page of results as shown: the rows' HTML (safe: rendered by the template engine) and each course."""

    rows: list[CatalogueRow]
    html: str


def catalogue_versions(request) -> tuple[str, str]:
    """The catalogue's and the framework pages' versions, read at most once per request (the frame has usually
    read the second already), in one round trip with the structure's version (`catalogue_structure_version`)."""
    versions = page_cache.cache_versions(request, VERSION_KEY, STRUCTURE_KEY, page_cache.VERSION_KEY)
    return versions[VERSION_KEY], versions[page_cache.VERSION_KEY]


def catalogue_structure_version(request) -> str:
    """The version of what the catalogue holds, not replaced by seats taken or freed and waiting lists. Already
    read with the frame's versions on a page that the site's frame serves (cms.navigation.frame): no round trip."""
    return page_cache.cache_versions(request, VERSION_KEY, STRUCTURE_KEY, page_cache.VERSION_KEY)[STRUCTURE_KEY]


def _state_read(now: datetime) -> CatalogueState:
    upcoming = upcoming_sessions(now=now)
    moments = upcoming.aggregate(
        starts=Min("starts_at"),
        opens=Min("booking_opens_at", filter=Q(booking_opens_at__gt=now)),
        closes=Min("booking_closes_at", filter=Q(booking_closes_at__gt=now)),
    )
    later = [moment for moment in moments.values() if moment is not None]
    return CatalogueState(locations=location_choices(now=now), read_at=now, valid_until=min(later, default=None))


def catalogue_state(request, *, now: datetime) -> CatalogueState:
    """The catalogue's state for this version, read afresh once its moment has passed. Two queries when read."""
    version, _framework_version = catalogue_versions(request)
    key = f"courses:catalogue:state:{version}"
    state = _entries.get(key)
    if state is None or (state.valid_until is not None and now >= state.valid_until):
        state = _state_read(now)
        _entries.set(key, state)
    return state


def results_key(request, *, page_id: int, state: CatalogueState, filters: dict) -> str:
    """The key of the results for `filters` (the form's cleaned values, empty ones left out) on the catalogue
    page `page_id`: the versions, the state's moment and a digest of the filters."""
    version, framework_version = catalogue_versions(request)
    chosen = repr(sorted((name, str(value)) for name, value in filters.items() if value not in (None, "", False)))
    digest = hashlib.sha256(chosen.encode()).hexdigest()[:32]
    return f"courses:catalogue:results:{version}:{framework_version}:{state.moment}:{page_id}:{digest}"


def results_get(key: str):
    return _entries.get(key)


def results_set(key: str, value, *, shared: bool) -> None:
    _entries.set(key, value, shared=shared)


def _replace() -> None:
    cache.set_many({VERSION_KEY: uuid.uuid4().hex, STRUCTURE_KEY: uuid.uuid4().hex}, None)


def _seats_replace() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def catalogue_invalidate() -> None:
    """Make every cached catalogue answer stale, at once and again when the transaction commits (a request that
    read the old rows while the transaction was open cannot leave them cached under the current version)."""
    _replace()
    transaction.on_commit(_replace)


def catalogue_seats_changed() -> None:
    """For the booking engine, after it changed a session's seats: the catalogue's answers (seats left, "has
    seats") are replaced when the change commits — one cache write; before then no other request can read it.
    The structure's version stays."""
    transaction.on_commit(_seats_replace)


# The seat counters the booking engine writes (with UPDATEs, not `save()`); it calls `catalogue_seats_changed`
# itself, so a save of only these fields changes nothing else the catalogue shows.
_BOOKING_FIELDS = frozenset({"seats_taken", "waitlist_counter", "updated_at"})


def _session_saved(sender, update_fields=None, **kwargs) -> None:
    if not (update_fields and frozenset(update_fields) <= _BOOKING_FIELDS):
        catalogue_invalidate()


def _changed(sender, **kwargs) -> None:
    catalogue_invalidate()


def connect() -> None:
    """Invalidate on every change the catalogue shows (called once, from the app's ready())."""
    post_save.connect(_session_saved, sender=Session, dispatch_uid="catalogue_cache_session_saved")
    post_delete.connect(_changed, sender=Session, dispatch_uid="catalogue_cache_session_deleted")
    for model in (CoursePage, CourseOutcome, PageViewRestriction, Site):
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalogue_cache_{model.__name__}_saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"catalogue_cache_{model.__name__}_deleted")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(_changed, dispatch_uid=f"catalogue_cache_page_{name}")
    post_delete.connect(_changed, sender=Page, dispatch_uid="catalogue_cache_page_deleted")
