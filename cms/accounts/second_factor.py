"""Where a signed-in session stands with its second factor (decision 0216), kept in the session so that checking
it on every request costs no query.

At sign-in (`second_factor_session_start`, on Django's `user_logged_in`) the session records what it owes: a code
(from the app, or the passkey), if the account has an authenticator app or a passkey; setting one up, if one is
required of the account and it has none; or nothing. Passing a factor replaces that with how it was passed (a
`SecondFactorMethod`). `cms.accounts.middleware.SecondFactorMiddleware` keeps a session that owes something on
the second factor's pages.

Single sign-on: an identity provider whose ID token asserts a second factor in its `amr` claim (for example "mfa",
"otp", "hwk", "swk" or "fpt") satisfies it. Its sign-in code calls, after `django.contrib.auth.login`:

    second_factor_mark_passed(request, method=SecondFactorMethod.IDENTITY_PROVIDER)

and nothing else. A token without such an `amr` leaves the session owing what the account owes.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from cms.accounts.enums import SecondFactorMethod, SecondFactorOwed
from cms.accounts.selectors import second_factor_any, second_factor_required

# The session key: a SecondFactorOwed value while the session owes something, a SecondFactorMethod value once
# passed.
SECOND_FACTOR_SESSION_KEY = "capability_second_factor"


def second_factor_owed_by(*, user: AbstractBaseUser) -> SecondFactorOwed:
    """What a new session of this account owes (one to three queries)."""
    if second_factor_any(user=user):
        return SecondFactorOwed.CODE
    if second_factor_required(user=user):
        return SecondFactorOwed.SET_UP
    return SecondFactorOwed.NOTHING


def second_factor_session_start(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Record what a session that has just signed in owes."""
    request.session[SECOND_FACTOR_SESSION_KEY] = second_factor_owed_by(user=user).value


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether the current session has passed a second factor (an app code, a passkey, a recovery code, or an
    identity provider's assertion)."""
    return request.session.get(SECOND_FACTOR_SESSION_KEY) in SecondFactorMethod.values


def second_factor_owed(request: HttpRequest) -> SecondFactorOwed | None:
    """What the current signed-in session must still do before it may go anywhere else: CODE, SET_UP, or None.
    A session signed in before sessions recorded it (none recorded) is worked out now, once."""
    value = request.session.get(SECOND_FACTOR_SESSION_KEY)
    if value is None:
        second_factor_session_start(request, request.user)
        value = request.session[SECOND_FACTOR_SESSION_KEY]
    if value in (SecondFactorOwed.CODE, SecondFactorOwed.SET_UP):
        return SecondFactorOwed(value)
    return None


def second_factor_mark_passed(request: HttpRequest, *, method: SecondFactorMethod) -> None:
    """Record that the session has passed a second factor, and give it a new key: the session has more power now
    than the one whose key might have been seen before."""
    request.session[SECOND_FACTOR_SESSION_KEY] = SecondFactorMethod(method).value
    request.session.cycle_key()
