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

    # The learner assesses both skills, saving drafts, then sends them.
    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/self-assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess your skills")
    assert_accessible(page)
    for skill_name, level in (("Data modelling", "Expert"), ("Testing", "Practitioner")):
        page.get_by_role("table").get_by_role("link", name=skill_name).click()
        expect(page.get_by_role("heading", name="What each level means")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("radio", name=level, exact=True).check()
        page.get_by_label("Evidence").fill(f"Evidence for {skill_name}: led the work and shipped it.")
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Your answer for {skill_name} is saved")
    page.get_by_role("button", name="Send 2 draft answers for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You sent 2 claims to Tom Okafor")
    page.goto("/skills/gaps/")
    expect(page.get_by_text("0% of 2 requirements met by validated levels").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The manager confirms one claim and adjusts the other, with a reason.
    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/reviews/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Testing\s+for Priya Shah")).click()
    page.get_by_role("radio", name="Confirm the claimed level").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_role("link", name=re.compile(r"^Data modelling\s+for Priya Shah")).click()
    assert_accessible(page)
    page.get_by_role("radio", name="Validate a different level").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give a reason")
    page.get_by_role("radio", name="Validate a different level").check()
    page.locator("fieldset", has_text="which one?").get_by_role("radio", name="Practitioner", exact=True).check()
    page.get_by_label("Reason, or the evidence you need").fill(
        "Practitioner for now: not yet set the team's standards."
    )
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
