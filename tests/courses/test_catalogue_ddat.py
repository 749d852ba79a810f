"""The catalogue, course pages and skill pages against the real DDaT 2025-10 release: a course whose outcomes are
real DDaT skills is found under that skill's filter, links to the skill's public page, and is listed there."""

import pytest

from tests.courses.factories import course_create
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, imported once per module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]


def skill(release, name):
    return release.skills.get(name=name)


def test_a_course_of_real_ddat_skills_is_found_by_skill_links_to_it_and_is_listed_on_its_page(client, ddat):
    analysis, modelling = skill(ddat, "Data analysis and synthesis"), skill(ddat, "Data modelling")
    working, practitioner = ddat.levels.get(name="Working"), ddat.levels.get(name="Practitioner")
    course = course_create(title="Analysing data for policy", outcomes=[(analysis, working, practitioner)])
    course_create(title="Modelling data", outcomes=[(modelling, None, working)])

    catalogue = client.get("/courses/", {"skill": f"ddat:{analysis.code}"})
    assert [found.title for found in catalogue.context["courses"]] == ["Analysing data for policy"]
    assert "DDaT · Data analysis and synthesis" in catalogue.content.decode()

    family = analysis.requirements.select_related("role__family").first().role.family
    by_family = client.get("/courses/", {"role_family": family.pk})
    assert "Analysing data for policy" in [found.title for found in by_family.context["courses"]]

    course_page = client.get(course.url).content.decode()
    assert f'href="/frameworks/ddat/skills/{analysis.code}/">Data analysis and synthesis</a>' in course_page
    assert "from Working to Practitioner" in course_page

    skill_page = client.get(f"/frameworks/ddat/skills/{analysis.code}/").content.decode()
    listed = skill_page[skill_page.index("Courses that develop this skill") :]
    assert f'href="{course.url}">Analysing data for policy</a>' in listed
    assert "From Working to Practitioner" in listed
    assert "Modelling data" not in listed


def test_the_skill_filter_offers_every_skill_of_the_release_labelled_with_its_framework(client, ddat):
    response = client.get("/courses/")

    choices = dict(response.context["filters"].form.fields["skill"].choices)
    assert len(choices) == ddat.skills.count() + 1  # and "Any skill"
    assert choices["ddat:" + skill(ddat, "Data analysis and synthesis").code] == "DDaT · Data analysis and synthesis"
