"""The framework's life in a browser: an editor imports DDaT files in the admin and submits the release, a
Framework moderator approves it, and a visitor reads it, from a role to a role level to a skill. The public
pages pass axe-core."""

import re

from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from frameworks.ddat_schema import ROLES_COLUMNS, SKILLS_COLUMNS
from frameworks.models import Framework
from frameworks.services import (
    framework_import_ddat,
    framework_pages_ensure,
    framework_release_draft_create_from_current,
    framework_release_publish,
    skill_create,
)
from tests.cms.factories import PASSWORD, UserFactory
from tests.frameworks.conftest import SMALL_ROLES, SMALL_SKILLS, csv_bytes, ddat_files_or_skip

RELEASE = "Publish DDaT 2025-10"


def csv_file(name: str, columns, rows) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": csv_bytes(columns, rows, byte_order_mark=True)}


def test_an_editor_imports_a_moderator_publishes_and_a_visitor_reads_the_framework(
    page: Page, sign_in, assert_accessible
):
    editor = UserFactory(roles=[Role.CONTENT_EDITOR], first_name="Alex", last_name="Byrne")
    moderator = UserFactory(roles=[Role.CONTENT_EDITOR, Role.FRAMEWORK_MODERATOR])

    # The editor uploads the two DDaT files; the import runs (a Celery task, eager here) and reports.
    sign_in(page, editor.email, PASSWORD, next_path="/admin/frameworks/imports/new/")
    page.get_by_label("DDaT: the official roles.csv and skills.csv").check()
    page.get_by_role("textbox", name=re.compile(r"^Framework")).fill("ddat")
    page.get_by_label("Release label").fill("2025-10")
    page.get_by_label("DDaT roles file (roles.csv)").set_input_files(csv_file("roles.csv", ROLES_COLUMNS, SMALL_ROLES))
    page.get_by_label("DDaT skills file (skills.csv)").set_input_files(
        csv_file("skills.csv", SKILLS_COLUMNS, SMALL_SKILLS)
    )
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("heading", name="Created a new draft release")).to_be_visible()
    expect(page.get_by_text("File starts with a UTF-8 byte-order mark: 2")).to_be_visible()
    page.get_by_role("link", name="Review the draft release").click()

    # Before publication, visitors cannot see it.
    expect(page.get_by_role("link", name="Preview the public pages")).to_be_visible()
    page.get_by_role("link", name="Submit for publication").click()
    page.get_by_label("What changes, and why").fill("The first release in Capability.")
    page.get_by_role("button", name="Submit for publication").click()
    expect(page.get_by_text("is waiting for a Framework moderator to approve it")).to_be_visible()
    editor_footer = page.locator("footer")
    expect(editor_footer.get_by_role("button", name=re.compile("Publish"))).to_have_count(0)

    # Leave the request's page before signing out: its editing-session pings, answered after the cookies are
    # cleared, would sign the editor back in.
    page.goto("/admin/")
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    assert page.request.get("/frameworks/ddat/").status == 404

    # The moderator finds it on their dashboard and approves it.
    sign_in(page, moderator.email, PASSWORD, next_path="/admin/")
    awaiting = page.locator("section", has=page.get_by_role("heading", name="Awaiting your review"))
    awaiting.get_by_role("link", name=RELEASE).click()
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.get_by_text(f"Publication request '{RELEASE}' updated.")).to_be_visible()

    # A visitor reads the published framework: a role, one of its levels, one of that level's skills.
    page.context.clear_cookies()
    page.goto("/frameworks/ddat/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Government Digital and Data Profession Capability Framework"
    )
    expect(page.get_by_text("Open Government Licence v3.0").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Checker", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checker")
    expect(page.get_by_role("list").filter(has_text="Lead checker").get_by_role("link")).to_have_text(
        ["Checker", "Senior checker", "Lead checker"]
    )
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Senior checker").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Senior checker")
    checking = page.locator("section", has=page.get_by_role("heading", name="Checking work"))
    expect(checking.get_by_text("Practitioner")).to_be_visible()
    expect(checking.get_by_role("listitem")).to_have_text(["plan checks", "choose tools"])
    assert_accessible(page)

    checking.get_by_role("link", name="Checking work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking work")
    expect(page.get_by_role("heading", name="At Practitioner level")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/frameworks/ddat/skills/checking-work/$"))
    assert_accessible(page)


def test_skills_a_to_z_filters_without_javascript_and_stays_accessible(browser, base_url, assert_accessible):
    report = framework_import_ddat(
        roles_file=csv_bytes(ROLES_COLUMNS, SMALL_ROLES),
        skills_file=csv_bytes(SKILLS_COLUMNS, SMALL_SKILLS),
        release_label="2025-10",
        publish=True,
        actor=None,
    )
    assert report.ok
    framework_pages_ensure()
    context = browser.new_context(base_url=base_url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()

    page.goto("/frameworks/ddat/skills/")
    page.get_by_label("Search skills").fill("team makes")
    page.get_by_role("button", name="Show skills").click()

    expect(page.get_by_role("heading", name="1 skill matching ‘team makes’")).to_be_visible()
    expect(page.get_by_role("link", name="Checking work")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=team\+makes"))
    context.close()

    accessible = browser.new_context(base_url=base_url, locale="en-GB").new_page()
    accessible.goto("/frameworks/ddat/skills/?role_family=quality")
    assert_accessible(accessible)
    accessible.context.close()


def test_releases_their_comparison_an_earlier_release_and_the_downloads_are_accessible(page: Page, assert_accessible):
    report = framework_import_ddat(
        roles_file=csv_bytes(ROLES_COLUMNS, SMALL_ROLES),
        skills_file=csv_bytes(SKILLS_COLUMNS, SMALL_SKILLS),
        release_label="2025-10",
        publish=True,
        actor=None,
    )
    assert report.ok
    draft = framework_release_draft_create_from_current(
        framework=Framework.objects.get(slug="ddat"), label="2026-04", actor=None
    )
    skill_create(release=draft, name="Reviewing checks", description="Looking again at what was checked.", actor=None)
    framework_release_publish(release=draft, actor=None)

    page.goto("/frameworks/ddat/releases/")
    page.get_by_label("From release").select_option("2025-10")
    page.get_by_label("To release").select_option("2026-04")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="From 2025-10 to 2026-04: 1 change")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="2025-10", exact=True).click()
    expect(page.get_by_text("This is release 2025-10, which a later release has replaced.")).to_be_visible()
    assert_accessible(page)

    page.goto("/frameworks/ddat/download/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Roles \\(CSV\\)")).click()
    assert download.value.suggested_filename == "ddat-2026-04-roles.csv"
    assert_accessible(page)


def test_every_level_of_a_nine_level_role_is_reachable_with_a_visible_cue(page: Page, assert_accessible):
    roles, skills = ddat_files_or_skip()
    assert framework_import_ddat(
        roles_file=roles, skills_file=skills, release_label="2025-10", publish=True, actor=None
    ).ok
    framework_pages_ensure()

    # At 1280 px the whole ladder of the real "Software developer" role fits: its ninth level is in view.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/frameworks/ddat/roles/software-developer/")
    region = page.get_by_role("region", name="Skills at each level")
    expect(page.get_by_text(re.compile(r"^9 levels, from Apprentice developer to Principal developer"))).to_be_visible()
    last = region.get_by_role("columnheader").last
    expect(last).to_contain_text("Principal developer - management")
    region_box, last_box = region.bounding_box(), last.bounding_box()
    assert last_box["x"] + last_box["width"] <= region_box["x"] + region_box["width"] + 1
    assert_accessible(page)

    # At 375 px the table scrolls inside its region, says so, and the skill names stay in view while it does.
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    expect(page.get_by_text(re.compile("scroll it sideways to see every level"))).to_be_visible()
    region = page.get_by_role("region", name="Skills at each level")
    skill = region.get_by_role("rowheader").first
    before = skill.bounding_box()["x"]
    region.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    last = region.get_by_role("columnheader").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 375 + 1
    assert abs(skill.bounding_box()["x"] - before) < 1  # sticky
    assert_accessible(page)
