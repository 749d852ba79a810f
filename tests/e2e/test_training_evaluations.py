"""Journeys of the training reports helper: a learner says how a course went (at 1280 and 375 px), a manager sees
whether training closed their team's gaps, and a training administrator reads the reports."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from courses.enums import BookingStatus
from skills.enums import AssessmentSource
from skills.services import assessment_record
from tests.cms.factories import PASSWORD, UserFactory
from tests.courses.factories import course_create
from tests.courses.reporting import at, booking_in, past_session, release_with_skill
from tests.skills.factories import PersonFactory

PHONE = {"width": 375, "height": 740}


def a_course_attended():
    _, skill, levels = release_with_skill()
    course = course_create(
        title="Data modelling in practice", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    session = past_session(course=course, starts_at=at(2025, 3, 1))
    manager = PersonFactory(user__first_name="Mina", user__last_name="Patel")
    learner = PersonFactory(line_manager=manager, user__first_name="Priya", user__last_name="Shah")
    booking = booking_in(session, learner, BookingStatus.COMPLETED)
    assessment_record(
        person=learner,
        skill=skill,
        level=levels["practitioner"],
        source=AssessmentSource.LINE_MANAGER,
        created_at=session.ends_at + timedelta(days=40),
    )
    return manager, learner, booking


def test_a_learner_says_how_it_went_once(page: Page, sign_in, assert_accessible):
    _, learner, booking = a_course_attended()
    url = f"/training/bookings/{booking.pk}/evaluation/"
    page.set_default_timeout(30_000)  # the first request of a run can be slow on a loaded machine
    sign_in(page, learner.user.email, PASSWORD, next_path=url)
    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("link", name="Choose how the course was overall")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/reports-evaluation-errors-1280.png", full_page=True)
    page.get_by_role("group", name="Overall, how was the course?").get_by_label("Good", exact=True).check()
    work = page.get_by_role("group", name="How relevant was it to your work?")
    work.get_by_label("Very relevant", exact=True).check()
    page.get_by_role("group", name="How relevant was it to the skill you wanted to develop?").get_by_label(
        "Relevant", exact=True
    ).check()
    page.get_by_label("Anything else you want to tell us (optional)").fill("Good pace, useful exercises.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Your answers are sent")).to_be_visible()
    expect(page.get_by_text("Good pace, useful exercises.")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert_accessible(page)
    page.screenshot(path="/tmp/reports-evaluation-given-375.png", full_page=True)


def test_a_manager_sees_their_teams_effectiveness(page: Page, sign_in, assert_accessible, settings):
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 1
    manager, _, _ = a_course_attended()
    sign_in(page, manager.user.email, PASSWORD, next_path="/training/team/effectiveness/")
    expect(page.get_by_role("heading", name="Did training close your team's gaps?")).to_be_visible()
    card = page.locator(".govuk-summary-card", has_text="Data modelling in practice")
    expect(card).to_contain_text("100.0% (1 of 1)")
    expect(card).to_contain_text("No one")
    assert_accessible(page)
    page.screenshot(path="/tmp/reports-team-effectiveness-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    assert card.bounding_box()["x"] + card.bounding_box()["width"] <= PHONE["width"]
    assert_accessible(page)
    page.screenshot(path="/tmp/reports-team-effectiveness-375.png", full_page=True)


def test_a_training_administrator_reads_the_reports(page: Page, sign_in):
    a_course_attended()
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    sign_in(page, administrator.email, PASSWORD, next_path="/admin/training-reports/")
    expect(page.locator("#by-course")).to_have_text("By course")
    expect(page.get_by_role("heading", name="Training reports", level=1)).to_be_visible()
    expect(page.get_by_role("row", name="Data modelling in practice").first).to_contain_text("Academy")
    page.screenshot(path="/tmp/reports-training-reports-1280.png", full_page=True)
    page.goto("/admin/training-reports/effectiveness/")
    page.screenshot(path="/tmp/reports-training-effectiveness-1280.png", full_page=True)
    page.goto("/admin/training-reports/history/")
    expect(page.get_by_role("button", name="Check the file")).to_be_visible()
    page.screenshot(path="/tmp/reports-training-history-1280.png", full_page=True)
