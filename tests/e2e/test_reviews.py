"""A line manager reviews a person's claims one after another: the queue groups them by person, each review page
shows what the role levels need, the earlier request and what changed, and a decision moves straight on to the
person's next claim. At 375 px the gaps page, the queue and the team keep their decisive column in view. Every page
passes axe-core."""

import re

from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from skills.models import Review
from skills.services import review_request_evidence, self_assessment_draft_save, self_assessment_submit
from tests.cms.factories import PASSWORD, UserFactory
from tests.e2e.test_skills import a_published_role_level
from tests.skills.factories import PersonFactory

PHONE = {"width": 375, "height": 740}


def send(person, skill, level, evidence):
    self_assessment_draft_save(person=person, skill=skill, level=level, evidence=evidence, actor=person.user)
    return self_assessment_submit(person=person, actor=person.user, skills=[skill])[0]


def a_team_with_claims_waiting():
    role_level = a_published_role_level()
    release = role_level.release
    levels = {level.code: level for level in release.levels.all()}
    skills = {skill.code: skill for skill in release.skills.all()}
    manager = PersonFactory(
        user=UserFactory(first_name="Tom", last_name="Okafor", roles=[Role.LEARNER, Role.LINE_MANAGER])
    )
    priya = PersonFactory(
        user=UserFactory(first_name="Priya", last_name="Shah"),
        line_manager=manager,
        current_role_level=role_level,
        target_role_level=role_level,
    )
    sam = PersonFactory(
        user=UserFactory(first_name="Sam", last_name="Jones"), line_manager=manager, current_role_level=role_level
    )
    first = send(priya, skills["data-modelling"], levels["expert"], "Designed the case data model.")
    review_request_evidence(
        review=Review.objects.get(claim=first),
        reviewer=manager,
        message="Which decisions did you make, and who used the model?",
    )
    send(
        priya,
        skills["data-modelling"],
        levels["practitioner"],
        "Designed the case data model; chose event sourcing; 4 teams use it.",
    )
    send(priya, skills["testing"], levels["practitioner"], "Wrote the contract tests for the case API.")
    send(sam, skills["testing"], levels["working"], "Added tests to the importer.")
    return manager, priya, sam


def test_a_manager_reviews_a_persons_two_claims_in_a_row_seeing_the_earlier_request_and_what_changed(
    page: Page, sign_in, assert_accessible
):
    manager, priya, sam = a_team_with_claims_waiting()

    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/reviews/")
    priya_card = page.locator(".govuk-summary-card", has_text="Priya Shah")
    expect(priya_card).to_contain_text("2 claims waiting")
    expect(priya_card).to_contain_text("Data modelling")
    expect(priya_card).to_contain_text("Testing")
    expect(page.locator(".govuk-summary-card", has_text="Sam Jones")).to_contain_text("1 claim waiting")
    assert_accessible(page)
    priya_card.get_by_role("link", name=re.compile("^Start reviewing")).click()

    # The first claim answers an earlier request: what was asked, and both versions of the evidence.
    expect(page).to_have_title(re.compile("^Review Data modelling for Priya Shah"))
    expect(page.get_by_role("heading", name="This claim answers a request for more evidence")).to_be_visible()
    expect(page.get_by_text("Which decisions did you make, and who used the model?").first).to_be_visible()
    expect(page.get_by_text("changed from Expert to Practitioner")).to_be_visible()
    expect(page.locator(".capability-evidence--before")).to_have_text("Designed the case data model.")
    expect(page.locator(".capability-evidence--now")).to_contain_text("4 teams use it")
    expect(page.get_by_text("Current role: Senior data engineer")).to_be_visible()
    expect(page.get_by_text("Needs Practitioner").first).to_be_visible()
    expect(page.get_by_role("link", name="Testing")).to_be_visible()  # her other claim waiting
    assert_accessible(page)
    page.get_by_role("radio", name="Confirm the claimed level").check()
    page.get_by_role("button", name="Save decision").click()

    # Straight on to her next claim.
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You validated Priya Shah's Data modelling at Practitioner. Next: Testing."
    )
    expect(page).to_have_title(re.compile("^Review Testing for Priya Shah"))
    expect(page.get_by_text("None: this is the first time Priya Shah has claimed this skill.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Confirm the claimed level").check()
    page.get_by_role("button", name="Save decision").click()

    # No more from Priya: back to the queue, where Sam is still waiting.
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Priya Shah has no more claims waiting for you."
    )
    expect(page.locator(".govuk-summary-card", has_text="Priya Shah")).to_have_count(0)
    expect(page.locator(".govuk-summary-card", has_text="Sam Jones")).to_be_visible()


def right_edge(locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"]


def test_at_375_px_the_gaps_queue_and_team_keep_their_decisive_column_in_view(page: Page, sign_in, assert_accessible):
    manager, priya, sam = a_team_with_claims_waiting()
    page.set_viewport_size(PHONE)
    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/reviews/")

    # The queue: a card per person, each claim's level beside its skill.
    card = page.locator(".govuk-summary-card", has_text="Priya Shah")
    expect(card).to_contain_text("Claims Practitioner")
    assert right_edge(card.locator(".govuk-summary-list__value").first) <= PHONE["width"]
    assert_accessible(page)
    page.screenshot(path="/tmp/review-queue-375.png", full_page=True)

    # The team: a card per person, their gaps first; the wide matrix is for wider screens.
    page.goto("/skills/team/")
    expect(page.locator(".capability-team-matrix")).to_be_hidden()
    card = page.locator(".capability-team-cards .govuk-summary-card", has_text="Priya Shah")
    expect(card).to_contain_text("Data modelling: not validated, needs Practitioner")
    assert right_edge(card) <= PHONE["width"]
    assert_accessible(page)
    page.screenshot(path="/tmp/review-team-375.png", full_page=True)

    # A person's gaps: the gap sits beside the skill's name.
    page.goto(f"/skills/team/{priya.pk}/")
    gap = page.locator(".capability-gaps tbody tr").first.locator(".govuk-tag")
    expect(gap).to_have_text(re.compile(r"\d below"))
    assert right_edge(gap) <= PHONE["width"]
    assert_accessible(page)
    page.screenshot(path="/tmp/review-gaps-375.png", full_page=True)


def test_at_1280_px_the_team_matrix_says_it_scrolls_and_filters_without_javascript(
    page: Page, sign_in, assert_accessible
):
    manager, priya, sam = a_team_with_claims_waiting()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/team/")
    expect(page.locator(".capability-team-cards")).to_be_hidden()
    expect(page.get_by_role("region", name="Team skills matrix")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/review-team-1280.png", full_page=True)

    page.get_by_label("Name").fill("priya")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 person matches")).to_be_visible()
    expect(page.get_by_role("region", name="Team skills matrix")).not_to_contain_text("Sam Jones")
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Only people with gaps").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="2 people match")).to_be_visible()
    assert_accessible(page)
