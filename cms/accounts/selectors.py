from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from cms.accounts.enums import ADMIN_ROLES, Role
from cms.accounts.models import IdentityLink, UserSession
from skills.models import HR_FEED_ISSUER


def user_roles(*, user) -> list[str]:
    """The names of the service roles a user holds, in the order of `Role`."""
    held = set(user.groups.values_list("name", flat=True))
    return [role.label for role in Role if role.value in held]


def user_sessions_active(*, user) -> QuerySet[UserSession]:
    """The user's sessions that can still be used: not ended, within the absolute lifetime, and used within
    the idle timeout (give or take the minute between last-seen updates). Most recently used first."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        ended_at__isnull=True,
        signed_in_at__gte=now - settings.SESSION_ABSOLUTE_LIFETIME,
        last_seen_at__gte=now - timedelta(seconds=settings.SESSION_COOKIE_AGE) - timedelta(minutes=1),
    ).order_by("-last_seen_at")


def identity_links_awaiting_superuser() -> QuerySet[IdentityLink]:
    """Unconfirmed identity links a superuser may confirm (decision 0215): those of accounts the HR feed does not
    know (administrators outside the feed) or, while local sign-in is off, every unconfirmed link. Oldest first."""
    links = IdentityLink.objects.filter(confirmed_at__isnull=True).select_related("user")
    if settings.LOCAL_SIGN_IN_ENABLED:
        links = links.exclude(user__person__identities__issuer=HR_FEED_ISSUER)
    return links.order_by("created_at", "pk")


def second_factor_required(*, user) -> bool:
    """Whether the account must have a second factor (decision 0216): with CAPABILITY_SECOND_FACTOR_REQUIRED on,
    superusers and every holder of an admin role. Anyone else may set one up, and is then asked for it too."""
    if not settings.CAPABILITY_SECOND_FACTOR_REQUIRED:
        return False
    return user.is_superuser or user.groups.filter(name__in=ADMIN_ROLES).exists()


def second_factor_device(*, user) -> TOTPDevice | None:
    """The account's confirmed authenticator app, if it has set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def passkeys_of(*, user) -> QuerySet[WebAuthnCredential]:
    """The account's passkeys (django-otp-webauthn's credentials), the newest first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("-created_at", "-pk")


def second_factor_any(*, user) -> bool:
    """Whether the account has a second factor to be asked for: an authenticator app or a passkey (recovery codes
    alone are a way back in, not a factor). One query, two when it has no app."""
    return second_factor_device(user=user) is not None or passkeys_of(user=user).exists()


def recovery_codes_left(*, user) -> int:
    """How many unused recovery codes the account has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
