"""Capability's credentials, verified by an independent verifier from the npm registry (tests/credentials/
verify.mjs: Digital Bazaar's VC libraries and jose), against the running service: the issuer's did:web and the
status list are fetched from pytest-django's live server, as a wallet would fetch them from the real one.

Skipped only when node is missing, and failed then under CAPABILITY_REQUIRE_SERVICES=1 (as in CI)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from skills.credentials.credential import credential_jwt, credential_signed
from skills.credentials.keys import credential_keys_rotate
from skills.signals import certificate_revoked
from tests.conftest import REQUIRE_SERVICES
from tests.credentials.conftest import make_certificate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VERIFIER = Path(__file__).with_name("verify.mjs")
NODE = shutil.which("node")
# Characters where RDFC-1.0 and pyld's URDNA2015 writer could differ, and text beyond ASCII.
AWKWARD = 'Tab\there, "quotes", back\\slash, new\nline, CR\r, bell\x07, form\x0cfeed, Ünïcödé — 日本語 ✓'


@pytest.fixture
def server(live_server, settings, keys_dir):
    if NODE is None:
        if REQUIRE_SERVICES:
            pytest.fail("needs node for the credential verifier (CAPABILITY_REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip("needs node: apt-get install nodejs, then npm ci")
    settings.CAPABILITY_BASE_URL = live_server.url
    return live_server.url


def verify(server: str, payload: dict) -> dict:
    completed = subprocess.run(
        [NODE, str(VERIFIER), server],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=VERIFIER.parent.parent.parent,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_a_credential_verifies_in_both_forms(server):
    certificate = make_certificate()
    result = verify(server, {"credential": credential_signed(certificate)})
    assert result == {"verified": True, "proofVerified": True, "revoked": False, "error": None}
    assert verify(server, {"jwt": credential_jwt(certificate)})["verified"] is True


def test_awkward_names_and_criteria_verify(server):
    certificate = make_certificate(
        holder=None, title=AWKWARD, url="https://capability.example/training/x/?a=1&b=\u00e9"
    )
    certificate.holder.user.first_name = 'Zoë\tO\'Brien "Jr"'
    certificate.holder.user.last_name = "Back\\slash 名前"
    certificate.holder.user.save()
    credential = credential_signed(certificate)
    assert credential["credentialSubject"]["achievement"]["name"] == AWKWARD
    assert verify(server, {"credential": credential}) == {
        "verified": True,
        "proofVerified": True,
        "revoked": False,
        "error": None,
    }
    assert verify(server, {"jwt": credential_jwt(certificate)})["verified"] is True


def test_a_tampered_credential_fails(server):
    certificate = make_certificate()
    credential = credential_signed(certificate)
    credential["credentialSubject"]["achievement"]["name"] = "Something grander"
    result = verify(server, {"credential": credential})
    assert result["verified"] is False
    assert result["proofVerified"] is False


def test_a_tampered_jwt_fails(server):
    header, payload, signature = credential_jwt(make_certificate()).split(".")
    forged = signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")
    assert verify(server, {"jwt": f"{header}.{payload}.{forged}"})["verified"] is False


def test_a_revoked_certificate_fails_the_status_check(server, django_capture_on_commit_callbacks):
    certificate, other = make_certificate(index=4242), make_certificate(index=17)
    credential = credential_signed(certificate)
    assert verify(server, {"credential": credential})["verified"] is True

    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = "Issued in error"
    certificate.save()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoked.send(sender=type(certificate), certificate=certificate)

    result = verify(server, {"credential": credential})
    assert result["verified"] is False
    assert result["proofVerified"] is True
    assert result["revoked"] is True
    assert verify(server, {"jwt": credential_jwt(certificate)})["revoked"] is True
    assert verify(server, {"credential": credential_signed(other)})["verified"] is True


def test_credentials_signed_before_a_rotation_still_verify(server):
    certificate = make_certificate()
    before, before_jwt = credential_signed(certificate), credential_jwt(certificate)
    credential_keys_rotate()
    after = credential_signed(certificate)
    assert after["proof"]["verificationMethod"] != before["proof"]["verificationMethod"]
    assert verify(server, {"credential": before})["verified"] is True
    assert verify(server, {"jwt": before_jwt})["verified"] is True
    assert verify(server, {"credential": after})["verified"] is True
