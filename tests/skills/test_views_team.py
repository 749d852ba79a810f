"""The team matrix: filters that work without JavaScript, 25 people a page, a constant number of queries, and a
layout for phones."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.models import Review
from skills.services import review_decide, self_assessment_draft_save, self_assessment_submit
from tests.cms.factories import UserFactory
from tests.frameworks.factories import (
    FrameworkFactory,
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleLevelFactory,
    SkillFactory,
    publish_directly,
)
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    """Two role levels: engineers need Skill 00 and Skill 01 at Practitioner, analysts Skill 02 at Working."""
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"))
    engineer = RoleLevelFactory(role__release=release, release=release, name="Senior data engineer")
    analyst = RoleLevelFactory(role__release=release, release=release, name="Data analyst")
    levels = {level.code: level for level in release.levels.all()}
    for index, role_level, level in (
        (0, engineer, "practitioner"),
        (1, engineer, "practitioner"),
        (2, analyst, "working"),
    ):
        skill = SkillFactory(release=release, name=f"Skill {index:02d}", code=f"skill-{index:02d}")
        RequirementFactory(
            role_level=role_level, role=role_level.role, release=release, skill=skill, level=levels[level]
        )
    publish_directly(release)
    return release, engineer, analyst, levels


def validate(person, manager, skill, level):
    self_assessment_draft_save(person=person, skill=skill, level=level, evidence="e", actor=person.user)
    self_assessment_submit(person=person, actor=person.user, skills=[skill])
    review_decide(review=Review.objects.get(claim__person=person, claim__skill=skill), reviewer=manager, level=level)


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_team_page_keeps_a_constant_query_count_for_one_person_and_for_thirty(release):
    _, engineer, analyst, _ = release
    counts = []
    for size in (1, 30):
        manager = PersonFactory()
        for index in range(size):
            PersonFactory(line_manager=manager, current_role_level=engineer if index % 2 else analyst)
        counts.append(_queries(client_for(manager), "/skills/team/"))
        counts.append(_queries(client_for(manager), "/skills/team/?gaps=true&page=2"))
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


def test_the_team_is_shown_25_people_a_page_with_govuk_pagination(release):
    _, engineer, _, _ = release
    manager = PersonFactory()
    for index in range(30):
        PersonFactory(
            line_manager=manager,
            current_role_level=engineer,
            user=UserFactory(first_name="Member", last_name=f"Number {index:02d}"),
        )
    client = client_for(manager)

    first = client.get("/skills/team/").content.decode()
    second = client.get("/skills/team/?page=2").content.decode()

    assert "30 people, showing 1 to 25" in first
    assert "Member Number 24" in first
    assert "Member Number 25" not in first
    assert 'class="govuk-pagination' in first
    assert "Member Number 25" in second
    assert "Member Number 00" not in second


def test_the_team_filters_by_name_role_level_skill_and_gaps_without_javascript(release):
    rel, engineer, analyst, levels = release
    manager = PersonFactory(user=UserFactory(first_name="Tom", last_name="Okafor"))
    ada = PersonFactory(
        line_manager=manager, current_role_level=engineer, user=UserFactory(first_name="Ada", last_name="Lovelace")
    )
    grace = PersonFactory(
        line_manager=manager, current_role_level=engineer, user=UserFactory(first_name="Grace", last_name="Hopper")
    )
    PersonFactory(
        line_manager=manager, current_role_level=analyst, user=UserFactory(first_name="Alan", last_name="Turing")
    )
    skills = {skill.code: skill for skill in rel.skills.all()}
    # Grace meets both of her skills; Ada meets Skill 00 only.
    validate(grace, manager, skills["skill-00"], levels["practitioner"])
    validate(grace, manager, skills["skill-01"], levels["expert"])
    validate(ada, manager, skills["skill-00"], levels["practitioner"])
    client = client_for(manager)

    def names(query):
        html = client.get(f"/skills/team/?{query}").content.decode()
        return {name for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing") if name in html}, html

    assert names("name=ada+love")[0] == {"Ada Lovelace"}
    assert names(f"role_level={engineer.pk}")[0] == {"Ada Lovelace", "Grace Hopper"}
    found, html = names("skill=skill-02")
    assert found == {"Alan Turing"}
    assert "Skill 00" not in html.split("<table", 1)[1]  # only the chosen skill's column
    assert names("gaps=true")[0] == {"Ada Lovelace", "Alan Turing"}
    assert names("gaps=true&skill=skill-00")[0] == set()
    assert names("gaps=true&skill=skill-01")[0] == {"Ada Lovelace"}
    found, html = names("skill=no-such-skill")
    assert "Choose one of the options listed" in html
    assert "Select a valid choice" not in html


def test_on_a_phone_each_person_is_a_card_leading_with_their_gaps(release):
    rel, engineer, _, levels = release
    manager = PersonFactory()
    PersonFactory(
        line_manager=manager, current_role_level=engineer, user=UserFactory(first_name="Ada", last_name="Lovelace")
    )

    html = client_for(manager).get("/skills/team/").content.decode()

    cards = html[html.index('class="capability-team-cards"') : html.index('class="capability-team-matrix"')]
    assert "Ada Lovelace" in cards
    assert "<strong>Skill 00</strong>: not validated, needs Practitioner" in cards
    assert "0% of 2 skills" in cards


def test_someone_with_no_team_is_told_so_without_filters(release):
    html = client_for(PersonFactory()).get("/skills/team/").content.decode()

    assert "Nobody reports to you in Capability." in html
    assert "Apply filters" not in html
