"""Single sign-on through the organisation's OpenID Connect provider (decision 0215).

Authlib does all of the protocol: the discovery document, the authorisation-code flow with PKCE (S256), `state`
and `nonce` kept in the session, the client's authentication at the token endpoint (a secret, or a
`private_key_jwt` assertion), and the ID token's checks — its signature against the provider's published keys
(JWKS, fetched again when a token names an unknown key), issuer, audience, expiry and nonce. This module only
configures it from settings and turns its failures into one refusal."""

import functools
import logging
from pathlib import Path

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from cms.accounts.enums import SingleSignOnRefusal

security_log = logging.getLogger("cms.security")

# What the session holds about a single sign-on (listed in the register of personal data, sessions.Session):
# - PROVIDER_AMR_SESSION_KEY: the `amr` values by which the ID token asserted a second factor; the session is then
#   marked as having passed its second factor (cms.accounts.second_factor, decision 0216), so the provider's
#   factor counts as this session's;
PROVIDER_AMR_SESSION_KEY = "capability_second_factor_amr"
# - the identity link waiting for the account's own password before it signs anyone in;
PENDING_LINK_SESSION_KEY = "capability_pending_identity_link"
# - where to go after signing in, kept across the trip to the provider.
NEXT_SESSION_KEY = "capability_sign_in_next"


class SingleSignOnRefused(Exception):
    def __init__(self, reason: SingleSignOnRefusal):
        super().__init__(reason.label)
        self.reason = reason


def single_sign_on_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def provider() -> DjangoOAuth2App:
    """The Authlib client for the configured provider; one per configuration and process, so that the discovery
    document and the keys are fetched once (and the keys again on a key the client has not seen)."""
    if not single_sign_on_enabled():
        raise ImproperlyConfigured("Single sign-on is off: OIDC_ISSUER is not set.")
    return _provider(
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_AUTH_METHOD,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_CLIENT_PRIVATE_KEY_FILE,
        settings.OIDC_CLIENT_PRIVATE_KEY_ID,
        settings.OIDC_SCOPES,
    )


@functools.lru_cache(maxsize=4)
def _provider(issuer, client_id, auth_method, secret, private_key_file, private_key_id, scopes) -> DjangoOAuth2App:
    registration = {
        "client_id": client_id,
        "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
        "client_kwargs": {"scope": scopes, "code_challenge_method": "S256", "token_endpoint_auth_method": auth_method},
    }
    if auth_method == "private_key_jwt":
        if not private_key_file:
            raise ImproperlyConfigured("OIDC_CLIENT_AUTH_METHOD=private_key_jwt needs OIDC_CLIENT_PRIVATE_KEY_FILE.")
        key = RSAKey.import_key(
            Path(private_key_file).read_bytes(), parameters={"kid": private_key_id} if private_key_id else None
        )
        registration["client_secret"] = key
        registration["client_auth_methods"] = [
            PrivateKeyJWT(headers={"kid": private_key_id} if private_key_id else None)
        ]
    else:
        if not secret:
            raise ImproperlyConfigured(f"OIDC_CLIENT_AUTH_METHOD={auth_method} needs OIDC_CLIENT_SECRET.")
        registration["client_secret"] = secret
    oauth = OAuth()
    client = oauth.register("capability", **registration)
    metadata = client.load_server_metadata()
    # The discovery document must name the issuer configured, or a document served elsewhere could choose whose
    # tokens are believed (OpenID Connect Discovery, section 4.3).
    if metadata.get("issuer", "").rstrip("/") != issuer:
        _provider.cache_clear()
        raise ImproperlyConfigured(
            f"The provider's discovery document names issuer {metadata.get('issuer')!r}, not {issuer!r}."
        )
    return client


def verified_claims(request) -> dict:
    """Finish the authorisation-code flow for this callback request and return the ID token's claims, checked.
    SingleSignOnRefused(CANCELLED) when the provider answered with an error (the person cancelled, say),
    SingleSignOnRefused(FAILED_CHECKS) for anything else that is wrong: a state this session did not start (or has
    already used), a token the provider refused to issue, an ID token whose signature, issuer, audience, expiry or
    nonce fails."""
    if request.GET.get("error"):
        security_log.info("single_sign_on_error error=%s", request.GET.get("error")[:100])
        raise SingleSignOnRefused(SingleSignOnRefusal.CANCELLED)
    try:
        token = provider().authorize_access_token(request, leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS)
    except (OAuthError, JoseError, requests.RequestException, ValueError) as exc:
        security_log.warning("single_sign_on_refused reason=failed_checks error=%s", type(exc).__name__)
        raise SingleSignOnRefused(SingleSignOnRefusal.FAILED_CHECKS) from exc
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        # No ID token (or one without a nonce was never asked for): nothing here says who signed in.
        security_log.warning("single_sign_on_refused reason=failed_checks error=NoIdToken")
        raise SingleSignOnRefused(SingleSignOnRefusal.FAILED_CHECKS)
    return dict(claims)


def second_factor_asserted(claims: dict) -> list[str]:
    """The `amr` values of the ID token that count as a second factor (OIDC_SECOND_FACTOR_AMR); empty if none."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return [value for value in amr if isinstance(value, str) and value in settings.OIDC_SECOND_FACTOR_AMR]


def email_verified(claims: dict) -> bool:
    """Only a literal true counts (some providers send the string "true"); absent means not verified."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")
