"""A certificate record drawn as a one-page A4 landscape PDF (WeasyPrint), with a QR code of its verification URL.

The PDF is derived from the record and can be drawn again at any time (decision 0210). What goes in is the
holder's name and the achievement, which people typed: the template escapes them (Django auto-escaping), and the
renderer loads nothing but the project's own files named in `LOCAL_ASSETS` and `data:` URIs, so a title holding
`<img src="http://...">` or `file:///etc/passwd` can neither be fetched nor read from the disk.

Speed (bench/bench_certificates.py): the stylesheet is parsed once per process and reused, fonts come from the
system through one shared font configuration and are subset into the PDF, and the QR code is a small PNG.
"""

import functools
import hashlib
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetchingError, path2url

from skills.models import Certificate
from skills.selectors.certificates import certificate_verification_url

PDF_DIRECTORY = Path(settings.BASE_DIR) / "templates" / "skills" / "certificates" / "pdf"
STYLESHEET = PDF_DIRECTORY / "certificate.css"
# The only files the renderer may read: its stylesheet. Anything else is refused. (The service's mark is drawn in
# CSS, and the QR code is a data: URI.)
LOCAL_ASSETS = frozenset({STYLESHEET.resolve()})
# Where the PDFs are stored (default_storage). The key names the number, which the holder reads on the PDF, and
# a hash of the token rather than the token itself, so a storage listing gives no one a verification URL.
STORAGE_DIRECTORY = "certificates"
# Names longer than these are set smaller, so that the longest a form accepts still fits on the one page.
LONG_TEXT = 48
VERY_LONG_TEXT = 110
# The QR code's mask, fixed rather than scored (see verification_qr_code).
QR_MASK = 2


class LocalAssetsOnly(URLFetcher):
    """WeasyPrint's URL fetcher, narrowed to `data:` URIs and the files in `LOCAL_ASSETS`: every other URL
    (http, https, ftp, any other file) is refused before anything is opened."""

    def fetch(self, url, headers=None):
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path in LOCAL_ASSETS:
                return super().fetch(path2url(str(path)), headers)
        raise URLFetchingError(f"The certificate renderer loads only its own files, not {url[:200]!r}")


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    """Parsed once per process, not on every render."""
    return CSS(filename=str(STYLESHEET), url_fetcher=LocalAssetsOnly(), font_config=_font_config())


def _safe(number: str) -> str:
    """The number as it may appear in a file name: ASCII letters, digits, - and _."""
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "-" for c in number)


def certificate_pdf_key(certificate: Certificate) -> str:
    """The certificate's storage key: the same every time it is drawn, so a new drawing replaces the old."""
    digest = hashlib.sha256(certificate.token.encode()).hexdigest()[:16]
    number = _safe(certificate.number)
    return f"{STORAGE_DIRECTORY}/{number}-{digest}.pdf"


def certificate_pdf_filename(certificate: Certificate) -> str:
    """What the download is saved as on the holder's computer."""
    number = _safe(certificate.number)
    return f"certificate-{number}.pdf"


def _size(text: str) -> str:
    return "very-long" if len(text) > VERY_LONG_TEXT else "long" if len(text) > LONG_TEXT else "normal"


def _direction(text: str) -> str:
    """The writing direction of the text's first strong character (what `dir="auto"` means, which WeasyPrint does
    not do): a name in Arabic or Hebrew is set from the right."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def verification_qr_code(url: str) -> str:
    """The QR code of `url` as a PNG data URI, one pixel a module (the stylesheet scales it up without smoothing).
    Error correction M survives a crease or a smudge. The mask is fixed rather than chosen by scoring all eight
    (two thirds of segno's time): every verification URL has the same shape, and readers decode any mask. A PNG
    rather than an SVG: WeasyPrint spent a seventh of the whole render drawing the SVG's path."""
    return segno.make_qr(url, error="m", mask=QR_MASK).png_data_uri(scale=1, border=0)


def certificate_pdf_html(certificate: Certificate) -> str:
    """The certificate as HTML, every text the holder or an administrator typed escaped by the template."""
    url = certificate_verification_url(certificate)
    name = certificate.holder.user.get_full_name() or certificate.holder.user.email
    context = {
        "certificate": certificate,
        "name": name,
        "name_size": _size(name),
        "name_direction": _direction(name),
        "title_size": _size(certificate.title),
        "title_direction": _direction(certificate.title),
        "verification_url": url,
        "qr_code": verification_qr_code(url),
        "revoked": certificate.revoked_at is not None,
    }
    return render_to_string("skills/certificates/pdf/certificate.html", context)


def certificate_pdf_document(certificate: Certificate) -> Document:
    """The laid-out document (its `pages` say how many there are; the layout keeps it to one)."""
    html = HTML(
        string=certificate_pdf_html(certificate),
        base_url=path2url(str(PDF_DIRECTORY)) + "/",
        url_fetcher=LocalAssetsOnly(),
    )
    return html.render(stylesheets=[_stylesheet()], font_config=_font_config())


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    return certificate_pdf_document(certificate).write_pdf()
