"""Issue 14, passkeys (decision 0216): django-otp-webauthn's ceremonies behind the session's owed second factor, and
the pages that add, name, list and remove a person's passkeys.

The browser's side of a ceremony (a signed answer from an authenticator) is exercised for real in
tests/e2e/test_passkey_journey.py with Chromium's virtual authenticator; here the library's check of that answer is
replaced where a test needs one to pass, so that what our code does around it is tested: who may begin and complete
a ceremony, and what passing one does to the session."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp_webauthn.exceptions import CredentialUserMismatch
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential, WebAuthnUserHandle
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role, SecondFactorMethod, SecondFactorOwed
from cms.accounts.errors import NotAllowed
from cms.accounts.second_factor import SECOND_FACTOR_SESSION_KEY, second_factor_owed_by
from cms.accounts.services import passkey_remove, second_factor_reset
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory, second_factor_give, totp_code

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
VERIFY = "/accounts/second-factor/"
PASSKEYS = "/accounts/second-factor/passkeys/"
REGISTER_BEGIN = "/accounts/second-factor/passkeys/registration/begin/"
REGISTER_COMPLETE = "/accounts/second-factor/passkeys/registration/complete/"
AUTH_BEGIN = "/accounts/second-factor/passkeys/authentication/begin/"
AUTH_COMPLETE = "/accounts/second-factor/passkeys/authentication/complete/"


@pytest.fixture
def required(settings):
    settings.CAPABILITY_SECOND_FACTOR_REQUIRED = True


def passkey_for(user, name="Work laptop", number=1):
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=f"credential-{user.pk}-{number}".encode(), public_key=b"key", confirmed=True
    )


def signed_in_with_password(user, next_url="/dashboard/", **client_options):
    client = Client(**client_options)
    response = client.post(SIGN_IN, {"username": user.email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content
    return client


def passed_with_code(user):
    client = signed_in_with_password(user)
    assert client.post(VERIFY, {"code": totp_code(user)}).status_code == 302
    return client


def post_json(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def authenticator_says_yes(monkeypatch):
    """The library's check of the authenticator's answer, passing with the account's first passkey (its own checks
    of whose passkey it is stay: the real method raises CredentialUserMismatch, which this keeps)."""

    def authenticate_complete(self, user, state, data):
        passkey = WebAuthnCredential.objects.get(pk=data["passkey"])
        if passkey.user_id != user.pk:
            raise CredentialUserMismatch()
        passkey.set_last_used_timestamp(commit=True)
        return passkey

    monkeypatch.setattr(WebAuthnHelper, "authenticate_complete", authenticate_complete)


@pytest.fixture
def authenticator_makes_one(monkeypatch):
    """The library's check of a new passkey, passing and saving one for the user."""

    def register_complete(self, user, state, data):
        return passkey_for(user, name="", number=99)

    monkeypatch.setattr(WebAuthnHelper, "register_complete", register_complete)


# --- What a session owes ------------------------------------------------------------------------------------------


def test_an_account_with_only_a_passkey_owes_it_at_sign_in(required):
    user = UserFactory(roles=[Role.LEARNER, Role.HR_ANALYST])
    passkey_for(user)

    assert second_factor_owed_by(user=user) == SecondFactorOwed.CODE
    client = signed_in_with_password(user, next_url="/admin/")
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(VERIFY + "?next=/admin/").content.decode()
    assert "Use your passkey" in page
    assert 'id="passkey-verification-button"' in page
    assert "Code from your authenticator app" not in page
    # The library's script and its settings, from our own static files.
    assert "/static/django_otp_webauthn/otp_webauthn_auth.js" in page
    assert '"beginAuthenticationUrl": "/accounts/second-factor/passkeys/authentication/begin/"' in page


def test_an_account_with_an_app_and_a_passkey_is_offered_both_and_a_recovery_code():
    user = UserFactory()
    second_factor_give(user)
    passkey_for(user)

    page = signed_in_with_password(user).get(VERIFY).content.decode()

    assert "Use your passkey" in page
    assert "Or enter the code from your authenticator app" in page
    assert "Use a recovery code instead" in page


# --- Authentication: a passkey passes the owed factor ------------------------------------------------------------


def test_a_passkey_passes_the_second_factor_as_a_code_does(required, authenticator_says_yes):
    user = UserFactory(roles=[Role.LEARNER, Role.HR_ANALYST])
    passkey = passkey_for(user)
    client = signed_in_with_password(user, next_url="/admin/")
    key_before = client.session.session_key

    begun = post_json(client, AUTH_BEGIN)
    assert begun.status_code == 200
    options = begun.json()
    assert options["rpId"] == "localhost"
    assert [credential["type"] for credential in options["allowCredentials"]] == ["public-key"]
    done = post_json(client, f"{AUTH_COMPLETE}?next=/admin/", {"passkey": passkey.pk})

    assert done.status_code == 200, done.content
    assert done.json() == {"id": passkey.pk, "redirect_url": "/admin/"}
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorMethod.PASSKEY
    assert client.session.session_key != key_before
    assert client.get("/admin/").status_code == 200
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    assert ModelLogEntry.objects.filter(action="capability.accounts.passkey_use", user_id=user.pk).exists()


def test_a_passkey_ceremony_is_refused_to_a_session_that_does_not_owe_a_factor(authenticator_says_yes):
    user = UserFactory()
    second_factor_give(user)
    passkey = passkey_for(user)
    client = passed_with_code(user)

    assert post_json(client, AUTH_BEGIN).status_code == 403
    assert post_json(client, AUTH_COMPLETE, {"passkey": passkey.pk}).status_code == 403
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorMethod.AUTHENTICATOR_APP
    assert not ModelLogEntry.objects.filter(action="capability.accounts.passkey_use").exists()


def test_nobody_signs_in_with_a_passkey_alone():
    user = UserFactory()
    passkey_for(user)
    client = Client()

    assert post_json(client, AUTH_BEGIN).status_code == 403
    assert "_auth_user_id" not in client.session


def test_another_persons_passkey_does_not_pass_the_factor(authenticator_says_yes):
    user, other = UserFactory(), UserFactory()
    passkey_for(user)
    theirs = passkey_for(other)
    client = signed_in_with_password(user)

    post_json(client, AUTH_BEGIN)
    response = post_json(client, AUTH_COMPLETE, {"passkey": theirs.pk})

    assert response.status_code == 403
    assert response.json()["code"] == "credential_user_mismatch"
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorOwed.CODE


def test_completing_without_beginning_is_refused(authenticator_says_yes):
    user = UserFactory()
    passkey = passkey_for(user)
    client = signed_in_with_password(user)

    response = post_json(client, AUTH_COMPLETE, {"passkey": passkey.pk})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_state"
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorOwed.CODE


def test_the_ceremonies_need_the_csrf_token():
    user = UserFactory()
    passkey_for(user)
    client = signed_in_with_password(user)
    client.handler.enforce_csrf_checks = True

    assert post_json(client, AUTH_BEGIN).status_code == 403
    assert post_json(client, REGISTER_BEGIN).status_code == 403
    # The token the page hands the library's script in its settings.
    page = client.get(VERIFY).content.decode()
    token = json.loads(
        page.split('<script id="otp_webauthn_config" type="application/json">')[1].split("</script>")[0]
    )["csrfToken"]
    assert (
        client.post(AUTH_BEGIN, "{}", content_type="application/json", headers={"X-CSRFToken": token}).status_code
        == 200
    )


# --- Registration ---------------------------------------------------------------------------------------------------


def test_a_required_set_up_can_be_done_with_a_passkey_which_gives_recovery_codes(required, authenticator_makes_one):
    user = UserFactory(roles=[Role.LEARNER, Role.HR_ANALYST])
    client = signed_in_with_password(user, next_url="/admin/")
    assert "Add a passkey" in client.get("/accounts/second-factor/set-up/?next=/admin/").content.decode()
    page = client.get(f"{PASSKEYS}?next=/admin/").content.decode()
    assert 'id="passkey-register-button"' in page
    assert "To add a passkey your browser must run JavaScript" in page

    begun = post_json(client, REGISTER_BEGIN)
    assert begun.status_code == 200
    assert begun.json()["rp"] == {"name": "Capability", "id": "localhost"}
    done = post_json(client, f"{REGISTER_COMPLETE}?next=/admin/")

    assert done.status_code == 200, done.content
    passkey = WebAuthnCredential.objects.get(user=user)
    assert done.json() == {
        "id": passkey.pk,
        "redirect_url": f"/accounts/second-factor/passkeys/{passkey.pk}/name/?next=%2Fadmin%2F",
    }
    assert passkey.name == "Passkey"
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorMethod.PASSKEY
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert ModelLogEntry.objects.filter(action="capability.accounts.passkey_add", user_id=user.pk).exists()

    named = client.post(f"/accounts/second-factor/passkeys/{passkey.pk}/name/?next=/admin/", {"name": "Work laptop"})
    assert named["Location"] == "/accounts/second-factor/recovery-codes/?next=%2Fadmin%2F"
    codes_page = client.get(named["Location"]).content.decode()
    assert "Your passkey is set up" in codes_page
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"
    assert client.get("/admin/").status_code == 200


def test_a_further_passkey_keeps_the_recovery_codes(authenticator_makes_one):
    user = UserFactory()
    codes = second_factor_give(user)
    client = passed_with_code(user)

    post_json(client, REGISTER_BEGIN)
    response = post_json(client, REGISTER_COMPLETE)

    assert response.status_code == 200
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(codes)
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorMethod.AUTHENTICATOR_APP


def test_a_session_that_owes_a_code_cannot_add_a_passkey_instead(authenticator_makes_one):
    user = UserFactory()
    second_factor_give(user)
    client = signed_in_with_password(user)

    assert post_json(client, REGISTER_BEGIN).status_code == 403
    assert post_json(client, REGISTER_COMPLETE).status_code == 403
    assert client.get(PASSKEYS)["Location"].startswith(VERIFY)
    assert not WebAuthnCredential.objects.filter(user=user).exists()


def test_registering_needs_a_signed_in_account():
    response = post_json(Client(), REGISTER_BEGIN)

    assert response.status_code in (401, 403)


# --- Naming, listing and removing ----------------------------------------------------------------------------------


def test_the_account_page_lists_the_passkeys_with_when_added_and_last_used():
    user = UserFactory()
    second_factor_give(user)
    passkey_for(user, name="Work laptop")
    client = passed_with_code(user)

    page = client.get("/accounts/").content.decode()

    assert "Work laptop" in page
    assert "not used yet" in page
    assert "1 passkey; 10 recovery codes left" in page


def test_a_name_is_required_and_kept_short():
    user = UserFactory()
    second_factor_give(user)
    passkey = passkey_for(user)
    client = passed_with_code(user)
    url = f"/accounts/second-factor/passkeys/{passkey.pk}/name/"

    assert "Enter a name for your passkey" in client.post(url, {"name": " "}).content.decode()
    assert "64 characters or fewer" in client.post(url, {"name": "x" * 65}).content.decode()
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"


def test_another_persons_passkey_cannot_be_renamed_or_removed():
    user, other = UserFactory(), UserFactory()
    second_factor_give(user)
    theirs = passkey_for(other, name="Their phone")
    client = passed_with_code(user)

    assert client.get(f"/accounts/second-factor/passkeys/{theirs.pk}/name/").status_code == 404
    assert client.post(f"/accounts/second-factor/passkeys/{theirs.pk}/name/", {"name": "Mine"}).status_code == 404
    assert client.get(f"/accounts/second-factor/passkeys/{theirs.pk}/remove/").status_code == 404
    assert client.post(f"/accounts/second-factor/passkeys/{theirs.pk}/remove/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Their phone"
    with pytest.raises(NotAllowed):
        passkey_remove(user=other, passkey=theirs, actor=user)


def test_a_passkey_is_removed_after_a_confirmation():
    user = UserFactory()
    second_factor_give(user)
    passkey = passkey_for(user)
    client = passed_with_code(user)
    url = f"/accounts/second-factor/passkeys/{passkey.pk}/remove/"

    assert "Remove the passkey Work laptop" in client.get(url).content.decode()
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    response = client.post(url)

    assert response["Location"] == "/accounts/"
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert ModelLogEntry.objects.filter(action="capability.accounts.passkey_remove", user_id=user.pk).exists()


def test_the_last_factor_of_an_account_that_must_have_one_cannot_be_removed(required, authenticator_says_yes):
    user = UserFactory(roles=[Role.LEARNER, Role.HR_ANALYST])
    passkey = passkey_for(user)
    client = signed_in_with_password(user)
    post_json(client, AUTH_BEGIN)
    post_json(client, AUTH_COMPLETE, {"passkey": passkey.pk})

    response = client.post(f"/accounts/second-factor/passkeys/{passkey.pk}/remove/")

    assert response.status_code == 200
    assert "This is your only second factor, and your account must have one" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_removing_the_last_factor_of_an_account_that_need_not_have_one_removes_its_recovery_codes():
    user = UserFactory()
    passkey = passkey_for(user)
    StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True).token_set.create(token="abcd1234")

    passkey_remove(user=user, passkey=passkey, actor=user)

    assert not StaticDevice.objects.filter(user=user).exists()
    assert second_factor_owed_by(user=user) == SecondFactorOwed.NOTHING


def test_an_administrators_reset_deletes_passkeys_too():
    user = UserFactory()
    second_factor_give(user)
    passkey = passkey_for(user)
    WebAuthnAttestation.objects.create(credential=passkey, fmt="none", data=b"a", client_data_json=b"{}")
    WebAuthnUserHandle.objects.create(user=user)

    removed = second_factor_reset(user=user, actor=SuperuserFactory())

    assert removed == 3
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    assert not WebAuthnAttestation.objects.exists()
    assert not WebAuthnUserHandle.objects.filter(user=user).exists()


def test_the_administrators_reset_page_says_how_many_passkeys_go():
    user = UserFactory(first_name="Morgan", last_name="Hughes")
    passkey_for(user)
    superuser = SuperuserFactory()
    second_factor_give(superuser)
    client = passed_with_code(superuser)

    page = client.get(reverse("accounts_second_factor_reset", args=[user.pk])).content.decode()

    assert "Morgan Hughes has 1 passkey." in page
    assert "removes their authenticator app, passkeys and recovery codes" in page
