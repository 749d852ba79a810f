"""The training administrator in a browser: schedule a session in UK time, see it listed, open a started
session's roster (adjustments, waiting list), mark attendance in bulk and close the session. Screenshots of each
page at 1280 and 375 px go to test-results/ (for looking at, not for comparing)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from courses.enums import BookingStatus, SessionStatus
from courses.models import Session
from courses.services.bookings import booking_request
from tests.cms.factories import PASSWORD, UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.e2e.conftest import RESULTS_DIR
from tests.skills.factories import PersonFactory

WIDTHS = (1280, 375)


def _shoot(page: Page, name: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(RESULTS_DIR / f"training-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _started_session_with_bookings():
    course = course_create(title="Agile delivery in practice")
    session = SessionFactory(course=course, capacity=2, town="Leeds")
    opened = session.booking_opens_at + timedelta(minutes=1)
    people = [PersonFactory() for _ in range(3)]
    for index, person in enumerate(people):
        booking_request(
            session=session,
            person=person,
            actor=person.user,
            adjustments="Step-free access" if index == 0 else "",
            now=opened,
        )
    shift = session.starts_at - timezone.now() + timedelta(hours=1)
    fields = ["starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "cancellation_cutoff_at"]
    Session.objects.filter(pk=session.pk).update(**{f: getattr(session, f) - shift for f in fields})
    return session, people


def test_a_training_administrator_schedules_a_session_then_marks_attendance_and_closes_one(
    page: Page, sign_in, assert_accessible
):
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    course_create(title="Data visualisation")
    session, people = _started_session_with_bookings()

    sign_in(page, administrator.email, PASSWORD, next_path="/admin/training/sessions/new/")
    page.get_by_label("Course").select_option(label="Data visualisation (Classroom, Government Digital Academy)")
    page.get_by_label("Starts").fill("2027-07-01 09:30")
    page.get_by_label("Ends").fill("2027-07-01 16:30")
    page.get_by_label("Town").fill("Manchester")
    page.get_by_label("Capacity").fill("12")
    page.get_by_label("Booking opens").fill("2027-05-01 09:00")
    page.get_by_label("Booking closes").fill("2027-06-28 17:00")
    page.get_by_label("Cancellation cut-off").fill("2027-06-30 17:00")
    page.get_by_label("Ends").fill("2027-07-01 09:00")  # before the start: refused on its field
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("The session must end after it starts.")).to_be_visible()
    _shoot(page, "session-form-error")
    page.get_by_label("Ends").fill("2027-07-01 16:30")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_role("cell", name="Thu 1 Jul 2027, 09:30 BST")).to_be_visible()
    _shoot(page, "sessions")
    assert_accessible(page)

    page.goto(f"/admin/training/sessions/{session.pk}/roster/")
    expect(page.get_by_text("Step-free access")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting list (1)")).to_be_visible()
    _shoot(page, "roster")
    assert_accessible(page)

    confirmed = list(
        session.bookings.filter(status=BookingStatus.CONFIRMED).order_by("id").values_list("pk", flat=True)
    )
    rows = page.locator("[data-attendance-form] tbody tr")
    rows.nth(0).get_by_label("Attended").check()
    rows.nth(1).get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved: 2 marks changed.")).to_be_visible()
    page.get_by_role("button", name="Close the session").click()
    expect(page.get_by_text("The session is closed.")).to_be_visible()
    _shoot(page, "roster-closed")

    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    statuses = dict(session.bookings.values_list("pk", "status"))
    assert [statuses[pk] for pk in confirmed] == [BookingStatus.COMPLETED, BookingStatus.NO_SHOW]
