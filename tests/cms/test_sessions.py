"""Finding 18 of issue 7: an absolute session lifetime, and a page where a person sees and ends their other
sessions."""

import logging
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from wagtail.models import ModelLogEntry

from cms.accounts.enums import SessionEndReason
from cms.accounts.middleware import SESSION_ROW, SIGNED_IN_AT
from cms.accounts.models import UserSession
from cms.accounts.services import user_sessions_end_all
from tests.cms.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
CHROME_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def signed_in_client(user, user_agent):
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client):
    return client.get("/accounts/").status_code == 200


def test_a_session_ends_after_the_absolute_lifetime_however_busy_it_has_been(settings):
    user = UserFactory()
    client = signed_in_client(user, FIREFOX_ON_WINDOWS)
    assert is_signed_in(client)
    session = client.session
    session[SIGNED_IN_AT] -= settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() + 1
    session.save()

    response = client.get("/accounts/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert UserSession.objects.get(user=user).end_reason == SessionEndReason.LIFETIME_REACHED


def test_the_absolute_lifetime_is_set_by_an_environment_variable():

    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SESSION_ABSOLUTE_LIFETIME)"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "SESSION_ABSOLUTE_LIFETIME_HOURS": "4"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )

    assert result.stdout.strip() == "4:00:00", result.stderr


def test_a_person_sees_where_they_are_signed_in_without_keys_or_addresses():
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    signed_in_client(user, SAFARI_ON_IPHONE)

    account = laptop.get("/accounts/").content.decode()
    assert 'href="/accounts/sessions/"' in account
    html = laptop.get("/accounts/sessions/").content.decode()

    assert "Where you are signed in" in html
    assert "Firefox on Windows" in html
    assert "This device" in html
    assert "Safari on iOS" in html
    assert "127.0.0.1" not in html
    for session_key in Session.objects.values_list("session_key", flat=True):
        assert session_key not in html
    assert not UserSession.objects.filter(session_key_hash__in=Session.objects.values("session_key")).exists()


def test_ending_another_session_signs_that_device_out_and_is_audited(caplog):
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    phone = signed_in_client(user, SAFARI_ON_IPHONE)
    phone_session = UserSession.objects.get(user=user, device="Safari on iOS")
    caplog.set_level(logging.INFO, logger="cms.security")
    logging.getLogger("cms.security").addHandler(caplog.handler)

    response = laptop.post(f"/accounts/sessions/{phone_session.public_id}/end/", follow=True)

    logging.getLogger("cms.security").removeHandler(caplog.handler)
    assert "You signed out of Safari on iOS" in response.content.decode()
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert "Safari on iOS" not in laptop.get("/accounts/sessions/").content.decode()
    entry = ModelLogEntry.objects.get(action="capability.accounts.sessions_end")
    assert (entry.object_id, entry.user_id, entry.data["sessions"]) == (str(user.pk), user.pk, 1)
    assert f"sessions_ended user_id={user.pk} count=1" in caplog.text


def test_signing_out_of_all_other_devices_keeps_this_one():
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    phone = signed_in_client(user, SAFARI_ON_IPHONE)
    desktop = signed_in_client(user, CHROME_ON_LINUX)

    response = laptop.post("/accounts/sessions/end-others/", follow=True)

    assert "You signed out of 2 other devices" in response.content.decode()
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not is_signed_in(desktop)


def test_nobody_can_end_someone_elses_session():
    owner = UserFactory()
    intruder = UserFactory()
    owners_phone = signed_in_client(owner, SAFARI_ON_IPHONE)
    intruders_client = signed_in_client(intruder, FIREFOX_ON_WINDOWS)
    target = UserSession.objects.get(user=owner)

    response = intruders_client.post(f"/accounts/sessions/{target.public_id}/end/")

    assert response.status_code == 404
    assert is_signed_in(owners_phone)
    target.refresh_from_db()
    assert target.ended_at is None


def test_signing_out_ends_the_recorded_session():
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    phone = signed_in_client(user, SAFARI_ON_IPHONE)

    phone.post("/accounts/sign-out/")

    assert UserSession.objects.get(device="Safari on iOS").end_reason == SessionEndReason.SIGNED_OUT
    assert "Safari on iOS" not in laptop.get("/accounts/sessions/").content.decode()


def test_a_session_whose_key_changes_on_a_password_change_stays_one_session():
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    new_password = "lantern-orbit-pebble-mosaic"

    laptop.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    html = laptop.get("/accounts/sessions/").content.decode()

    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 1
    assert "You are not signed in anywhere else" in html


def test_idle_sessions_are_not_listed(settings):
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    signed_in_client(user, SAFARI_ON_IPHONE)
    UserSession.objects.filter(device="Safari on iOS").update(
        last_seen_at=UserSession.objects.get(device="Safari on iOS").last_seen_at
        - timedelta(seconds=settings.SESSION_COOKIE_AGE + 120)
    )

    assert "Safari on iOS" not in laptop.get("/accounts/sessions/").content.decode()


def test_changing_the_password_signs_out_every_other_device_and_says_so():
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    phone = signed_in_client(user, SAFARI_ON_IPHONE)
    new_password = "lantern-orbit-pebble-mosaic"

    response = laptop.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        follow=True,
    )

    assert "You have been signed out of 1 other device." in response.content.decode()
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert UserSession.objects.get(device="Safari on iOS").end_reason == SessionEndReason.CREDENTIALS_CHANGED
    entry = ModelLogEntry.objects.get(action="capability.accounts.sessions_end")
    assert entry.data == {"sessions": 1, "reason": "credentials_changed"}


def test_resetting_the_password_ends_every_recorded_session(django_capture_on_commit_callbacks):

    user = UserFactory(email="forgetful@example.gov.uk")
    phone = signed_in_client(user, SAFARI_ON_IPHONE)
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post("/accounts/password-reset/", {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = visitor.get(link, follow=True).redirect_chain[-1][0]

    visitor.post(
        form_url, {"new_password1": "lantern-orbit-pebble-mosaic", "new_password2": "lantern-orbit-pebble-mosaic"}
    )

    assert not is_signed_in(phone)
    assert not UserSession.objects.filter(user=user, ended_at__isnull=True).exists()


def test_user_sessions_end_all_lets_other_code_sign_a_person_out_everywhere():

    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    phone = signed_in_client(user, SAFARI_ON_IPHONE)

    assert user_sessions_end_all(user=user, reason=SessionEndReason.CREDENTIALS_CHANGED, actor=None) == 2

    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_nobody_but_the_owner_ends_sessions_through_the_service():

    owner = UserFactory()
    signed_in_client(owner, SAFARI_ON_IPHONE)

    with pytest.raises(PermissionDenied):
        user_sessions_end_all(user=owner, reason=SessionEndReason.ENDED_BY_USER, actor=UserFactory())
    assert UserSession.objects.filter(user=owner, ended_at__isnull=True).count() == 1


def test_a_session_that_names_another_accounts_record_is_signed_out_and_that_record_is_untouched():
    # The account and its session record are one read (decision 0223): a session whose record is someone else's
    # finds no row for its own account and ends, as it did when they were two reads.
    victim, intruder = UserFactory(), UserFactory()
    victims_phone = signed_in_client(victim, SAFARI_ON_IPHONE)
    intruders_laptop = signed_in_client(intruder, FIREFOX_ON_WINDOWS)
    victims_record = UserSession.objects.get(user=victim)
    session = intruders_laptop.session
    session[SESSION_ROW] = victims_record.pk
    session.save()
    seen = victims_record.last_seen_at

    assert not is_signed_in(intruders_laptop)
    victims_record.refresh_from_db()
    assert (victims_record.ended_at, victims_record.last_seen_at) == (None, seen)
    assert is_signed_in(victims_phone)


def test_a_deactivated_account_is_signed_out_though_its_session_record_is_open():
    user = UserFactory()
    laptop = signed_in_client(user, FIREFOX_ON_WINDOWS)
    assert is_signed_in(laptop)

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert not is_signed_in(laptop)
    assert laptop.get("/accounts/").status_code == 302
