"""Drawing a certificate's PDF: one A4 landscape page whatever its holder's name and title hold, everything people
typed escaped, and nothing loaded but the renderer's own files and data: URIs."""

import itertools
import urllib.request
from datetime import date

import pytest
import segno
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetchingError, path2url

from skills.certificates_pdf import (
    STYLESHEET,
    LocalAssetsOnly,
    certificate_pdf_document,
    certificate_pdf_html,
    certificate_pdf_key,
    verification_qr_code,
)
from skills.models import Certificate
from skills.selectors.certificates import certificate_verification_url
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def certificate_make(holder=None, **fields) -> Certificate:
    """A course certificate as the issuing service records one (made directly: issuing is another module's)."""
    n = next(_numbers)
    values = {
        "holder": holder or PersonFactory(user__first_name="Amelia", user__last_name="Okonkwo"),
        "kind": Certificate.Kind.COURSE,
        "award": f"courses.course:{n}",
        "title": "Agile delivery foundations",
        "number": f"CAP-2026-{n:06d}",
        "issued_on": date(2026, 1, 10),
        "expires_on": date(2029, 1, 10),
        "status_list_index": 1000 + n,
    }
    return Certificate.objects.create(**(values | fields))


def page_text(document) -> str:
    """The text laid out on the document's pages, in order."""
    parts = []

    def walk(box):
        if getattr(box, "text", None):
            parts.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)


def test_the_pdf_is_one_a4_landscape_page_naming_the_holder_the_achievement_and_how_to_verify_it():
    certificate = certificate_make()
    document = certificate_pdf_document(certificate)
    assert len(document.pages) == 1
    width, height = document.pages[0].width, document.pages[0].height
    assert (round(width * 25.4 / 96), round(height * 25.4 / 96)) == (297, 210)
    text = page_text(document)
    for expected in ("Amelia Okonkwo", "Agile delivery foundations", "10 January 2026", "10 January 2029"):
        assert expected in text
    assert certificate.number in text
    assert certificate_verification_url(certificate).replace("/", "") in text.replace(" ", "").replace("/", "")
    assert document.write_pdf().startswith(b"%PDF-")


def test_the_qr_code_is_a_png_of_the_verification_url():
    certificate = certificate_make()
    html = certificate_pdf_html(certificate)
    code = verification_qr_code(certificate_verification_url(certificate))
    assert code.startswith("data:image/png;base64,")
    assert f'src="{code}"' in html
    expected = segno.make_qr(certificate_verification_url(certificate), error="m", mask=2)
    assert code == expected.png_data_uri(scale=1, border=0)


def test_a_certificate_that_does_not_expire_says_so():
    document = certificate_pdf_document(certificate_make(expires_on=None))
    assert "Does not expire" in page_text(document)


HOSTILE = '<script>alert("x")</script> & \'quoted\' <img src="http://127.0.0.1:9/beacon.png">'


def test_what_people_typed_is_escaped_printed_as_text_and_never_fetched(opened):
    holder = PersonFactory(user__first_name=HOSTILE, user__last_name="O'Brien & Sons")
    certificate = certificate_make(holder=holder, title=HOSTILE + ' <img src="file:///etc/passwd">')
    html = certificate_pdf_html(certificate)
    assert "<script>" not in html
    assert '<img src="http' not in html
    assert 'file:///etc/passwd">' not in html
    assert "&lt;script&gt;" in html
    text = page_text(certificate_pdf_document(certificate))
    assert '<script>alert("x")</script>' in text
    assert "O'Brien & Sons" in text
    assert all(url.startswith("data:") or url == path2url(str(STYLESHEET.resolve())) for url in opened), opened


@pytest.mark.parametrize(
    ("first_name", "title"),
    [
        ("W" * 150, "T" * 255),  # one unbreakable word as long as each field allows
        (("Wolfeschlegelsteinhausenbergerdorff " * 5)[:150], ("Advanced statistical methods & data " * 8)[:255]),
        ("محمد عبد الرحمن " * 9, "إدارة المشاريع الرشيقة، المستوى المتقدم " * 6),
        ("שלום " * 30, "ניהול פרויקטים " * 17),
    ],
    ids=["unbroken", "long-words", "arabic", "hebrew"],
)
def test_the_longest_names_and_titles_stay_on_one_page(first_name, title):
    holder = PersonFactory(user__first_name=first_name, user__last_name="L" * 150)
    certificate = certificate_make(holder=holder, title=title[:255])
    assert len(certificate_pdf_document(certificate).pages) == 1


def test_right_to_left_text_is_set_from_the_right():
    holder = PersonFactory(user__first_name="محمد", user__last_name="الأحمد")
    html = certificate_pdf_html(certificate_make(holder=holder, title="Agile"))
    assert 'dir="rtl">محمد الأحمد<' in html
    assert 'dir="ltr">Agile<' in html


def test_a_revoked_certificate_s_pdf_is_stamped_revoked():
    certificate = certificate_make(revoked_at=timezone.now(), revoked_reason="Issued in error")
    text = page_text(certificate_pdf_document(certificate))
    assert "Revoked on" in text
    assert "no longer valid" in text
    assert "Issued in error" not in text  # the reason is for the verification page, not printed on the holder's copy


def test_the_storage_key_is_stable_names_the_number_and_does_not_reveal_the_token():
    certificate = certificate_make(number="CAP/2026 07")
    key = certificate_pdf_key(certificate)
    assert key == certificate_pdf_key(Certificate.objects.get(pk=certificate.pk))
    assert key.startswith("certificates/CAP-2026-07-")
    assert key.endswith(".pdf")
    assert certificate.token not in key
    assert certificate.token[:8] not in key


@pytest.fixture
def opened(monkeypatch):
    """Every URL urllib actually opens (WeasyPrint's fetcher opens through it), noted and then opened."""
    urls = []
    real_open = urllib.request.OpenerDirector.open

    def spy(self, request, *args, **kwargs):
        urls.append(getattr(request, "full_url", request))
        return real_open(self, request, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    return urls


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/beacon.png",
        "https://example.com/font.woff2",
        "ftp://example.com/x.css",
        "file:///etc/passwd",
        "file://evil.example" + str(STYLESHEET),
        path2url(str(STYLESHEET.parent / ".." / ".." / ".." / ".." / "pyproject.toml")),
        path2url(str(STYLESHEET)) + "/../../../../../../etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_but_its_own_files(url, opened):
    with pytest.raises(URLFetchingError):
        LocalAssetsOnly().fetch(url)
    assert opened == []


def test_the_fetcher_serves_its_own_files_and_data_uris(opened):
    assert b"@page" in LocalAssetsOnly().fetch(path2url(str(STYLESHEET))).read()
    assert LocalAssetsOnly().fetch("data:text/plain,hello").read() == b"hello"
    assert opened == [path2url(str(STYLESHEET.resolve())), "data:text/plain,hello"]


def test_a_document_naming_remote_and_local_files_draws_without_opening_them(opened):
    html = (
        '<img src="http://127.0.0.1:9/beacon.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://example.com/x.css">'
        f'<link rel="stylesheet" href="{path2url(str(STYLESHEET))}">'
    )
    document = HTML(string=html, url_fetcher=LocalAssetsOnly()).render()
    assert len(document.pages) == 1
    assert opened == [path2url(str(STYLESHEET.resolve()))]
