"""A learner finds their private calendar feed address, resets it after sharing it by mistake, and is told the
old address has stopped working. Each page passes axe-core."""

from playwright.sync_api import Page, expect

from courses.models import CalendarFeed
from tests.cms.factories import PASSWORD
from tests.skills.factories import PersonFactory


def test_a_learner_finds_their_feed_address_and_resets_it(page: Page, sign_in, assert_accessible):
    person = PersonFactory()
    sign_in(page, person.user.email, PASSWORD, next_path="/training/calendar/")

    expect(page.get_by_role("heading", name="Your training calendar feed")).to_be_visible()
    old = CalendarFeed.objects.get(person=person).token
    expect(page.get_by_label("Feed address")).to_have_value(f"http://127.0.0.1:8000/training/calendar/{old}.ics")
    page.get_by_text("Google Calendar", exact=True).click()
    expect(page.get_by_text("From URL")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Reset the feed address").click()

    expect(page.get_by_text("The old address has stopped working")).to_be_visible()
    new = CalendarFeed.objects.get(person=person).token
    assert new != old
    expect(page.get_by_label("Feed address")).to_have_value(f"http://127.0.0.1:8000/training/calendar/{new}.ics")
    assert_accessible(page)
