"""A learner finds their certificates and a share link, an anonymous verifier opens it, and a training
administrator revokes one from its record; at 1280 and 375 px, every page passing axe-core. Screenshots go to
test-results/. (The whole journey from a closed session to the credential is the lead's, after merging.)"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from skills.selectors.certificates import VERIFICATION_PATH
from skills.services import certificate_issue_by_hand
from tests.cms.factories import PASSWORD, UserFactory
from tests.e2e.conftest import RESULTS_DIR
from tests.skills.factories import PersonFactory


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["1280", "375"])
def viewport(request):
    return request.param


def shot(page: Page, name: str, viewport) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"certificates-{name}-{viewport['width']}.png"), full_page=True)


def test_a_learner_shares_a_certificate_a_verifier_checks_it_and_an_administrator_revokes_it(
    page: Page, sign_in, assert_accessible, viewport
):
    administrator = UserFactory(first_name="Dev", last_name="Patel", roles=[Role.TRAINING_ADMINISTRATOR])
    learner = PersonFactory(user=UserFactory(first_name="Priya", last_name="Shah"))
    today = timezone.localdate()

    def issue(title, issued_on, months, award):
        return certificate_issue_by_hand(
            holder=learner,
            award=award,
            title=title,
            validity_months=months,
            issued_on=issued_on,
            reason="Completed on Civil Service Learning.",
            actor=administrator,
        )

    issue("Cyber security awareness", today - timedelta(days=400), 12, "courses.course:1")
    renewal = issue("Cyber security awareness", today - timedelta(days=350), 12, "courses.course:1")
    issue("Incident management", today - timedelta(days=800), 24, "courses.course:2")
    certificate = issue("Data ethics and privacy", today - timedelta(days=30), 24, "courses.course:3")

    sign_in(page, learner.user.email, PASSWORD, next_path="/skills/")
    page.get_by_role("link", name="Your certificates").click()
    expect(page.get_by_role("heading", name="Your certificates")).to_be_visible()
    expect(page.get_by_text("Expiring soon")).to_be_visible()
    expect(page.get_by_text(f"Renewed by {renewal.number}", exact=False)).to_be_visible()
    share = page.get_by_label(f"Share link for Data ethics and privacy, {certificate.number}")
    expect(share).to_have_value(f"http://127.0.0.1:8000/certificates/{certificate.token}/")
    assert_accessible(page)
    shot(page, "list", viewport)

    page.context.clear_cookies()
    page.goto(VERIFICATION_PATH.format(token=certificate.token))
    expect(page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    expect(page.get_by_text("Priya Shah")).to_be_visible()
    assert_accessible(page)
    shot(page, "verify", viewport)

    sign_in(page, administrator.email, PASSWORD, next_path=f"/skills/certificates/{certificate.pk}/")
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.get_by_role("link", name="Say why you are revoking the certificate")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why are you revoking this certificate?").fill("Recorded against the wrong person.")
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.get_by_text(f"Certificate {certificate.number} revoked.")).to_be_visible()
    assert_accessible(page)
    shot(page, "record", viewport)

    page.context.clear_cookies()
    page.goto(VERIFICATION_PATH.format(token=certificate.token))
    expect(page.get_by_role("heading", name="This certificate has been revoked")).to_be_visible()
    expect(page.get_by_text("Recorded against the wrong person.")).to_be_visible()
    assert_accessible(page)
    shot(page, "verify-revoked", viewport)
