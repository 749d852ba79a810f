"""Finding 10 of issue 7: the client address behind the proxy, for lock-outs; nobody else may choose it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from axes.models import AccessAttempt
from django.core import mail

from tests.cms.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"
CLIENT = "203.0.113.5"
OTHER_CLIENT = "198.51.100.7"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = [PROXY]


def sign_in(client, email, password, *, remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/accounts/sign-in/", {"username": email, "password": password}, **extra)


def test_behind_the_proxy_a_lockout_is_keyed_on_the_client_not_on_the_proxy(client, settings):
    UserFactory(email="target@example.gov.uk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@example.gov.uk", "a-wrong-guess", remote_addr=PROXY, forwarded_for=CLIENT)

    assert (
        sign_in(client, "target@example.gov.uk", PASSWORD, remote_addr=PROXY, forwarded_for=CLIENT).status_code == 429
    )
    # The real owner, coming through the same proxy from elsewhere, is not locked out by the attacker.
    response = sign_in(client, "target@example.gov.uk", PASSWORD, remote_addr=PROXY, forwarded_for=OTHER_CLIENT)
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) <= {CLIENT}


def test_a_spoofed_extra_hop_does_not_move_the_lockout(client, settings):
    UserFactory(email="target@example.gov.uk")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker writes a header of their own; the proxy appends the address it really saw.
        sign_in(
            client, "target@example.gov.uk", "a-wrong-guess", remote_addr=PROXY, forwarded_for=f"192.0.2.{n}, {CLIENT}"
        )

    response = sign_in(
        client, "target@example.gov.uk", PASSWORD, remote_addr=PROXY, forwarded_for=f"{OTHER_CLIENT}, {CLIENT}"
    )

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True).distinct()) == [CLIENT]


def test_a_client_reaching_the_app_directly_cannot_choose_its_address(client, settings):
    UserFactory(email="target@example.gov.uk")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@example.gov.uk", "a-wrong-guess", remote_addr=CLIENT, forwarded_for=f"192.0.2.{n}")

    response = sign_in(client, "target@example.gov.uk", PASSWORD, remote_addr=CLIENT, forwarded_for=OTHER_CLIENT)

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True).distinct()) == [CLIENT]


def test_an_unreadable_forwarded_address_from_the_proxy_falls_back_to_the_proxy(client):
    UserFactory(email="target@example.gov.uk")

    sign_in(client, "target@example.gov.uk", "a-wrong-guess", remote_addr=PROXY, forwarded_for="not-an-address")

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


def test_password_reset_limits_are_kept_per_client_behind_the_proxy(
    client, settings, django_capture_on_commit_callbacks
):

    UserFactory(email="target@example.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT + 2):
            client.post(
                "/accounts/password-reset/",
                {"email": "target@example.gov.uk"},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=CLIENT,
            )
        client.post(
            "/accounts/password-reset/",
            {"email": "target@example.gov.uk"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=OTHER_CLIENT,
        )

    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT + 1


def test_settings_refuse_to_trust_every_address_as_a_proxy():
    result = subprocess.run(
        [sys.executable, "-c", "import cms.settings.production"],
        env={
            **os.environ,
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "capability.example",
            "DATABASE_URL": "postgres://db/capability",
            "FORWARDED_ALLOW_IPS": "*",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS must list the proxies' addresses or networks, not '*'" in result.stderr


def test_the_compose_stack_publishes_the_web_port_to_the_host_only_and_gunicorn_trusts_no_one_by_default():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    published = [port for service in compose["services"].values() for port in service.get("ports", [])]
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert published
    assert all(str(port).startswith("127.0.0.1:") for port in published)
    assert "forwarded-allow-ips" not in dockerfile
    assert "FORWARDED_ALLOW_IPS=*" not in (ROOT / ".env.example").read_text()


@pytest.mark.parametrize(("remote_addr", "believed"), [(CLIENT, False), (PROXY, True)])
def test_only_the_proxy_may_say_a_request_came_over_https(client, settings, remote_addr, believed):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/accounts/sign-in/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_PROTO="https")

    assert (response.status_code == 200) is believed
    if not believed:
        assert response.status_code == 301
        assert response["Location"].startswith("https://")
