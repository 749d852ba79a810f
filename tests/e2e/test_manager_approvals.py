"""A line manager in a browser: delegates their approvals while away, the delegate declines one request (after
being told a reason is needed) and approves another from the delegated queue, and the manager sees their team's
training. Every page passes axe-core, at 1280 px and at 375 px."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from courses.enums import BookingStatus
from courses.models import Booking
from courses.services.bookings import booking_request
from tests.cms.factories import PASSWORD, UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.e2e.test_skills import a_published_role_level
from tests.skills.factories import PersonFactory

PHONE = {"width": 375, "height": 740}
SHOTS = "/tmp/manager-shots"


def people_and_requests():
    role_level = a_published_role_level()
    release = role_level.release
    skill = release.skills.get(code="data-modelling")
    levels = {level.code: level for level in release.levels.all()}
    away = PersonFactory(user=UserFactory(first_name="Ada", last_name="Away", roles=[Role.LEARNER, Role.LINE_MANAGER]))
    cover = PersonFactory(
        user=UserFactory(first_name="Cal", last_name="Cover", roles=[Role.LEARNER, Role.LINE_MANAGER])
    )
    PersonFactory(line_manager=cover)
    priya = PersonFactory(
        user=UserFactory(first_name="Priya", last_name="Shah"), line_manager=away, target_role_level=role_level
    )
    sam = PersonFactory(user=UserFactory(first_name="Sam", last_name="Jones"), line_manager=away)
    course = course_create(
        title="Data modelling in practice",
        needs_approval=True,
        cost_pence=60000,
        outcomes=[(skill, levels["working"], levels["practitioner"])],
    )
    session = SessionFactory(course=course, starts_at=timezone.now().replace(microsecond=0) + timedelta(days=12))
    first = booking_request(session=session, person=priya, actor=priya.user, reason="My target role needs it.")
    second = booking_request(session=session, person=sam, actor=sam.user, reason="Curiosity.")
    return away, cover, first, second


def test_a_manager_delegates_and_the_delegate_decides_from_the_queue(page: Page, sign_in, assert_accessible):
    away, cover, first, second = people_and_requests()
    today = timezone.localdate()

    sign_in(page, away.user.email, PASSWORD, next_path="/skills/delegation/")
    page.get_by_label("Who will decide for you?").select_option(label="Cal Cover")
    for legend, day in (("First day", today), ("Last day", today + timedelta(days=3))):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Delegate").click()
    expect(page.get_by_text(re.compile("Your approvals and reviews are delegated to Cal Cover until"))).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/delegation-1280.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, cover.user.email, PASSWORD, next_path="/training/approvals/")
    expect(page.get_by_text("Delegated by Ada Away until").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/approvals-1280.png", full_page=True)

    page.locator(f'a[href="/training/approvals/{second.pk}/"]').click()
    page.get_by_label("Decline").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why are you declining it?").fill("Try the spring session, with the team.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("You declined Sam Jones's request")).to_be_visible()

    page.locator(f'a[href="/training/approvals/{first.pk}/"]').click()
    expect(page.get_by_text("Closes their gap")).to_be_visible()
    expect(page.get_by_text("A hearing loop")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/approval-1280.png", full_page=True)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("You approved Priya Shah's request")).to_be_visible()
    assert Booking.objects.get(pk=first.pk).status == BookingStatus.CONFIRMED
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.DECLINED

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in(page, away.user.email, PASSWORD, next_path="/training/team/")
    expect(page.get_by_role("link", name=re.compile(r"Booked \(1\)"))).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/team-375.png", full_page=True)
    page.goto(f"/training/approvals/{first.pk}/")
    expect(page.get_by_text("Approved by Cal Cover")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/approval-decided-375.png", full_page=True)
    page.goto("/skills/delegation/")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/delegation-375.png", full_page=True)
