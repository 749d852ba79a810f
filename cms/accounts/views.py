from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.middleware import csrf
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from cms.accounts.client_address import client_ip_address
from cms.accounts.enums import SecondFactorCheck, SecondFactorMethod, SecondFactorOwed, SessionEndReason
from cms.accounts.forms import (
    ChangePasswordForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RecoveryCodeForm,
    SecondFactorCodeForm,
    SignInForm,
)
from cms.accounts.middleware import SESSION_ROW
from cms.accounts.models import UserSession
from cms.accounts.rate_limits import password_reset_request_allowed
from cms.accounts.second_factor import second_factor_mark_passed, second_factor_owed
from cms.accounts.selectors import (
    passkeys_of,
    recovery_codes_left,
    second_factor_device,
    user_roles,
    user_sessions_active,
)
from cms.accounts.services import (
    second_factor_set_up_confirm,
    second_factor_set_up_start,
    user_sessions_end,
    user_sessions_end_all,
)
from cms.accounts.services import second_factor_verify as second_factor_verify_code
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
    device = second_factor_device(user=request.user)
    passkeys = list(passkeys_of(user=request.user))
    for passkey in passkeys:
        passkey.remove_url = reverse("accounts:passkey-remove", args=[passkey.pk])
    return render(
        request,
        "accounts/account.html",
        {
            "roles": user_roles(user=request.user),
            "second_factor": device,
            "passkeys": passkeys,
            "recovery_codes_left": recovery_codes_left(user=request.user),
        },
    )


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


# --- A second factor (decision 0216) -------------------------------------------------------------------------------
# The recovery codes made by a set-up, kept in the session only until the page that shows them once has been seen.
NEW_RECOVERY_CODES = "capability_new_recovery_codes"
# Set when those codes came with a first passkey rather than an app (cms.accounts.views_passkeys).
RECOVERY_CODES_FOR_PASSKEY = "capability_recovery_codes_for_passkey"
RECOVERY_CODE_USED = "capability_recovery_code_used"


def _next_url(request) -> str:
    """Where to go once the second factor is done: the page asked for, if it is ours."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(request, url_name: str) -> str:
    return f"{reverse(url_name)}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"


def passkey_script_config(request) -> dict:
    """What django-otp-webauthn's browser scripts read from the page (its `otp_webauthn_config`): our URLs."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("accounts:passkey-authentication-begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey-authentication-complete"),
        "beginRegistrationUrl": reverse("accounts:passkey-registration-begin"),
        "completeRegistrationUrl": reverse("accounts:passkey-registration-complete"),
    }


def _throttled_message() -> str:
    # django-otp's wait doubles with each wrong code in a row (1, 2, 4 … seconds), so no figure is given.
    return "Too many tries after a wrong code. Wait a moment, then enter the code your app shows now"


def _check_error(form, check: SecondFactorCheck, wrong: str) -> None:
    form.add_error("code", _throttled_message() if check == SecondFactorCheck.THROTTLED else wrong)


def _grouped(secret: str, size: int = 4) -> str:
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


@login_required
def second_factor_verify(request):
    """At sign-in, after the password: a code from the authenticator app, or the passkey (whose ceremony is
    cms.accounts.views_passkeys'), whichever the account has; and the way to a recovery code."""
    if second_factor_owed(request) != SecondFactorOwed.CODE:
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = second_factor_verify_code(user=request.user, token=form.cleaned_data["code"], actor=request.user)
        if check == SecondFactorCheck.ACCEPTED:
            second_factor_mark_passed(request, method=SecondFactorMethod.AUTHENTICATOR_APP)
            return redirect(_next_url(request))
        _check_error(form, check, "The code is not right. Enter the code your authenticator app shows now")
    has_passkey = passkeys_of(user=request.user).exists()
    return render(
        request,
        "accounts/second_factor_verify.html",
        {
            "form": form,
            "next": _next_url(request),
            "has_app": second_factor_device(user=request.user) is not None,
            "has_passkey": has_passkey,
            "passkey_config": passkey_script_config(request) if has_passkey else None,
            "recovery_codes_left": recovery_codes_left(user=request.user),
        },
    )


@login_required
def second_factor_recovery(request):
    """At sign-in, without the app: one of the recovery codes, spent by being accepted."""
    if second_factor_owed(request) != SecondFactorOwed.CODE:
        return redirect(_next_url(request))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = second_factor_verify_code(
            user=request.user, token=form.cleaned_data["code"], recovery=True, actor=request.user
        )
        if check == SecondFactorCheck.ACCEPTED:
            second_factor_mark_passed(request, method=SecondFactorMethod.RECOVERY_CODE)
            request.session[RECOVERY_CODE_USED] = True
            left = recovery_codes_left(user=request.user)
            messages.info(
                request,
                f"You signed in with a recovery code, which cannot be used again. You have {left} recovery "
                f"code{'s' if left != 1 else ''} left. If you no longer have your authenticator app or passkey, set up "
                "a new one or add a passkey now.",
            )
            return redirect(_with_next(request, "accounts:second-factor-set-up"))
        _check_error(form, check, "The recovery code is not right, or has been used. Check it and try again")
    return render(request, "accounts/second_factor_recovery.html", {"form": form, "next": _next_url(request)})


@login_required
def second_factor_set_up(request):
    """Set up an authenticator app (or a new one, replacing the old): scan the QR code or type the secret, then
    confirm with a code from the app. A session that owes a code must give it first."""
    if second_factor_owed(request) == SecondFactorOwed.CODE:
        return redirect(_with_next(request, "accounts:second-factor"))
    pending = second_factor_set_up_start(user=request.user, actor=request.user)
    form = SecondFactorCodeForm(request.POST or None, submit_label="Confirm and continue")
    if request.method == "POST" and form.is_valid():
        check, codes = second_factor_set_up_confirm(
            user=request.user, token=form.cleaned_data["code"], actor=request.user
        )
        if check == SecondFactorCheck.ACCEPTED:
            second_factor_mark_passed(request, method=SecondFactorMethod.AUTHENTICATOR_APP)
            request.session[NEW_RECOVERY_CODES] = codes
            request.session.pop(RECOVERY_CODES_FOR_PASSKEY, None)
            request.session.pop(RECOVERY_CODE_USED, None)
            return redirect(_with_next(request, "accounts:second-factor-recovery-codes"))
        _check_error(form, check, "The code is not right. Enter the code your authenticator app shows now")
    secret = b32encode(pending.bin_key).decode()
    return render(
        request,
        "accounts/second_factor_set_up.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": segno.make_qr(pending.config_url, error="m").png_data_uri(scale=5),
            "secret": _grouped(secret),
            "replacing": second_factor_device(user=request.user) is not None,
            "required": second_factor_owed(request) == SecondFactorOwed.SET_UP,
            "recovery_code_used": request.session.get(RECOVERY_CODE_USED, False),
        },
    )


@login_required
def second_factor_recovery_codes(request):
    """The recovery codes of a set-up just confirmed, shown this once."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    for_passkey = request.session.pop(RECOVERY_CODES_FOR_PASSKEY, False)
    return render(
        request,
        "accounts/second_factor_recovery_codes.html",
        {
            "codes": [f"{code[:4]}-{code[4:]}" for code in codes or ()],
            "for_passkey": for_passkey,
            "next": _next_url(request),
        },
    )
