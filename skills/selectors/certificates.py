"""Who may see a certificate, and finding one by its verification token. The rules every certificate route shares
(the record's page, its PDF, its Open Badges credential): the holder, anyone in the holder's line-management chain
above them, and training administrators (`skills.view_certificate`); everyone else is answered as if it did not
exist (404). The public verification page finds a certificate only by its token."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail import hooks

from skills.models import Certificate, CertificateStatus, Person
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


CERTIFICATES_PAGE_SIZE = 20
# A valid certificate that expires within this many days is shown as expiring soon (the first reminder of
# expiry goes out at 90 days; by 30 a renewal needs booking now).
EXPIRING_SOON_DAYS = 30


def certificates_held(*, person: Person, page_number=None) -> Page:
    """The certificates `person` holds, newest first, 20 a page, each with what it renews and what renewed it:
    two queries (the count and the page), however many they hold. The caller has checked who may see them."""
    certificates = (
        Certificate.objects.filter(holder=person).select_related("renews", "renewed_by").order_by("-issued_on", "-id")
    )
    return Paginator(certificates, CERTIFICATES_PAGE_SIZE).get_page(page_number)


@dataclass(frozen=True)
class Standing:
    """How a certificate stands today, as its tag shows it: `status` (valid, expired, revoked) with two refinements
    people act on: a valid one that expires soon, and one a renewal has replaced."""

    status: str
    text: str
    colour: str

    @property
    def classes(self) -> str:
        return f"govuk-tag--{self.colour}"


def certificate_standing(certificate: Certificate, today: date | None = None) -> Standing:
    today = today or timezone.localdate()
    status = certificate.status_on(today)
    if status == CertificateStatus.REVOKED:
        return Standing(status, "Revoked", "red")
    if certificate.superseded_at is not None:
        return Standing(status, "Renewed", "blue")
    if status == CertificateStatus.EXPIRED:
        return Standing(status, "Expired", "grey")
    if certificate.expires_on and certificate.expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS):
        return Standing(status, "Expiring soon", "yellow")
    return Standing(status, "Valid", "green")


def certificates_matching(queryset: QuerySet[Certificate], query: str) -> QuerySet[Certificate]:
    """Certificates whose number, or whose holder's name, e-mail address or staff number, contains each word of
    `query` (case-insensitively): the admin's search."""
    for word in query.split():
        queryset = queryset.filter(
            Q(number__icontains=word)
            | Q(holder__user__first_name__icontains=word)
            | Q(holder__user__last_name__icontains=word)
            | Q(holder__user__email__icontains=word)
            | Q(holder__staff_number__icontains=word)
        )
    return queryset


def certificates_standing_on(queryset: QuerySet[Certificate], standing: str, today: date | None = None):
    """Narrow `queryset` to the certificates of a standing (`certificate_standing`'s status, or "expiring" for a
    valid one expiring within EXPIRING_SOON_DAYS), in the database: the dates decide, as they do everywhere."""
    today = today or timezone.localdate()
    live = Q(revoked_at__isnull=True)
    unexpired = Q(expires_on__isnull=True) | Q(expires_on__gt=today)
    if standing == CertificateStatus.REVOKED:
        return queryset.filter(revoked_at__isnull=False)
    if standing == CertificateStatus.EXPIRED:
        return queryset.filter(live, expires_on__lte=today)
    if standing == CertificateStatus.VALID:
        return queryset.filter(live, unexpired)
    if standing == "expiring":
        soon = today + timedelta(days=EXPIRING_SOON_DAYS)
        return queryset.filter(live, superseded_at__isnull=True, expires_on__gt=today, expires_on__lte=soon)
    return queryset


# What a training administrator can issue a certificate for by hand. skills knows no courses: the apps above offer
# their awards through this Wagtail hook. Each hook takes no argument and returns a list of AwardChoice.
CERTIFICATE_AWARDS_HOOK = "skills_certificate_awards"


@dataclass(frozen=True)
class AwardChoice:
    """Something a certificate can be issued for: its `award` (the same across renewals), the title the
    certificate says, its public page and how many months a certificate of it stays valid (None: for good)."""

    award: str
    title: str
    url: str
    validity_months: int | None


def certificate_award_choices() -> list[AwardChoice]:
    """Every award the apps above offer, by title."""
    choices = [choice for hook in hooks.get_hooks(CERTIFICATE_AWARDS_HOOK) for choice in hook() or []]
    return sorted(choices, key=lambda choice: choice.title.lower())
