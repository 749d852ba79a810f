"""Issue 14, passkeys in the browser (decision 0216), with Chromium's virtual authenticator standing in for a
device's screen lock: an administrator who must have a second factor adds a passkey instead of an app, names it
and is given recovery codes, signs out, signs in with password and passkey and reaches the admin; a browser that
refuses the passkey gets a clear error and the code route; with JavaScript off the passkey button is not offered
and the code route works. At 1280 and 375 px, every page passing axe-core; screenshots go to test-results/.

WebAuthn refuses an IP address as relying party, so the live server is reached at `localhost` (pytest-django's
default) and its origin is the one allowed."""

import re
from collections.abc import Iterator

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Browser, Page, expect
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory, second_factor_give, totp_code
from tests.e2e.conftest import RESULTS_DIR, sign_in_on


@pytest.fixture(autouse=True)
def relying_party(settings, live_server):
    settings.CAPABILITY_SECOND_FACTOR_REQUIRED = True
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["1280", "375"])
def viewport(request):
    return request.param


def shot(page: Page, name: str, viewport) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"passkey-{name}-{viewport['width']}.png"), full_page=True)


def virtual_authenticator(page: Page) -> tuple:
    """A platform authenticator that holds passkeys and confirms the person (as a fingerprint would)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    created = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, created["authenticatorId"]


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_an_administrator_adds_a_passkey_and_signs_in_with_it(page: Page, assert_accessible, viewport):
    superuser = SuperuserFactory(first_name="Sam", last_name="Administrator")
    cdp, authenticator = virtual_authenticator(page)

    # Required set-up: the passkey beside the authenticator app.
    sign_in_on(page, superuser.email, PASSWORD, next_path="/admin/")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    page.get_by_role("link", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    # Offered once the library's script has found that the browser can make passkeys.
    expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()
    assert_accessible(page)
    shot(page, "add", viewport)
    page.get_by_role("button", name="Add a passkey").click()

    # Named, then recovery codes: it is the account's first factor.
    expect(page.get_by_role("heading", name="Name your new passkey")).to_be_visible()
    passkey = WebAuthnCredential.objects.get(user=superuser)
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    page.get_by_label("Name your passkey").fill("")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for your passkey")
    assert_accessible(page)
    shot(page, "name", viewport)
    page.get_by_label("Name your passkey").fill("Work laptop")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.get_by_text("Your passkey is set up")).to_be_visible()
    assert len(page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()) == 10
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"

    # Listed on the account page.
    page.goto("/accounts/")
    expect(page.get_by_text("1 passkey; 10 recovery codes left")).to_be_visible()
    expect(page.get_by_role("term").filter(has_text="Work laptop")).to_be_visible()
    expect(page.get_by_role("link", name="Remove Work laptop")).to_be_visible()
    assert_accessible(page)
    shot(page, "account", viewport)

    # Sign-in: password, then the passkey.
    sign_out(page)
    sign_in_on(page, superuser.email, PASSWORD, next_path="/admin/")
    expect(page.get_by_role("heading", name="Use your passkey")).to_be_visible()
    assert_accessible(page)
    shot(page, "sign-in", viewport)
    page.get_by_role("button", name="Use your passkey").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name=re.compile("Capability"))).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    assert ModelLogEntry.objects.filter(
        action="capability.accounts.passkey_use", user_id=superuser.pk, object_id=str(superuser.pk)
    ).exists()


def test_a_refused_passkey_gets_a_clear_error_and_the_app_code_still_signs_in(page: Page, assert_accessible, viewport):
    administrator = UserFactory(first_name="Morgan", last_name="Hughes", roles=[Role.LEARNER, Role.HR_ANALYST])
    second_factor_give(administrator)
    cdp, authenticator = virtual_authenticator(page)
    sign_in_on(page, administrator.email, PASSWORD, next_path="/accounts/")
    # The account has an app: it may add a passkey once it has given a code.
    page.get_by_label("Code from your authenticator app").fill(totp_code(administrator))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Add a passkey as a second factor").click()
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_label("Name your passkey").fill("Phone")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your passkeys")).to_be_visible()
    expect(page.get_by_role("cell", name="Phone", exact=True)).to_be_visible()

    # The passkey has gone from the device: the browser refuses, the page says so, and the code still works.
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    sign_out(page)
    sign_in_on(page, administrator.email, PASSWORD, next_path="/accounts/")
    page.get_by_role("button", name="Use your passkey").click()
    status = page.locator("#passkey-verification-status-message")
    expect(status).to_be_visible()
    expect(status).to_contain_text(re.compile("canceled or not allowed|failed", re.IGNORECASE))
    assert_accessible(page)
    shot(page, "refused", viewport)
    page.get_by_label("Code from your authenticator app").fill(totp_code(administrator, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


@pytest.fixture
def page_without_javascript(browser: Browser, base_url: str, viewport) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="en-GB", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_passkey_is_not_offered_and_the_code_route_stays(
    page_without_javascript: Page, viewport
):
    page = page_without_javascript
    administrator = UserFactory(first_name="Morgan", last_name="Hughes", roles=[Role.LEARNER, Role.HR_ANALYST])
    second_factor_give(administrator)
    WebAuthnCredential.objects.create(
        user=administrator, name="Phone", credential_id=b"credential", public_key=b"key", confirmed=True
    )
    sign_in_on(page, administrator.email, PASSWORD, next_path="/accounts/")
    expect(page.get_by_role("heading", name="Use your passkey")).to_be_visible()
    expect(page.get_by_role("button", name="Use your passkey")).to_have_count(0)
    expect(page.get_by_text("To use a passkey your browser must run JavaScript")).to_be_visible()
    shot(page, "no-javascript", viewport)
    page.get_by_label("Code from your authenticator app").fill(totp_code(administrator))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_role("link", name="Add or rename a passkey").click()
    expect(page.get_by_role("button", name="Add a passkey")).to_have_count(0)
    expect(page.get_by_text("To add a passkey your browser must run JavaScript")).to_be_visible()
