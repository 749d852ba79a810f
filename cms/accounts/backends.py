from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cms.accounts.models import UserSession
from frameworks.prepared import PreparedRead

# The signed-in account, read on every signed-in request: compiled once per process (decision 0025).
_USER_BY_ID = PreparedRead(lambda *, user_id: get_user_model()._default_manager.filter(pk=user_id))
# The account with the record of the session it is read for, in one statement (decision 0223).
_SESSION_ROW_WITH_USER = PreparedRead(
    lambda *, row_id, user_id: UserSession.objects.select_related("user").filter(pk=row_id, user_id=user_id)[:1]
)

# The id of the session record (UserSession) the request's session names, while Django reads the request's account
# (set by cms.accounts.middleware.AccountAuthenticationMiddleware); None elsewhere.
SESSION_ROW_ASKED: ContextVar[int | None] = ContextVar("capability_session_row_asked", default=None)
# The attribute of an account read for a request that holds the session record read with it: the UserSession, or
# None when the session names a record this account does not have. Absent when no record was asked for.
SESSION_ROW_READ = "capability_session_row_read"


def local_sign_in_allowed(user) -> bool:
    """Whether this account may sign in with its password: everyone while LOCAL_SIGN_IN_ENABLED is on; when it is
    off, only the active superuser whose address is BREAK_GLASS_SUPERUSER_EMAIL (decision 0215)."""
    if settings.LOCAL_SIGN_IN_ENABLED:
        return True
    return bool(
        settings.BREAK_GLASS_SUPERUSER_EMAIL
        and user.is_superuser
        and user.email.lower() == settings.BREAK_GLASS_SUPERUSER_EMAIL
    )


class _AccountBackend(ModelBackend):
    """ModelBackend whose reload of the session's account (every signed-in request) is a prepared read."""

    def get_user(self, user_id):
        if type(user_id) is not int:
            return super().get_user(user_id)
        row_id = SESSION_ROW_ASKED.get()
        row = _SESSION_ROW_WITH_USER.first(row_id=row_id, user_id=user_id) if row_id is not None else None
        user = row.user if row is not None else _USER_BY_ID.first(user_id=user_id)
        if user is not None and row_id is not None:
            setattr(user, SESSION_ROW_READ, row)
        return user if user is not None and self.user_can_authenticate(user) else None


class LocalPasswordBackend(_AccountBackend):
    """Django's e-mail-and-password backend, which refuses every password but the break-glass superuser's while
    local sign-in is switched off. Refused here, in the one place every password check passes through (the sign-in
    form, the Wagtail admin, anything calling `authenticate`), and refused like a wrong password, so that the
    answer tells nobody which accounts exist."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and local_sign_in_allowed(user)


class SingleSignOnBackend(_AccountBackend):
    """The backend a session signed in through the identity provider names, so that Django reloads its user
    without the local-password rule. It authenticates nothing itself: the single sign-on callback signs the person
    in with `login(..., backend=SINGLE_SIGN_ON_BACKEND)` once the ID token and the identity link are checked."""

    def authenticate(self, request, **credentials):
        return None


SINGLE_SIGN_ON_BACKEND = "cms.accounts.backends.SingleSignOnBackend"
