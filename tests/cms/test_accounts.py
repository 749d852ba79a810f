import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from cms.accounts.middleware import IDLE_EXTENDED_AT
from cms.accounts.services import user_create, user_roles_set
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def test_the_roles_migration_creates_one_group_per_role_and_nothing_else():
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(role.value for role in Role)


def test_sign_in_with_email_and_password_goes_to_the_dashboard(client):
    user = UserFactory(email="priya.shah@example.gov.uk")

    response = sign_in(client, "Priya.Shah@example.gov.uk", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/accounts/").context["user"] == user


def test_sign_in_with_a_wrong_password_shows_an_error_summary_and_keeps_the_email(client):
    UserFactory(email="priya.shah@example.gov.uk")

    response = sign_in(client, "priya.shah@example.gov.uk", "not-the-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a correct email address and password" in html
    assert 'value="priya.shah@example.gov.uk"' in html
    assert "<title>Error: Sign in" in html


def test_repeated_failures_lock_the_account_for_that_address_and_are_logged(client, settings):
    UserFactory(email="target@example.gov.uk")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "target@example.gov.uk", "guess").status_code == 200

    assert sign_in(client, "target@example.gov.uk", "guess").status_code == 429
    response = sign_in(client, "target@example.gov.uk", PASSWORD)

    assert response.status_code == 429
    assert "Sign-in locked for now" in response.content.decode()
    assert AccessAttempt.objects.get(ip_address="127.0.0.1").failures_since_start > settings.AXES_FAILURE_LIMIT
    assert AccessFailureLog.objects.count() == settings.AXES_FAILURE_LIMIT + 1


def test_the_lockout_is_per_account_so_others_can_still_sign_in_from_that_address(client, settings):
    UserFactory(email="target@example.gov.uk")
    UserFactory(email="colleague@example.gov.uk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@example.gov.uk", "guess")

    assert sign_in(client, "colleague@example.gov.uk", PASSWORD).status_code == 302


def test_sign_out_is_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    assert client.get("/accounts/sign-out/").status_code == 405
    response = client.post("/accounts/sign-out/")

    assert response["Location"] == "/accounts/signed-out/"
    assert client.get("/accounts/").status_code == 302


def test_a_session_idle_for_longer_than_the_timeout_is_signed_out(client, settings):
    client.force_login(UserFactory())
    assert client.get("/accounts/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    # The cached_db engine's copy in the cache expires at the same moment as the row (decision 0021).
    caches[settings.SESSION_CACHE_ALIAS].clear()

    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_each_request_pushes_the_idle_timeout_forward(client):
    client.force_login(UserFactory())
    # Since decision 0021 the expiry is pushed forward once it was last pushed more than a minute ago.
    session = client.session
    session[IDLE_EXTENDED_AT] -= 61
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))

    client.get("/accounts/")

    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=20)


def test_password_reset_sends_a_one_off_link_that_sets_a_new_password(client, django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@example.gov.uk")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "forgetful@example.gov.uk"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Capability password"
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response["Location"] == "/accounts/password-reset/complete/"
    assert sign_in(client, "forgetful@example.gov.uk", "a-brand-new-passphrase").status_code == 302
    client.post("/accounts/sign-out/")
    assert "has expired or has been used" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "nobody@example.gov.uk"})

    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_rejects_a_short_password_with_a_clear_error(client, django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@example.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "forgetful@example.gov.uk"})
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


def test_a_signed_in_user_without_admin_access_gets_403_rather_than_a_redirect_loop(client):
    client.force_login(UserFactory(roles=[Role.LEARNER]))

    response = client.get("/accounts/sign-in/?next=/admin/")

    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_user_roles_set_grants_the_admin_only_to_admin_roles_and_is_audited():
    actor = SuperuserFactory()
    user = user_create(email="new@example.gov.uk", first_name="New", last_name="Person", actor=actor)
    assert not user.is_staff
    assert not user.has_usable_password()

    user_roles_set(user=user, roles=[Role.CONTENT_EDITOR], actor=actor)

    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("wagtailadmin.access_admin")
    actions = list(ModelLogEntry.objects.filter(object_id=str(user.pk)).values_list("action", "user_id"))
    assert ("capability.accounts.create", actor.pk) in actions
    assert ("capability.accounts.roles_set", actor.pk) in actions


def test_user_roles_set_refuses_an_unknown_role():
    user = UserFactory()
    with pytest.raises(ValueError, match="not a valid Role"):
        user_roles_set(user=user, roles=["Astronaut"], actor=None)


def test_an_empty_sign_in_says_what_to_enter_in_each_field(client):
    html = client.post("/accounts/sign-in/", {"username": "", "password": ""}).content.decode()

    assert "Enter your email address" in html
    assert "Enter your password" in html
    assert 'href="#id_username"' in html


def test_someone_created_without_a_password_can_choose_one_through_the_reset_link(
    client, django_capture_on_commit_callbacks
):
    user = user_create(email="imported@example.gov.uk", first_name="Imported", last_name="Person", actor=None)
    assert not user.has_usable_password()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "imported@example.gov.uk"})

    assert [message.to for message in mail.outbox] == [["imported@example.gov.uk"]]


def test_a_switched_off_account_gets_no_reset_link(client, django_capture_on_commit_callbacks):
    UserFactory(email="left@example.gov.uk", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "left@example.gov.uk"})

    assert mail.outbox == []
