"""Development plan pages: the learner's, their manager's view of it, the team overview, and the wrong people."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from skills.models import DevelopmentPlan, PlanAction, PlanComment
from skills.services.plans import plan_action_add
from tests.conftest import page_queries
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    release, role_level = make_release(3)
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager, target_role_level=role_level)
    return release, manager, learner


def add(person, **fields):
    values = {"kind": PlanAction.Kind.ON_THE_JOB, "title": "Lead the data quality review"} | fields
    return plan_action_add(person=person, actor=person.user, **values)


def test_a_learner_adds_an_action_against_a_skill_and_level_and_sees_it_in_their_plan(setting):
    release, manager, learner = setting
    client = client_for(learner)

    response = client.post(
        "/skills/plan/actions/add/",
        {
            "kind": "mentor",
            "title": "Pair with a data practitioner",
            "skill_code": "skill-01",
            "target_rank": "3",
            "target_date": "31/3/2027",
        },
    )

    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.skill_code, action.target_rank, action.target_date) == ("skill-01", 3, date(2027, 3, 31))
    page = client.get("/skills/plan/").content.decode()
    assert "Pair with a data practitioner" in page
    assert "Skill 01, Practitioner" in page
    assert "Not agreed yet" in page


def test_a_bad_action_is_explained_and_what_was_typed_is_kept(setting):
    release, manager, learner = setting

    response = client_for(learner).post(
        "/skills/plan/actions/add/",
        {"kind": "reading", "title": "Read the data ethics framework", "target_rank": "3", "target_date": "31 Feb"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Choose the skill that the level is for" in page
    assert "Enter the target date as a day, month and year" in page
    assert 'value="Read the data ethics framework"' in page
    assert not PlanAction.objects.exists()


def test_the_gap_page_prefills_an_action_for_a_skill(setting):
    release, manager, learner = setting
    page = client_for(learner).get("/skills/plan/?skill_code=skill-02&target_rank=3").content.decode()
    assert '<option value="skill-02" selected>' in page


def test_a_learner_changes_and_moves_on_their_actions(setting):
    release, manager, learner = setting
    action = add(learner)
    client = client_for(learner)

    client.post(
        f"/skills/plan/actions/{action.pk}/", {"kind": "on_the_job", "title": "Lead two reviews", "target_date": ""}
    )
    client.post(f"/skills/plan/actions/{action.pk}/status/", {"status": "done"})

    action.refresh_from_db()
    assert (action.title, action.status) == ("Lead two reviews", PlanAction.Status.DONE)


def test_the_line_manager_agrees_and_comments_and_a_change_asks_again(setting):
    release, manager, learner = setting
    action = add(learner)
    client = client_for(manager)

    page = client.get(f"/skills/team/{learner.pk}/plan/").content.decode()
    assert "Agree this plan" in page
    client.post(f"/skills/team/{learner.pk}/plan/agree/")
    client.post(f"/skills/team/{learner.pk}/plan/comment/", {"text": "Good plan: book the course soon."})

    assert DevelopmentPlan.objects.get().is_agreed
    learner_page = client_for(learner).get("/skills/plan/").content.decode()
    assert "Agreed by" in learner_page
    assert "Good plan: book the course soon." in learner_page
    client_for(learner).post(
        f"/skills/plan/actions/{action.pk}/", {"kind": "on_the_job", "title": "Lead three reviews"}
    )
    assert "Changed since agreed" in client.get(f"/skills/team/{learner.pk}/plan/").content.decode()


def test_the_team_overview_shows_overdue_actions_first(setting):
    release, manager, learner = setting
    on_time = PersonFactory(line_manager=manager)
    add(on_time, target_date=timezone.localdate() + timedelta(days=30))
    add(learner, target_date=timezone.localdate() - timedelta(days=1))

    page = client_for(manager).get("/skills/team/plans/").content.decode()

    assert "1 overdue" in page
    # Names as the page escapes them (a made-up "O'Brien" is written O&#x27;Brien).
    assert page.index(escape(learner.user.get_full_name())) < page.index(escape(on_time.user.get_full_name()))


def test_the_wrong_people_get_404_for_every_plan_object_and_nothing_changes(setting):
    release, manager, learner = setting
    action = add(learner)
    grand_manager = PersonFactory()
    manager.line_manager = grand_manager
    manager.save()
    for outsider in (PersonFactory(), PersonFactory(line_manager=PersonFactory()), manager):
        client = client_for(outsider)
        assert client.get(f"/skills/plan/actions/{action.pk}/").status_code == 404
        assert client.post(f"/skills/plan/actions/{action.pk}/", {"kind": "reading", "title": "x"}).status_code == 404
        assert client.post(f"/skills/plan/actions/{action.pk}/status/", {"status": "done"}).status_code == 404
        if outsider != manager:
            assert client.get(f"/skills/team/{learner.pk}/plan/").status_code == 404
            assert client.post(f"/skills/team/{learner.pk}/plan/agree/").status_code == 404
            assert client.post(f"/skills/team/{learner.pk}/plan/comment/", {"text": "x"}).status_code == 404
    # Someone higher in the line sees the plan, but agreeing and commenting are the line manager's.
    higher = client_for(grand_manager)
    assert higher.get(f"/skills/team/{learner.pk}/plan/").status_code == 200
    assert higher.post(f"/skills/team/{learner.pk}/plan/agree/").status_code == 404
    assert higher.post(f"/skills/team/{learner.pk}/plan/comment/", {"text": "x"}).status_code == 404
    action.refresh_from_db()
    assert (action.title, action.status) == ("Lead the data quality review", PlanAction.Status.PLANNED)
    assert not DevelopmentPlan.objects.get().is_agreed
    assert not PlanComment.objects.exists()


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(page_queries(queries.captured_queries))


def test_the_plan_page_and_the_team_overview_keep_a_constant_query_count(setting):
    release, manager, learner = setting
    counts = {"plan": [], "team": []}
    for size in (1, 12):
        for index in range(size):
            add(learner, title=f"Action {size}-{index}", skill_code="skill-00", target_rank=3)
            add(PersonFactory(line_manager=manager), title="Something", target_date=date(2020, 1, 1))
        counts["plan"].append(_queries(client_for(learner), "/skills/plan/"))
        counts["team"].append(_queries(client_for(manager), "/skills/team/plans/"))
    # The plan page: session, user, person, plan, actions, comments, and the form's skills and levels. The team
    # overview: session, user, person, the page's count and its rows.
    assert counts == {"plan": [7, 7], "team": [4, 4]}
