"""The learner's self-assessment as they meet it: honest statuses on the task list, the reviewer's request where
they answer it, a check-answers page that sends exactly what was chosen, withdrawal, and long text that is never
cut. And the reviewer's decision form, which refuses an adjustment without a level."""

import re
from html import unescape

import pytest
from django.core import mail

from skills.enums import AssessmentSource, ReviewStatus
from skills.models import Assessment, ClaimWithdrawal, CurrentLevel, Review, SelfAssessmentDraft
from skills.services import (
    assessment_record,
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)
from tests.frameworks.factories import FrameworkReleaseFactory, RequirementFactory, RoleLevelFactory, SkillFactory
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():

    release, role_level = make_release(3)
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager, target_role_level=role_level, current_role_level=role_level)
    levels = {level.code: level for level in release.levels.all()}
    return release, manager, learner, levels


def draft(learner, release, code, level, evidence="Did it."):
    return self_assessment_draft_save(
        person=learner, skill=release.skills.get(code=code), level=level, evidence=evidence, actor=learner.user
    )


def test_the_check_answers_page_sends_only_the_answers_chosen(setting):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"], "Led the migration.")
    draft(learner, release, "skill-01", levels["working"], "Old draft I never finished.")
    draft(learner, release, "skill-02", levels["working"], "")
    client = client_for(learner)

    page = client.get("/skills/self-assessment/check/").content.decode()
    assert "Led the migration." in page
    assert "Old draft I never finished." in page
    assert "Add evidence before you send this answer." in page
    assert 'value="skill-02"' not in page  # not ready: not offered
    assert len(re.findall(r'<input[^>]*type="checkbox"[^>]*checked', page)) == 2  # the ready ones start chosen

    response = client.post("/skills/self-assessment/check/", {"skills": ["skill-00"]})

    assert response.status_code == 302
    assert list(Assessment.objects.values_list("skill__code", flat=True)) == ["skill-00"]
    assert set(SelfAssessmentDraft.objects.values_list("skill__code", flat=True)) == {"skill-01", "skill-02"}


def test_sending_nothing_says_what_to_do_and_sends_nothing(setting):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])

    page = client_for(learner).post("/skills/self-assessment/check/", {}).content.decode()

    assert "Choose at least one answer to send" in page
    assert not Assessment.objects.exists()


def test_a_learner_cannot_send_a_skill_that_is_not_one_of_their_ready_answers(setting):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])

    page = client_for(learner).post("/skills/self-assessment/check/", {"skills": ["skill-01"]}).content.decode()

    assert "Choose from the answers listed: skill-01 is not one of them" in page
    assert not Assessment.objects.exists()


def test_the_task_list_states_each_skill_honestly(setting, django_capture_on_commit_callbacks):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])
    self_assessment_submit(person=learner, actor=learner.user)
    review_decide(review=Review.objects.get(), reviewer=manager, level=levels["working"], reason="Not yet.")
    draft(learner, release, "skill-01", levels["practitioner"])

    html = client_for(learner).get("/skills/self-assessment/").content.decode()

    assert "Validated at Working" in html
    assert "In progress" in html
    assert "Not started" in html
    skill_page = client_for(learner).get("/skills/self-assessment/skill-00/").content.decode()
    assert "Validated at <strong>Working</strong>" in skill_page
    assert "You claimed Expert" in skill_page


def test_an_evidence_request_is_shown_where_the_learner_answers_it(setting, django_capture_on_commit_callbacks):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"], "Led it.")
    self_assessment_submit(person=learner, actor=learner.user)
    review_request_evidence(review=Review.objects.get(), reviewer=manager, message="Who used the model?")
    client = client_for(learner)

    task_list = client.get("/skills/self-assessment/").content.decode()
    assert "More evidence needed" in task_list
    assert "More evidence is needed for 1 of your claims." in task_list
    page = client.get("/skills/self-assessment/skill-00/").content.decode()
    assert "Who used the model?" in page
    assert manager.user.get_full_name() in unescape(page)
    check = client.get("/skills/self-assessment/check/").content.decode()
    assert "Who used the model?" in check
    assert "You have not changed your evidence since." in check


def test_a_waiting_claim_can_be_withdrawn_and_the_policy_ignores_it(setting):
    release, manager, learner, levels = setting
    skill = release.skills.get(code="skill-00")
    assessment_record(person=learner, skill=skill, level=levels["working"], source=AssessmentSource.IMPORT)
    draft(learner, release, "skill-00", levels["expert"], "Sent by mistake.")
    (claim,) = self_assessment_submit(person=learner, actor=learner.user)
    assert CurrentLevel.objects.get(person=learner).claimed_level == levels["expert"]

    response = client_for(learner).post("/skills/self-assessment/skill-00/withdraw/")

    assert response.status_code == 302
    assert Review.objects.get().status == ReviewStatus.WITHDRAWN
    assert ClaimWithdrawal.objects.get().claim == claim
    current = CurrentLevel.objects.get(person=learner)
    assert current.claim is None
    assert current.validated_level == levels["working"]
    assert SelfAssessmentDraft.objects.get(person=learner).evidence == "Sent by mistake."
    assert Assessment.objects.filter(pk=claim.pk).exists()  # the ledger keeps it
    assert "Skill 00" not in client_for(manager).get("/skills/reviews/").content.decode()


def test_nobody_else_can_withdraw_a_claim_and_a_decided_claim_cannot_be_withdrawn(setting):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])
    self_assessment_submit(person=learner, actor=learner.user)

    assert client_for(manager).post("/skills/self-assessment/skill-00/withdraw/").status_code == 302
    assert not ClaimWithdrawal.objects.exists()  # the manager withdrew nothing: it acted on their own (no) claim
    review_decide(review=Review.objects.get(), reviewer=manager, level=levels["expert"])
    response = client_for(learner).post("/skills/self-assessment/skill-00/withdraw/", follow=True)
    assert "is not waiting for review, so it cannot be withdrawn" in response.content.decode()
    assert not ClaimWithdrawal.objects.exists()


def test_long_evidence_is_never_cut_the_form_says_by_how_much_and_keeps_it(setting):
    release, manager, learner, levels = setting
    client = client_for(learner)
    evidence = "x" * 5001

    page = client.get("/skills/self-assessment/skill-00/").content.decode()
    assert not re.search(r"<textarea[^>]*\smaxlength=", page)
    assert "govuk-character-count" in page
    response = client.post(
        "/skills/self-assessment/skill-00/", {"level": str(levels["expert"].pk), "evidence": evidence}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Evidence must be 5,000 characters or fewer" in html
    assert evidence in html
    assert not SelfAssessmentDraft.objects.exists()


def test_adjusting_a_claim_without_choosing_a_level_is_refused_and_writes_nothing(
    setting, django_capture_on_commit_callbacks
):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])
    self_assessment_submit(person=learner, actor=learner.user)
    review = Review.objects.get()
    before = Assessment.objects.count()
    mail.outbox.clear()

    html = (
        client_for(manager)
        .post(f"/skills/reviews/{review.pk}/", {"decision": "adjust", "reason": "Not at expert yet."})
        .content.decode()
    )

    assert "Choose the level you validate" in html
    assert "Not at expert yet." in html
    assert Assessment.objects.count() == before
    assert Review.objects.get().status == ReviewStatus.OPEN
    assert mail.outbox == []


def test_a_reviewer_reason_over_the_limit_is_kept_with_an_error(setting):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])
    self_assessment_submit(person=learner, actor=learner.user)
    review = Review.objects.get()
    reason = "y" * 2001

    html = (
        client_for(manager)
        .post(
            f"/skills/reviews/{review.pk}/",
            {"decision": "adjust", "level": str(levels["working"].pk), "reason": reason},
        )
        .content.decode()
    )

    assert "The reason must be 2,000 characters or fewer" in html
    assert reason in html
    assert not re.search(r"<textarea[^>]*\smaxlength=", html)
    assert Review.objects.get().status == ReviewStatus.OPEN


def test_a_decided_claim_shows_how_it_was_decided_and_offers_no_decision_again(setting):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])
    self_assessment_submit(person=learner, actor=learner.user)
    review = Review.objects.get()
    review_decide(review=review, reviewer=manager, level=levels["expert"])
    client = client_for(manager)

    page = client.get(f"/skills/reviews/{review.pk}/").content.decode()
    again = client.post(f"/skills/reviews/{review.pk}/", {"decision": "confirm"})

    assert "This claim is no longer waiting for a decision: confirmed by" in page
    assert "Save decision" not in page
    assert again.status_code == 200
    assert Assessment.objects.filter(source=AssessmentSource.LINE_MANAGER).count() == 1


def test_changing_an_answer_that_is_waiting_for_review_says_so_and_names_the_reviewer(setting):
    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])
    self_assessment_submit(person=learner, actor=learner.user)
    draft(learner, release, "skill-00", levels["expert"], "Better evidence.")
    client = client_for(learner)
    name = manager.user.get_full_name()

    task_list = client.get("/skills/self-assessment/").content.decode()
    page = client.get("/skills/self-assessment/skill-00/").content.decode()

    assert f"Changed since you sent it to {name}" in unescape(task_list)
    assert f"waiting for review by {name}" in unescape(page)
    assert "send it to replace the claim that is waiting" in page
    assert "by In progress" not in page


def test_a_manager_whose_decision_an_assessors_outranks_is_told_which_level_stands(setting):

    release, manager, learner, levels = setting
    draft(learner, release, "skill-00", levels["expert"])
    (claim,) = self_assessment_submit(person=learner, actor=learner.user)
    assessor = PersonFactory(accredited_frameworks=[release.framework])
    assessor_review = review_request_assessor(claim=claim, actor=learner.user)
    review_decide(review=assessor_review, reviewer=assessor, level=levels["working"], reason="Not yet expert.")
    manager_review = claim.reviews.get(reviewer_kind="line_manager")

    response = client_for(manager).post(f"/skills/reviews/{manager_review.pk}/", {"decision": "confirm"}, follow=True)

    html = response.content.decode()
    assert "Their validated level stays Working" in html
    assert "assessor" in html.split("Their validated level stays Working")[1][:200].lower()
    assert CurrentLevel.objects.get(person=learner).validated_level == levels["working"]


def test_a_draft_releases_task_list_shows_a_requirement_added_since_the_last_visit():
    # A published release's skills and requirements are kept by the process (decision 0223); a draft's can change,
    # and are read on every visit. A person works in a draft only while their framework has published nothing.
    release = FrameworkReleaseFactory()
    role_level = RoleLevelFactory(role__release=release, release=release)
    practitioner = release.levels.get(code="practitioner")
    first, second = (SkillFactory(release=release, name=name) for name in ("Agile working", "Zebra crossing"))
    RequirementFactory(role_level=role_level, role=role_level.role, release=release, skill=first, level=practitioner)
    learner = PersonFactory(current_role_level=role_level)
    client = client_for(learner)
    assert "Zebra crossing</option>" in client.get("/skills/self-assessment/").content.decode()

    RequirementFactory(role_level=role_level, role=role_level.role, release=release, skill=second, level=practitioner)

    html = client.get("/skills/self-assessment/").content.decode()
    assert "Zebra crossing</option>" not in html
    assert re.search(r'govuk-task-list__link"[^>]*>\s*Zebra crossing\s*</a>', html)
