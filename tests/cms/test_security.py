import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from cms.core.views import server_error
from cms.search import views
from tests.cms.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_a_content_security_policy_without_unsafe_inline_scripts(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'nonce-" in script_src
    nonce = script_src.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "frame-ancestors 'none'" in policy


def test_pages_send_the_basic_security_headers(client):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_for_a_signed_in_person_are_never_stored_by_a_cache(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")

    client.force_login(UserFactory())

    assert "no-store" in client.get("/")["Cache-Control"]
    assert "no-store" in client.get("/accounts/")["Cache-Control"]


def test_the_not_found_page_is_in_the_site_style(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-service-navigation" in response.content.decode()


def test_the_server_error_page_renders_without_touching_the_database(rf):

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@override_settings(DEBUG=False)
def test_an_unhandled_error_gets_the_500_page(client, monkeypatch):

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", explode)
    client.raise_request_exception = False

    response = client.get("/search/?q=x")

    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.content.decode()


def test_the_health_check_reports_the_database_reachable(client):
    assert client.get("/healthz/").json()["checks"]["database"] == {"ok": True}


def _import_production_settings(**env):
    clean = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import cms.settings.production"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without_each_required_variable(missing):
    env = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "capability.example", "DATABASE_URL": "postgres://db/capability"}
    del env[missing]

    result = _import_production_settings(**env)

    assert result.returncode != 0
    assert f"The environment variable {missing} is required" in result.stderr


def test_production_settings_start_with_the_required_variables_and_are_secure():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import cms.settings.production as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.SECURE_HSTS_SECONDS > 0, "
            "s.CAPABILITY_DEMO_LOADER_ALLOWED)",
        ],
        env={
            **os.environ,
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "capability.example",
            "DATABASE_URL": "postgres://db/capability",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "__Host-capability-session", "True", "False"]


@pytest.mark.parametrize(("conn_max_age", "expected"), [(None, "60"), ("0", "0"), ("300", "300")])
def test_production_settings_keep_database_connections_open_and_check_them_before_reuse(conn_max_age, expected):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_CONN_MAX_AGE"}
    if conn_max_age is not None:
        env["DATABASE_CONN_MAX_AGE"] = conn_max_age
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import cms.settings.production as s; "
            "print(s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
            "s.DATABASES['default']['ENGINE'])",
        ],
        env={
            **env,
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "capability.example",
            "DATABASE_URL": "postgres://db/capability",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    # Checked by the backend that asks the socket, not the server (decision 0226).
    assert result.stdout.split() == [expected, "True", "cms.core.postgresql"]


@pytest.mark.parametrize("query", ['"', 'data"', '"data modelling'])
def test_search_with_an_unbalanced_quote_answers_rather_than_failing(client, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


@override_settings(DEBUG=False)
@pytest.mark.parametrize("path", ["/", "/accounts/sign-in/", "/admin/", "/no-such-page/"])
def test_a_request_for_a_foreign_host_gets_a_quiet_400(client, caplog, path):
    client.raise_request_exception = False

    response = client.get(path, HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "attacker.example" not in response.content.decode()
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    assert [record for record in caplog.records if record.exc_info] == []
    assert "django.security.DisallowedHost" in [record.name for record in caplog.records]


@override_settings(DEBUG=False)
def test_a_sign_in_posted_to_a_foreign_host_is_refused_before_it_is_tried(client, caplog):

    client.raise_request_exception = False
    UserFactory(email="target@example.gov.uk")

    response = client.post(
        "/accounts/sign-in/", {"username": "target@example.gov.uk", "password": "guess"}, HTTP_HOST="attacker.example"
    )

    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()
