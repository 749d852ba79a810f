"""Who may see a certificate, and finding one by its verification token. The rules every certificate route shares
(the record's page, its PDF, its Open Badges credential): the holder, anyone in the holder's line-management chain
above them, and training administrators (`skills.view_certificate`); everyone else is answered as if it did not
exist (404). The public verification page finds a certificate only by its token."""

import re

from django.conf import settings

from skills.models import Certificate, Person
from skills.selectors.people import person_visible_to

VIEW_ANY_CERTIFICATE = "skills.view_certificate"
# What `verification_token` makes: base64url, 16 to 64 characters. Anything else is not looked up at all, and is
# answered exactly as an unknown token is.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Where a certificate's public verification page is: printed on the PDF (and its QR code) and named in the
# credential, so it must never change. The URL configuration routes exactly this path (a test holds them together).
VERIFICATION_PATH = "/certificates/{token}/"


def certificate_verification_url(certificate: Certificate) -> str:
    """The absolute URL of the certificate's public verification page, on the service's public address."""
    return settings.CAPABILITY_BASE_URL + VERIFICATION_PATH.format(token=certificate.token)


def certificates_administered_by(user) -> bool:
    """Whether the account administers certificates (issues by hand, revokes, sees everyone's)."""
    return user is not None and user.is_authenticated and user.is_active and user.has_perm(VIEW_ANY_CERTIFICATE)


def certificate_visible_to(*, user, viewer: Person | None, certificate: Certificate) -> bool:
    """The holder, their line-management chain, or a training administrator."""
    if certificates_administered_by(user):
        return True
    return person_visible_to(viewer=viewer, person=certificate.holder)


def certificate_get_visible_to(*, user, viewer: Person | None, certificate_id) -> Certificate | None:
    """The certificate with its holder (account) loaded, or None when there is none or the user may not see it."""
    certificate = (
        Certificate.objects.select_related("holder__user", "renews", "renewed_by")
        .filter(pk=certificate_id)
        .order_by()
        .first()
    )
    if certificate is None or not certificate_visible_to(user=user, viewer=viewer, certificate=certificate):
        return None
    return certificate


def certificate_by_token(token: str) -> Certificate | None:
    """The certificate a verification URL names, or None for an unknown or malformed token alike."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    return Certificate.objects.select_related("holder__user").filter(token=token).order_by().first()
