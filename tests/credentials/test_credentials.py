"""What a certificate's Open Badges credential says, the issuer's DID document and keys, the revocation status
list, and who may download a credential (the holder, their management chain, training administrators; 404 for
everyone else, and nothing logged for them)."""

import base64
import gzip
import json
import stat
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from frameworks.models import Framework
from skills.credentials.checks import credential_keys_check
from skills.credentials.credential import DOWNLOAD_ACTION, credential_build
from skills.credentials.keys import did_document, issuer_did
from skills.credentials.status_list import STATUS_LIST_PATH, encoded_list, status_list_url
from skills.models import STATUS_LIST_SIZE, CredentialKey, CredentialStatusList, Person
from skills.services.bulk import rows_insert
from skills.signals import certificate_revoked
from tests.cms.factories import UserFactory
from tests.credentials.conftest import make_certificate
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def decode(encoded: str) -> bytes:
    assert encoded.startswith("u")
    return gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))


def bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


# --- The credential ----------------------------------------------------------------------------------------------


def test_the_credential_of_a_course_certificate(certificate, settings):
    credential = credential_build(certificate)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"{settings.CAPABILITY_BASE_URL}/certificates/{certificate.token}/"
    assert credential["validFrom"] == "2026-01-10T00:00:00Z"
    assert credential["validUntil"] == "2029-01-10T00:00:00Z"
    assert credential["issuer"] == {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": settings.CAPABILITY_ISSUER_NAME,
        "url": settings.CAPABILITY_ISSUER_URL,
    }
    subject = credential["credentialSubject"]
    assert subject["id"] == f"urn:uuid:{certificate.holder.credential_subject_id}"
    assert certificate.holder.user.email not in json.dumps(credential)
    assert subject["name"] == "Ada Lovelace"
    achievement = subject["achievement"]
    assert achievement["name"] == "Agile foundations"
    assert achievement["achievementType"] == "Course"
    assert achievement["criteria"]["narrative"]
    assert achievement["alignment"] == [
        {"type": ["Alignment"], "targetName": "Agile foundations", "targetUrl": certificate.url}
    ]
    assert credential["credentialStatus"] == {
        "id": f"{status_list_url()}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": status_list_url(),
    }


def test_a_skill_certificate_aligns_to_the_skill_page_and_its_code_in_the_framework(keys_dir):
    framework = Framework.objects.filter(slug="ddat").first() or Framework.objects.create(
        slug="ddat", name="DDaT Capability Framework", kind="ddat"
    )
    certificate = make_certificate(
        kind="skill",
        award="skills.skill:ddat:DATA-ANALYSIS:3",
        title="Data analysis",
        url="https://capability.example/frameworks/ddat/skills/data-analysis/",
    )
    achievement = credential_build(certificate)["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Competency"
    assert achievement["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "Data analysis",
            "targetUrl": certificate.url,
            "targetCode": "DATA-ANALYSIS",
            "targetFramework": framework.name,
            "targetType": "ceasn:Competency",
        }
    ]


def test_a_certificate_without_expiry_has_no_valid_until_and_the_achievement_is_the_same_across_renewals(keys_dir):
    first = make_certificate(index=1, award="courses.course:9", expires_on=None)
    second = make_certificate(index=2, award="courses.course:9", holder=PersonFactory())
    assert "validUntil" not in credential_build(first)
    assert (
        credential_build(first)["credentialSubject"]["achievement"]["id"]
        == credential_build(second)["credentialSubject"]["achievement"]["id"]
    )
    assert credential_build(first)["credentialSubject"]["id"] != credential_build(second)["credentialSubject"]["id"]


def test_every_person_has_their_own_stable_subject_identifier():
    people = PersonFactory.create_batch(3)
    ids = {person.credential_subject_id for person in people}
    assert len(ids) == 3
    person = people[0]
    person.user.email = "changed@example.gov.uk"
    person.user.save()
    person.refresh_from_db()
    assert person.credential_subject_id in ids


def test_people_written_in_bulk_each_get_their_own_subject_identifier():
    """The HR feed writes new people with rows_insert (COPY on PostgreSQL): the random default is per row."""
    template = PersonFactory()
    users = [UserFactory() for _ in range(3)]
    rows_insert(
        Person,
        ["staff_number", "user_id", "org_unit_id", "grade_id", "updated_at"],
        [
            (f"BULK{n}", user.pk, template.org_unit_id, template.grade_id, timezone.now())
            for n, user in enumerate(users)
        ],
    )
    ids = set(Person.objects.filter(staff_number__startswith="BULK").values_list("credential_subject_id", flat=True))
    assert len(ids) == 3
    assert template.credential_subject_id not in ids


# --- The issuer: did:web and its keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "did"),
    [
        ("https://capability.example.gov.uk", "did:web:capability.example.gov.uk"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
        ("https://Capability.Example.gov.uk:8443/", "did:web:capability.example.gov.uk%3A8443"),
    ],
)
def test_the_issuer_is_a_did_web_of_the_public_domain(settings, base_url, did):
    settings.CAPABILITY_BASE_URL = base_url
    assert issuer_did() == did


def test_the_did_document_lists_both_keys_for_assertions(client, keys_dir, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    assert "max-age=300" in response["Cache-Control"]
    document = response.json()
    assert document == did_document()
    assert document["id"] == issuer_did()
    types = {method["type"] for method in document["verificationMethod"]}
    assert types == {"Multikey", "JsonWebKey"}
    assert document["assertionMethod"] == [method["id"] for method in document["verificationMethod"]]
    multikey = next(method for method in document["verificationMethod"] if method["type"] == "Multikey")
    assert multikey["publicKeyMultibase"].startswith("z6Mk")  # an Ed25519 public key in base58btc
    jwk = next(method for method in document["verificationMethod"] if method["type"] == "JsonWebKey")
    assert set(jwk["publicKeyJwk"]) == {"kty", "n", "e"}  # the public half only


def test_rotating_retires_the_keys_but_keeps_them_in_the_did_document(keys_dir):
    before = set(CredentialKey.objects.values_list("key_id", flat=True))
    call_command("credential_keys", "--rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert CredentialKey.objects.filter(retired_at__isnull=True).count() == 2
    assert set(CredentialKey.objects.filter(retired_at__isnull=False).values_list("key_id", flat=True)) == before
    listed = {method["id"].split("#")[1] for method in did_document()["verificationMethod"]}
    assert before < listed
    assert len(listed) == 4


def test_ensure_makes_only_what_is_missing_and_private_keys_stay_in_their_directory(keys_dir):
    keys = list(CredentialKey.objects.all())
    call_command("credential_keys", "--ensure", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(CredentialKey.objects.all()) == keys
    for key in keys:
        path = keys_dir / f"{key.key_id}.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "PRIVATE KEY" in path.read_text()
        assert "d" not in key.public_key
        assert "p" not in key.public_key


def test_a_lost_private_key_is_replaced_and_the_old_one_retired(keys_dir):
    lost = CredentialKey.objects.get(algorithm="ed25519")
    (keys_dir / f"{lost.key_id}.pem").unlink()
    call_command("credential_keys", "--ensure", stdout=open("/dev/null", "w"))  # noqa: SIM115
    lost.refresh_from_db()
    assert lost.retired_at is not None
    assert CredentialKey.objects.filter(algorithm="ed25519", retired_at__isnull=True).exists()


# --- Missing keys: a clear answer, never a trace ------------------------------------------------------------------


def test_without_keys_a_download_says_why_and_the_deployment_check_warns(client, settings, tmp_path):
    settings.CAPABILITY_CREDENTIAL_KEYS_DIR = tmp_path / "none"
    certificate = make_certificate()
    client.force_login(certificate.holder.user)
    response = client.get(reverse("skills:certificate-credential", args=[certificate.pk]))
    assert response.status_code == 503
    assert "cannot be downloaded at the moment" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).exists()
    assert {warning.id for warning in credential_keys_check()} == {"skills.W211"}


def test_with_keys_the_deployment_check_is_quiet(keys_dir):
    assert credential_keys_check() == []


# --- The status list ---------------------------------------------------------------------------------------------


def test_the_status_list_encoding(settings):
    bits = decode(encoded_list([0, 7, 4242, STATUS_LIST_SIZE - 1]))
    assert len(bits) * 8 == STATUS_LIST_SIZE == 131_072
    assert [index for index in (0, 1, 7, 8, 4242, STATUS_LIST_SIZE - 1) if bit(bits, index)] == [
        0,
        7,
        4242,
        STATUS_LIST_SIZE - 1,
    ]


def test_the_status_list_route_is_made_once_then_served_in_one_query(client, keys_dir, django_assert_num_queries):
    assert reverse("credential-status-list") == STATUS_LIST_PATH
    first = client.get(STATUS_LIST_PATH)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/ld+json"
    assert "max-age=300" in first["Cache-Control"]
    with django_assert_num_queries(1):
        second = client.get(STATUS_LIST_PATH)
    assert second.json() == first.json()
    credential = first.json()
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["id"] == status_list_url()
    assert credential["issuer"] == issuer_did()
    assert credential["validFrom"]
    assert credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert not any(decode(credential["credentialSubject"]["encodedList"]))


def test_a_revocation_makes_the_status_list_again_with_its_bit_set(
    client, keys_dir, django_capture_on_commit_callbacks
):
    kept, revoked = make_certificate(index=11), make_certificate(index=99_999, holder=PersonFactory())
    client.get(STATUS_LIST_PATH)
    revoked.revoked_at = timezone.now()
    revoked.revoked_reason = "Issued in error"
    revoked.save()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoked.send(sender=type(revoked), certificate=revoked)
    assert CredentialStatusList.objects.get().revoked_count == 1
    bits = decode(client.get(STATUS_LIST_PATH).json()["credentialSubject"]["encodedList"])
    assert bit(bits, 99_999)
    assert not bit(bits, 11)
    assert kept.status == "valid"


# --- Downloads: who may, and everyone else 404 ---------------------------------------------------------------------


@pytest.fixture
def chain(keys_dir):
    head = PersonFactory()
    manager = PersonFactory(line_manager=head)
    holder = PersonFactory(line_manager=manager)
    return head, manager, holder, make_certificate(holder)


def _downloads(client, user, certificate):
    client.force_login(user)
    return [
        client.get(reverse(name, args=[certificate.pk]))
        for name in ("skills:certificate-credential", "skills:certificate-credential-jwt")
    ]


def test_the_holder_downloads_both_forms_and_each_download_is_audited(client, chain):
    *_, holder, certificate = chain
    json_ld, jwt = _downloads(client, holder.user, certificate)
    assert json_ld.status_code == jwt.status_code == 200
    assert json_ld["Content-Type"] == "application/ld+json; charset=utf-8"
    assert json_ld["Content-Disposition"] == f'attachment; filename="certificate-{certificate.number}.json"'
    assert "no-store" in json_ld["Cache-Control"]
    assert json.loads(json_ld.content)["proof"]["type"] == "DataIntegrityProof"
    assert jwt["Content-Type"] == "application/jwt"
    assert jwt["Content-Disposition"] == f'attachment; filename="certificate-{certificate.number}.jwt"'
    assert jwt.content.count(b".") == 2
    entries = ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION, object_id=str(certificate.pk))
    assert sorted(entry.data["format"] for entry in entries) == ["json", "jwt"]
    assert {entry.user_id for entry in entries} == {holder.user_id}


def test_the_management_chain_and_a_training_administrator_may_download(client, chain):
    head, manager, _, certificate = chain
    admin = UserFactory()
    admin.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    for user in (head.user, manager.user, admin):
        assert [response.status_code for response in _downloads(client, user, certificate)] == [200, 200]


def test_anyone_else_gets_404_and_nothing_is_logged(client, chain):
    head, manager, holder, certificate = chain
    strangers = [
        PersonFactory(line_manager=holder).user,  # a report
        PersonFactory(line_manager=manager).user,  # a peer
        UserFactory(is_staff=True),  # an editor without a profile
        UserFactory(is_superuser=False),
    ]
    for user in strangers:
        assert [response.status_code for response in _downloads(client, user, certificate)] == [404, 404]
    client.force_login(holder.user)
    assert client.get(reverse("skills:certificate-credential", args=[certificate.pk + 1000])).status_code == 404
    assert not ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, chain):
    *_, certificate = chain
    response = client.get(reverse("skills:certificate-credential", args=[certificate.pk]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
    assert not ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).exists()


def test_a_download_answers_only_get(client, chain):
    *_, holder, certificate = chain
    client.force_login(holder.user)
    assert client.post(reverse("skills:certificate-credential", args=[certificate.pk])).status_code == 405


def test_issued_on_and_expiry_are_the_records_dates(keys_dir):
    certificate = make_certificate(issued_on=date(2025, 2, 28), expires_on=date(2026, 2, 28))
    credential = credential_build(certificate)
    assert (credential["validFrom"], credential["validUntil"]) == ("2025-02-28T00:00:00Z", "2026-02-28T00:00:00Z")
