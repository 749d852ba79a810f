"""Passkeys (decision 0216): django-otp-webauthn's four ceremony views, put behind our second-factor flow, and the
pages that list, name and remove a person's passkeys.

The library does the protocol (challenges, the browser's answers checked by py_webauthn, the credential saved, its
last use noted) and its browser scripts draw the buttons; here we decide who may run a ceremony and what passing
one means. Its own views would consult django-otp's `is_verified()` (set by an OTPMiddleware we do not use, because
it costs a query on every request) and log people in without a password; ours consult the session's
SECOND_FACTOR_SESSION_KEY instead:

- registering needs a session that has passed its second factor, or that owes setting one up (never one that still
  owes a code: a stolen password must not be able to add its own passkey);
- authenticating needs a signed-in session that owes a code, and passing it is `second_factor_mark_passed` with
  SecondFactorMethod.PASSKEY, exactly as an app code is.
"""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.utils import rewrite_exceptions

from cms.accounts.enums import SecondFactorMethod, SecondFactorOwed
from cms.accounts.errors import NotAllowed
from cms.accounts.forms import PasskeyNameForm
from cms.accounts.second_factor import second_factor_mark_passed, second_factor_owed
from cms.accounts.selectors import passkeys_of, second_factor_device
from cms.accounts.services import passkey_add, passkey_remove, passkey_rename, passkey_used
from cms.accounts.views import (
    NEW_RECOVERY_CODES,
    RECOVERY_CODES_FOR_PASSKEY,
    _next_url,
    _with_next,
    passkey_script_config,
)

security_log = logging.getLogger("cms.security")

# Set by the registration ceremony for the page that names the new passkey: this passkey's id, and whether it came
# with recovery codes to show next.
NEW_PASSKEY = "capability_new_passkey"


class SecondFactorRefused(webauthn_errors.OTPWebAuthnApiError):
    status_code = 403
    default_code = "second_factor_refused"
    default_detail = "Sign in again, then use your passkey."


def _may_register(request) -> bool:
    return request.user.is_authenticated and second_factor_owed(request) != SecondFactorOwed.CODE


class MayRegister:
    """Both registration steps: the library asks django-otp's is_verified(); the session's record of the second
    factor stands in for it."""

    def _check_user_verified(self, user):
        if not _may_register(self.request):
            raise SecondFactorRefused(detail="Enter your code or use your passkey first, then add a passkey.")


class OwesCode:
    """Both authentication steps: only a signed-in session that still owes its code may use a passkey."""

    def check_can_authenticate(self):
        if not (self.request.user.is_authenticated and second_factor_owed(self.request) == SecondFactorOwed.CODE):
            raise SecondFactorRefused()
        super().check_can_authenticate()


class PasskeyRegistrationBeginView(MayRegister, webauthn_views.BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationCompleteView(MayRegister, webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        # The library's own post() also calls django-otp's login(); here the session is marked as ours is.
        request = self.request
        state = self.get_state()
        with rewrite_exceptions(logger=security_log):
            passkey = self.get_helper().register_complete(user=request.user, state=state, data=request.data)
        codes = passkey_add(user=request.user, passkey=passkey, actor=request.user)
        if second_factor_owed(request) == SecondFactorOwed.SET_UP:
            second_factor_mark_passed(request, method=SecondFactorMethod.PASSKEY)
        request.session[NEW_PASSKEY] = passkey.pk
        if codes:
            request.session[NEW_RECOVERY_CODES] = codes
            request.session[RECOVERY_CODES_FOR_PASSKEY] = True
        name_url = reverse("accounts:passkey-name", args=[passkey.pk])
        next_url = request.GET.get(REDIRECT_FIELD_NAME)
        if next_url:
            name_url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        return JsonResponse({"id": passkey.pk, "redirect_url": name_url})


class PasskeyAuthenticationBeginView(OwesCode, webauthn_views.BeginCredentialAuthenticationView):
    pass


class PasskeyAuthenticationCompleteView(OwesCode, webauthn_views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        # The library checked the passkey is this user's (CredentialUserMismatch otherwise) and confirmed.
        passkey_used(user=self.request.user, passkey=device, actor=self.request.user)
        second_factor_mark_passed(self.request, method=SecondFactorMethod.PASSKEY)

    def get_success_url(self):
        return _next_url(self.request)


def _owes_code(request):
    """A session that still owes a code goes to give it, as for the authenticator app's set-up."""
    if second_factor_owed(request) == SecondFactorOwed.CODE:
        return redirect(_with_next(request, "accounts:second-factor"))
    return None


@login_required
def passkeys(request):
    """The person's passkeys, and adding one (the library's script draws the button; without JavaScript, or in a
    browser without passkeys, the page says so and the authenticator app stays the way)."""
    if (owed := _owes_code(request)) is not None:
        return owed
    config = passkey_script_config(request)
    # The registration's last step answers with the page that names the passkey, which then goes on to `next`.
    config["completeRegistrationUrl"] += "?" + urlencode({REDIRECT_FIELD_NAME: _next_url(request)})
    return render(
        request,
        "accounts/passkeys.html",
        {
            "passkeys": list(passkeys_of(user=request.user)),
            "next": _next_url(request),
            "required": second_factor_owed(request) == SecondFactorOwed.SET_UP,
            "has_app": second_factor_device(user=request.user) is not None,
            "passkey_config": config,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def passkey_name(request, passkey_id):
    """Name a passkey: straight after adding it, or later from the list."""
    if (owed := _owes_code(request)) is not None:
        return owed
    passkey = get_object_or_404(passkeys_of(user=request.user), pk=passkey_id)
    just_added = request.session.get(NEW_PASSKEY) == passkey.pk
    form = PasskeyNameForm(request.POST or None, initial={"name": passkey.name})
    if request.method == "POST" and form.is_valid():
        passkey_rename(user=request.user, passkey=passkey, name=form.cleaned_data["name"], actor=request.user)
        request.session.pop(NEW_PASSKEY, None)
        messages.success(request, f"Your passkey “{passkey.name}” is ready to use.")
        if request.session.get(NEW_RECOVERY_CODES):
            return redirect(_with_next(request, "accounts:second-factor-recovery-codes"))
        return redirect(_with_next(request, "accounts:passkeys"))
    return render(
        request,
        "accounts/passkey_name.html",
        {"form": form, "passkey": passkey, "just_added": just_added, "next": _next_url(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def passkey_remove_confirm(request, passkey_id):
    """Remove a passkey, after a page that asks to be sure. Another person's passkey is a 404."""
    if (owed := _owes_code(request)) is not None:
        return owed
    passkey = get_object_or_404(passkeys_of(user=request.user), pk=passkey_id)
    refusal = None
    if request.method == "POST":
        try:
            passkey_remove(user=request.user, passkey=passkey, actor=request.user)
        except NotAllowed as error:
            refusal = str(error)
        else:
            messages.success(request, f"Your passkey “{passkey.name}” has been removed.")
            return redirect("accounts:account")
    return render(request, "accounts/passkey_remove.html", {"passkey": passkey, "refusal": refusal})
