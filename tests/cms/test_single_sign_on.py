"""Single sign-on against a real OpenID Connect provider started on 127.0.0.1 (oidc-provider-mock; decision 0215).
Where the provider cannot produce a bad token (a foreign signature, another audience, a used nonce), the test
intercepts the token response and swaps the ID token for one crafted or fetched elsewhere."""

import base64
import json
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.integrations.django_client import DjangoOAuth2App
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jws, jwt
from joserfc.jwk import RSAKey

from cms.accounts.enums import IdentityLinkConfirmation, Role, SecondFactorMethod
from cms.accounts.models import IdentityLink, User, UserSession
from cms.accounts.single_sign_on import _provider
from tests.cms.factories import UserFactory
from tests.identity_provider import (
    START,
    hr_feed_person,
    running_identity_provider,
    sign_in_through_provider,
    signed_in_user,
)

pytestmark = pytest.mark.django_db


def test_a_person_in_the_hr_feed_signs_in_through_the_identity_provider_and_is_linked(client, sso):
    person = hr_feed_person("amara.okafor@example.gov.uk")
    sso.add_person("amara-sub", email="Amara.Okafor@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "amara-sub")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert signed_in_user(client) == person.user
    link = IdentityLink.objects.get()
    assert (link.issuer, link.subject, link.user) == (sso.issuer, "amara-sub", person.user)
    assert link.confirmation == IdentityLinkConfirmation.HR_FEED
    assert link.last_used_at is not None
    assert UserSession.objects.filter(user=person.user, ended_at__isnull=True).count() == 1


def test_a_linked_identity_signs_in_by_its_subject_even_after_its_address_changes(client, sso):
    person = hr_feed_person("lin.wei@example.gov.uk")
    sso.add_person("lin-sub", email="lin.wei@example.gov.uk", email_verified=True)
    sign_in_through_provider(client, sso, "lin-sub")
    client.post("/accounts/sign-out/")
    sso.add_person("lin-sub", email="lin.wei@elsewhere.example", email_verified=False)

    response = sign_in_through_provider(client, sso, "lin-sub")

    assert response.status_code == 302
    assert signed_in_user(client) == person.user
    assert IdentityLink.objects.count() == 1


def test_the_staff_number_claim_matches_a_person_in_the_hr_feed_when_configured(client, sso, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = "employee_id"
    person = hr_feed_person("jo.bloggs@example.gov.uk", staff_number="E123456")
    sso.add_person("jo-sub", employee_id="E123456")

    sign_in_through_provider(client, sso, "jo-sub")

    assert signed_in_user(client) == person.user


def test_the_sign_in_asks_for_the_code_flow_with_pkce_state_and_nonce_and_keeps_where_to_go_next(client, sso):
    person = hr_feed_person("sam.lee@example.gov.uk")
    sso.add_person("sam-sub", email="sam.lee@example.gov.uk", email_verified=True)

    response = client.get(START + "?next=/skills/")

    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0]
    assert query["nonce"][0]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    response = client.get(sso.authorise(response["Location"], "sam-sub"))
    assert response["Location"] == "/skills/"
    assert signed_in_user(client) == person.user


def test_next_pointing_to_another_site_is_ignored(client, sso):
    hr_feed_person("kim.ng@example.gov.uk")
    sso.add_person("kim-sub", email="kim.ng@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "kim-sub", start=START + "?next=https://evil.example/")

    assert response["Location"] == "/dashboard/"


def test_the_sign_in_page_offers_the_identity_provider_beside_the_password(client, sso, settings):
    settings.OIDC_PROVIDER_NAME = "Example Department account"

    html = client.get("/accounts/sign-in/?next=/skills/").content.decode()

    assert "Sign in with Example Department account" in html
    assert 'href="/accounts/sign-in/single-sign-on/?next=/skills/"' in html
    assert 'name="password"' in html


def test_single_sign_on_is_not_there_when_it_is_not_configured(client, settings):
    settings.OIDC_ISSUER = None

    assert client.get(START).status_code == 404
    assert "single-sign-on" not in client.get("/accounts/sign-in/").content.decode()


def test_a_provider_that_does_not_answer_gets_a_clear_page_not_an_error(client, sso, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing listens

    response = client.get(START)

    assert response.status_code == 503
    assert "is not answering" in response.content.decode()


def test_someone_the_hr_feed_does_not_know_is_refused_with_a_clear_page_and_gets_no_account(client, sso):
    sso.add_person("stranger-sub", email="stranger@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "stranger-sub")

    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot sign in to Capability with this account" in html
    assert "ask your HR team" in html
    assert not User.objects.filter(email="stranger@example.gov.uk").exists()
    assert not IdentityLink.objects.exists()
    assert "_auth_user_id" not in client.session


def test_an_account_outside_the_hr_feed_without_admin_roles_is_refused(client, sso):
    UserFactory(email="old.account@example.gov.uk")
    sso.add_person("old-sub", email="old.account@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "old-sub")

    assert response.status_code == 403
    assert not IdentityLink.objects.exists()


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_email_address_is_never_matched(client, sso, verified):
    hr_feed_person("priya.shah@example.gov.uk")
    claims = {"email": "priya.shah@example.gov.uk"}
    if verified is not None:
        claims["email_verified"] = verified
    sso.add_person("priya-sub", **claims)

    response = sign_in_through_provider(client, sso, "priya-sub")

    assert response.status_code == 403
    assert "Your email address has not been verified" in response.content.decode()
    assert not IdentityLink.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_switched_off_account_is_refused(client, sso):
    hr_feed_person("gone@example.gov.uk", user__is_active=False)
    sso.add_person("gone-sub", email="gone@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "gone-sub")

    assert response.status_code == 403
    assert "Your account has been switched off" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_linked_to_one_identity_is_not_taken_by_another(client, sso):
    person = hr_feed_person("ali.khan@example.gov.uk")
    sso.add_person("ali-sub", email="ali.khan@example.gov.uk", email_verified=True)
    sign_in_through_provider(client, sso, "ali-sub")
    client.post("/accounts/sign-out/")
    sso.add_person("impostor-sub", email="ali.khan@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "impostor-sub")

    assert response.status_code == 403
    assert "linked to a different account" in response.content.decode()
    assert list(IdentityLink.objects.values_list("subject", "user")) == [("ali-sub", person.user.pk)]


def test_the_provider_answering_with_an_error_signs_nobody_in(client, sso):
    client.get(START)

    response = client.get("/accounts/sign-in/single-sign-on/callback/?error=access_denied&state=x")

    assert response.status_code == 403
    assert "You have not been signed in" in response.content.decode()


# --- Tokens the service must refuse -------------------------------------------------------------------------------


def _swap_id_token(make_id_token):
    """Intercept the token response: let Authlib fetch it from the provider, then replace its ID token with
    `make_id_token(real_id_token)`."""
    real_fetch = DjangoOAuth2App.fetch_access_token

    def fetch(self, *args, **kwargs):
        token = real_fetch(self, *args, **kwargs)
        return {**token, "id_token": make_id_token(token["id_token"])}

    return mock.patch.object(DjangoOAuth2App, "fetch_access_token", fetch)


def _claims_and_header(id_token):
    compact = jws.extract_compact(id_token.encode())
    return json.loads(compact.payload), compact.headers()


def assert_refused_and_nobody_signed_in(response, client):
    assert response.status_code == 403
    assert "Sorry, we could not sign you in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not IdentityLink.objects.exists()


def test_an_id_token_signed_with_another_key_is_refused(client, sso):
    hr_feed_person("eve.target@example.gov.uk")
    sso.add_person("eve-sub", email="eve.target@example.gov.uk", email_verified=True)
    forger = RSAKey.generate_key(2048)

    def forge(id_token):
        claims, header = _claims_and_header(id_token)
        return jwt.encode({**header, "alg": "RS256"}, claims, forger)

    with _swap_id_token(forge):
        response = sign_in_through_provider(client, sso, "eve-sub")

    assert_refused_and_nobody_signed_in(response, client)


def test_an_id_token_for_another_service_is_refused(client, sso):
    """A real token from the same provider, with this session's nonce, issued to another client: wrong audience."""
    hr_feed_person("aud.target@example.gov.uk")
    sso.add_person("aud-sub", email="aud.target@example.gov.uk", email_verified=True)

    def another_services_token(id_token):
        claims, _ = _claims_and_header(id_token)
        authorise = requests.post(
            f"{sso.issuer}/oauth2/authorize",
            params={
                "client_id": "another-service",
                "redirect_uri": "http://127.0.0.1/another/callback",
                "response_type": "code",
                "scope": "openid email",
                "state": "another-state",
                "nonce": claims["nonce"],
            },
            data={"sub": "aud-sub"},
            allow_redirects=False,
            timeout=5,
        )
        code = parse_qs(urlsplit(authorise.headers["Location"]).query)["code"][0]
        token = requests.post(
            f"{sso.issuer}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": "http://127.0.0.1/another/callback",
            },
            auth=("another-service", "its-secret"),
            timeout=5,
        ).json()
        assert _claims_and_header(token["id_token"])[0]["aud"] == ["another-service"]
        return token["id_token"]

    with _swap_id_token(another_services_token):
        response = sign_in_through_provider(client, sso, "aud-sub")

    assert_refused_and_nobody_signed_in(response, client)


def test_an_expired_id_token_is_refused(client, settings):
    hr_feed_person("late@example.gov.uk")
    from datetime import timedelta  # noqa: PLC0415

    with running_identity_provider(access_token_max_age=timedelta(hours=-1)) as expired_provider:
        for name, value in expired_provider.settings().items():
            setattr(settings, name, value)
        _provider.cache_clear()
        expired_provider.add_person("late-sub", email="late@example.gov.uk", email_verified=True)

        response = sign_in_through_provider(client, expired_provider, "late-sub")
        _provider.cache_clear()

    assert_refused_and_nobody_signed_in(response, client)


def test_an_id_token_replayed_from_an_earlier_sign_in_is_refused_by_its_nonce(client, sso):
    person = hr_feed_person("replay@example.gov.uk")
    sso.add_person("replay-sub", email="replay@example.gov.uk", email_verified=True)
    earlier = []
    with _swap_id_token(lambda id_token: earlier.append(id_token) or id_token):
        sign_in_through_provider(client, sso, "replay-sub")
    assert signed_in_user(client) == person.user
    client.post("/accounts/sign-out/")
    IdentityLink.objects.all().delete()

    with _swap_id_token(lambda id_token: earlier[0]):
        response = sign_in_through_provider(client, sso, "replay-sub")

    assert_refused_and_nobody_signed_in(response, client)


def test_a_callback_used_once_cannot_be_used_again(client, sso):
    hr_feed_person("twice@example.gov.uk")
    sso.add_person("twice-sub", email="twice@example.gov.uk", email_verified=True)
    callback = sso.authorise(client.get(START)["Location"], "twice-sub")
    assert client.get(callback).status_code == 302
    client.post("/accounts/sign-out/")

    response = client.get(callback)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_callback_from_another_browser_session_is_refused(client, sso, django_user_model):
    hr_feed_person("csrf@example.gov.uk")
    sso.add_person("csrf-sub", email="csrf@example.gov.uk", email_verified=True)
    from django.test import Client  # noqa: PLC0415

    attacker = Client()
    callback = sso.authorise(attacker.get(START)["Location"], "csrf-sub")

    response = client.get(callback)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_second_factor_the_provider_asserts_is_recorded_on_the_session(client, sso):
    hr_feed_person("mfa@example.gov.uk")
    sso.add_person("mfa-sub", email="mfa@example.gov.uk", email_verified=True, amr=["pwd", "mfa", "otp"])

    sign_in_through_provider(client, sso, "mfa-sub")

    assert client.session["capability_second_factor"] == SecondFactorMethod.IDENTITY_PROVIDER  # passed: no code asked
    assert client.session["capability_second_factor_amr"] == ["mfa", "otp"]


def test_a_password_alone_at_the_provider_records_no_second_factor(client, sso):
    hr_feed_person("pwd@example.gov.uk")
    sso.add_person("pwd-sub", email="pwd@example.gov.uk", email_verified=True, amr=["pwd"])

    sign_in_through_provider(client, sso, "pwd-sub")

    assert "_auth_user_id" in client.session
    assert client.session.get("capability_second_factor") != SecondFactorMethod.IDENTITY_PROVIDER
    assert "capability_second_factor_amr" not in client.session


def test_roles_stay_as_they_are_when_groups_are_not_mapped(client, sso):
    person = hr_feed_person("plain@example.gov.uk")
    sso.add_person("plain-sub", email="plain@example.gov.uk", email_verified=True, groups=["capability-hr"])

    sign_in_through_provider(client, sso, "plain-sub")

    assert list(person.user.groups.values_list("name", flat=True)) == [Role.LEARNER]


def test_with_private_key_jwt_the_client_proves_itself_with_an_assertion_signed_by_its_key(
    client, sso, settings, tmp_path
):
    key = RSAKey.generate_key(2048)
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(key.as_pem(private=True))
    settings.OIDC_CLIENT_AUTH_METHOD = "private_key_jwt"
    settings.OIDC_CLIENT_SECRET = None
    settings.OIDC_CLIENT_PRIVATE_KEY_FILE = str(key_file)
    settings.OIDC_CLIENT_PRIVATE_KEY_ID = "capability-2026"
    person = hr_feed_person("keyed@example.gov.uk")
    sso.add_person("keyed-sub", email="keyed@example.gov.uk", email_verified=True)
    sent = []
    real_call = PrivateKeyJWT.__call__

    def record(self, auth, method, uri, headers, body):
        uri, headers, body = real_call(self, auth, method, uri, headers, body)
        sent.append((uri, headers, parse_qs(body)))
        basic = base64.b64encode(f"{auth.client_id}:for-the-mock".encode()).decode()
        return uri, {**headers, "Authorization": f"Basic {basic}"}, body

    with mock.patch.object(PrivateKeyJWT, "__call__", record):
        sign_in_through_provider(client, sso, "keyed-sub")

    assert signed_in_user(client) == person.user
    uri, headers, body = sent[0]
    assert "Authorization" not in headers
    assert "client_secret" not in body
    assert body["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
    assertion = jwt.decode(body["client_assertion"][0], RSAKey.import_key(key.as_pem(private=False)))
    assert assertion.header["kid"] == "capability-2026"
    assert assertion.claims["iss"] == assertion.claims["sub"] == "capability-tests"
    assert assertion.claims["aud"] == uri == f"{sso.issuer}/oauth2/token"
    assert assertion.claims["exp"] > assertion.claims["iat"]
    assert assertion.claims["jti"]
