"""The courses that develop a skill, listed on the skill's public framework page (through the
`frameworks_skill_related` hook, registered in courses/wagtail_hooks.py), from the cache while nothing it was
written from has changed (decision 0301, amendment of 7 December: the skill page's courses).

The framework pages cache their own content per release, but what a hook adds is asked for on every request
(frameworks.views.content): a course published today must show at once. Reading the outcomes (one query, whose
compilation by the ORM is most of its cost) and rendering them on every view halved the skill page's requests per
second, so the listing is kept here instead, as rendered, under a key that names everything it is written from:

- the version of the catalogue's structure (`courses.catalogue_cache.STRUCTURE_KEY`), replaced by every change to
  what the listing shows — a course page published, unpublished, saved, moved or deleted (its title, provider,
  delivery mode, URL and whether it is live), a view restriction saved or deleted, an outcome saved or deleted, a
  site saved or deleted (the courses' URLs) — and by session saves, which it does not show; not by seats taken or
  freed. The frame reads it in its own round trip (cms.navigation.frame), so a skill page from the cache reads
  nothing more from the shared cache than the frame and its own content do;
- the site the request is for: a course's link is relative on its own site and absolute from another;
- the framework and the skill's code: the outcomes name a skill by framework and stable code, so the listing is the
  same on every release's page of the skill (it shows the level names of the outcome's own levels, of a published
  release, which never changes: decision 0104).

Nothing in it depends on who reads it or on the time: no seats, no dates, no form, no signed-in state.
"""

from django.template.loader import render_to_string
from wagtail.models import Site

from courses.catalogue_cache import catalogue_structure_version
from courses.selectors.catalogue import courses_for_skill
from frameworks.process_cache import LayeredCache

TIMEOUT = 60 * 60 * 24
# One entry for each skill (and site) visited: about a kilobyte of HTML each, so 500 keep a process under 1 MB and
# hold every skill of a few frameworks (frameworks.process_cache).
_entries = LayeredCache(entries=500, timeout=TIMEOUT)


def skill_courses_key(request, *, framework_id: int, skill_code: str) -> str:
    """The key of the listing for a skill: the catalogue's structure version, the request's site, the framework
    and the skill's code (from the URL, which routing has limited to word characters and hyphens)."""
    site = Site.find_for_request(request)  # the frame's, from the request: no query
    version = catalogue_structure_version(request)
    return f"courses:skill-courses:{version}:{site.pk if site else '-'}:{framework_id}:{skill_code}"


def skill_courses_html(request, skill) -> str:
    """The published courses that develop `skill` (its release loaded), with their level steps: from the cache, or
    read (one query) and rendered."""
    framework_id = skill.release.framework_id
    key = skill_courses_key(request, framework_id=framework_id, skill_code=skill.code)
    html = _entries.get(key)
    if html is None:
        outcomes = courses_for_skill(framework_id=framework_id, skill_code=skill.code)
        html = render_to_string(
            "courses/includes/catalogue_skill_courses.html", {"outcomes": outcomes}, request=request
        )
        _entries.set(key, html)
    return html
