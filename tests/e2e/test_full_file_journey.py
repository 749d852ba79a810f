"""Issue 14's full HR file in the browser: an HR analyst uploads a file that lists everyone in their department but
two people, chooses "full file", sees the two who would be marked as having left (nothing written yet), confirms,
and sees them marked; the two have left in the database and cannot sign in. At 1280 and 375 px, every page passing
axe-core; screenshots go to test-results/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from skills.models import Person
from skills.services.people_import import people_import
from tests.cms.factories import PASSWORD
from tests.e2e.conftest import RESULTS_DIR
from tests.skills.factories import hr_analyst_for
from tests.skills.hr_feed import ddat_framework, feed_text, team, write_csv

UPLOAD = "/admin/skills/people-imports/new/"


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["1280", "375"])
def viewport(request):
    return request.param


def shot(page: Page, name: str, viewport) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"full-file-{name}-{viewport['width']}.png"), full_page=True)


def test_an_hr_analyst_confirms_who_leaves_with_a_full_file(
    page: Page, sign_in, assert_accessible, viewport, settings, tmp_path
):
    settings.CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE = 0.5
    ddat_framework()
    assert people_import(actor=None, file=write_csv(tmp_path, team())).ok
    analyst = hr_analyst_for("Department for Education", first_name="Hana", last_name="Reyes")
    left_on = timezone.localdate() - timedelta(days=3)
    day = f"{left_on.day} {left_on:%B %Y}"
    everyone_but_two = feed_text(team()[:2]).encode()  # S3 and S4 are missing

    sign_in(page, analyst.email, PASSWORD, next_path=UPLOAD)
    expect(
        page.get_by_label("This file lists everyone (full file): people missing from it have left")
    ).not_to_be_checked()
    assert_accessible(page)
    page.get_by_label("HR feed (CSV)").set_input_files(
        {"name": "everyone.csv", "mimeType": "text/csv", "buffer": everyone_but_two}
    )
    page.get_by_label("This file lists everyone (full file): people missing from it have left").check()
    page.get_by_label("The day the people missing from the file left").fill(left_on.isoformat())
    shot(page, "upload", viewport)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and import").click()

    # The check: who would leave, nothing written yet.
    expect(page.get_by_text("The file is valid, and nothing has been written yet.")).to_be_visible()
    leavers = page.get_by_role("table", name=f"People who would be marked as having left on {day} (2)")
    expect(leavers.get_by_role("row", name="Ada Person S3")).to_contain_text(
        "Department for Education/Digital and Data/Data team"
    )
    expect(leavers.get_by_role("row", name="Ada Person S4")).to_contain_text("S4")
    assert not Person.objects.filter(left_on__isnull=False).exists()
    leavers.scroll_into_view_if_needed()
    shot(page, "check", viewport)
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name=f"Confirm: mark these 2 people as having left on {day}").click()

    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    marked = page.get_by_role("table", name=f"People marked as having left on {day}, missing from the file (2)")
    expect(marked.get_by_role("row")).to_have_count(3)
    expect(page.get_by_role("button", name="Confirm", exact=False)).to_have_count(0)
    marked.scroll_into_view_if_needed()
    shot(page, "confirmed", viewport)
    assert_accessible(page)

    gone = Person.objects.filter(staff_number__in=["S3", "S4"]).select_related("user")
    assert {(person.left_on, person.user.is_active) for person in gone} == {(left_on, False)}
    assert set(Person.objects.filter(left_on__isnull=True).values_list("staff_number", flat=True)) == {"S1", "S2"}
