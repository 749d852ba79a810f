"""The team matrix: filters that work without JavaScript and narrow its columns, 50 people a page, a constant
number of queries whatever the team's size, a layout for phones, and a reporting line no parameter can widen."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.enums import AssessmentSource
from skills.models import Review
from skills.selectors import team_matrix, team_people
from skills.selectors.team import CELL_GAP, CELL_MET, TeamCell, TeamRow, release_requirements
from skills.services import assessment_record, review_decide, self_assessment_draft_save, self_assessment_submit
from skills.templatetags.team_matrix import _row_cells
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


def line_of(manager, size: int, role_levels, *, depth: int = 1, prefix: str = "Member") -> list:
    """`size` people below `manager`, `depth` levels of management deep (the first of each level manages the
    next), named "<prefix> Number NN" so that they sort in the order made."""
    people = []
    boss = manager
    for index in range(size):
        person = PersonFactory(
            line_manager=boss,
            current_role_level=role_levels[index % len(role_levels)],
            user=UserFactory(first_name=prefix, last_name=f"Number {index:02d}"),
        )
        people.append(person)
        if len(people) < depth:
            boss = person
    return people


def results(response) -> str:
    """The page after its filters (whose choices name the line's managers and repeat what was typed)."""
    return response.content.decode().split('id="team-results"', 1)[1]


# The team page's queries, whatever the team's size or depth: the account and its session record, the person (without
# the role-level joins, decision 0220); the page's validated levels; the page's people's expired and expiring
# certifications (one UNION). The filters' choices, the line's size and (for a line of up to 2,000 people) its
# people come from the cache (decision 0220: four queries when a change to people or a release has replaced them,
# five for a longer line), and the requirements of a published release from this process's own (read once per
# publication); a filtered page reads its page of people with their number (one query more). The session comes from
# the cache and is saved at most once a minute (decision 0021); the site, route, navigation and footer come from the
# frame's cache and people without an admin role cost no roles or permissions query (decision 0017).
TEAM_PAGE_QUERIES = 4
FILTERED_TEAM_PAGE_QUERIES = TEAM_PAGE_QUERIES + 1


def test_the_team_page_keeps_the_same_query_count_for_5_people_and_for_65_in_three_levels(
    release, django_assert_num_queries
):
    _, engineer, analyst, _ = release
    small, large = PersonFactory(), PersonFactory()
    line_of(small, 5, [engineer, analyst])
    line_of(large, 65, [engineer, analyst], depth=3)
    for manager in (small, large):
        client = client_for(manager)
        for url, queries in (
            ("/skills/team/", TEAM_PAGE_QUERIES),
            ("/skills/team/?page=2", TEAM_PAGE_QUERIES),
            ("/skills/team/?gaps=true", FILTERED_TEAM_PAGE_QUERIES),
            (f"/skills/team/?role={engineer.role_id}", FILTERED_TEAM_PAGE_QUERIES),
            # Past the end, a filtered page counts its people and reads the last page (two queries more).
            ("/skills/team/?gaps=true&page=99", FILTERED_TEAM_PAGE_QUERIES + 2),
        ):
            client.get(url)
            with django_assert_num_queries(queries):
                assert client.get(url).status_code == 200


def test_the_team_is_shown_50_people_a_page_and_page_2_keeps_the_filters(release):
    _, engineer, analyst, _ = release
    manager = PersonFactory()
    line_of(manager, 60, [engineer], depth=2)
    line_of(manager, 3, [analyst], prefix="Analyst")
    client = client_for(manager)

    first = results(client.get(f"/skills/team/?role_level={engineer.pk}"))

    assert "60 people match, showing 1 to 50" in first
    assert "Member Number 49" in first
    assert "Member Number 50" not in first
    assert "Analyst Number" not in first
    assert 'class="govuk-pagination' in first
    next_link = f'href="?role_level={engineer.pk}&amp;page=2"'
    assert next_link in first
    second = results(client.get(f"/skills/team/?role_level={engineer.pk}&page=2"))
    assert "60 people match, showing 51 to 60" in second
    assert "Member Number 50" in second
    assert "Member Number 00" not in second
    assert "Analyst Number" not in second


def test_a_page_number_past_the_end_shows_the_last_page_and_a_made_up_one_the_first_as_search_does(release):
    _, engineer, _, _ = release
    manager = PersonFactory()
    line_of(manager, 55, [engineer])
    client = client_for(manager)

    past = client.get("/skills/team/?page=99")
    made_up = client.get("/skills/team/?page=abc")

    assert past.status_code == 200
    assert "showing 51 to 55" in past.content.decode()
    assert "(page 2 of 2)" in past.content.decode()
    assert made_up.status_code == 200
    assert "showing 1 to 50" in made_up.content.decode()
    # Filtered, the page and the count are one query: past the end, the last page is read after counting.
    filtered_past = client.get(f"/skills/team/?role_level={engineer.pk}&page=99").content.decode()
    assert "55 people match, showing 51 to 55" in filtered_past
    assert "(page 2 of 2)" in filtered_past
    filtered_below = client.get(f"/skills/team/?role_level={engineer.pk}&page=-3").content.decode()
    assert "55 people match, showing 51 to 55" in filtered_below
    for huge in ("99999999999999999999", "9223372036854775807"):  # beyond the database's integers: still the last page
        response = client.get(f"/skills/team/?role_level={engineer.pk}&page={huge}")
        assert response.status_code == 200
        assert "55 people match, showing 51 to 55" in response.content.decode()
    nobody = client.get(f"/skills/team/?role_level={engineer.pk}&name=nobody-at-all&page=3").content.decode()
    assert "Nobody in your team matches these filters" in nobody


def test_the_role_family_role_and_team_filters_narrow_the_people_and_the_columns(release):
    rel, engineer, analyst, _ = release
    manager = PersonFactory(user=UserFactory(first_name="Tom", last_name="Okafor"))
    lead = PersonFactory(
        line_manager=manager, current_role_level=engineer, user=UserFactory(first_name="Lena", last_name="Lead")
    )
    PersonFactory(line_manager=lead, current_role_level=engineer, user=UserFactory(first_name="Ada", last_name="Eng"))
    PersonFactory(
        line_manager=manager, current_role_level=analyst, user=UserFactory(first_name="Alan", last_name="Analyst")
    )
    client = client_for(manager)

    def matrix(query):
        html = client.get(f"/skills/team/?{query}").content.decode()
        table = html.split("<table", 1)[1].split("</table>", 1)[0] if "<table" in html else ""
        people = {name for name in ("Lena Lead", "Ada Eng", "Alan Analyst") if name in table}
        columns = {name for name in ("Skill 00", "Skill 01", "Skill 02") if f">{name}</th>" in table}
        return people, columns, html

    assert matrix("")[:2] == ({"Lena Lead", "Ada Eng", "Alan Analyst"}, {"Skill 00", "Skill 01", "Skill 02"})
    assert matrix(f"role_family={engineer.role.family_id}")[:2] == ({"Lena Lead", "Ada Eng"}, {"Skill 00", "Skill 01"})
    assert matrix(f"role={analyst.role_id}")[:2] == ({"Alan Analyst"}, {"Skill 02"})
    assert matrix(f"team={lead.pk}")[:2] == ({"Ada Eng"}, {"Skill 00", "Skill 01"})
    assert matrix("skill=skill-01")[:2] == ({"Lena Lead", "Ada Eng"}, {"Skill 01"})
    # The filters offer what is found in the line, and a team is named after its manager.
    html = matrix("")[2]
    assert f'<option value="{lead.pk}">Lena Lead’s team</option>' in html
    assert f'<option value="{analyst.role.family_id}">{analyst.role.family.name}</option>' in html


def test_each_cell_carries_its_words_and_colour_from_the_selector(release):

    rel, engineer, _, levels = release
    manager = PersonFactory()
    ada = PersonFactory(line_manager=manager, current_role_level=engineer)
    skills = {skill.code: skill for skill in rel.skills.all()}
    validate(ada, manager, skills["skill-00"], levels["expert"])
    validate(ada, manager, skills["skill-01"], levels["working"])

    matrix = team_matrix(people=team_people(manager=manager))

    [row] = matrix.rows
    met, short = row.cells
    assert (met.validated, met.required, met.gap, met.css_class) == (
        "Expert",
        "Practitioner",
        0,
        " capability-matrix__cell--met",
    )
    assert (short.validated, short.required, short.gap, short.css_class) == (
        "Working",
        "Practitioner",
        1,
        " capability-matrix__cell--gap",
    )
    assert (row.readiness, row.required_count, row.gaps) == (50, 2, [short])
    html = client_for(manager).get("/skills/team/").content.decode()
    # A blank cell (a skill the role level does not require) is explained by the key the table is described by.
    assert 'id="matrix-key"' in html
    assert "a blank cell is a skill their role level does not require" in html
    assert 'role="region" aria-label="Team skills matrix" tabindex="0" aria-describedby="matrix-key"' in html
    assert (
        '<td class="capability-matrix__cell--gap">Working<span class="govuk-visually-hidden">'
        ' validated, Practitioner required</span><br><span class="govuk-body-s">needs Practitioner</span></td>'
    ) in html


def test_no_filter_or_page_number_shows_a_manager_anyone_outside_their_line(release):
    _, engineer, analyst, _ = release
    manager = PersonFactory()
    other_manager = PersonFactory()
    line_of(manager, 2, [engineer], prefix="Mine")
    other_lead = PersonFactory(
        line_manager=other_manager, current_role_level=analyst, user=UserFactory(first_name="Their", last_name="Lead")
    )
    line_of(other_lead, 3, [analyst], prefix="Theirs")
    client = client_for(manager)

    for query in (
        f"team={other_lead.pk}",  # another line's team
        f"team={other_manager.pk}",
        f"role_level={analyst.pk}",  # a role level only the other line holds
        f"role={analyst.role_id}",
        f"role_family={analyst.role.family_id}",
        "skill=skill-02",
        "name=theirs",
        "name=Their+Lead",
        "page=2",
        "page=-1",
        f"team={other_lead.pk}&page=2",
    ):
        html = client.get(f"/skills/team/?{query}").content.decode()
        results = html.split('id="team-results"', 1)[-1]  # after the filters, which repeat what was typed
        assert "Theirs Number" not in results, query
        assert "Their Lead" not in html.replace('value="Their Lead"', ""), query
    refused = client.get(f"/skills/team/?team={other_lead.pk}").content.decode()
    assert "Choose one of the options listed" in refused
    assert client.get(f"/skills/team/{other_lead.pk}/").status_code == 404


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


def test_a_cell_shows_the_level_in_the_role_levels_own_release_not_one_in_another_release(release):

    rel, engineer, _, levels = release
    manager = PersonFactory()
    ada = PersonFactory(line_manager=manager, current_role_level=engineer)
    # A level of the same skill in another release of the framework (as while a new release is carried forward).
    other = FrameworkReleaseFactory(framework=rel.framework)
    same_skill = SkillFactory(release=other, name="Skill 00", code="skill-00")
    assessment_record(
        person=ada, skill=same_skill, level=other.levels.get(code="expert"), source=AssessmentSource.IMPORT
    )

    html = client_for(manager).get("/skills/team/").content.decode()

    assert '>None<span class="govuk-visually-hidden"> validated, Practitioner required' in html
    assert ">Expert<" not in html


def test_a_published_releases_requirements_are_read_once_per_version_and_a_drafts_every_time(
    release, django_assert_num_queries
):
    v1, v2 = uuid.uuid4().hex, uuid.uuid4().hex  # this process keeps what it read under these
    rel, engineer, analyst, _ = release
    draft = FrameworkReleaseFactory(framework=rel.framework)
    draft_level = RoleLevelFactory(role__release=draft, release=draft)
    RequirementFactory(
        role_level=draft_level,
        role=draft_level.role,
        release=draft,
        skill=SkillFactory(release=draft, code="draft-skill"),
        level=draft.levels.get(code="working"),
    )
    expected = {
        engineer.pk: (("skill-00", "Skill 00", "Practitioner", 3), ("skill-01", "Skill 01", "Practitioner", 3)),
        analyst.pk: (("skill-02", "Skill 02", "Working", 2),),
    }
    with django_assert_num_queries(2):  # the requirements, and whether the release is published
        assert release_requirements(release_ids={rel.pk}, framework_version=v1) == (expected, True)
    with django_assert_num_queries(0):
        assert release_requirements(release_ids={rel.pk}, framework_version=v1) == (expected, True)
    with django_assert_num_queries(2):  # another version: read again
        assert release_requirements(release_ids={rel.pk}, framework_version=v2) == (expected, True)
    for _ in range(2):  # a draft can still change: read every time
        with django_assert_num_queries(2):
            requirements, kept = release_requirements(release_ids={draft.pk}, framework_version=v2)
            assert (requirements[draft_level.pk][0][0], kept) == ("draft-skill", False)
    with django_assert_num_queries(1):  # without a version, nothing is kept
        assert release_requirements(release_ids={rel.pk}, framework_version=None) == (expected, False)


def test_a_row_writes_every_column_in_order_whichever_its_role_level_requires():
    blank = [TeamCell(f"Skill {index}") for index in range(7)]
    met = TeamCell("Skill 1", "Working", "Expert", 0, CELL_MET)
    short = TeamCell("Skill 4", "Expert", "Working", 1, CELL_GAP)
    cells = blank.copy()
    cells[1], cells[4] = met, short
    row = TeamRow(1, "Ada", "Engineer", cells, (1, 4), [short], 2, 50)
    first = TeamRow(2, "Bo", "Engineer", [TeamCell("Skill 0", "Working", "", 2, CELL_GAP), *blank[1:]], (0,), [], 1, 0)
    nothing = TeamRow(3, "Cy", "", blank, (), [], 0, None)
    runs: dict = {}
    for each in (row, first, nothing, row):  # the second time from the runs kept for the first
        html = _row_cells(each, runs)
        assert html.count("<td") == 7
        cells_html = html.split("</td>")[:-1]
        for index, cell in enumerate(each.cells):
            assert (cells_html[index] == "<td>") == (index not in each.required_at)  # blank: not required
            if cell.required:
                assert f"{cell.validated or 'None'}<span" in cells_html[index]
                assert cell.css_class.strip() in cells_html[index]


def test_what_a_manager_typed_into_the_filters_comes_back_escaped_with_the_error_linked(release):
    """The page is written in Python (decision 0225): the name searched for and a refused choice are escaped as
    the template's autoescaping did, the error summary links to the field, and the title says there is an error."""
    _, engineer, _, _ = release
    manager = PersonFactory()
    PersonFactory(
        line_manager=manager, current_role_level=engineer, user=UserFactory(first_name="Ada", last_name="O'Brien <b>")
    )
    client = client_for(manager)

    html = client.get('/skills/team/?name="><script>x</script>&skill=<i>no</i>').content.decode()

    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "<script>x" not in html
    assert "<i>no</i>" not in html
    assert "<title>Error: Your team" in html
    assert 'href="#id_skill"' in html
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'aria-describedby="id_skill-error"' in html
    assert "0 people match</h2>" in html
    html = client.get("/skills/team/").content.decode()
    assert "Ada O&#x27;Brien &lt;b&gt;" in html
    assert "<title>Your team" in html
    assert "1 person</h2>" in html
    assert "1 person matches</h2>" in client.get("/skills/team/?name=ada").content.decode()
