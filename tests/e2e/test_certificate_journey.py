"""Issue 12's whole journey in the browser: a training administrator closes a session; the learner finds the
certificate it earned, downloads the PDF and the Open Badges credential; an anonymous visitor opens the
verification link read from the PDF's QR code (by an independent decoder, from the page as printed); the
independent verifier accepts the credential; the administrator revokes the certificate, and the verification page
and the signed status list both say so."""

import json
from datetime import timedelta
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms.accounts.enums import Role
from courses.enums import BookingStatus
from courses.models import Session
from courses.services.bookings import booking_request
from skills.credentials.keys import credential_keys_ensure
from skills.models import Certificate
from tests.cms.factories import PASSWORD, UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.credentials.test_verifier import NODE, verify
from tests.e2e.conftest import RESULTS_DIR
from tests.skills.factories import PersonFactory


def _shoot(page: Page, name: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(RESULTS_DIR / f"certificate-journey-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _session_under_way(learner) -> Session:
    """A session of a course that leads to a two-year certificate, the learner confirmed on it, started an hour
    ago (booked while booking was open, then moved back in time, as the training admin journey does)."""
    course = course_create(
        title="Agile delivery in practice", leads_to_certificate=True, certificate_validity_months=24
    )
    session = SessionFactory(course=course, capacity=5, town="Leeds")
    booking_request(session=session, person=learner, actor=learner.user, now=session.booking_opens_at)
    shift = session.starts_at - timezone.now() + timedelta(hours=1)
    fields = ["starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "cancellation_cutoff_at"]
    Session.objects.filter(pk=session.pk).update(**{f: getattr(session, f) - shift for f in fields})
    return session


def _download(page: Page, link_name: str) -> Path:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    return Path(download_info.value.path())


def _qr_codes(pdf: Path) -> list[str]:
    """Every QR code on the PDF's first page, drawn at 200 dpi and read by ZXing (not by what made them)."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    return [
        barcode.text for barcode in zxingcpp.read_barcodes(image) if barcode.format == zxingcpp.BarcodeFormat.QRCode
    ]


@pytest.mark.skipif(NODE is None, reason="the independent verifier needs node (make test installs its packages)")
def test_a_closed_session_gives_a_certificate_that_verifies_until_it_is_revoked(
    page: Page, base_url, settings, tmp_path, sign_in, assert_accessible
):
    settings.CAPABILITY_BASE_URL = base_url  # the QR code, share link and credential name this server
    settings.CAPABILITY_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    credential_keys_ensure()
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR], first_name="Dev", last_name="Patel")
    learner = PersonFactory(user__first_name="Priya", user__last_name="Shah")
    session = _session_under_way(learner)

    # The training administrator marks attendance and closes the session.
    sign_in(page, administrator.email, PASSWORD, next_path=f"/admin/training/sessions/{session.pk}/roster/")
    page.locator("[data-attendance-form] tbody tr").nth(0).get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved: 1 mark changed.")).to_be_visible()
    page.get_by_role("button", name="Close the session").click()
    expect(page.get_by_text("The session is closed.")).to_be_visible()
    assert session.bookings.get().status == BookingStatus.COMPLETED
    certificate = Certificate.objects.get(holder=learner)

    # The learner finds it from their dashboard, and downloads the PDF and the credential.
    page.context.clear_cookies()
    sign_in(page, learner.user.email, PASSWORD, next_path="/dashboard/")
    page.get_by_role("link", name="Your certificates").first.click()
    expect(page.get_by_role("heading", name="Agile delivery in practice")).to_be_visible()
    _shoot(page, "list")
    assert_accessible(page)
    page.get_by_role("link", name=f"View certificate {certificate.number}").click()
    expect(page.get_by_text(certificate.number).first).to_be_visible()
    _shoot(page, "record")
    assert_accessible(page)
    pdf = _download(page, "Certificate (PDF, A4)")
    assert pdf.read_bytes().startswith(b"%PDF-")
    credential = json.loads(_download(page, "Digital badge (Open Badges 3.0, JSON-LD)").read_text(encoding="utf-8"))
    assert credential["credentialSubject"]["name"] == "Priya Shah"
    result = verify(base_url, {"credential": credential})
    assert result["verified"] is True, result  # the verifier's reason, when it refuses

    # Anyone with the QR code's link sees that it is valid, and nothing else about the holder.
    [verification_url] = _qr_codes(pdf)
    assert verification_url == f"{base_url}/certificates/{certificate.token}/"
    page.context.clear_cookies()
    page.goto(verification_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("This certificate is valid")
    expect(page.get_by_text("Priya Shah")).to_be_visible()
    assert learner.user.email not in page.content()
    _shoot(page, "verified")
    assert_accessible(page)

    # The administrator revokes it, saying why; the page and the status list say so at once.
    sign_in(page, administrator.email, PASSWORD, next_path=f"/skills/certificates/{certificate.pk}/")
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.get_by_text("Say why you are revoking the certificate").first).to_be_visible()
    page.get_by_label("Why are you revoking this certificate?").fill("Attendance was marked in error.")
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.get_by_text(f"Certificate {certificate.number} revoked.")).to_be_visible()

    page.context.clear_cookies()
    page.goto(verification_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("This certificate has been revoked")
    expect(page.get_by_text("Attendance was marked in error.")).to_be_visible()
    _shoot(page, "revoked")
    assert_accessible(page)
    result = verify(base_url, {"credential": credential})
    assert (result["verified"], result["proofVerified"], result["revoked"]) == (False, True, True)
