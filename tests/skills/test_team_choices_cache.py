"""The team matrix's filter choices are kept in the cache per manager (decision 0220) and made again after every
change they are made of: a person joining or leaving the line or changing role level (a model save), an account's
name, a release saved (publication), and the services that change people in bulk without model signals (the HR
feed, a leaver's reports moving to their successor, an erasure, carry-forward moving people's role levels)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from cms.accounts.enums import Role
from frameworks.models import RoleLevel
from frameworks.services.releases import framework_release_draft_create_from_current, framework_release_publish
from skills.models import Person
from skills.selectors import team as team_selectors
from skills.selectors import team_people
from skills.selectors.team import team_filter_choices
from skills.services import release_carry_forward
from skills.services.erasure import person_erase
from skills.services.leavers import person_leave
from skills.services.people_import import people_import
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
from tests.skills.hr_feed import ddat_framework, team, write_csv
from tests.skills.test_views import client_for
from tests.skills.test_views_team import TEAM_PAGE_QUERIES, line_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    """Two role levels, each requiring a skill (as tests/skills/test_views_team.py's)."""
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"))
    engineer = RoleLevelFactory(role__release=release, release=release, name="Senior data engineer")
    analyst = RoleLevelFactory(role__release=release, release=release, name="Data analyst")
    levels = {level.code: level for level in release.levels.all()}
    for index, role_level in enumerate((engineer, analyst)):
        skill = SkillFactory(release=release, name=f"Skill {index:02d}", code=f"skill-{index:02d}")
        RequirementFactory(
            role_level=role_level, role=role_level.role, release=release, skill=skill, level=levels["working"]
        )
    publish_directly(release)
    return release, engineer, analyst, levels


def choices_for(manager):
    """The manager's choices as a page request reads them (each request reads the versions afresh)."""
    return team_filter_choices(
        RequestFactory().get("/skills/team/"), manager=manager, people=team_people(manager=manager)
    )


def labels(choices, field):
    return [label for _value, label in getattr(choices, field)]


def test_the_choices_come_from_the_cache_until_someone_joins_the_line(release, django_capture_on_commit_callbacks):
    _, engineer, analyst, _ = release
    manager = PersonFactory()
    line_of(manager, 2, [engineer])
    first = choices_for(manager)
    assert choices_for(manager) is first  # kept
    assert labels(first, "role_level") == ["Senior data engineer"]

    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory(line_manager=manager, current_role_level=analyst)
    assert sorted(labels(choices_for(manager), "role_level")) == ["Data analyst", "Senior data engineer"]


def test_a_change_of_role_level_or_of_line_manager_replaces_the_choices(release, django_capture_on_commit_callbacks):
    _, engineer, analyst, _ = release
    manager = PersonFactory()
    lead, member = line_of(manager, 2, [engineer], depth=2, prefix="Lead")
    assert labels(choices_for(manager), "team") == ["Lead Number 00’s team"]

    client = client_for(manager)
    assert "Data analyst" not in client.get("/skills/team/").content.decode()
    member.current_role_level = analyst
    with django_capture_on_commit_callbacks(execute=True):
        member.save()
    assert "Data analyst" in labels(choices_for(manager), "role_level")
    # The matrix's people are kept with the choices, and replaced with them.
    assert "Data analyst" in client.get("/skills/team/").content.decode()

    member.line_manager = manager
    with django_capture_on_commit_callbacks(execute=True):
        member.save()
    assert labels(choices_for(manager), "team") == []  # the lead manages nobody now


def test_an_account_renamed_is_renamed_in_the_choices_and_the_page_but_signing_in_keeps_them(
    release, django_capture_on_commit_callbacks
):
    _, engineer, _, _ = release
    manager = PersonFactory()
    lead, _member = line_of(manager, 2, [engineer], depth=2, prefix="Lead")
    kept = choices_for(manager)
    client = client_for(manager)  # signing in saves the account's last login only
    assert choices_for(manager) is kept

    lead.user.first_name = "Ada <b>&"
    with django_capture_on_commit_callbacks(execute=True):
        lead.user.save()
    assert labels(choices_for(manager), "team") == ["Ada <b>& Number 00’s team"]
    html = client.get("/skills/team/").content.decode()
    assert f'<option value="{lead.pk}">Ada &lt;b&gt;&amp; Number 00’s team</option>' in html


def test_a_release_saved_replaces_the_choices(release, django_capture_on_commit_callbacks):
    framework_release, engineer, _, _ = release
    manager = PersonFactory()
    line_of(manager, 1, [engineer])
    kept = choices_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        framework_release.save()
    assert choices_for(manager) is not kept


def test_the_hr_feed_and_a_leaver_replace_the_choices(tmp_path, django_capture_on_commit_callbacks):
    ddat_framework()
    with django_capture_on_commit_callbacks(execute=True):
        assert people_import(actor=None, file=write_csv(tmp_path, team(), name="team.csv")).ok
    s1, s2 = (Person.objects.select_related("user").get(staff_number=staff) for staff in ("S1", "S2"))
    kept = choices_for(s1)
    assert labels(kept, "team") == ["Ada Person S2’s team"]

    # The feed renames S2 (its accounts are written in bulk, without model signals).
    rows = [row if row["staff_number"] != "S2" else {**row, "last_name": "Renamed"} for row in team()]
    with django_capture_on_commit_callbacks(execute=True):
        assert people_import(actor=None, file=write_csv(tmp_path, rows, name="renamed.csv")).ok
    assert labels(choices_for(s1), "team") == ["Ada Renamed’s team"]

    # S2 leaves: their report moves to S1 in one bulk update, and S2 manages nobody any more.
    with django_capture_on_commit_callbacks(execute=True):
        person_leave(person=s2, left_on=timezone.localdate() - timedelta(days=1), actor=None)
    assert labels(choices_for(s1), "team") == []


def test_a_new_team_member_appears_in_the_page_filters_and_count_at_once(release, django_capture_on_commit_callbacks):
    _, engineer, analyst, _ = release
    manager = PersonFactory()
    line_of(manager, 1, [engineer])
    client = client_for(manager)
    html = client.get("/skills/team/").content.decode()
    assert "Data analyst</option>" not in html
    assert 'id="team-results">1 person</h2>' in html  # the line's size, kept with the choices
    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory(line_manager=manager, current_role_level=analyst, user=UserFactory(first_name="New"))
    html = client.get("/skills/team/").content.decode()
    assert "Data analyst</option>" in html
    assert 'id="team-results">2 people</h2>' in html


def test_an_erasure_replaces_the_choices(release, django_capture_on_commit_callbacks):
    _, engineer, _, _ = release
    manager = PersonFactory()
    lead, _member = line_of(manager, 2, [engineer], depth=2, prefix="Lead")
    Person.objects.filter(pk=lead.pk).update(left_on=timezone.localdate() - timedelta(days=5 * 365))
    lead.refresh_from_db()
    assert labels(choices_for(manager), "team") == ["Lead Number 00’s team"]
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=lead, actor=UserFactory(roles=[Role.DATA_PROTECTION]), reason="Asked", on_request=True)
    assert "Lead Number 00’s team" not in labels(choices_for(manager), "team")


def test_carrying_people_forward_to_a_new_release_replaces_the_choices(release, django_capture_on_commit_callbacks):
    old, engineer, _, _ = release
    manager = PersonFactory()
    line_of(manager, 1, [engineer])
    draft = framework_release_draft_create_from_current(framework=old.framework, label="2026-04", actor=None)
    framework_release_publish(release=draft, actor=None)  # carry-forward not run yet: its task waits for the commit
    assert [int(value) for value, _label in choices_for(manager).role_level] == [engineer.pk]

    with django_capture_on_commit_callbacks(execute=True):
        release_carry_forward(release=draft)
    moved = RoleLevel.objects.get(release=draft, code=engineer.code)
    assert [int(value) for value, _label in choices_for(manager).role_level] == [moved.pk]


def test_a_line_longer_than_those_kept_reads_its_page_of_people_and_shows_the_same_pages(
    release, monkeypatch, django_assert_num_queries
):
    _, engineer, analyst, _ = release
    manager = PersonFactory()
    line_of(manager, 60, [engineer, analyst], depth=2)
    client = client_for(manager)

    def matrix(number) -> str:
        html = client.get(f"/skills/team/?page={number}").content.decode()
        return html.split('id="team-results"', 1)[1].split("</table>", 1)[0]

    kept = [matrix(number) for number in (1, 2)]
    assert len(choices_for(manager).line) == 60

    monkeypatch.setattr(team_selectors, "LINE_KEPT", 59)
    team_selectors._choices._local.clear()
    cache.clear()
    assert choices_for(manager).line is None
    assert choices_for(manager).line_size == 60
    for number, html in zip((1, 2), kept, strict=True):
        matrix(number)
        with django_assert_num_queries(TEAM_PAGE_QUERIES + 1):  # the page of people
            assert matrix(number) == html
