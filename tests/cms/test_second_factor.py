"""Issue 14, a second factor: authenticator-app codes with recovery codes, required of admin roles and superusers
when CAPABILITY_SECOND_FACTOR_REQUIRED is on (off by default in the test settings: these tests turn it on), used by
anyone who has set one up, and reset by a user administrator (decision 0216)."""

import subprocess
import sys
from base64 import b32encode
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role, SecondFactorCheck, SecondFactorMethod, SecondFactorOwed
from cms.accounts.errors import NotAllowed
from cms.accounts.middleware import SecondFactorMiddleware
from cms.accounts.models import UserSession
from cms.accounts.second_factor import (
    SECOND_FACTOR_SESSION_KEY,
    second_factor_mark_passed,
    second_factor_passed,
)
from cms.accounts.services import second_factor_reset, second_factor_set_up_confirm, second_factor_verify
from tests.cms.conftest import ROOT, production_env
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory, second_factor_give, totp_code

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
VERIFY = "/accounts/second-factor/"
RECOVERY = "/accounts/second-factor/recovery/"
SET_UP = "/accounts/second-factor/set-up/"
CODES = "/accounts/second-factor/recovery-codes/"


@pytest.fixture
def required(settings):
    settings.CAPABILITY_SECOND_FACTOR_REQUIRED = True


def signed_in_with_password(user, next_url="/dashboard/"):
    client = Client()
    response = client.post(SIGN_IN, {"username": user.email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content
    return client


def user_administrator():
    """Someone who may change accounts without being a superuser: a custom group with Django's permission."""
    group = Group.objects.create(name="User administrators")
    group.permissions.add(Permission.objects.get(codename="change_user", content_type__app_label="accounts"))
    user = UserFactory(roles=[Role.LEARNER])
    user.groups.add(group)
    return user


# --- Required of administrators ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.HR_ANALYST, Role.CONTENT_EDITOR, Role.DATA_PROTECTION])
def test_an_admin_role_must_set_up_a_second_factor_before_reaching_anything_else(required, role):
    client = signed_in_with_password(UserFactory(roles=[Role.LEARNER, role]))

    for path in ("/dashboard/", "/admin/", "/accounts/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{SET_UP}?next={path.replace('/', '%2F')}"
    assert client.get(SET_UP).status_code == 200


def test_a_superuser_must_set_up_a_second_factor_when_it_is_required(required):
    client = signed_in_with_password(SuperuserFactory())

    assert client.get("/admin/")["Location"].startswith(SET_UP)


def test_nobody_is_made_to_set_one_up_when_the_requirement_is_off(settings):
    settings.CAPABILITY_SECOND_FACTOR_REQUIRED = False
    client = signed_in_with_password(SuperuserFactory())

    assert client.get("/admin/").status_code == 200


def test_a_learner_is_not_asked_for_a_second_factor_they_have_not_set_up(required):
    client = signed_in_with_password(UserFactory(roles=[Role.LEARNER]))

    assert client.get("/accounts/").status_code == 200


def test_a_session_owing_a_second_factor_can_still_sign_out(required):
    client = signed_in_with_password(UserFactory(roles=[Role.HR_ANALYST]))

    response = client.post("/accounts/sign-out/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- Set-up ---------------------------------------------------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_secret_as_text_and_a_right_code_gives_recovery_codes_once(required):
    user = UserFactory(roles=[Role.HR_ANALYST])
    client = signed_in_with_password(user)

    page = client.get(f"{SET_UP}?next=/admin/").content.decode()
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = "".join(page.split('id="secret-key">')[1].split("<")[0].split())
    assert 'src="data:image/png;base64,' in page
    assert secret == b32encode(pending.bin_key).decode()
    # A reload shows the same secret, so that a QR code already scanned still works.
    client.get(SET_UP)
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post(SET_UP, {"code": totp_code(user, pending=True), "next": "/admin/"})

    assert response["Location"] == f"{CODES}?next=%2Fadmin%2F"
    shown = client.get(response["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(f"{code[:4]}-{code[4:]}" in shown for code in codes)
    assert not any(code in client.get(CODES).content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action="capability.accounts.second_factor_set_up", user=user).exists()


def test_a_wrong_code_at_set_up_is_refused_with_an_error_and_nothing_is_set_up(required):
    user = UserFactory(roles=[Role.HR_ANALYST])
    client = signed_in_with_password(user)
    client.get(SET_UP)

    for wrong, message in [
        ("", "Enter the code from your authenticator app"),
        ("12ab56", "Enter the 6-digit code from your authenticator app, like 123456"),
        ("000000" if totp_code(user, pending=True) != "000000" else "111111", "The code is not right"),
    ]:
        response = client.post(SET_UP, {"code": wrong})
        assert response.status_code == 200
        page = response.content.decode()
        assert "There is a problem" in page
        assert message in page
        assert 'href="#id_code"' in page

    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get("/dashboard/")["Location"].startswith(SET_UP)


def test_setting_up_a_new_app_replaces_the_old_one_and_its_recovery_codes():
    user = UserFactory()
    old_codes = second_factor_give(user)
    old_device = TOTPDevice.objects.get(user=user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = SecondFactorMethod.AUTHENTICATOR_APP
    session.save()

    client.get(SET_UP)
    response = client.post(SET_UP, {"code": totp_code(user, pending=True)})

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [True]
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_a_session_that_owes_a_code_cannot_set_up_a_new_app_instead():
    user = UserFactory(roles=[Role.HR_ANALYST])
    second_factor_give(user)
    client = signed_in_with_password(user)

    response = client.get(SET_UP)

    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_nobody_sets_up_or_checks_a_second_factor_for_someone_else():
    user, other = UserFactory(), UserFactory()

    with pytest.raises(NotAllowed):
        second_factor_set_up_confirm(user=user, token="123456", actor=other)
    with pytest.raises(NotAllowed):
        second_factor_verify(user=user, token="123456", actor=other)


# --- Use at sign-in -------------------------------------------------------------------------------------------------


def test_someone_who_set_up_an_app_enters_its_code_after_their_password_even_when_not_required(settings):
    settings.CAPABILITY_SECOND_FACTOR_REQUIRED = False
    user = UserFactory(roles=[Role.LEARNER])
    second_factor_give(user)
    client = signed_in_with_password(user, next_url="/accounts/sessions/")

    assert client.get("/accounts/sessions/")["Location"] == f"{VERIFY}?next=%2Faccounts%2Fsessions%2F"
    key_before = client.session.session_key
    response = client.post(VERIFY, {"code": totp_code(user), "next": "/accounts/sessions/"})

    assert response["Location"] == "/accounts/sessions/"
    assert client.get("/accounts/sessions/").status_code == 200
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorMethod.AUTHENTICATOR_APP
    # A session with more power gets a new key; its record follows.
    assert client.session.session_key != key_before
    assert UserSession.objects.get(user=user).ended_at is None


def test_a_wrong_code_at_sign_in_is_refused_clearly_and_changes_nothing_else(required):
    user = UserFactory(roles=[Role.HR_ANALYST])
    second_factor_give(user)
    client = signed_in_with_password(user)
    wrong = "000000" if totp_code(user) != "000000" else "111111"

    response = client.post(VERIFY, {"code": wrong})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The code is not right. Enter the code your authenticator app shows now" in page
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_after_a_wrong_code_even_the_right_one_is_refused_until_the_wait_is_over(required):
    user = UserFactory(roles=[Role.HR_ANALYST])
    second_factor_give(user)
    client = signed_in_with_password(user)
    for _ in range(3):
        client.post(VERIFY, {"code": "000000" if totp_code(user) != "000000" else "111111"})

    response = client.post(VERIFY, {"code": totp_code(user)})

    assert "Too many tries after a wrong code. Wait a moment" in response.content.decode()
    assert client.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorOwed.CODE
    # Once the wait (1, 2, 4 … seconds after successive failures) is over, the right code works.
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))
    assert client.post(VERIFY, {"code": totp_code(user)}).status_code == 302
    assert TOTPDevice.objects.get(user=user).throttling_failure_count == 0


def test_a_code_is_accepted_once(required):
    user = UserFactory(roles=[Role.HR_ANALYST])
    second_factor_give(user)
    code = totp_code(user)

    assert second_factor_verify(user=user, token=code, actor=user) == SecondFactorCheck.ACCEPTED
    assert second_factor_verify(user=user, token=code, actor=user) == SecondFactorCheck.WRONG


def test_the_page_after_the_code_is_never_another_site():
    user = UserFactory()
    second_factor_give(user)
    client = signed_in_with_password(user)

    response = client.post(VERIFY, {"code": totp_code(user), "next": "https://evil.example/"})

    assert response["Location"] == "/dashboard/"


# --- Loss of the device ---------------------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_is_then_spent(required):
    user = UserFactory(roles=[Role.HR_ANALYST])
    codes = second_factor_give(user)
    client = signed_in_with_password(user)

    response = client.post(RECOVERY, {"code": f"{codes[0][:4]}-{codes[0][4:]}".upper(), "next": "/admin/"})

    assert response["Location"] == f"{SET_UP}?next=%2Fadmin%2F"
    page = client.get(response["Location"]).content.decode()
    assert "You signed in with a recovery code, which cannot be used again. You have 9 recovery codes left" in page
    assert "If you no longer have your authenticator app or passkey, set up a new one or add a passkey now" in page
    assert "Continue without setting up a new app" in page
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert ModelLogEntry.objects.filter(action="capability.accounts.second_factor_recovery_code_used").exists()

    again = signed_in_with_password(user)
    refused = again.post(RECOVERY, {"code": codes[0]})
    assert "The recovery code is not right, or has been used" in refused.content.decode()
    assert again.get("/admin/")["Location"].startswith(VERIFY)


# --- Reset by an administrator --------------------------------------------------------------------------------------


def reset_url(user):
    return f"/admin/accounts/{user.pk}/second-factor/reset/"


def test_a_superuser_resets_someones_second_factor_in_the_admin_and_they_must_set_it_up_again(required):
    person = UserFactory(roles=[Role.HR_ANALYST])
    second_factor_give(person)
    their_session = signed_in_with_password(person)
    admin = SuperuserFactory()
    second_factor_give(admin)
    client = Client()
    client.force_login(admin)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = SecondFactorMethod.AUTHENTICATOR_APP
    session.save()

    assert "Reset second factor" in client.get("/admin/users/").content.decode()
    assert "has an authenticator app set up (10 recovery codes left)" in client.get(reset_url(person)).content.decode()
    response = client.post(reset_url(person))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    entry = ModelLogEntry.objects.get(action="capability.accounts.second_factor_reset")
    assert entry.user_id == admin.pk
    assert entry.object_id == str(person.pk)
    # Signed out everywhere; at the next sign-in they set up a new app.
    assert their_session.get("/accounts/").status_code == 302
    assert signed_in_with_password(person).get("/admin/")["Location"].startswith(SET_UP)


def test_a_user_administrator_resets_a_learners_second_factor():
    person = UserFactory()
    second_factor_give(person)
    administrator = user_administrator()

    assert second_factor_reset(user=person, actor=administrator) == 2
    assert not TOTPDevice.objects.filter(user=person).exists()


@pytest.mark.parametrize("who", ["hr_analyst", "learner", "themselves", "user_administrator_for_a_superuser"])
def test_nobody_else_resets_a_second_factor(who):
    person = SuperuserFactory() if who == "user_administrator_for_a_superuser" else UserFactory()
    second_factor_give(person)
    actor = {
        "hr_analyst": lambda: UserFactory(roles=[Role.HR_ANALYST]),
        "learner": UserFactory,
        "themselves": lambda: person,
        "user_administrator_for_a_superuser": user_administrator,
    }[who]()
    client = Client()
    client.force_login(actor)

    assert client.get(reset_url(person)).status_code in (302, 403)
    assert client.post(reset_url(person)).status_code in (302, 403)
    with pytest.raises(NotAllowed):
        second_factor_reset(user=person, actor=actor)
    assert TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=person).count() == 10
    assert not ModelLogEntry.objects.filter(action="capability.accounts.second_factor_reset").exists()


def test_the_reset_button_is_not_shown_to_those_who_may_not_reset():
    person = SuperuserFactory()
    administrator = user_administrator()
    administrator.is_staff = True
    administrator.save()
    administrator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(administrator)

    page = client.get("/admin/users/").content.decode()

    assert reset_url(person) not in page


# --- The hook for single sign-on, and the cost -----------------------------------------------------------------------


def test_an_identity_providers_second_factor_satisfies_the_requirement(required):
    client = signed_in_with_password(SuperuserFactory())
    request = RequestFactory().get("/")
    request.session = client.session

    second_factor_mark_passed(request, method=SecondFactorMethod.IDENTITY_PROVIDER)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key

    assert second_factor_passed(request)
    assert client.get("/admin/").status_code == 200


def test_checking_the_second_factor_on_each_request_costs_no_query(django_assert_num_queries, required):
    user = UserFactory(roles=[Role.HR_ANALYST])
    client = signed_in_with_password(user)
    request = RequestFactory().get("/dashboard/")
    request.session = client.session
    request.user = user

    with django_assert_num_queries(0):
        response = SecondFactorMiddleware(lambda request: None)(request)

    assert response["Location"].startswith(SET_UP)
    assert request.session[SECOND_FACTOR_SESSION_KEY] == SecondFactorOwed.SET_UP


# --- The setting ----------------------------------------------------------------------------------------------------


def settings_value(module: str, **environment: str) -> str:
    env = {
        key: value for key, value in production_env(**environment).items() if key != "CAPABILITY_SECOND_FACTOR_REQUIRED"
    }
    env.update(environment, DJANGO_SETTINGS_MODULE=module)
    script = "from django.conf import settings; print(settings.CAPABILITY_SECOND_FACTOR_REQUIRED)"
    return subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_production_requires_a_second_factor_of_administrators_and_the_demo_does_not():
    assert settings_value("cms.settings.production") == "True"
    assert settings_value("cms.settings.dev") == "False"
    assert settings_value("cms.settings.dev", CAPABILITY_SECOND_FACTOR_REQUIRED="1") == "True"
