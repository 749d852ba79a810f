"""A learner self-assesses and sends their claims; their line manager adjusts one with a reason; the learner
sees their gap page change. Every page visited passes axe-core."""

import re

from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from tests.cms.factories import PASSWORD, UserFactory
from tests.frameworks.factories import (
    FrameworkFactory,
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleLevelFactory,
    SkillFactory,
    publish_directly,
)
from tests.skills.factories import PersonFactory


def a_published_role_level():
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"), label="2025-10")
    role_level = RoleLevelFactory(
        role__release=release, release=release, role__name="Data engineer", name="Senior data engineer"
    )
    practitioner = release.levels.get(code="practitioner")
    for name, code in (("Data modelling", "data-modelling"), ("Testing", "testing")):
        skill = SkillFactory(release=release, name=name, code=code)
        RequirementFactory(
            role_level=role_level, role=role_level.role, release=release, skill=skill, level=practitioner
        )
    publish_directly(release)
    return role_level


def test_a_learner_self_assesses_their_manager_adjusts_and_the_gap_page_changes(page: Page, sign_in, assert_accessible):
    role_level = a_published_role_level()
    manager = PersonFactory(
        user=UserFactory(first_name="Tom", last_name="Okafor", roles=[Role.LEARNER, Role.LINE_MANAGER])
    )
    learner = PersonFactory(
        user=UserFactory(first_name="Priya", last_name="Shah"),
        line_manager=manager,
        current_role_level=role_level,
        target_role_level=role_level,
    )

    # The learner assesses both skills, saving drafts, then checks and sends them.
    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/self-assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess your skills")
    assert_accessible(page)
    for skill_name, level in (("Data modelling", "^Expert"), ("Testing", "^Practitioner")):
        page.locator(".govuk-task-list").get_by_role("link", name=skill_name).click()
        assert_accessible(page)
        page.get_by_role("radio", name=re.compile(level)).check()
        page.get_by_label("Evidence").fill(f"Evidence for {skill_name}: led the work and shipped it.")
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Your answer for {skill_name} is saved")
    expect(page.locator(".govuk-task-list")).to_contain_text("In progress")
    page.get_by_role("button", name="Check and send your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    expect(page.get_by_text("Evidence for Testing: led the work and shipped it.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You sent 2 answers to Tom Okafor")
    expect(page.locator(".govuk-task-list")).to_contain_text("Sent to Tom Okafor")
    page.goto("/skills/gaps/")
    expect(page.get_by_text("0% of 2 requirements met by validated levels").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The manager confirms one claim and adjusts the other, with a reason.
    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/reviews/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Testing\s+for Priya Shah")).click()
    page.get_by_role("radio", name="Confirm the claimed level").check()
    expect(page.get_by_label("Why this level")).to_be_hidden()  # follow-up questions sit under their answer
    page.get_by_role("button", name="Save decision").click()
    # A decision moves straight on to the same person's next claim.
    expect(page).to_have_title(re.compile("^Review Data modelling for Priya Shah"))
    assert_accessible(page)
    page.get_by_role("radio", name="Validate a different level").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the level you validate")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you validate a different level")
    assert_accessible(page)
    page.get_by_role("radio", name="Validate a different level").check()
    page.locator("fieldset", has_text="Which level do you validate?").get_by_role(
        "radio", name="Practitioner", exact=True
    ).check()
    page.get_by_label("Why this level").fill("Practitioner for now: not yet set the team's standards.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("No claims from your team are waiting.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The learner's gap page now counts both validated levels and shows the disagreement.
    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/gaps/")
    expect(page.get_by_text("100% of 2 requirements met by validated levels").first).to_be_visible()
    row = page.get_by_role("row", name=re.compile("^Data modelling")).first
    expect(row).to_contain_text("Practitioner")
    expect(row).to_contain_text("Expert")
    assert_accessible(page)
    page.get_by_role("link", name="Data modelling").first.click()
    expect(page.get_by_text("not yet set the team's standards")).to_be_visible()


def test_a_claim_sent_back_for_evidence_shows_the_request_and_comes_back_changed(
    page: Page, sign_in, assert_accessible
):
    role_level = a_published_role_level()
    manager = PersonFactory(
        user=UserFactory(first_name="Tom", last_name="Okafor", roles=[Role.LEARNER, Role.LINE_MANAGER])
    )
    learner = PersonFactory(
        user=UserFactory(first_name="Priya", last_name="Shah"),
        line_manager=manager,
        current_role_level=role_level,
        target_role_level=role_level,
    )
    page.set_viewport_size({"width": 375, "height": 740})

    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/self-assessment/data-modelling/")
    page.get_by_role("radio", name=re.compile("^Expert")).check()
    page.get_by_label("Evidence").fill("Designed the case data model.")
    page.get_by_role("button", name="Save and come back later").click()
    page.goto("/skills/self-assessment/testing/")
    page.get_by_role("radio", name=re.compile("^Working")).check()
    page.get_by_label("Evidence").fill("Wrote some tests.")
    page.get_by_role("button", name="Save and come back later").click()

    # Check answers: leave Testing out; only Data modelling is sent.
    page.get_by_role("button", name="Check and send your answers").click()
    page.get_by_role("checkbox", name="Testing").uncheck()
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You sent 1 answer to Tom Okafor")
    tasks = page.locator(".govuk-task-list")
    expect(tasks.locator("li", has_text="Testing")).to_contain_text("In progress")
    expect(tasks.locator("li", has_text="Data modelling")).to_contain_text("Sent to Tom Okafor")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/reviews/")
    page.get_by_role("link", name=re.compile(r"^Data modelling\s+for Priya Shah")).click()
    page.get_by_role("radio", name="Ask for more evidence").check()
    page.get_by_label("What evidence do you need?").fill("Which decisions did you make, and who used the model?")
    page.get_by_role("button", name="Save decision").click()
    page.get_by_role("button", name="Sign out").click()

    # The learner sees the status, reads the request where they answer it, and sends the claim again.
    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/self-assessment/")
    expect(page.locator(".govuk-task-list li", has_text="Data modelling")).to_contain_text("More evidence needed")
    assert_accessible(page)
    page.locator(".govuk-task-list").get_by_role("link", name="Data modelling").click()
    expect(page.get_by_text("Which decisions did you make, and who used the model?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Evidence").fill(
        "Designed the case data model; chose event sourcing; 4 teams use it."
    )
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_role("button", name="Check and send your answers").click()
    expect(page.get_by_text("Which decisions did you make, and who used the model?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox", name="Testing").uncheck()
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator(".govuk-task-list li", has_text="Data modelling")).to_contain_text("Sent to Tom Okafor")

    # Sent by mistake? Withdraw it while it waits: it goes back to the learner, and the request still stands.
    page.locator(".govuk-task-list").get_by_role("link", name="Data modelling").click()
    page.get_by_role("button", name="Withdraw this claim").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You withdrew your Data modelling claim"
    )
    page.goto("/skills/self-assessment/")
    expect(page.locator(".govuk-task-list li", has_text="Data modelling")).to_contain_text("More evidence needed")
    assert_accessible(page)
