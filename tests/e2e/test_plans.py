"""A learner finds training for a gap on their gap page, adds it to their development plan, and their line
manager agrees the plan; at 1280 and 375 px, every page passing axe-core. Screenshots go to test-results/."""

import re

import pytest
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from tests.cms.factories import PASSWORD, UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.e2e.conftest import RESULTS_DIR
from tests.e2e.test_skills import a_published_role_level
from tests.skills.factories import PersonFactory


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["1280", "375"])
def viewport(request):
    return request.param


def shot(page: Page, name: str, viewport) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"plans-{name}-{viewport['width']}.png"), full_page=True)


def test_a_learner_plans_a_recommended_course_and_their_manager_agrees(
    page: Page, sign_in, assert_accessible, viewport
):
    role_level = a_published_role_level()
    release = role_level.release
    skill = release.skills.get(code="data-modelling")
    levels = {level.code: level for level in release.levels.all()}
    course = course_create(title="Data modelling in practice", outcomes=[(skill, None, levels["practitioner"])])
    SessionFactory(course=course)
    manager = PersonFactory(user=UserFactory(first_name="Tom", last_name="Okafor", roles=[Role.LINE_MANAGER]))
    learner = PersonFactory(
        user=UserFactory(first_name="Priya", last_name="Shah"), line_manager=manager, target_role_level=role_level
    )

    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/gaps/")
    expect(page.get_by_text("Develops Data modelling from no level to Practitioner")).to_be_visible()
    assert_accessible(page)
    shot(page, "gaps", viewport)
    page.get_by_role("button", name="Add to my plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is in your development plan")
    page.goto("/skills/plan/")
    expect(page.get_by_role("link", name=re.compile(r"^Data modelling in practice, "))).to_be_visible()
    expect(page.get_by_text("Not agreed yet")).to_be_visible()
    assert_accessible(page)
    shot(page, "plan", viewport)

    page.context.clear_cookies()
    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/team/plans/")
    assert_accessible(page)
    page.get_by_role("link", name="Priya Shah").click()
    page.get_by_role("button", name="Agree this plan").click()
    expect(page.get_by_text("Agreed by Tom Okafor")).to_be_visible()
    assert_accessible(page)
    shot(page, "manager", viewport)
