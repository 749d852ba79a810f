"""A holder downloads their certificate's Open Badges credential in the browser, and the independent verifier
accepts it; without signing keys the download is a plain page that says so (never a trace)."""

import json

from playwright.sync_api import Page, expect

from skills.credentials.keys import credential_keys_ensure
from tests.cms.factories import PASSWORD, UserFactory
from tests.credentials.conftest import make_certificate
from tests.credentials.test_verifier import NODE, verify
from tests.skills.factories import PersonFactory


def test_a_holder_downloads_a_credential_the_verifier_accepts(page: Page, base_url, settings, tmp_path, sign_in):
    settings.CAPABILITY_BASE_URL = base_url
    settings.CAPABILITY_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    credential_keys_ensure()
    holder = PersonFactory(user=UserFactory(first_name="Priya", last_name="Shah"))
    certificate = make_certificate(holder)
    sign_in(page, holder.user.email, PASSWORD)

    url = f"/skills/certificates/{certificate.pk}/credential.json"
    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url }", url)
    download = download_info.value
    assert download.suggested_filename == f"certificate-{certificate.number}.json"
    credential = json.loads(open(download.path(), encoding="utf-8").read())  # noqa: SIM115
    assert credential["credentialSubject"]["name"] == "Priya Shah"
    if NODE is not None:
        result = verify(base_url, {"credential": credential})
        assert result["verified"] is True, result


def test_without_keys_the_download_says_so(page: Page, settings, tmp_path, sign_in, assert_accessible):
    settings.CAPABILITY_CREDENTIAL_KEYS_DIR = tmp_path / "none"
    holder = PersonFactory()
    certificate = make_certificate(holder)
    sign_in(page, holder.user.email, PASSWORD)
    response = page.goto(f"/skills/certificates/{certificate.pk}/credential.json")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sorry, the digital badge cannot be downloaded at the moment"
    )
    assert_accessible(page)
