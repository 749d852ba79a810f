"""A release edit seen by the moderator as old and new text: an editor rewrites a skill's text at one level in a
draft and submits it; another Framework moderator reads the text before and after on the screen where they
approve, with a link to preview the draft, and approves; visitors then read the same change in the change log.
Each page passes axe-core. With CAPABILITY_SCREENSHOTS=docs/screenshots it also refreshes the approval screen's
screenshot there (a test run leaves the repository's files alone otherwise)."""

import os
from pathlib import Path

from playwright.sync_api import Page, expect
from wagtail.admin.models import EditingSession

from cms.accounts.enums import Role
from frameworks.ddat_schema import ROLES_COLUMNS, SKILLS_COLUMNS
from frameworks.models import Framework, SkillLevelDescriptor
from frameworks.services import (
    framework_import_ddat,
    framework_pages_ensure,
    framework_release_draft_create_from_current,
)
from tests.cms.factories import PASSWORD, UserFactory
from tests.frameworks.conftest import SMALL_ROLES, SMALL_SKILLS, csv_bytes

SCREENSHOTS = os.environ.get("CAPABILITY_SCREENSHOTS")
NEW_TEXT = "You can:\n- check the work of others in the team\n- explain what each check is for"


def test_a_moderator_sees_the_old_and_new_level_text_where_they_approve_the_release(
    page: Page, sign_in, assert_accessible
):
    report = framework_import_ddat(
        roles_file=csv_bytes(ROLES_COLUMNS, SMALL_ROLES),
        skills_file=csv_bytes(SKILLS_COLUMNS, SMALL_SKILLS),
        release_label="2025-10",
        publish=True,
        actor=None,
    )
    assert report.ok
    framework_pages_ensure()
    draft = framework_release_draft_create_from_current(
        framework=Framework.objects.get(slug="ddat"), label="2026-04", actor=None
    )
    descriptor = SkillLevelDescriptor.objects.get(release=draft, skill__code="checking-work", level__code="working")
    old_first_line = descriptor.text.splitlines()[1].lstrip("- ")
    editor = UserFactory(roles=[Role.CONTENT_EDITOR])
    moderator = UserFactory(roles=[Role.CONTENT_EDITOR, Role.FRAMEWORK_MODERATOR])

    # The editor rewrites the Working level of "Checking work" and submits the draft.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, editor.email, PASSWORD, next_path=f"/admin/frameworks/skills/edit/{descriptor.skill_id}/")
    expect(page.get_by_text("Release 2026-04 (draft)").first).to_be_visible()
    page.get_by_label("Working level").fill(NEW_TEXT)
    page.get_by_role("button", name="Save").click()
    page.goto(f"/admin/frameworks/releases/publish/{draft.pk}/")
    page.get_by_label("What changes, and why").fill("Clearer Working level for Checking work.")
    page.get_by_role("button", name="Submit for publication").click()
    expect(page.get_by_text("is waiting for a Framework moderator to approve it")).to_be_visible()
    page.goto("/admin/")
    page.wait_for_load_state("networkidle")
    # The editor has left the request's page. Wagtail's "someone else is editing" avatar of a session still
    # open has no accessible name (Wagtail's widget), and its release ping can lose the race for SQLite's lock
    # in the live server: end the editor's session as closing the tab would.
    EditingSession.objects.filter(user=editor).delete()

    # Another moderator opens the request from their dashboard and reads the change before approving.
    page.context.clear_cookies()
    sign_in(page, moderator.email, PASSWORD, next_path="/admin/")
    awaiting = page.locator("section", has=page.get_by_role("heading", name="Awaiting your review"))
    awaiting.get_by_role("link", name="2026-04").click()
    changes = page.locator(".capability-publication-changes")
    expect(changes.get_by_role("heading", name="Checking work")).to_be_visible()
    expect(changes.get_by_text("Text for the Working level changed")).to_be_visible()
    expect(changes.get_by_text(old_first_line)).to_be_visible()
    expect(changes.get_by_text("check the work of others in the team")).to_be_visible()
    expect(changes.get_by_role("heading", name="Before (2025-10)")).to_be_visible()
    expect(changes.get_by_role("heading", name="After (2026-04)")).to_be_visible()
    expect(changes.get_by_role("link", name="Preview the public pages of 2026-04 (opens in a new tab)")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 1100})  # the admin scrolls inside: show the whole change
    if SCREENSHOTS:
        path = Path(SCREENSHOTS) / "moderator-approval.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")

    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.get_by_text("updated.")).to_be_visible()

    # Visitors read the same change in the public change log, the skill linked.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/frameworks/ddat/releases/2026-04/changes/")
    expect(page.get_by_text("Text for the Working level changed")).to_be_visible()
    expect(page.get_by_text(old_first_line)).to_be_visible()
    expect(page.get_by_text("explain what each check is for")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Checking work").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking work")
