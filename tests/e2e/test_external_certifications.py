"""A learner records a certification earned elsewhere (a first try with a mistake keeps what they typed), their line
manager confirms it from the queue, and it shows as expiring on the learner's gap page and the manager's team
view; at 1280 and 375 px, every page passing axe-core. Screenshots go to test-results/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from tests.cms.factories import PASSWORD, UserFactory
from tests.e2e.conftest import RESULTS_DIR
from tests.skills.factories import PersonFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["1280", "375"])
def viewport(request):
    return request.param


def shot(page: Page, name: str, viewport) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"external-certs-{name}-{viewport['width']}.png"), full_page=True)


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_learner_records_a_certification_and_their_manager_confirms_it(
    page: Page, sign_in, assert_accessible, viewport
):
    page.set_viewport_size(viewport)
    manager = PersonFactory(user=UserFactory(first_name="Tom", last_name="Okafor", roles=[Role.LINE_MANAGER]))
    learner = PersonFactory(user=UserFactory(first_name="Priya", last_name="Shah"), line_manager=manager)
    today = timezone.localdate()

    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/gaps/")
    page.get_by_role("link", name="Record it").click()
    page.get_by_label("Certification").fill("AWS Certified Solutions Architect – Associate")
    page.get_by_label("Issued by").fill("Amazon Web Services")
    fill_date(page, "Date issued", today - timedelta(days=1000))
    fill_date(page, "Expiry date (optional)", today - timedelta(days=1001))
    page.get_by_label("Evidence").set_input_files({"name": "aws.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Send for confirmation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The expiry date must be after the date it was issued")
    expect(page.get_by_label("Issued by")).to_have_value("Amazon Web Services")
    assert_accessible(page)
    shot(page, "form-error", viewport)

    fill_date(page, "Expiry date (optional)", today + timedelta(days=45))
    page.get_by_label("Evidence").set_input_files({"name": "aws.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Send for confirmation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is waiting for confirmation")
    expect(page.get_by_text("Waiting for confirmation").first).to_be_visible()
    assert_accessible(page)
    shot(page, "detail", viewport)

    page.context.clear_cookies()
    sign_in(page, manager.user.email, PASSWORD, next_path="/skills/certificates/external/to-confirm/")
    expect(page.get_by_role("cell", name="Priya Shah", exact=True)).to_be_visible()
    assert_accessible(page)
    shot(page, "queue", viewport)
    page.get_by_role("link", name=re.compile(r"decide for Priya Shah$")).click()
    page.get_by_label("Do not confirm it").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why it is not confirmed")
    assert_accessible(page)
    shot(page, "decide-error", viewport)
    page.get_by_label("Confirm it", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is confirmed")

    page.goto("/skills/team/")
    expect(page.locator("#certifications-due")).to_be_visible()
    expect(page.get_by_text("Expires in 45 days")).to_be_visible()
    assert_accessible(page)
    shot(page, "team", viewport)

    page.context.clear_cookies()
    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/gaps/")
    expect(page.get_by_text("Expires in 45 days")).to_be_visible()
    assert_accessible(page)
    shot(page, "gaps", viewport)
    page.goto("/skills/certificates/external/")
    expect(page.get_by_text("Confirmed")).to_be_visible()
    assert_accessible(page)
    shot(page, "list", viewport)
