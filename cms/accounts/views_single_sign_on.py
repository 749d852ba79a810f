"""The pages of single sign-on (decision 0215): the trip to the identity provider and back, the confirmation of a
link to a privileged account by its own password, and the superuser's list of links waiting for confirmation."""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cms.accounts.backends import SINGLE_SIGN_ON_BACKEND, local_sign_in_allowed
from cms.accounts.enums import IdentityLinkConfirmation, SecondFactorMethod, SingleSignOnRefusal
from cms.accounts.forms import IdentityLinkPasswordForm
from cms.accounts.models import IdentityLink
from cms.accounts.second_factor import second_factor_mark_passed
from cms.accounts.selectors import identity_links_awaiting_superuser
from cms.accounts.services import identity_link_confirm, identity_sign_in, user_roles_sync_from_provider
from cms.accounts.single_sign_on import (
    NEXT_SESSION_KEY,
    PENDING_LINK_SESSION_KEY,
    PROVIDER_AMR_SESSION_KEY,
    SingleSignOnRefused,
    provider,
    second_factor_asserted,
    single_sign_on_enabled,
    verified_claims,
)

security_log = logging.getLogger("cms.security")

# Kept beside the pending link: what the ID token said that matters after the password confirms the link.
PENDING_CLAIMS_SESSION_KEY = "capability_pending_identity_claims"


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _sign_in(request, link, claims):
    """Sign the link's account in through the identity provider, record a second factor the provider asserted
    and, when configured, the roles its groups map to."""
    user = link.user
    next_url = request.session.get(NEXT_SESSION_KEY)
    login(request, user, backend=SINGLE_SIGN_ON_BACKEND)
    amr = claims.get("amr_second_factor") or []
    if amr:
        second_factor_mark_passed(request, method=SecondFactorMethod.IDENTITY_PROVIDER)
        request.session[PROVIDER_AMR_SESSION_KEY] = amr
    user_roles_sync_from_provider(user=user, groups=claims.get("groups") or [])
    return redirect(_safe_next(request, next_url))


def _refused(request, refusal: SingleSignOnRefused):
    unavailable = refusal.reason == SingleSignOnRefusal.PROVIDER_UNAVAILABLE
    return render(
        request,
        "accounts/single_sign_on_refused.html",
        {"reason": refusal.reason, "local_sign_in": settings.LOCAL_SIGN_IN_ENABLED},
        status=503 if unavailable else 403,
    )


@never_cache
def single_sign_on_start(request):
    """Send the person to the identity provider (a GET link, so that the page's form-action policy does not stand
    between them and the provider). Authlib keeps the state, nonce and PKCE verifier in the session."""
    if not single_sign_on_enabled():
        raise Http404("Single sign-on is not set up.")
    request.session[NEXT_SESSION_KEY] = _safe_next(request, request.GET.get("next"))
    try:
        return provider().authorize_redirect(
            request, request.build_absolute_uri(reverse("accounts:single-sign-on-callback"))
        )
    except requests.RequestException as exc:
        security_log.warning("single_sign_on_unavailable error=%s", type(exc).__name__)
        return _refused(request, SingleSignOnRefused(SingleSignOnRefusal.PROVIDER_UNAVAILABLE))


@never_cache
def single_sign_on_callback(request):
    if not single_sign_on_enabled():
        raise Http404("Single sign-on is not set up.")
    try:
        claims = verified_claims(request)
        link = identity_sign_in(issuer=settings.OIDC_ISSUER, claims=claims)
    except SingleSignOnRefused as refusal:
        return _refused(request, refusal)
    kept = {"amr_second_factor": second_factor_asserted(claims), "groups": _groups(claims)}
    if link.confirmed:
        return _sign_in(request, link, kept)
    request.session[PENDING_LINK_SESSION_KEY] = link.pk
    request.session[PENDING_CLAIMS_SESSION_KEY] = kept
    return redirect("accounts:identity-link-confirm")


def _groups(claims) -> list[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return [group for group in groups if isinstance(group, str)]


@never_cache
def identity_link_confirm_own(request):
    """A privileged account's link waits for the account's own password: the person has just signed in at the
    provider as someone whose address matches this account, which does not prove they hold it."""
    link_id = request.session.get(PENDING_LINK_SESSION_KEY)
    link = IdentityLink.objects.select_related("user").filter(pk=link_id).first() if link_id else None
    if link is None:
        raise Http404("No identity link is waiting for confirmation in this session.")
    password_allowed = local_sign_in_allowed(link.user)
    form = IdentityLinkPasswordForm(request.POST or None)
    if request.method == "POST" and password_allowed and form.is_valid():
        user = authenticate(request, username=link.user.email, password=form.cleaned_data["password"])
        if user is not None and user.pk == link.user_id:
            identity_link_confirm(link=link, confirmation=IdentityLinkConfirmation.OWN_PASSWORD, actor=user)
            link.refresh_from_db()
            kept = request.session.pop(PENDING_CLAIMS_SESSION_KEY, {})
            request.session.pop(PENDING_LINK_SESSION_KEY, None)
            return _sign_in(request, link, kept)
        if getattr(request, "axes_locked_out", False):
            return render(
                request, settings.AXES_LOCKOUT_TEMPLATE, {"cooloff_timedelta": settings.AXES_COOLOFF_TIME}, status=429
            )
        form.add_error("password", "Enter the correct password for this account. Your password is case-sensitive.")
    return render(
        request,
        "accounts/identity_link_confirm.html",
        {
            "form": form,
            "link": link,
            "password_allowed": password_allowed,
            "provider_name": settings.OIDC_PROVIDER_NAME,
        },
    )


@login_required
def identity_links(request):
    """Links waiting for a superuser: privileged accounts outside the HR feed (or any privileged account while
    passwords are off). Superusers only; anyone else gets 404, so the page tells them nothing."""
    if not request.user.is_superuser:
        raise Http404
    return render(request, "accounts/identity_links.html", {"links": identity_links_awaiting_superuser()})


@require_POST
@login_required
def identity_link_confirm_by_superuser(request, link_id):
    if not request.user.is_superuser:
        raise Http404
    link = get_object_or_404(identity_links_awaiting_superuser(), pk=link_id)
    identity_link_confirm(link=link, confirmation=IdentityLinkConfirmation.SUPERUSER, actor=request.user)
    messages.success(request, f"The identity link for {link.user} is confirmed: they can sign in with it.")
    return redirect("accounts:identity-links")
