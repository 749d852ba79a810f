"""Finding 3 of issue 7: the production image's collectstatic failed, and the health check said "ok" anyway."""

import json
import re

import pytest
from django.test import override_settings

from cms.core import health as health_checks

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_the_production_settings_collect_the_static_files(production_static):
    assert production_static.returncode == 0, production_static.output
    manifest = json.loads((production_static.root / "staticfiles.json").read_text())
    assert "css/application.css" in manifest["paths"]
    # Passkeys' scripts are served from our own static files (decision 0216), not a CDN.
    assert {
        "django_otp_webauthn/otp_webauthn_auth.js",
        "django_otp_webauthn/otp_webauthn_register.js",
        "js/passkeys.mjs",
    } <= set(manifest["paths"])


def test_the_collected_styles_neither_ship_nor_reference_the_royal_crest(production_static):
    assert production_static.returncode == 0, production_static.output
    css = (production_static.root / "css" / "application.css").read_text()

    assert "crest" not in css
    assert not list(production_static.root.rglob("*crest*"))
    # Every image or font the styles name is one the build ships.
    for reference in re.findall(r"url\(\"?([^\")]+)\"?\)", css):
        if not reference.startswith("data:"):
            assert (production_static.root / reference.removeprefix("/static/").split("?")[0]).is_file(), reference


def test_the_health_check_fails_when_pages_cannot_be_served_for_want_of_the_static_manifest(client, tmp_path):
    with override_settings(STORAGES=PRODUCTION_STORAGES, STATIC_ROOT=tmp_path, DEBUG=False):
        health = client.get("/healthz/")
        # What the health check stands for: the home page cannot be served (nor can the 500 page).
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            client.get("/")

    assert health.status_code == 503
    assert health.json()["status"] == "unavailable"
    assert health.json()["checks"]["pages"]["ok"] is False
    assert health.json()["checks"]["database"] == {"ok": True}


def test_the_health_check_passes_when_the_production_manifest_is_collected(client, production_static):
    assert production_static.returncode == 0, production_static.output
    with override_settings(STORAGES=PRODUCTION_STORAGES, STATIC_ROOT=production_static.root, DEBUG=False):
        page = client.get("/")
        health = client.get("/healthz/")

    assert page.status_code == 200
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["checks"]["database"] == {"ok": True}
    assert health.json()["checks"]["pages"] == {"ok": True}


def test_the_health_check_fails_when_the_database_cannot_be_reached(client, monkeypatch):
    def unreachable():
        raise health_checks.HealthCheckFailed("the database did not answer")

    monkeypatch.setattr(health_checks, "CHECKS", [("database", unreachable), *health_checks.CHECKS[1:]])

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "the database did not answer"}
