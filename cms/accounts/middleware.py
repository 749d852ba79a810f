import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from cms.accounts.backends import SESSION_ROW_ASKED, SESSION_ROW_READ
from cms.accounts.enums import SecondFactorOwed, SessionEndReason
from cms.accounts.models import UserSession
from cms.accounts.second_factor import second_factor_owed
from cms.accounts.services import user_session_seen, user_session_start, user_sessions_end
from frameworks.prepared import PreparedRead

security_log = logging.getLogger("cms.security")

# The session's record, read on every signed-in request: compiled once per process (decision 0025).
_SESSION_ROW = PreparedRead(lambda *, row_id, user_id: UserSession.objects.filter(pk=row_id, user_id=user_id)[:1])

# Keys in the (server-side) session data: the UserSession row this session is, and when it signed in.
SESSION_ROW = "capability_session_row"
SIGNED_IN_AT = "capability_signed_in_at"
# When the session's idle expiry was last pushed forward (the session last saved), in seconds since the epoch.
IDLE_EXTENDED_AT = "capability_idle_extended_at"


def session_stamp(request, user_session: UserSession) -> None:
    request.session[SESSION_ROW] = user_session.pk
    request.session[SIGNED_IN_AT] = user_session.signed_in_at.timestamp()
    # Signing in saves the session: its idle expiry starts now.
    request.session[IDLE_EXTENDED_AT] = time.time()


class AccountAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, whose read of the request's account also reads the record of its session
    (UserSession), which SignedInSessionMiddleware checks on every signed-in request: one statement instead of two
    (decision 0223). Everything else is Django's: the session's backend reads the account
    (cms.accounts.backends), and `auth.get_user` checks the session's hash of the password as always."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _account(request))


def _account(request):
    if not hasattr(request, "_cached_user"):
        row_id = request.session.get(SESSION_ROW)
        asked = SESSION_ROW_ASKED.set(row_id if type(row_id) is int else None)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            SESSION_ROW_ASKED.reset(asked)
    return request._cached_user


_UNREAD = object()


class SessionIdleTimeoutMiddleware:
    """Pushes a session's idle expiry forward, saving the session only when the expiry would move by more than
    SESSION_IDLE_RESOLUTION (a minute) rather than on every request (decision 0021).

    Django's expiry of a session is SESSION_COOKIE_AGE (the idle timeout) after it was last saved. Instead of
    saving on every request (SESSION_SAVE_EVERY_REQUEST, a database write per request), a request marks the
    session modified when it was last saved more than SESSION_IDLE_RESOLUTION ago, or is being saved anyway; so a
    session ends between SESSION_COOKIE_AGE - SESSION_IDLE_RESOLUTION and SESSION_COOKIE_AGE after its last
    request, never later. An empty session (a visitor who has none, or one just signed out) is left alone. Must
    come right after SessionMiddleware, so that it runs before the session is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            extended_at = session.get(IDLE_EXTENDED_AT)  # loads the session if nothing else has
            now = time.time()
            stale = extended_at is None or now - extended_at >= settings.SESSION_IDLE_RESOLUTION.total_seconds()
            # Asked again: loading a cookie whose session is gone leaves it empty, and it must stay unsaved.
            if not session.is_empty() and (session.modified or stale):
                session[IDLE_EXTENDED_AT] = now
        return response


class SignedInSessionMiddleware:
    """Enforces the absolute session lifetime and sessions ended from another device; keeps last-seen.

    Django's own expiry is the idle timeout, pushed forward by requests (SESSION_COOKIE_AGE, extended at most once
    a minute by SessionIdleTimeoutMiddleware). On top of that a session ends SESSION_ABSOLUTE_LIFETIME after sign-in,
    however busy, and a session the person ended on the sessions page ends on its next request. Must come
    after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        user = request.user
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is not None and time.time() - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds():
            row = UserSession.objects.filter(pk=session.get(SESSION_ROW), user=user).first()
            if row is not None:
                user_sessions_end(user=user, sessions=[row], reason=SessionEndReason.LIFETIME_REACHED, actor=None)
            security_log.info("session_lifetime_reached user_id=%s", user.pk)
            logout(request)
            return
        row_id = session.get(SESSION_ROW)
        if row_id is None:
            # Signed in before sessions were recorded: record it from now on.
            session_stamp(
                request,
                user_session_start(
                    user=user, session_key=session.session_key, user_agent=request.META.get("HTTP_USER_AGENT")
                ),
            )
            return
        row = getattr(user, SESSION_ROW_READ, _UNREAD)  # read with the account (AccountAuthenticationMiddleware)
        if row is _UNREAD or (row is not None and row.pk != row_id):
            row = _SESSION_ROW.first(row_id=row_id, user_id=user.pk) if type(row_id) is int else None
        if row is None or row.ended_at is not None:
            security_log.info("ended_session_refused user_id=%s", user.pk)
            logout(request)
            return
        user_session_seen(user_session=row, session_key=session.session_key)


class SecondFactorMiddleware:
    """Keeps a signed-in session that owes a second factor (a code, or setting one up: cms.accounts.second_factor)
    on the second factor's own pages and signing out; every other request is sent to the page it owes, coming back
    afterwards to a page it asked for with GET. Reads only the session: no query once sign-in has recorded what the
    session owes. Must come after SignedInSessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            owed = second_factor_owed(request)
            if owed is not None and not self._allowed(request.path_info):
                return self._redirect(request, owed)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        return path.startswith(reverse("accounts:second-factor")) or path in (
            reverse("accounts:sign-out"),
            reverse("accounts:signed-out"),
        )

    @staticmethod
    def _redirect(request, owed: SecondFactorOwed):
        target = reverse("accounts:second-factor" if owed == SecondFactorOwed.CODE else "accounts:second-factor-set-up")
        if request.method == "GET" and url_has_allowed_host_and_scheme(
            request.get_full_path(), allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(target)
