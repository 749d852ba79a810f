"""A learner downloads their certificate's PDF in the browser, and another learner asking for the same address is
told there is no such page."""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page

from tests.cms.factories import PASSWORD
from tests.skills.factories import PersonFactory
from tests.skills.test_certificate_pdf import certificate_make

CLICK_LINK = "url => { const a = document.createElement('a'); a.href = url; document.body.append(a); a.click(); }"


def test_a_learner_downloads_their_certificate_and_another_learner_cannot(page: Page, sign_in):
    holder = PersonFactory(user__first_name="Amelia", user__last_name="Okonkwo")
    certificate = certificate_make(holder=holder)
    url = reverse("skills:certificate-pdf", args=[certificate.pk])
    sign_in(page, holder.user.email, PASSWORD, next_path="/skills/")

    with page.expect_download() as download_info:
        page.evaluate(CLICK_LINK, url)
    download = download_info.value
    assert download.suggested_filename == f"certificate-{certificate.number}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    page.context.clear_cookies()
    other = PersonFactory()
    sign_in(page, other.user.email, PASSWORD, next_path="/skills/")
    assert page.request.get(url).status == 404
