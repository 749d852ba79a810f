"""The courses listed on a framework skill's public page, from the cache (courses.views.skill_courses; decision 0301,
amendment of 7 December): on the real DDaT 2025-10 release, a skill page from the cache makes no query for them, and
every change to what the listing shows is on the next view — a course published or unpublished, an outcome edited
or removed, a view restriction added or removed, the site a course's link names changed."""

import pytest
from django.core.cache import caches
from wagtail.models import PageViewRestriction, Site

from courses.models import CoursePage
from frameworks.models import FrameworkIndexPage
from tests.courses.factories import course_create
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, imported once per module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]


@pytest.fixture
def analysis(ddat):
    return ddat.skills.get(name="Data analysis and synthesis")


def levels(release, *names):
    return [release.levels.get(name=name) for name in names]


def listed(client, skill, **headers) -> str:
    """The skill page's courses section, from its heading to the licence."""
    page = client.get(f"/frameworks/ddat/skills/{skill.code}/", **headers).content.decode()
    start = page.index("Courses that develop this skill")
    return page[start : page.index("capability-framework-licence", start)]


def test_a_skill_page_from_the_cache_makes_no_query_for_its_courses(client, ddat, analysis, django_assert_num_queries):
    working, practitioner = levels(ddat, "Working", "Practitioner")
    first = course_create(title="Analysing data for policy", outcomes=[(analysis, working, practitioner)])
    second = course_create(title="Synthesis in practice", outcomes=[(analysis, None, working)])
    for each in caches.all():
        each.clear()
    url = f"/frameworks/ddat/skills/{analysis.code}/"

    # Cold: the site, the route through the home, index and framework pages and their view restrictions, the
    # framework, the release, the skill's queries, the breadcrumbs' ancestors, the footer, and the courses (one).
    with django_assert_num_queries(18):
        cold = client.get(url).content.decode()
    # From the cache: nothing, the courses included.
    with django_assert_num_queries(0):
        warm = client.get(url).content.decode()

    section = warm[warm.index("Courses that develop this skill") :]
    assert section.index(f'href="{second.url}">Synthesis in practice</a>') < section.index(
        f'href="{first.url}">Analysing data for policy</a>'
    )
    assert "From no level to Working · Classroom · Government Digital Academy" in section
    assert "From Working to Practitioner" in section
    assert cold[cold.index("Courses that develop") :] == section  # the same listing, whatever the CSP nonce


def test_a_course_published_that_develops_the_skill_shows_on_the_next_view(client, ddat, analysis):
    (working,) = levels(ddat, "Working")
    assert "No course in the catalogue develops this skill yet" in listed(client, analysis)
    assert "No course in the catalogue develops this skill yet" in listed(client, analysis)  # from the cache

    draft = course_create(title="Analysing data for policy", outcomes=[(analysis, None, working)], live=False)
    assert "No course in the catalogue develops this skill yet" in listed(client, analysis)  # a draft: not listed

    draft.save_revision().publish()

    section = listed(client, analysis)
    assert f'href="{draft.url}">Analysing data for policy</a>' in section
    assert "No course in the catalogue" not in section


def test_a_course_unpublished_leaves_on_the_next_view_and_returns_when_published(client, ddat, analysis):
    (working,) = levels(ddat, "Working")
    course = course_create(title="Analysing data for policy", outcomes=[(analysis, None, working)])
    assert "Analysing data for policy" in listed(client, analysis)
    assert "Analysing data for policy" in listed(client, analysis)  # from the cache

    course.unpublish()
    assert "Analysing data for policy" not in listed(client, analysis)

    course.save_revision().publish()
    assert "Analysing data for policy" in listed(client, analysis)


def test_an_outcome_edited_or_removed_shows_on_the_next_view(client, ddat, analysis):
    working, practitioner, expert = levels(ddat, "Working", "Practitioner", "Expert")
    modelling = ddat.skills.get(name="Data modelling")
    course = course_create(title="Analysing data for policy", outcomes=[(analysis, working, practitioner)])
    assert "From Working to Practitioner" in listed(client, analysis)
    assert "No course" in listed(client, modelling)

    outcome = course.outcomes.get()
    outcome.to_level = expert
    outcome.save()
    assert "From Working to Expert" in listed(client, analysis)

    outcome.skill = modelling
    outcome.save()
    assert "Analysing data for policy" not in listed(client, analysis)
    assert "From Working to Expert" in listed(client, modelling)

    outcome.delete()
    assert "Analysing data for policy" not in listed(client, modelling)


def test_a_view_restriction_added_to_a_course_hides_it_on_the_next_view(client, ddat, analysis):
    (working,) = levels(ddat, "Working")
    course = course_create(title="Analysing data for policy", outcomes=[(analysis, None, working)])
    assert "Analysing data for policy" in listed(client, analysis)
    assert "Analysing data for policy" in listed(client, analysis)  # from the cache

    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert "Analysing data for policy" not in listed(client, analysis)

    restriction.delete()
    assert "Analysing data for policy" in listed(client, analysis)


def test_a_course_on_another_site_is_linked_in_full_and_follows_that_sites_address(client, settings, ddat, analysis):
    """The framework pages served on a site of their own: a course on the main site is linked with that site's
    address, which a change to the site changes on the next view."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "frameworks.example", "learning.example"]
    (working,) = levels(ddat, "Working")
    course = course_create(title="Analysing data for policy", outcomes=[(analysis, None, working)])
    Site.objects.create(hostname="frameworks.example", port=80, root_page=FrameworkIndexPage.objects.get())
    main = Site.objects.get(is_default_site=True)
    main.hostname = "learning.example"
    main.save()
    on_frameworks = {"HTTP_HOST": "frameworks.example"}

    def section():
        page = client.get(f"/ddat/skills/{analysis.code}/", **on_frameworks).content.decode()
        return page[page.index("Courses that develop this skill") :]

    def full_url():
        return CoursePage.objects.get(pk=course.pk).full_url

    assert full_url().startswith("http://learning.example/")
    assert f'href="{full_url()}"' in section()
    on_its_own_site = listed(client, analysis, HTTP_HOST="learning.example")
    assert f'href="{course.relative_url(main)}"' in on_its_own_site
    assert 'href="/courses/' in on_its_own_site
    assert f'href="{full_url()}"' in section()  # from the cache

    main.hostname = "training.example"
    main.save()

    assert full_url().startswith("http://training.example/")
    assert f'href="{full_url()}"' in section()
