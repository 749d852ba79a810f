"""The site as a person meets it in a browser: the page frame, signing in and out, password reset, errors,
search, the way into the Wagtail admin, and the keyboard. Every page visited passes axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from cms.home.models import HomePage
from cms.standard_pages.models import StandardPage
from tests.cms.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def publish_standard_page(*, title: str, summary: str, body_text: str) -> StandardPage:
    home = HomePage.objects.get()
    page = StandardPage(
        title=title, summary=summary, body=[("paragraph", f"<p>{body_text}</p>")], search_description=summary
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_home_page_shows_the_service_name_phase_banner_and_footer(page: Page, assert_accessible):
    page.goto("/")

    service = page.get_by_role("region", name="Service information")
    expect(service.get_by_role("link", name="Capability", exact=True)).to_have_attribute("href", "/")
    expect(page.locator(".govuk-phase-banner")).to_contain_text("This is a new service")
    expect(page.get_by_role("contentinfo")).to_contain_text("Open Government Licence")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).to_have_title(re.compile(r"– Capability$"))
    assert_accessible(page)


def test_a_learner_signs_in_sees_their_name_and_signs_out(page: Page, assert_accessible):
    learner = UserFactory(roles=[Role.LEARNER], first_name="Ada", last_name="Lovelace")
    page.goto("/")
    page.get_by_role("region", name="Service information").get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Capability")
    assert_accessible(page)

    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".govuk-summary-list")).to_contain_text(learner.email)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("link", name="Ada Lovelace")).to_have_count(0)
    assert_accessible(page)


def test_signing_in_from_the_start_button_lands_on_the_home_page(page: Page, assert_accessible):
    learner = UserFactory(roles=[Role.LEARNER], first_name="Grace", last_name="Hopper")
    page.goto("/")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button", name="Sign in")).to_have_count(0)
    assert_accessible(page)


def test_a_wrong_password_shows_the_error_summary_linked_to_the_field(page: Page, assert_accessible):
    learner = UserFactory(roles=[Role.LEARNER])
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: "))
    for link in summary.locator("a").all():
        target = link.get_attribute("href")
        assert target is not None
        assert target.startswith("#"), f"error summary link {target!r} is not a link into the form"
        expect(page.locator(target)).to_have_count(1)
    assert_accessible(page)

    summary.locator("a").first.click()
    expect(page.locator(summary.locator("a").first.get_attribute("href"))).to_be_focused()


def test_an_empty_sign_in_form_names_each_missing_field(page: Page, assert_accessible):
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.locator("a")).to_have_count(2)
    for label in ("Email address", "Password"):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        described_by = field.get_attribute("aria-describedby") or ""
        messages = [page.locator(f"[id='{element_id}']").inner_text() for element_id in described_by.split()]
        assert any(message.startswith("Error:") for message in messages), f"{label}: no error message tied to it"
    assert_accessible(page)


def test_a_person_resets_their_password_from_the_emailed_link_and_signs_in_with_it(
    page: Page, assert_accessible, sign_in
):
    learner = UserFactory(roles=[Role.LEARNER], first_name="Mary", last_name="Somerville")
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)

    page.get_by_label("Email address").fill(learner.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [learner.email]
    # The link names the address the service is configured at; follow its path on this test server.
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)

    new_password = "a-new-and-long-passphrase-42"
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been reset")
    assert_accessible(page)

    sign_in(page, learner.email, new_password)
    expect(page.get_by_role("link", name="Mary Somerville")).to_be_visible()


def test_an_unknown_address_shows_the_not_found_page_in_the_sites_style(page: Page, assert_accessible):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("region", name="Service information")).to_contain_text("Capability")
    expect(page.get_by_role("contentinfo")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="search Capability")).to_be_visible()
    assert_accessible(page)


def test_search_finds_a_published_page(page: Page, assert_accessible):
    publish_standard_page(
        title="Data engineering guidance",
        summary="How data engineers are assessed.",
        body_text="Pipelines, quality and stewardship.",
    )
    page.goto("/")
    page.get_by_role("region", name="Service information").get_by_role("link", name="Search").click()
    assert_accessible(page)

    page.get_by_label("Search Capability").fill("stewardship")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name=re.compile(r"1 result for"))).to_be_visible()
    page.get_by_role("link", name="Data engineering guidance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data engineering guidance")
    expect(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")).to_have_text(["Home"])
    # Editors' rich text gets GOV.UK typography, not the browser's default serif.
    expect(page.locator(".capability-prose p")).to_have_css("font-family", re.compile("arial", re.IGNORECASE))
    assert_accessible(page)


def test_search_results_run_over_pages_and_keep_the_query(page: Page, assert_accessible):
    for number in range(1, 23):
        publish_standard_page(
            title=f"Stewardship note {number:02}", summary="About stewardship.", body_text="Stewardship."
        )
    page.goto("/search/?q=stewardship")
    expect(page.get_by_role("heading", name=re.compile(r"22 results for"))).to_be_visible()

    pages = page.get_by_role("navigation", name="Results pages")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    pages.get_by_role("link", name=re.compile("Next")).click()

    expect(page).to_have_url(re.compile(r"[?&]q=stewardship&page=2$"))
    expect(page.get_by_label("Search Capability")).to_have_value("stewardship")
    expect(page.get_by_role("main").get_by_role("link", name=re.compile(r"^Stewardship note"))).to_have_count(2)
    assert_accessible(page)


def test_search_for_something_absent_says_so(page: Page, assert_accessible):
    page.goto("/search/?q=zebra")

    expect(page.get_by_role("heading", name=re.compile(r"0 results for"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Check your spelling")
    assert_accessible(page)


def test_a_content_editor_reaches_the_wagtail_admin_through_the_sites_sign_in_page(page: Page):
    editor = UserFactory(roles=[Role.CONTENT_EDITOR])
    page.goto("/admin/")

    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/admin/"))
    page.get_by_label("Email address").fill(editor.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).to_have_id("wagtail")


def test_the_wagtail_admin_sends_nothing_about_editors_to_gravatar(page: Page, sign_in):
    editor = UserFactory(roles=[Role.CONTENT_EDITOR])
    sign_in(page, editor.email, PASSWORD, next_path="/admin/")

    expect(page.locator("body")).to_have_id("wagtail")
    expect(page.locator("img[src*='gravatar.com']")).to_have_count(0, timeout=1_000)


def test_a_learner_is_refused_the_wagtail_admin_without_a_redirect_loop(page: Page, sign_in, assert_accessible):
    learner = UserFactory(roles=[Role.LEARNER])
    sign_in(page, learner.email, PASSWORD)

    response = page.goto("/admin/")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.locator("body")).not_to_have_id("wagtail")
    assert_accessible(page)


def test_a_learner_sees_no_admin_link(page: Page, sign_in):
    learner = UserFactory(roles=[Role.LEARNER])
    sign_in(page, learner.email, PASSWORD)

    service = page.get_by_role("region", name="Service information")
    expect(service.get_by_role("link", name="Search")).to_be_visible()
    expect(service.get_by_role("link", name="Admin")).to_have_count(0)


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches_and_moves_to_the_main_content(page: Page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


def test_every_interactive_element_shows_a_visible_focus_indicator(page: Page, sign_in):
    learner = UserFactory(roles=[Role.LEARNER])
    sign_in(page, learner.email, PASSWORD)

    unstyled = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const style = getComputedStyle(el);
                const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
                const shadowed = style.boxShadow !== "none";
                const highlighted = style.backgroundColor === "rgb(255, 221, 0)";
                return {label: (el.innerText || el.getAttribute("aria-label") || el.name || el.id).trim(),
                        styled: outlined || shadowed || highlighted};
            }"""
        )
        if focused is None:
            break
        if not focused["styled"]:
            unstyled.append(focused["label"])

    assert unstyled == [], f"no visible focus style on: {unstyled}"


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740}, {"width": 1280, "height": 800}], ids=str)
def test_the_accessibility_statement_and_cookies_page_are_linked_from_the_footer(
    page: Page, assert_accessible, viewport
):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement for Capability")
    assert_accessible(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Cookies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookies")
    expect(page.get_by_role("heading", name="Essential cookies")).to_be_visible()
    assert_accessible(page)


def test_a_learner_lands_on_their_dashboard_on_a_phone(page: Page, sign_in, assert_accessible):
    UserFactory(email="ada@example.gov.uk", roles=[Role.LEARNER], first_name="Ada", last_name="Lovelace")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill("ada@example.gov.uk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada")
    assert_accessible(page)
