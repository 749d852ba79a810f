import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frameworks.models import Framework
from skills.enums import AssessmentSource, ReviewStatus
from skills.models import CurrentLevel, Review
from skills.services import (
    assessment_record,
    review_request_assessor,
    self_assessment_draft_save,
    self_assessment_submit,
)
from tests.frameworks.factories import (
    FrameworkFactory,
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleLevelFactory,
    SkillFactory,
    publish_directly,
)
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def make_release(skill_count: int):
    """A published DDaT-like release with one role level requiring `skill_count` skills at Practitioner."""
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"))
    role_level = RoleLevelFactory(role__release=release, release=release, name="Senior data engineer")
    practitioner = release.levels.get(code="practitioner")
    for index in range(skill_count):
        skill = SkillFactory(release=release, name=f"Skill {index:02d}", code=f"skill-{index:02d}")
        RequirementFactory(
            role_level=role_level, role=role_level.role, release=release, skill=skill, level=practitioner
        )
    publish_directly(release)
    return release, role_level


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def setting():
    release, role_level = make_release(3)
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager, target_role_level=role_level, current_role_level=role_level)
    return release, role_level, manager, learner


def test_a_learner_self_assesses_sends_and_the_manager_adjusts_with_a_reason(
    setting, django_capture_on_commit_callbacks
):
    release, role_level, manager, learner = setting
    levels = {level.code: level for level in release.levels.all()}
    learner_client, manager_client = client_for(learner), client_for(manager)

    page = learner_client.get("/skills/self-assessment/skill-00/")
    html = page.content.decode()
    assert page.status_code == 200
    for name in ("Awareness", "Working", "Practitioner", "Expert"):
        assert name in html
    assert "Practitioner (needed for your current and target roles)" in html
    assert "do Skill 00 at Expert" in html

    response = learner_client.post(
        "/skills/self-assessment/skill-00/", {"level": levels["expert"].pk, "evidence": "Built the pipeline."}
    )
    assert response.status_code == 302
    assert "In progress" in learner_client.get("/skills/self-assessment/").content.decode()
    check = learner_client.get("/skills/self-assessment/check/").content.decode()
    assert "Built the pipeline." in check
    assert manager.user.get_full_name() in unescape(check)
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post("/skills/self-assessment/check/", {"skills": ["skill-00"]})

    queue = manager_client.get("/skills/reviews/").content.decode()
    assert "Skill 00" in queue
    assert learner.user.get_full_name() in unescape(queue)
    review = Review.objects.get()
    missing_reason = manager_client.post(
        f"/skills/reviews/{review.pk}/", {"decision": "adjust", "level": levels["working"].pk}
    )
    assert "Say why you validate a different level" in missing_reason.content.decode()
    manager_client.post(
        f"/skills/reviews/{review.pk}/",
        {"decision": "adjust", "level": levels["working"].pk, "reason": "Needs more independence."},
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.ADJUSTED
    gaps = learner_client.get("/skills/gaps/").content.decode()
    assert "Working" in gaps
    assert "Expert" in gaps
    assert "1 below" in gaps
    history = learner_client.get("/skills/history/skill-00/").content.decode()
    assert "Needs more independence." in history
    assert "Built the pipeline." in history


def test_another_learner_and_a_manager_of_another_team_get_404_for_someone_elses_pages(setting):
    release, role_level, manager, learner = setting
    self_assessment_draft_save(
        person=learner, skill=release.skills.get(code="skill-00"), level=None, evidence="x", actor=learner.user
    )
    self_assessment_submit(person=learner, actor=learner.user)
    review = Review.objects.get()
    for outsider in (PersonFactory(), PersonFactory(line_manager=PersonFactory())):
        client = client_for(outsider)
        assert client.get(f"/skills/team/{learner.pk}/").status_code == 404
        assert client.get(f"/skills/team/{learner.pk}/history/skill-00/").status_code == 404
        assert client.get(f"/skills/reviews/{review.pk}/").status_code == 404
        assert client.post(f"/skills/reviews/{review.pk}/", {"decision": "confirm"}).status_code == 404
    assert client_for(learner).get(f"/skills/reviews/{review.pk}/").status_code == 404
    assert Review.objects.get().status == ReviewStatus.OPEN


def test_a_manager_sees_their_whole_reporting_line_but_not_beyond(setting):
    release, role_level, manager, learner = setting
    grand_manager = PersonFactory()
    manager.line_manager = grand_manager
    manager.save()

    client = client_for(grand_manager)

    assert client.get(f"/skills/team/{learner.pk}/").status_code == 200
    assert learner.user.get_full_name() in unescape(client.get("/skills/team/").content.decode())
    assert client_for(learner).get(f"/skills/team/{manager.pk}/").status_code == 404


def _queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site, content types) so that only the page's own queries count
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/skills/gaps/", "/skills/self-assessment/", "/skills/"])
def test_learner_pages_keep_a_constant_query_count_as_skills_grow(url):
    counts = []
    for skill_count in (1, 12):
        release, role_level = make_release(skill_count)
        person = PersonFactory(target_role_level=role_level, current_role_level=role_level)
        for skill in release.skills.all():
            self_assessment_draft_save(person=person, skill=skill, level=None, evidence="e", actor=person.user)
        self_assessment_submit(person=person, actor=person.user)
        counts.append(_queries(client_for(person), url))
        # a fresh framework for the next round
        Framework.objects.filter(slug="ddat").update(slug=f"old-{skill_count}")
    assert counts[0] == counts[1]


def test_the_team_matrix_keeps_a_constant_query_count_as_the_team_grows():
    release, role_level = make_release(5)
    counts = []
    for size in (1, 10):
        manager = PersonFactory()
        for _ in range(size):
            member = PersonFactory(line_manager=manager, current_role_level=role_level)
            CurrentLevel.objects.filter(person=member).exists()
        counts.append(_queries(client_for(manager), "/skills/team/"))
    assert counts[0] == counts[1]


def test_skills_assessed_longer_ago_than_the_reassessment_period_are_marked_due(setting):

    release, role_level, manager, learner = setting
    old, recent = release.skills.get(code="skill-00"), release.skills.get(code="skill-01")
    assessment_record(
        person=learner,
        skill=old,
        level=None,
        source=AssessmentSource.IMPORT,
        created_at=timezone.now() - timedelta(days=400),
    )
    assessment_record(person=learner, skill=recent, level=None, source=AssessmentSource.IMPORT)

    html = client_for(learner).get("/skills/self-assessment/").content.decode()

    assert html.count("Due for reassessment") == 1


def test_arriving_from_a_role_level_page_preselects_it_until_the_learner_saves(setting):
    release, role_level, manager, learner = setting
    learner.target_role_level = None
    learner.save()
    client = client_for(learner)

    response = client.get(f"/skills/role-levels/?target={role_level.pk}", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(f"/skills/role-levels/target/{role_level.role.code}/")
    assert re.search(rf'value="{role_level.pk}"\s+checked', page)
    learner.refresh_from_db()
    assert learner.target_role_level is None

    client.post(f"/skills/role-levels/target/{role_level.role.code}/", {"role_level": str(role_level.pk)})
    learner.refresh_from_db()
    assert learner.target_role_level == role_level


def test_a_learner_chooses_a_role_then_a_level_on_its_ladder_and_is_warned_when_the_target_is_more_junior():
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"))
    junior = RoleLevelFactory(role__release=release, release=release, name="Data engineer", seniority=1)
    senior = RoleLevelFactory(role=junior.role, release=release, name="Senior data engineer", seniority=2)
    publish_directly(release)
    learner = PersonFactory(current_role_level=senior)
    client = client_for(learner)

    response = client.post("/skills/role-levels/target/", {"role": junior.role.code})
    assert response["Location"] == f"/skills/role-levels/target/{junior.role.code}/"
    ladder = client.get(response["Location"]).content.decode()
    assert ladder.index("Data engineer") < ladder.index("Senior data engineer")
    assert "More junior than your current level, Senior data engineer" in ladder
    client.post(response["Location"], {"role_level": str(junior.pk)})

    learner.refresh_from_db()
    assert learner.target_role_level == junior
    summary = client.get("/skills/role-levels/").content.decode()
    assert "is more junior than your current level" in summary
    assert "Choose a role" in client.post("/skills/role-levels/target/", {}).content.decode()
    tampered = client.post("/skills/role-levels/target/", {"role": "no-such-role"}).content.decode()
    assert "Choose a role from the list" in tampered
    assert "Select a valid choice" not in tampered
    assert client.get("/skills/role-levels/sideways/").status_code == 404


def test_a_learner_can_claim_no_level_and_the_gap_page_links_only_assessed_skills(setting):
    release, role_level, manager, learner = setting
    client = client_for(learner)

    page = client.get("/skills/self-assessment/skill-00/").content.decode()
    assert "I do not have this skill yet" in page
    client.post("/skills/self-assessment/skill-00/", {"level": "none", "evidence": "Not used it yet."})
    client.post("/skills/self-assessment/check/", {"skills": ["skill-00"]})

    gaps = client.get("/skills/gaps/").content.decode()
    assert 'href="/skills/history/skill-00/"' in gaps
    assert 'href="/skills/history/skill-01/"' not in gaps
    assert client.get("/skills/history/skill-00/").status_code == 200


def test_the_gap_page_shows_each_role_level_with_the_tags_of_each_row():
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"))
    levels = {level.code: level for level in release.levels.all()}
    held = RoleLevelFactory(role__release=release, release=release, name="Senior data engineer")
    other = RoleLevelFactory(role__release=release, release=release, name="Lead data engineer")
    skills = [SkillFactory(release=release, name=f"Skill {n:02d}", code=f"skill-{n:02d}") for n in range(3)]
    for skill in skills:
        RequirementFactory(role_level=held, role=held.role, release=release, skill=skill, level=levels["practitioner"])
    RequirementFactory(role_level=other, role=other.role, release=release, skill=skills[0], level=levels["expert"])
    publish_directly(release)
    learner = PersonFactory(target_role_level=held, current_role_level=held)
    assessment_record(person=learner, skill=skills[0], level=levels["practitioner"], source=AssessmentSource.IMPORT)
    assessment_record(person=learner, skill=skills[1], level=levels["working"], source=AssessmentSource.IMPORT)
    CurrentLevel.objects.filter(person=learner, skill_code="skill-00").update(needs_revalidation=True)
    met = '<strong class="govuk-tag govuk-tag--green">\n  Met\n</strong>'
    below = '<strong class="govuk-tag govuk-tag--red">\n  {} below\n</strong>'
    check_again = '<strong class="govuk-tag govuk-tag--orange">\n  Check again\n</strong>'

    # Working towards the role level held: the one analysis under both headings.
    page = client_for(learner).get("/skills/gaps/").content.decode()
    assert "Working towards: " + held.role.name in page
    assert "Current role: " + held.role.name in page
    assert page.count(met) == 2  # skill-00
    assert page.count(below.format(1)) == 2  # skill-01, Working
    assert page.count(below.format(3)) == 2  # skill-02, not held
    assert page.count(check_again) == 2

    # Working towards another role level: each analysed against its own requirements.
    learner.target_role_level = other
    learner.save()
    page = client_for(learner).get("/skills/gaps/").content.decode()
    assert "Working towards: " + other.role.name in page
    assert page.count(met) == 1  # skill-00 in the role held
    assert page.count(below.format(1)) == 2  # skill-00 one below Expert, skill-01 one below Practitioner
    assert page.count(below.format(3)) == 1
    assert page.count(check_again) == 2


def test_the_error_summary_links_a_radio_question_to_its_first_option(setting):
    release, role_level, manager, learner = setting
    self_assessment_draft_save(
        person=learner, skill=release.skills.get(code="skill-00"), level=None, evidence="e", actor=learner.user
    )
    self_assessment_submit(person=learner, actor=learner.user)

    page = client_for(manager).post(f"/skills/reviews/{Review.objects.get().pk}/", {}).content.decode()

    assert 'href="#id_decision_1"' in page
    assert 'id="id_decision_1"' in page


@pytest.mark.parametrize("levels_below", [1, 2], ids=["direct report", "report of a report"])
def test_an_assessor_cannot_decide_a_claim_of_a_manager_above_them(setting, levels_below):

    release, _, _, claimant = setting
    assessor = PersonFactory(line_manager=claimant, accredited_frameworks=[release.framework])
    if levels_below == 2:
        assessor = PersonFactory(line_manager=assessor, accredited_frameworks=[release.framework])
    independent = PersonFactory(accredited_frameworks=[release.framework])
    skill = release.skills.get(code="skill-00")
    self_assessment_draft_save(person=claimant, skill=skill, level=None, evidence="Did it.", actor=claimant.user)
    (claim,) = self_assessment_submit(person=claimant, actor=claimant.user)
    review = review_request_assessor(claim=claim, actor=claimant.user)
    assessor_client = client_for(assessor)

    queue = assessor_client.get("/skills/reviews/").content.decode()
    opened = assessor_client.get(f"/skills/reviews/{review.pk}/")
    decided = assessor_client.post(f"/skills/reviews/{review.pk}/", {"decision": "confirm"})

    assert claimant.user.get_full_name() not in unescape(queue)
    assert (opened.status_code, decided.status_code) == (404, 404)
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN
    assert claimant.user.get_full_name() in unescape(client_for(independent).get("/skills/reviews/").content.decode())
