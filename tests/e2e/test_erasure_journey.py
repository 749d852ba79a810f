"""Issue 14's erasure journey in the browser: someone with the Data protection role opens the admin, goes to "Erase
leavers' data" through the menu, finds a leaver whose retention period has passed, reads what will be erased, is
stopped without a reason (nothing erased), then erases them with one. The person's name, address, staff number and
evidence text are gone from the database and they leave the list. At 1280 and 375 px, every page passing axe-core;
screenshots go to test-results/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from skills.models import Assessment, Person
from tests.cms.factories import PASSWORD, UserFactory
from tests.e2e.conftest import RESULTS_DIR
from tests.skills.factories import AssessmentFactory, PersonFactory

EVIDENCE = "Led the Harbourview migration with Quillon Fenwright's team"
REASON = "Retention period passed (ref DP-2026-14)"


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["1280", "375"])
def viewport(request):
    return request.param


def shot(page: Page, name: str, viewport) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"erasure-{name}-{viewport['width']}.png"), full_page=True)


def open_menu_item(page: Page, name: str) -> None:
    """Follow an item of Wagtail's sidebar, opening the sidebar first where it starts closed (a narrow window)."""
    item = page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name)
    if not item.is_visible():
        page.get_by_role("button", name="Toggle sidebar").click()
    with page.expect_navigation():
        item.click()


def expect_title(page: Page, title: str) -> None:
    """The page's title, both as its (visually hidden) heading and as what the admin's header shows."""
    expect(page.get_by_role("heading", name=title, level=1)).to_be_attached()
    expect(page.get_by_role("navigation", name="Breadcrumb").get_by_text(title, exact=True)).to_be_visible()


def test_the_data_protection_role_erases_a_leaver_whose_retention_period_has_passed(
    page: Page, sign_in, assert_accessible, viewport
):
    officer = UserFactory(roles=[Role.DATA_PROTECTION], first_name="Dana", last_name="Okoro")
    long_ago = timezone.localdate() - timedelta(days=5 * 365)
    leaver = PersonFactory(
        user__first_name="Quillon",
        user__last_name="Fenwright",
        user__email="quillon.fenwright@example.gov.uk",
        staff_number="LEFT-0014",
        left_on=long_ago,
    )
    claim = AssessmentFactory(person=leaver, evidence=EVIDENCE)
    PersonFactory(user__first_name="Ada", user__last_name="Stays", staff_number="LEFT-0015", left_on=long_ago)

    sign_in(page, officer.email, PASSWORD, next_path="/admin/")
    open_menu_item(page, "Erase leavers' data")
    expect_title(page, "Erase leavers' personal data")
    assert_accessible(page)

    # Find the leaver by their staff number and open them.
    page.get_by_label("Staff number, e-mail address or name").fill("left-0014")
    with page.expect_navigation():
        page.get_by_role("button", name="Find").click()
    row = page.get_by_role("row", name="Quillon Fenwright")
    expect(row).to_contain_text("LEFT-0014")
    expect(row).to_contain_text("(passed)")
    expect(page.get_by_role("row", name="Ada Stays")).to_have_count(0)
    shot(page, "leavers", viewport)
    assert_accessible(page)
    with page.expect_navigation():
        row.get_by_role("link", name="See what would be erased for staff number LEFT-0014").click()

    # What will be erased.
    expect_title(page, "Erase a leaver's personal data")
    expect(page.get_by_role("heading", name="What will be erased")).to_be_visible()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    expect(page.get_by_role("table", name="Records held about this person")).to_be_visible()
    shot(page, "confirm", viewport)
    assert_accessible(page)

    # Without a reason: an error on the field, and nothing erased.
    with page.expect_navigation():
        page.get_by_role("button", name="Erase this person's personal data").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("Why is this person's data erased?")).to_have_accessible_description(
        re.compile(r"Do not write the person's name\. This field is required\.")
    )
    leaver.refresh_from_db()
    assert leaver.erased_at is None
    assert leaver.staff_number == "LEFT-0014"
    assert Assessment.objects.get(pk=claim.pk).evidence == EVIDENCE
    shot(page, "confirm-error", viewport)
    assert_accessible(page)

    # With a reason: erased, and back on the list.
    page.get_by_label("Why is this person's data erased?").fill(REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Erase this person's personal data").click()
    expect_title(page, "Erase leavers' personal data")
    expect(page.get_by_text("Staff number LEFT-0014's personal data was erased.")).to_be_visible()
    expect(page.get_by_role("row", name="Ada Stays")).to_be_visible()
    expect(page.get_by_text("Quillon")).to_have_count(0)
    expect(page.get_by_text("LEFT-0014", exact=True)).to_have_count(0)
    shot(page, "erased", viewport)
    assert_accessible(page)

    person = Person.objects.select_related("user").get(pk=leaver.pk)
    assert person.erased_at is not None
    assert "Quillon" not in person.user.first_name
    assert "Fenwright" not in person.user.last_name
    assert "quillon" not in person.user.email.casefold()
    assert person.staff_number != "LEFT-0014"
    assert EVIDENCE not in Assessment.objects.get(pk=claim.pk).evidence
    assert not Person.objects.filter(left_on__isnull=False, erased_at__isnull=True, pk=leaver.pk).exists()

    # Searching for them again finds no one still to erase.
    page.get_by_label("Staff number, e-mail address or name").fill("LEFT-0014")
    with page.expect_navigation():
        page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("No leaver whose data is still held matches")).to_be_visible()
