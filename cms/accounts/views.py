from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from cms.accounts.client_address import client_ip_address
from cms.accounts.enums import SessionEndReason
from cms.accounts.forms import ChangePasswordForm, NewPasswordForm, PasswordResetRequestForm, SignInForm
from cms.accounts.middleware import SESSION_ROW
from cms.accounts.models import UserSession
from cms.accounts.rate_limits import password_reset_request_allowed
from cms.accounts.selectors import user_roles, user_sessions_active
from cms.accounts.services import user_sessions_end, user_sessions_end_all
from cms.accounts.single_sign_on import single_sign_on_enabled
from skills.selectors import RECENT_NOTIFICATIONS, notifications_recent


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    # The break-glass page (/accounts/sign-in/break-glass/) shows the password form while local sign-in is off;
    # who may use it is LocalPasswordBackend's rule, not this page's (decision 0215).
    break_glass = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            single_sign_on=single_sign_on_enabled(),
            provider_name=settings.OIDC_PROVIDER_NAME,
            password_form_shown=settings.LOCAL_SIGN_IN_ENABLED or self.break_glass,
        )

    def dispatch(self, request, *args, **kwargs):
        # Wagtail sends a signed-in person without admin access back here; redirecting them on to the
        # admin again would loop, so tell them plainly instead.
        if (
            request.user.is_authenticated
            and not request.user.has_perm("wagtailadmin.access_admin")
            and self.get_redirect_url().startswith(reverse("wagtailadmin_home"))
        ):
            raise PermissionDenied("Your account does not have access to the admin.")
        return super().dispatch(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (a link could be followed by a prefetcher or a hostile page)."""


class SignedOutView(TemplateView):
    template_name = "accounts/signed_out.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form):
        # Over the limit, the person sees the same page as ever and no e-mail is sent, whether or not
        # the account exists.
        if not password_reset_request_allowed(
            address=client_ip_address(self.request), email=form.cleaned_data["email"]
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Django already refuses the old sessions (their password hash no longer matches); this keeps the
        # list of sessions true.
        user_sessions_end_all(user=form.user, reason=SessionEndReason.CREDENTIALS_CHANGED, actor=None)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        current = UserSession.objects.filter(pk=self.request.session.get(SESSION_ROW), user=form.user).first()
        ended = user_sessions_end_all(
            user=form.user, reason=SessionEndReason.CREDENTIALS_CHANGED, actor=form.user, keep=current
        )
        message = "Your password has been changed."
        if ended:
            message += f" You have been signed out of {ended} other device{'s' if ended != 1 else ''}."
        messages.success(self.request, message)
        return response


@login_required
def account(request):
    return render(request, "accounts/account.html", {"roles": user_roles(user=request.user)})


@login_required
def notifications(request):
    """The messages the service has sent (or is about to send) this person, newest first."""
    return render(
        request,
        "accounts/notifications.html",
        {"notifications": notifications_recent(user=request.user), "limit": RECENT_NOTIFICATIONS},
    )


def _current_session_row_id(request):
    return request.session.get(SESSION_ROW)


@login_required
def sessions(request):
    current_id = _current_session_row_id(request)
    active = list(user_sessions_active(user=request.user))
    return render(
        request,
        "accounts/sessions.html",
        {
            "current": next((s for s in active if s.pk == current_id), None),
            "others": [s for s in active if s.pk != current_id],
            "lifetime_hours": int(settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() // 3600),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@require_POST
@login_required
def session_end(request, public_id):
    current_id = _current_session_row_id(request)
    user_session = get_object_or_404(
        user_sessions_active(user=request.user).exclude(pk=current_id), public_id=public_id
    )
    user_sessions_end(
        user=request.user, sessions=[user_session], reason=SessionEndReason.ENDED_BY_USER, actor=request.user
    )
    messages.success(request, f"You signed out of {user_session.device}.")
    return redirect("accounts:sessions")


@require_POST
@login_required
def sessions_end_others(request):
    others = user_sessions_active(user=request.user).exclude(pk=_current_session_row_id(request))
    ended = user_sessions_end(
        user=request.user, sessions=list(others), reason=SessionEndReason.ENDED_BY_USER, actor=request.user
    )
    if ended:
        messages.success(request, f"You signed out of {ended} other device{'s' if ended != 1 else ''}.")
    return redirect("accounts:sessions")
