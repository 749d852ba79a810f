"""Changes to the user account behind a person that the HR feed asks for: its e-mail address.

The feed is not trusted with accounts (docs/decisions/0201-hr-feed-accounts.md): it never re-addresses a
privileged account, it re-addresses at once only an account that has never signed in, and any other change
waits for the holder of the old address to confirm it through a link e-mailed to them. Every applied change
ends the account's sessions, invalidates its outstanding password-reset links (Django's reset token hashes the
e-mail address), tells the old address and is audited with both addresses.
"""

from datetime import timedelta

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from wagtail.log_actions import log

from skills.models import AccountEmailChange
from skills.selectors import privileged_user_ids
from skills.services.errors import NotAllowed, SkillsError
from skills.services.notifications import notify_account
from skills.signals import account_email_changed

# How long the holder of the old address has to confirm a change.
CONFIRMATION_DAYS = 7
_LINK_SALT = "skills.account-email-change"


class EmailChangeLinkInvalid(SkillsError):
    """The confirmation link is wrong, used, expired or replaced by a newer change."""


def email_change_token(change: AccountEmailChange) -> str:
    """The secret part of the confirmation link: an HMAC of the change under SECRET_KEY, so that the sending
    task can rebuild the link from the change's id and no secret travels through the task queue."""
    value = f"{change.pk}:{change.user_id}:{change.old_email}:{change.new_email}:{change.created_at.isoformat()}"
    return salted_hmac(_LINK_SALT, value, algorithm="sha256").hexdigest()


def email_change_expires_at(change: AccountEmailChange):
    return change.created_at + timedelta(days=CONFIRMATION_DAYS)


def user_sessions_end(*, user_ids: set[int]) -> int:
    """Delete every live database session of these accounts; returns how many. Sessions are stored signed and
    encoded, so the live ones (a 30-minute idle expiry keeps them few) are read once for all the accounts."""
    if not user_ids:
        return 0
    wanted = {str(user_id) for user_id in user_ids}
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if str(session.get_decoded().get(SESSION_KEY)) in wanted
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def account_email_change_request(*, user, new_email: str, actor) -> AccountEmailChange | None:
    """The HR feed says the account's address is now `new_email`. Returns the change made or waiting, or None
    when the address is already the account's (a change still waiting is then superseded).

    Refuses (NotAllowed) a privileged account, and (SkillsError) an address that another account holds.
    Applies the change at once for an account that has never signed in; otherwise records it as PENDING
    (replacing any other pending change) and e-mails the old address a confirmation link. Asking again for the
    address already pending changes nothing. `actor` is who uploaded the feed (None for the system)."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    new_email = User.objects.normalize_email(new_email).lower()
    pending = AccountEmailChange.objects.filter(user=user, status=AccountEmailChange.Status.PENDING).first()
    if new_email == user.email.lower():
        if pending is not None:
            _close(pending, AccountEmailChange.Status.SUPERSEDED, actor=actor)
        return None
    if user.pk in privileged_user_ids(user_ids=[user.pk]):
        raise NotAllowed(f"{user.email} is a privileged account: the HR feed cannot change its e-mail address.")
    if pending is not None and pending.new_email == new_email:
        return pending
    if User.objects.annotate(key=Lower("email")).filter(key=new_email).exclude(pk=user.pk).exists():
        raise SkillsError(f"{new_email} is the e-mail address of another account.")
    if pending is not None:
        _close(pending, AccountEmailChange.Status.SUPERSEDED, actor=actor)
    change = AccountEmailChange.objects.create(user=user, old_email=user.email, new_email=new_email, requested_by=actor)
    if user.last_login is None:
        _apply(change, user=user, actor=actor)
        return change
    log(
        instance=user,
        action="capability.skills.email_change_requested",
        user=actor,
        data={"account": user.pk, "old": change.old_email, "new": change.new_email, "change": change.pk},
    )
    notify_account(
        "email_change_confirm", user=user, to_address=change.old_email, event=f"change:{change.pk}", change_id=change.pk
    )
    return change


def email_change_for_link(*, change_id: int, token: str) -> AccountEmailChange:
    """The pending change a confirmation link names, or EmailChangeLinkInvalid (the same for a change that
    does not exist, a wrong token, a change no longer pending and an expired link, so that the page tells a
    guesser nothing)."""
    change = AccountEmailChange.objects.select_related("user").filter(pk=change_id).first()
    if (
        change is None
        or not constant_time_compare(email_change_token(change), token)
        or change.status != AccountEmailChange.Status.PENDING
        or timezone.now() > email_change_expires_at(change)
    ):
        raise EmailChangeLinkInvalid(
            "This link is not valid: it may have expired, been used already, or been replaced by a newer change."
        )
    return change


@transaction.atomic
def account_email_change_confirm(*, change_id: int, token: str) -> AccountEmailChange:
    """The holder of the old address confirms a pending change (the token proves they read the link sent to
    it). Returns the change, APPLIED, or REFUSED (the address stays) if the new address has meanwhile been
    taken or the account has become privileged."""
    AccountEmailChange.objects.select_for_update().filter(pk=change_id).first()
    change = email_change_for_link(change_id=change_id, token=token)
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=change.user_id)
    taken = User.objects.annotate(key=Lower("email")).filter(key=change.new_email).exclude(pk=user.pk).exists()
    if taken or user.pk in privileged_user_ids(user_ids=[user.pk]):
        _close(change, AccountEmailChange.Status.REFUSED, actor=None)
        return change
    _apply(change, user=user, actor=None)
    return change


@transaction.atomic
def account_email_change_cancel(*, change_id: int, token: str) -> AccountEmailChange:
    """The holder of the old address refuses a pending change: the address stays as it is."""
    AccountEmailChange.objects.select_for_update().filter(pk=change_id).first()
    change = email_change_for_link(change_id=change_id, token=token)
    _close(change, AccountEmailChange.Status.CANCELLED, actor=None)
    return change


def _close(change: AccountEmailChange, status: str, *, actor) -> None:
    change.status, change.resolved_at = status, timezone.now()
    change.save(update_fields=["status", "resolved_at"])
    log(
        instance=change.user,
        action="capability.skills.email_change_closed",
        user=actor,
        data={
            "account": change.user_id,
            "old": change.old_email,
            "new": change.new_email,
            "change": change.pk,
            "status": status,
        },
    )


def _apply(change: AccountEmailChange, *, user, actor) -> None:
    user.email = change.new_email
    user.save(update_fields=["email"])
    change.status, change.resolved_at = AccountEmailChange.Status.APPLIED, timezone.now()
    change.save(update_fields=["status", "resolved_at"])
    # An account that has never signed in has no session to end (signing in sets last_login), which spares
    # a feed that re-addresses many new accounts a read of every live session each.
    sessions = user_sessions_end(user_ids={user.pk}) if user.last_login is not None else 0
    log(
        instance=user,
        action="capability.skills.email_change",
        user=actor,
        data={
            "account": user.pk,
            "old": change.old_email,
            "new": change.new_email,
            "change": change.pk,
            "sessions_ended": sessions,
        },
    )
    notify_account(
        "email_changed", user=user, to_address=change.old_email, event=f"change:{change.pk}", change_id=change.pk
    )
    transaction.on_commit(lambda: account_email_changed.send(sender=AccountEmailChange, user=user))


@transaction.atomic
def account_email_change_record(*, user, old_email: str, actor) -> AccountEmailChange | None:
    """An administrator changed the account's address in the admin (already saved): record it as an applied
    change, and do what every change of address does — end the account's sessions, tell the old address, audit
    both addresses (reset links already fail: Django's reset token covers the address). `actor` must be a
    superuser, or someone allowed to change users. Returns None when the address did not change."""
    if actor is None or not (actor.is_superuser or actor.has_perm("accounts.change_user")):
        raise NotAllowed("Only an administrator can change someone's e-mail address.")
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.email.lower() == old_email.lower():
        return None
    AccountEmailChange.objects.filter(user=user, status=AccountEmailChange.Status.PENDING).update(
        status=AccountEmailChange.Status.SUPERSEDED, resolved_at=timezone.now()
    )
    change = AccountEmailChange.objects.create(user=user, old_email=old_email, new_email=user.email, requested_by=actor)
    user.email = old_email  # _apply sets it back from the change, the one place that re-addresses an account
    _apply(change, user=user, actor=actor)
    return change
