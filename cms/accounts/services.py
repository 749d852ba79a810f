import hashlib
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential, WebAuthnUserHandle
from wagtail.log_actions import log

from cms.accounts.devices import device_summary
from cms.accounts.enums import (
    ADMIN_ROLES,
    AUDITED_SESSION_END_REASONS,
    IdentityLinkConfirmation,
    Role,
    SecondFactorCheck,
    SessionEndReason,
    SingleSignOnRefusal,
)
from cms.accounts.errors import NotAllowed
from cms.accounts.models import IdentityLink, User, UserSession
from cms.accounts.selectors import second_factor_required
from cms.accounts.single_sign_on import SingleSignOnRefused, email_verified
from skills.models import HR_FEED_ISSUER, Person, PersonIdentity
from skills.selectors import privileged_user_ids

security_log = logging.getLogger("cms.security")
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def actor_check(actor: User | None, *permissions: str, refusal: str) -> None:
    """Raise NotAllowed(`refusal`) unless `actor` is the system (None) or an active user with every permission
    (docs/decisions/0015-one-permission-rule.md). Django permissions, so that a superuser or a custom group
    works as Django expects and an inactive user has none."""
    if actor is None:
        return
    if not actor.has_perms(permissions):
        raise NotAllowed(refusal)


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    roles: Iterable[Role] = (Role.LEARNER,),
    actor: User | None,
) -> User:
    """Create a user with the given roles. `password=None` leaves them to set one by reset link.

    `actor` is required: None is the system (the demo loader, a command); a user needs the permissions to add
    users and to change them (the roles), which no role holds, so only a superuser may (NotAllowed otherwise)."""
    actor_check(
        actor, "accounts.add_user", "accounts.change_user", refusal="You may not create accounts: ask an administrator."
    )
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user_roles_set(user=user, roles=roles, actor=actor)
    log(instance=user, action="capability.accounts.create", user=actor)
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles: Iterable[Role], actor: User | None) -> None:
    """Give a user exactly these roles. Admin roles also grant entry to the Wagtail admin.

    `actor` is required: None is the system; a user needs the permission to change users (no role holds it, so a
    superuser), and nobody sets their own roles (decision 0202: nobody changes their own rights). NotAllowed
    otherwise, before anything is written."""
    actor_check(actor, "accounts.change_user", refusal="You may not change people's roles: ask an administrator.")
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed("Nobody can change their own roles: ask another administrator.")
    roles = [Role(role) for role in roles]
    groups = list(Group.objects.filter(name__in=roles))
    missing = set(roles) - {Role(group.name) for group in groups}
    if missing:
        raise ValueError(f"Unknown roles (is the roles migration applied?): {sorted(missing)}")
    user.groups.set(groups)
    is_staff = user.is_superuser or any(role in ADMIN_ROLES for role in roles)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    log(instance=user, action="capability.accounts.roles_set", user=actor, data={"roles": [r.value for r in roles]})


def session_key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


@transaction.atomic
def user_session_start(*, user: User, session_key: str, user_agent: str | None) -> UserSession:
    """Record a sign-in (called when a user signs in). Also forgets this user's sessions older than the
    absolute lifetime: they can no longer be used, and the table would otherwise only grow."""
    now = timezone.now()
    UserSession.objects.filter(user=user, signed_in_at__lt=now - settings.SESSION_ABSOLUTE_LIFETIME).delete()
    # Signing in again within the same browser session (the key kept) replaces that session's record.
    UserSession.objects.filter(session_key_hash=session_key_hash(session_key)).delete()
    return UserSession.objects.create(
        user=user,
        session_key_hash=session_key_hash(session_key),
        device=device_summary(user_agent),
        signed_in_at=now,
        last_seen_at=now,
    )


def user_session_seen(*, user_session: UserSession, session_key: str) -> None:
    """Note that a session was used. Bookkeeping rather than a change anyone makes, so not audited; written
    at most once a minute per session, and again whenever Django has given the session a new key."""
    now = timezone.now()
    key_hash = session_key_hash(session_key)
    if user_session.session_key_hash == key_hash and now - user_session.last_seen_at < LAST_SEEN_RESOLUTION:
        return
    if user_session.session_key_hash != key_hash:
        # The record this session names wins over any other row left holding its key.
        UserSession.objects.filter(session_key_hash=key_hash).exclude(pk=user_session.pk).delete()
    UserSession.objects.filter(pk=user_session.pk, ended_at__isnull=True).update(
        session_key_hash=key_hash, last_seen_at=now
    )


@transaction.atomic
def user_sessions_end(
    *, user: User, sessions: Iterable[UserSession], reason: SessionEndReason, actor: User | None
) -> int:
    """End some of a user's sessions: each is refused on its next request. Only the user may end their own
    sessions (`actor=None` is the system, for the lifetime limit and signing out). Returns how many ended."""
    if actor is not None and actor.pk != user.pk:
        raise NotAllowed("Only the person signed in may end their sessions.")
    ids = [session.pk for session in sessions if session.user_id == user.pk]
    ended = UserSession.objects.filter(pk__in=ids, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )
    if ended and reason in AUDITED_SESSION_END_REASONS:
        log(
            instance=user,
            action="capability.accounts.sessions_end",
            user=actor,
            data={"sessions": ended, "reason": reason.value},
        )
        security_log.info("sessions_ended user_id=%s count=%s reason=%s", user.pk, ended, reason.value)
    return ended


def user_sessions_end_all(
    *, user: User, reason: SessionEndReason, actor: User | None, keep: UserSession | None = None
) -> int:
    """End every session of a user but `keep` (the one making the change, if it should stay signed in).
    Call it whenever credentials change (password, e-mail address), so no other device stays signed in."""
    sessions = UserSession.objects.filter(user=user, ended_at__isnull=True)
    if keep is not None:
        sessions = sessions.exclude(pk=keep.pk)
    return user_sessions_end(user=user, sessions=list(sessions), reason=reason, actor=actor)


# --- Single sign-on: identity links (decision 0215) ---------------------------------------------------------------


def _known_to_hr_feed(user: User) -> bool:
    return PersonIdentity.objects.filter(person__user=user, issuer=HR_FEED_ISSUER).exists()


def _account_for_claims(*, claims: dict) -> User:
    """The account a first sign-in of this identity is for: the person the HR feed knows by the staff number the
    provider asserts (OIDC_STAFF_NUMBER_CLAIM), else the account whose address the provider has verified. An
    unverified address is never matched; nor is an account the HR feed does not know, unless it is privileged (a
    superuser or an administrator outside the feed), whose link then waits for confirmation."""
    staff_number_claim = settings.OIDC_STAFF_NUMBER_CLAIM
    if staff_number_claim and claims.get(staff_number_claim):
        person = (
            Person.objects.select_related("user")
            .filter(identities__issuer=HR_FEED_ISSUER, identities__subject=str(claims[staff_number_claim]))
            .first()
        )
        if person is not None:
            return person.user
    email = claims.get("email")
    if not email:
        raise SingleSignOnRefused(SingleSignOnRefusal.UNKNOWN_PERSON)
    if not email_verified(claims):
        raise SingleSignOnRefused(SingleSignOnRefusal.UNVERIFIED_EMAIL)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise SingleSignOnRefused(SingleSignOnRefusal.UNKNOWN_PERSON)
    if not _known_to_hr_feed(user) and not privileged_user_ids(user_ids=[user.pk]):
        raise SingleSignOnRefused(SingleSignOnRefusal.UNKNOWN_PERSON)
    return user


@transaction.atomic
def identity_sign_in(*, issuer: str, claims: dict) -> IdentityLink:
    """Decide which account an identity provider's checked ID token signs in to, linking it on first use.

    Returns the link: confirmed, it signs its account in; unconfirmed, it waits for the account's own password (or
    a superuser). A link is made confirmed only to an account of a person the HR feed knows that is not privileged;
    to a privileged account (staff, superuser, any role but Learner and Line manager) it is made unconfirmed. Nobody
    gets a new account. Raises SingleSignOnRefused when nobody may be signed in. Called by the sign-in callback
    only, after Authlib has checked the token, so it has no actor: the system acts."""
    subject = str(claims["sub"])
    link = (
        IdentityLink.objects.select_related("user").select_for_update().filter(issuer=issuer, subject=subject).first()
    )
    if link is None:
        user = _account_for_claims(claims=claims)
        if IdentityLink.objects.filter(user=user, issuer=issuer).exists():
            security_log.warning("single_sign_on_refused reason=linked_elsewhere user_id=%s", user.pk)
            raise SingleSignOnRefused(SingleSignOnRefusal.LINKED_TO_ANOTHER_IDENTITY)
        privileged = bool(privileged_user_ids(user_ids=[user.pk]))
        now = timezone.now()
        link = IdentityLink.objects.create(
            issuer=issuer,
            subject=subject,
            user=user,
            confirmed_at=None if privileged else now,
            confirmation="" if privileged else IdentityLinkConfirmation.HR_FEED,
        )
        log(
            instance=user,
            action="capability.accounts.identity_link_create",
            user=None,
            data={"issuer": issuer, "subject": subject, "confirmed": not privileged},
        )
        security_log.info("identity_link_created user_id=%s confirmed=%s", user.pk, not privileged)
    if not link.user.is_active:
        raise SingleSignOnRefused(SingleSignOnRefusal.ACCOUNT_SWITCHED_OFF)
    if link.confirmed:
        IdentityLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link


@transaction.atomic
def identity_link_confirm(*, link: IdentityLink, confirmation: IdentityLinkConfirmation, actor: User) -> None:
    """Confirm a link waiting for confirmation, so that it signs its account in from now on.

    OWN_PASSWORD: `actor` is the account itself, having just typed its password (the caller checks it).
    SUPERUSER: `actor` is another, active superuser, and only for an account the HR feed does not know (an
    administrator outside the feed) or, while local sign-in is off, for any account (it has no password to confirm
    with); a person in the feed confirms their own. NotAllowed otherwise, nothing written.
    """
    if confirmation == IdentityLinkConfirmation.OWN_PASSWORD:
        if actor.pk != link.user_id:
            raise NotAllowed("Only the account's holder confirms a link with their password.")
    elif confirmation == IdentityLinkConfirmation.SUPERUSER:
        if not (actor.is_active and actor.is_superuser) or actor.pk == link.user_id:
            raise NotAllowed("Only another superuser may confirm this link.")
        if settings.LOCAL_SIGN_IN_ENABLED and _known_to_hr_feed(link.user):
            raise NotAllowed("This person is in the HR feed: they confirm the link by signing in with their password.")
    else:
        raise NotAllowed("A link is confirmed by the account's password or by a superuser.")
    updated = IdentityLink.objects.filter(pk=link.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), confirmation=confirmation, confirmed_by=actor
    )
    if not updated:
        return
    link.refresh_from_db()
    log(
        instance=link.user,
        action="capability.accounts.identity_link_confirm",
        user=actor,
        data={"issuer": link.issuer, "subject": link.subject, "confirmation": confirmation.value},
    )
    security_log.info("identity_link_confirmed user_id=%s by=%s how=%s", link.user_id, actor.pk, confirmation.value)


@transaction.atomic
def user_roles_sync_from_provider(*, user: User, groups: Iterable[str]) -> None:
    """Give an account the roles its provider groups map to (OIDC_GROUP_ROLES), and take away the mapped roles of
    groups it is no longer in. Roles no group maps (a line manager's, set by the HR feed) are never touched, and no
    group makes a superuser. Nothing when the mapping is empty (the default). The system acts, at sign-in."""
    mapping = settings.OIDC_GROUP_ROLES
    if not mapping:
        return
    try:
        mapped = {group: Role(role) for group, role in mapping.items()}
    except ValueError as exc:
        raise ImproperlyConfigured(f"OIDC_GROUP_ROLES names a role that does not exist: {exc}") from exc
    wanted = {role for group, role in mapped.items() if group in set(groups)}
    current = {Role(name) for name in user.groups.values_list("name", flat=True)}
    roles = (current - set(mapped.values())) | wanted
    if roles != current:
        user_roles_set(user=user, roles=sorted(roles), actor=None)


# --- A second factor (decision 0216) -------------------------------------------------------------------------------
AUTHENTICATOR_APP_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def _own_second_factor_only(user: User, actor: User | None) -> None:
    if actor is not None and actor.pk != user.pk:
        raise NotAllowed("Only the person themselves can set up or use their second factor.")


@transaction.atomic
def second_factor_set_up_start(*, user: User, actor: User | None) -> TOTPDevice:
    """Begin setting up an authenticator app: a new secret, kept unconfirmed until a code from the app proves that
    the person has it (`second_factor_set_up_confirm`). Asking again shows the same secret until it is confirmed,
    so a reload does not invalidate a QR code already scanned. An app already set up keeps working meanwhile."""
    _own_second_factor_only(user, actor)
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP_NAME, confirmed=False)
    return pending


@transaction.atomic
def second_factor_set_up_confirm(*, user: User, token: str, actor: User | None) -> tuple[SecondFactorCheck, list[str]]:
    """Confirm the app being set up with a code from it. Accepted, the app replaces any earlier one, the earlier
    recovery codes go, and new recovery codes are made and returned (in plain text this once: they are shown to the
    person to keep). A wrong code changes nothing but django-otp's throttle on the pending secret."""
    _own_second_factor_only(user, actor)
    pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if pending is None:
        return SecondFactorCheck.WRONG, []
    check = _device_check(pending, token)
    if check != SecondFactorCheck.ACCEPTED:
        security_log.info("second_factor_set_up_refused user_id=%s outcome=%s", user.pk, check.value)
        return check, []
    TOTPDevice.objects.filter(user=user).exclude(pk=pending.pk).delete()
    pending.confirmed = True
    pending.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    log(instance=user, action="capability.accounts.second_factor_set_up", user=actor)
    security_log.info("second_factor_set_up user_id=%s", user.pk)
    return SecondFactorCheck.ACCEPTED, codes


def _recovery_codes_replace(user: User) -> list[str]:
    """New recovery codes for the account, the old ones gone; returned in plain text, to be shown this once."""
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.CAPABILITY_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    return codes


def _normalise_code(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def _device_check(device, token: str) -> SecondFactorCheck:
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return SecondFactorCheck.THROTTLED
    # verify_token counts a failure towards the throttle itself, and spends a recovery code that matches.
    return SecondFactorCheck.ACCEPTED if device.verify_token(_normalise_code(token)) else SecondFactorCheck.WRONG


@transaction.atomic
def second_factor_verify(*, user: User, token: str, recovery: bool = False, actor: User | None) -> SecondFactorCheck:
    """Check a code typed at sign-in: from the authenticator app, or (`recovery=True`) one of the recovery codes,
    which is spent by being accepted. A wrong code only adds to the device's throttle: after each successive
    failure django-otp refuses every code, the right one included, for twice as long (1, 2, 4 … seconds)."""
    _own_second_factor_only(user, actor)
    model = StaticDevice if recovery else TOTPDevice
    # Locked, so that two requests cannot both spend the same recovery code or the same time step.
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return SecondFactorCheck.WRONG
    check = _device_check(device, token)
    if check == SecondFactorCheck.ACCEPTED and recovery:
        log(
            instance=user,
            action="capability.accounts.second_factor_recovery_code_used",
            user=actor,
            data={"recovery_codes_left": device.token_set.count()},
        )
    security_log.info(
        "second_factor_check user_id=%s kind=%s outcome=%s", user.pk, "recovery" if recovery else "app", check.value
    )
    return check


@transaction.atomic
def second_factor_reset(*, user: User, actor: User | None) -> int:
    """Remove an account's second factor (its authenticator app, passkeys and recovery codes) after the person has
    lost it, and end their sessions: they sign in again with their password and, if it is required of them, set up a
    new one. Returns how many devices went.

    Who: the system (`actor=None`), or a user administrator (permission to change users: a superuser) for someone
    else; a superuser's only by another superuser. Nobody resets their own, which would let a stolen session drop
    the factor. Audited, with the actor."""
    actor_check(
        actor, "accounts.change_user", refusal="You may not reset people's second factor: ask an administrator."
    )
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed("Nobody can reset their own second factor: ask another administrator.")
    if actor is not None and user.is_superuser and not actor.is_superuser:
        raise NotAllowed("Only a superuser can reset a superuser's second factor.")
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    removed += WebAuthnCredential.objects.filter(user=user).delete()[1].get(WebAuthnCredential._meta.label, 0)
    WebAuthnUserHandle.objects.filter(user=user).delete()
    user_sessions_end_all(user=user, reason=SessionEndReason.CREDENTIALS_CHANGED, actor=None)
    log(instance=user, action="capability.accounts.second_factor_reset", user=actor, data={"devices": removed})
    security_log.info("second_factor_reset user_id=%s actor_id=%s", user.pk, getattr(actor, "pk", None))
    return removed


# --- Passkeys (django-otp-webauthn's credentials; decision 0216) ---------------------------------------------------
# The library's views run the WebAuthn ceremonies and write the credential; these services do the rest.
PASSKEY_NAME = "Passkey"


@transaction.atomic
def passkey_add(*, user: User, passkey: WebAuthnCredential, actor: User | None) -> list[str]:
    """Record a passkey the library has just registered for the account, named PASSKEY_NAME until the person names
    it. An account without recovery codes (its first factor is this passkey) gets them now, returned in plain text
    to be shown once, as an authenticator app's set-up gives them; otherwise returns no codes."""
    _own_second_factor_only(user, actor)
    if passkey.user_id != user.pk:
        raise NotAllowed("A passkey can be added only to its own account.")
    passkey.name = PASSKEY_NAME
    passkey.save(update_fields=["name"])
    codes = [] if StaticDevice.objects.filter(user=user, confirmed=True).exists() else _recovery_codes_replace(user)
    log(instance=user, action="capability.accounts.passkey_add", user=actor, data={"passkey": passkey.pk})
    security_log.info("passkey_add user_id=%s passkey_id=%s", user.pk, passkey.pk)
    return codes


@transaction.atomic
def passkey_rename(*, user: User, passkey: WebAuthnCredential, name: str, actor: User | None) -> None:
    """Give one of the account's passkeys the name the person knows it by (the device or password manager)."""
    _own_second_factor_only(user, actor)
    if passkey.user_id != user.pk:
        raise NotAllowed("Only the passkey's own account can rename it.")
    passkey.name = name
    passkey.save(update_fields=["name"])
    log(instance=user, action="capability.accounts.passkey_rename", user=actor, data={"passkey": passkey.pk})


@transaction.atomic
def passkey_remove(*, user: User, passkey: WebAuthnCredential, actor: User | None) -> None:
    """Remove one of the account's passkeys. Refused (NotAllowed) if it is the last factor of an account that must
    have one: the person sets up an app or another passkey first. Removing the last factor of an account that need
    not have one also removes its recovery codes, so the account has no second factor left."""
    _own_second_factor_only(user, actor)
    if passkey.user_id != user.pk:
        raise NotAllowed("Only the passkey's own account can remove it.")
    # Locked, so that two removals at once cannot each leave the other as the last factor and both go.
    User.objects.select_for_update().filter(pk=user.pk).first()
    others = (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=passkey.pk).exists()
    )
    if not others:
        if second_factor_required(user=user):
            raise NotAllowed(
                "This is your only second factor, and your account must have one. Set up an authenticator app or "
                "add another passkey first, then remove this one."
            )
        StaticDevice.objects.filter(user=user).delete()
    removed = passkey.pk
    passkey.delete()
    log(instance=user, action="capability.accounts.passkey_remove", user=actor, data={"passkey": removed})
    security_log.info("passkey_remove user_id=%s passkey_id=%s", user.pk, removed)


def passkey_used(*, user: User, passkey: WebAuthnCredential, actor: User | None) -> None:
    """Record that the person passed their second factor with a passkey (the library has checked it and noted when
    it was last used)."""
    _own_second_factor_only(user, actor)
    if passkey.user_id != user.pk:
        raise NotAllowed("A passkey signs in only its own account.")
    log(instance=user, action="capability.accounts.passkey_use", user=actor, data={"passkey": passkey.pk})
    security_log.info("second_factor_check user_id=%s kind=passkey outcome=accepted", user.pk)
