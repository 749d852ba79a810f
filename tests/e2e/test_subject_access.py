"""Issue 14's subject-access journeys in the browser: a person asks for a copy of their data on "Your data" and
downloads it; someone with the Data protection role exports another person's data from the admin and downloads
it. Each zip holds the person's records and their README."""

import json
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from tests.cms.factories import PASSWORD, UserFactory
from tests.skills.factories import PersonFactory


def _download(page: Page, link) -> zipfile.ZipFile:
    with page.expect_download() as download_info:
        link.click()
    return zipfile.ZipFile(Path(download_info.value.path()))


def test_a_person_downloads_a_copy_of_their_data(page: Page, sign_in, assert_accessible):
    learner = PersonFactory(user__first_name="Priya", user__last_name="Shah")
    sign_in(page, learner.user.email, PASSWORD, next_path="/accounts/")
    page.get_by_role("link", name="Get a copy of your data").click()
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ask for a copy of your data").click()
    expect(page.get_by_text("We are putting a copy of your data together")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Ready to download")).to_be_visible()
    assert_accessible(page)
    archive = _download(page, page.get_by_role("link", name="Download"))
    assert json.loads(archive.read("data/skills.Person.json"))[0]["staff_number"] == learner.staff_number
    assert "Priya Shah" in archive.read("README.txt").decode()


def test_the_data_protection_role_exports_a_persons_data_from_the_admin(page: Page, sign_in):
    officer = UserFactory(roles=[Role.DATA_PROTECTION], first_name="Dana", last_name="Okoro")
    learner = PersonFactory(user__first_name="Tom", user__last_name="Okafor")
    sign_in(page, officer.email, PASSWORD, next_path="/admin/data-exports/")
    page.get_by_label("E-mail address of the person").fill("nobody@example.gov.uk")
    page.get_by_role("button", name="Export their data").click()
    expect(page.get_by_text("No account has this e-mail address")).to_be_visible()
    page.get_by_label("E-mail address of the person").fill(learner.user.email)
    page.get_by_role("button", name="Export their data").click()
    expect(page.get_by_text("is being put together")).to_be_visible()
    page.reload()
    archive = _download(page, page.get_by_role("link", name="Download"))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["subject"]["name"] == "Tom Okafor"
    assert manifest["requested_by"] == "Dana Okoro"
