from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as CACHED_SESSION_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db.models.signals import post_delete
from django.dispatch import receiver

from cms.accounts.enums import SessionEndReason
from cms.accounts.middleware import SESSION_ROW, session_stamp
from cms.accounts.models import UserSession
from cms.accounts.second_factor import second_factor_session_start
from cms.accounts.services import user_session_start, user_sessions_end, user_sessions_end_all
from skills.signals import account_email_changed


@receiver(user_logged_in, dispatch_uid="capability_session_signed_in")
def record_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    user_session = user_session_start(
        user=user, session_key=request.session.session_key, user_agent=request.META.get("HTTP_USER_AGENT")
    )
    session_stamp(request, user_session)
    second_factor_session_start(request, user)


@receiver(user_logged_out, dispatch_uid="capability_session_signed_out")
def record_sign_out(sender, request, user, **kwargs):
    if user is None or request is None or not hasattr(request, "session"):
        return
    row = UserSession.objects.filter(pk=request.session.get(SESSION_ROW), user=user).first()
    if row is not None:
        user_sessions_end(user=user, sessions=[row], reason=SessionEndReason.SIGNED_OUT, actor=None)


@receiver(account_email_changed, dispatch_uid="capability_sessions_end_on_email_change")
def end_session_records_on_email_change(sender, user, **kwargs):
    """The skills app ended the account's sessions when its address changed; close their records too, so the
    list of where the person is signed in tells the truth."""
    user_sessions_end_all(user=user, reason=SessionEndReason.CREDENTIALS_CHANGED, actor=None)


@receiver(post_delete, sender=Session, dispatch_uid="capability_cached_session_deleted")
def forget_cached_session(sender, instance, **kwargs):
    """A session deleted from the database by other code (a queryset delete: ending an account's sessions when its
    address changes, `clearsessions`) must not live on in the cache that the cached_db engine reads first
    (decision 0021)."""
    caches[settings.SESSION_CACHE_ALIAS].delete(CACHED_SESSION_PREFIX + instance.session_key)
