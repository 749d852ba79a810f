"""The issue's "done when" journey for courses and bookings, in a browser, at 1280 and at 375 px: a learner finds a
course from a gap, books a session that needs approval, their manager approves it, the learner has a confirmed seat
and downloads its invite; another learner joins the waiting list of the now full session and is promoted when the
first cancels; a training administrator marks attendance in the Wagtail admin and the completion shows in the
learner's skill history. Every page passes axe-core, and each is saved as a screenshot in SHOTS_DIR."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from courses.enums import BookingStatus
from courses.models import Booking, Session
from tests.cms.factories import PASSWORD, UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.e2e.test_skills import a_published_role_level
from tests.skills.factories import PersonFactory

# Resolves once every animation on the page that ends has ended (page.wait_for_function would need the eval
# that the site's Content-Security-Policy forbids).
FINITE_ANIMATIONS_FINISHED = """async () => {
    const finite = document.getAnimations().filter(a => a.effect && a.effect.getTiming().iterations !== Infinity);
    await Promise.all(finite.map(a => a.finished.catch(() => null)));
}"""
SHOTS_DIR = Path("/work/journey-shots")
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def viewport(request) -> dict[str, int]:
    return WIDTHS[request.param]


class Journey:
    """The page, and a numbered full-page screenshot plus an axe check of each page the journey visits."""

    def __init__(self, page: Page, assert_accessible, sign_in, width: int):
        self.page, self.assert_accessible, self.sign_in, self.width = page, assert_accessible, sign_in, width
        self.count = 0

    def look(self, name: str) -> None:
        # Wagtail's messages fade in: axe would measure a half-transparent banner's contrast.
        self.page.evaluate(FINITE_ANIMATIONS_FINISHED)
        self.assert_accessible(self.page)
        page_width = self.page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= self.width, f"{self.page.url} is {page_width} px wide at {self.width} px"
        self.count += 1
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS_DIR / f"{self.width}-{self.count:02d}-{name}.png"), full_page=True)

    def as_user(self, user, next_path: str) -> None:
        self.page.context.clear_cookies()
        self.sign_in(self.page, user.email, PASSWORD, next_path=next_path)


def a_team_and_a_course():
    """A published DDaT-like release whose role level needs Data modelling at Practitioner (nobody has it
    validated), a course that develops it and needs approval, and one session with a single seat."""
    role_level = a_published_role_level()
    release = role_level.release
    levels = {level.code: level for level in release.levels.all()}
    data_modelling = release.skills.get(code="data-modelling")
    course = course_create(
        title="Data modelling in practice",
        outcomes=[(data_modelling, None, levels["practitioner"])],
        needs_approval=True,
    )
    session = SessionFactory(course=course, capacity=1, town="Leeds")
    manager = PersonFactory(
        user=UserFactory(first_name="Tom", last_name="Okafor", roles=[Role.LEARNER, Role.LINE_MANAGER])
    )
    priya, sam = (
        PersonFactory(
            user=UserFactory(first_name=first, last_name=last),
            line_manager=manager,
            current_role_level=role_level,
            target_role_level=role_level,
        )
        for first, last in (("Priya", "Shah"), ("Sam", "Jones"))
    )
    administrator = UserFactory(first_name="Ada", last_name="Training", roles=[Role.TRAINING_ADMINISTRATOR])
    return session, manager, priya, sam, administrator


def approve(journey: Journey, manager, learner_name: str) -> None:
    page = journey.page
    journey.as_user(manager.user, "/training/approvals/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    journey.look(f"approvals-{learner_name.split()[0].lower()}")
    page.get_by_role("link", name=re.compile("Data modelling in practice")).first.click()
    expect(page).to_have_title(re.compile(f"^{learner_name}'s request: Data modelling in practice"))
    journey.look("approval-request")
    page.get_by_role("radio", name="Approve").check()
    page.get_by_role("button", name="Save decision").click()


def session_started(session: Session) -> None:
    """Move the session into the past (attendance is marked once it has started): the journey cannot wait ten
    days. Its booking window and cut-off move with it, keeping the session's own rules."""
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        booking_opens_at=now - timedelta(days=30),
        booking_closes_at=now - timedelta(hours=3),
        cancellation_cutoff_at=now - timedelta(hours=4),
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=5),
    )


def test_a_learner_books_from_a_gap_is_approved_cancels_for_a_waiting_colleague_who_attends(
    page: Page, sign_in, assert_accessible, viewport
):
    session, manager, priya, sam, administrator = a_team_and_a_course()
    journey = Journey(page, assert_accessible, sign_in, viewport["width"])

    # 1. Priya finds the course under her Data modelling gap and asks to book its session.
    journey.as_user(priya.user, "/skills/gaps/")
    recommendations = page.locator(".capability-recommendations", has_text="Training for Data modelling").first
    expect(recommendations).to_contain_text("Data modelling in practice")
    journey.look("gaps")
    recommendations.get_by_role("link", name="Data modelling in practice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data modelling in practice")
    journey.look("course")
    page.get_by_role("link", name=re.compile("^Book")).click()
    expect(page).to_have_title(re.compile("^Book Data modelling in practice"))
    expect(page.locator("#approval")).to_contain_text("Tom Okafor decides")
    journey.look("book")
    page.get_by_label("Do you need any reasonable adjustments? (optional)").fill("A hearing loop, please.")
    page.get_by_label("Why do you want to attend? (optional)").fill("To close my Data modelling gap.")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#status")).to_have_text("Waiting for approval")
    expect(page.get_by_text("A hearing loop, please.")).to_be_visible()
    journey.look("booking-requested")
    priya_booking = Booking.objects.get(person=priya, session=session)

    # 2. Tom, her manager, approves it from his queue.
    approve(journey, manager, "Priya Shah")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You approved Priya Shah's request for Data modelling in practice: they have a confirmed place"
    )
    journey.look("approval-decided")

    # 3. Priya has a confirmed seat, with the venue, and downloads its invite.
    journey.as_user(priya.user, f"/training/bookings/{priya_booking.pk}/")
    expect(page.locator("#status")).to_have_text("Confirmed")
    expect(page.get_by_text("Quarry House")).to_be_visible()
    journey.look("booking-confirmed")
    expect(page.get_by_role("link", name="subscribe to your training calendar")).to_have_attribute(
        "href", "/training/calendar/"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the invite for your calendar").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert "METHOD:REQUEST" in Path(download.value.path()).read_text(encoding="utf-8")
    response = page.request.get(f"/training/bookings/{priya_booking.pk}/invite.ics")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "METHOD:REQUEST" in response.text()
    assert "attachment" in response.headers["content-disposition"]

    # 4. Sam asks for the same, now full, session; once Tom approves, Sam is first on the waiting list.
    journey.as_user(sam.user, f"/training/sessions/{session.pk}/book/")
    expect(page.locator("#seats")).to_contain_text("This session is full")
    journey.look("book-full")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#status")).to_have_text("Waiting for approval")
    sam_booking = Booking.objects.get(person=sam, session=session)
    approve(journey, manager, "Sam Jones")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("they are number 1 on the waiting list")
    journey.as_user(sam.user, f"/training/bookings/{sam_booking.pk}/")
    expect(page.locator("#status")).to_contain_text("You are number 1 on the waiting list.")
    journey.look("booking-waitlisted")

    # Priya cancels, saying why; Sam is promoted.
    journey.as_user(priya.user, f"/training/bookings/{priya_booking.pk}/")
    page.get_by_label("Why are you cancelling?").fill("A release clashes with the course.")
    page.get_by_role("button", name="Cancel this booking").click()
    expect(page.locator("#status")).to_have_text("Cancelled")
    expect(page.locator("#next")).to_contain_text("A release clashes with the course.")
    journey.look("booking-cancelled")
    journey.as_user(sam.user, f"/training/bookings/{sam_booking.pk}/")
    expect(page.locator("#status")).to_have_text("Confirmed")
    journey.look("booking-promoted")

    # 5. After the session starts, the training administrator marks Sam as attended on its roster.
    session_started(session)
    journey.as_user(administrator, "/admin/training/sessions/")
    page.get_by_role("link", name=re.compile("Data modelling in practice")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Roster")
    expect(page.get_by_text("A hearing loop, please.")).to_have_count(0)  # Priya's, and she has cancelled
    for action in ("Download the roster (CSV)", "Edit the session", "Cancel the session"):
        box = page.get_by_role("link", name=action).bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= viewport["width"], f"{action} is cut off"
    journey.look("roster")
    page.get_by_role("group", name="Did Sam Jones attend?").get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Confirmed \(1\): 1 attended"))).to_be_visible()
    journey.look("roster-marked")
    assert Booking.objects.get(pk=sam_booking.pk).status == BookingStatus.COMPLETED

    # The completion is in Sam's Data modelling history.
    journey.as_user(sam.user, "/skills/history/data-modelling/")
    expect(page.get_by_role("row", name=re.compile("Validated by completing a course"))).to_contain_text(
        "Completed Data modelling in practice"
    )
    journey.look("history")
