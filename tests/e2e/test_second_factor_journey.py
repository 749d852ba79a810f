"""Issue 14, a second factor, in the browser (decision 0216): an HR analyst sets up an authenticator app (QR code
and the secret as text, a wrong code refused, the recovery codes shown once), signs in with a code, loses the phone
and signs in with a recovery code and sets up again; a superuser resets an analyst's second factor in the Wagtail
admin and the analyst must set it up again. At 1280 and 375 px, every page passing axe-core; screenshots go to
test-results/."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from playwright.sync_api import Page, expect
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory, second_factor_give, totp_code
from tests.e2e.conftest import RESULTS_DIR


@pytest.fixture(autouse=True)
def required(settings):
    settings.CAPABILITY_SECOND_FACTOR_REQUIRED = True


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["1280", "375"])
def viewport(request):
    return request.param


def shot(page: Page, name: str, viewport) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"second-factor-{name}-{viewport['width']}.png"), full_page=True)


def code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret typed from the page."""
    totp = TOTP(b32decode("".join(secret.split())), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def set_up_with_the_secret_shown(page: Page) -> str:
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_alt_text("QR code to add Capability to your authenticator app")).to_be_visible()
    secret = page.locator("#secret-key").inner_text()
    page.get_by_label("Code from your authenticator app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm and continue").click()
    return secret


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_an_administrator_sets_up_uses_and_recovers_a_second_factor(page: Page, sign_in, assert_accessible, viewport):
    analyst = UserFactory(first_name="Morgan", last_name="Hughes", roles=[Role.LEARNER, Role.HR_ANALYST])

    # Set-up, the first time: nothing else is reachable until it is done.
    sign_in(page, analyst.email, PASSWORD, next_path="/accounts/")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert_accessible(page)
    shot(page, "set-up", viewport)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()

    wrong = "000000" if totp_code(analyst, pending=True) != "000000" else "111111"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Confirm and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not right")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Code from your authenticator app")).to_be_focused()
    assert_accessible(page)
    shot(page, "set-up-wrong-code", viewport)
    # django-otp refuses every code for a second after a wrong one.
    page.wait_for_timeout(1500)

    secret = set_up_with_the_secret_shown(page)
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    shot(page, "recovery-codes", viewport)
    page.get_by_role("button", name="Continue").click()
    # Back to the page asked for before set-up: the admin.
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto("/accounts/")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("Authenticator app, set up")).to_be_visible()
    # Shown once: going back shows no codes.
    page.goto("/accounts/second-factor/recovery-codes/")
    expect(page.get_by_role("heading", name="Your recovery codes have been shown")).to_be_visible()

    # Use at sign-in.
    sign_out(page)
    sign_in(page, analyst.email, PASSWORD, next_path="/accounts/sessions/")
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    assert_accessible(page)
    shot(page, "enter-code", viewport)
    page.get_by_label("Code from your authenticator app").fill(code_from_secret(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Where you are signed in")).to_be_visible()

    # Loss of the phone: a recovery code, spent, then a new app.
    sign_out(page)
    sign_in(page, analyst.email, PASSWORD, next_path="/accounts/")
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", name="Enter a recovery code")).to_be_visible()
    assert_accessible(page)
    shot(page, "recovery", viewport)
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have 9 recovery codes left")
    expect(page.get_by_text("Your new app replaces the one you set up before")).to_be_visible()
    assert_accessible(page)
    shot(page, "set-up-again", viewport)
    assert not StaticToken.objects.filter(token=codes[0].replace("-", "")).exists()
    new_secret = set_up_with_the_secret_shown(page)
    assert new_secret != secret
    new_codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert not set(new_codes) & set(codes)


def test_a_superuser_resets_an_administrators_second_factor_and_they_set_it_up_again(
    page: Page, sign_in, assert_accessible, viewport
):
    analyst = UserFactory(first_name="Morgan", last_name="Hughes", roles=[Role.LEARNER, Role.HR_ANALYST])
    second_factor_give(analyst)
    superuser = SuperuserFactory(first_name="Sam", last_name="Administrator")
    second_factor_give(superuser)

    sign_in(page, superuser.email, PASSWORD, next_path="/admin/users/")
    page.get_by_label("Code from your authenticator app").fill(totp_code(superuser))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Morgan Hughes")
    row.get_by_role("button", name="More options").click()
    row.get_by_role("link", name="Reset second factor").click()
    expect(page.get_by_text("Morgan Hughes has an authenticator app set up (10 recovery codes left)")).to_be_visible()
    assert_accessible(page)
    shot(page, "admin-reset", viewport)
    page.get_by_role("button", name="Reset second factor").click()
    expect(page.get_by_text("Morgan Hughes's second factor has been reset")).to_be_visible()
    assert ModelLogEntry.objects.filter(
        action="capability.accounts.second_factor_reset", user_id=superuser.pk, object_id=str(analyst.pk)
    ).exists()

    sign_out(page)
    sign_in(page, analyst.email, PASSWORD, next_path="/admin/")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_text("Your new app replaces")).to_have_count(0)
