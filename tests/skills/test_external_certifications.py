"""Certifications earned elsewhere: the person records one with its evidence, their line manager (or the manager's
delegate, or a training administrator) confirms or rejects it with a reason, the person withdraws it while it waits
or corrects and resends it; every refusal leaves it unchanged, and the wrong users get 404 on every page."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.enums import ExternalCertificationStatus
from skills.models import Delegation, ExternalCertification, Notification
from skills.services import (
    CertificationDetails,
    ExternalCertificationError,
    NotAllowed,
    external_certification_decide,
    external_certification_record,
    external_certification_resubmit,
    external_certification_withdraw,
)
from skills.services.external_certifications import EVIDENCE_MAX_BYTES
from tests.cms.factories import UserFactory
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TODAY = date(2026, 12, 5)


def pdf(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def details(**changes) -> CertificationDetails:
    values = {
        "name": "AWS Certified Solutions Architect – Associate",
        "issuer": "Amazon Web Services",
        "credential_number": "AWS-123",
        "issued_on": date(2025, 3, 1),
        "expires_on": date(2028, 3, 1),
    }
    values.update(changes)
    return CertificationDetails(**values)


def record(person, **changes) -> ExternalCertification:
    return external_certification_record(
        person=person, details=details(**changes), evidence=pdf(), actor=person.user, today=TODAY
    )


def confirmed(person, manager, **changes) -> ExternalCertification:
    return external_certification_decide(certification=record(person, **changes), confirm=True, actor=manager.user)


@pytest.fixture
def team():
    head = PersonFactory(user=UserFactory(first_name="Hana", last_name="Head"))
    manager = PersonFactory(line_manager=head, user=UserFactory(first_name="Mo", last_name="Manager"))
    person = PersonFactory(line_manager=manager, user=UserFactory(first_name="Lee", last_name="Learner"))
    return head, manager, person


def training_administrator():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    return user


# --- services ------------------------------------------------------------------------------------------------------


def test_recording_one_waits_for_confirmation_stores_the_evidence_privately_and_tells_the_manager(
    team, django_capture_on_commit_callbacks
):
    _, manager, person = team

    with django_capture_on_commit_callbacks(execute=True):
        certification = record(person)

    assert certification.status == ExternalCertificationStatus.WAITING
    assert certification.evidence_type == "application/pdf"
    assert certification.evidence_name == "certificate.pdf"
    assert certification.evidence.name.startswith("external-certifications/")
    assert "certificate" not in certification.evidence.name  # a random name, not the uploaded one
    assert certification.evidence.storage.__class__.__name__ == "InMemoryStorage"  # STORAGES["evidence"]
    with certification.evidence.open("rb") as handle:
        assert handle.read() == PDF
    waiting = Notification.objects.get(kind="external_certification_waiting")
    assert waiting.user_id == manager.user_id
    assert ModelLogEntry.objects.filter(action="capability.skills.external_certification_record").count() == 1
    assert "Lee Learner asks you to confirm" in mail.outbox[-1].subject
    assert f"/skills/certificates/external/{certification.pk}/decide/" in mail.outbox[-1].body


def test_the_managers_delegate_today_is_told_too(team):
    _, manager, person = team
    cover = PersonFactory()
    Delegation.objects.create(
        delegator=manager, delegate=cover, starts_on=TODAY - timedelta(days=1), ends_on=TODAY + timedelta(days=400)
    )
    record(person)
    assert set(
        Notification.objects.filter(kind="external_certification_waiting").values_list("user_id", flat=True)
    ) == {
        manager.user_id,
        cover.user_id,
    }


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.txt", b"just text", content_type="application/pdf"), "must be a PDF, PNG or JPEG"),
        (SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf"), "ends .pdf but it is a PNG"),
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "empty"),
        (SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * EVIDENCE_MAX_BYTES), "smaller than 10 MB"),
    ],
)
def test_evidence_that_is_not_a_small_pdf_png_or_jpeg_is_refused_and_nothing_is_recorded(team, upload, message):
    _, _, person = team
    with pytest.raises(ExternalCertificationError, match=message):
        external_certification_record(person=person, details=details(), evidence=upload, actor=person.user, today=TODAY)
    assert not ExternalCertification.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issued_on": TODAY + timedelta(days=1)}, "today or in the past"),
        ({"expires_on": date(2025, 3, 1)}, "expiry date must be after"),
        ({"name": "AWS\nArchitect"}, "line break"),
        ({"issuer": "  "}, "who issued it"),
    ],
)
def test_bad_details_are_refused_with_what_to_do(team, changes, message):
    _, _, person = team
    with pytest.raises(ExternalCertificationError, match=message):
        record(person, **changes)
    assert not ExternalCertification.objects.exists()


def test_the_database_holds_the_invariants_whatever_the_caller():
    person = PersonFactory()
    base = {
        "person": person,
        "name": "X",
        "issuer": "Y",
        "issued_on": TODAY,
        "evidence": "external-certifications/a.pdf",
        "submitted_at": timezone.now(),
    }
    for broken in (
        {"expires_on": TODAY},  # not after the issue
        {"status": ExternalCertificationStatus.CONFIRMED},  # decided without a decision
        {"status": ExternalCertificationStatus.REJECTED, "decided_at": timezone.now()},  # rejected without a reason
        {"status": ExternalCertificationStatus.WITHDRAWN},  # withdrawn without when
        {"decided_at": timezone.now()},  # waiting with a decision
        {"status": "lost"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExternalCertification.objects.create(**base, **broken)


def test_only_the_person_records_withdraws_or_resends_theirs(team):
    head, manager, person = team
    with pytest.raises(NotAllowed):
        external_certification_record(person=person, details=details(), evidence=pdf(), actor=manager.user)
    certification = record(person)
    for actor in (manager.user, head.user, training_administrator()):
        with pytest.raises(NotAllowed):
            external_certification_withdraw(certification=certification, actor=actor)
    certification.refresh_from_db()
    assert certification.status == ExternalCertificationStatus.WAITING


def test_the_person_withdraws_one_while_it_waits_but_not_once_decided(team):
    _, manager, person = team
    certification = external_certification_withdraw(certification=record(person), actor=person.user)
    assert certification.status == ExternalCertificationStatus.WITHDRAWN
    assert certification.withdrawn_at is not None
    decided = confirmed(person, manager)
    with pytest.raises(ExternalCertificationError, match="Only a certification waiting"):
        external_certification_withdraw(certification=decided, actor=person.user)


def test_the_line_manager_confirms_and_the_person_is_told(team, django_capture_on_commit_callbacks):
    _, manager, person = team
    with django_capture_on_commit_callbacks(execute=True):
        certification = confirmed(person, manager)
    assert certification.status == ExternalCertificationStatus.CONFIRMED
    assert certification.decided_by == manager.user
    assert "is confirmed" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [person.user.email]


def test_rejecting_needs_a_reason_and_the_person_can_correct_it_and_send_it_again(
    team, django_capture_on_commit_callbacks
):
    _, manager, person = team
    certification = record(person)
    with pytest.raises(ExternalCertificationError, match="Enter why"):
        external_certification_decide(certification=certification, confirm=False, reason=" ", actor=manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        rejected = external_certification_decide(
            certification=certification, confirm=False, reason="The date on the scan is 2024.", actor=manager.user
        )
    assert rejected.status == ExternalCertificationStatus.REJECTED
    assert "was not confirmed" in mail.outbox[-1].subject
    assert "The date on the scan is 2024." in mail.outbox[-1].body

    again = external_certification_resubmit(
        certification=rejected, details=details(issued_on=date(2024, 3, 1)), actor=person.user, today=TODAY
    )

    assert again.status == ExternalCertificationStatus.WAITING
    assert again.decided_at is None
    assert again.decision_reason == ""
    assert again.issued_on == date(2024, 3, 1)
    assert again.evidence_name == "certificate.pdf"  # kept: no new file was chosen
    log = ModelLogEntry.objects.filter(action="capability.skills.external_certification_decide").get()
    assert log.data["reason"] == "The date on the scan is 2024."  # the earlier decision stays on record
    assert Notification.objects.filter(kind="external_certification_waiting").count() == 2


def test_only_a_rejected_one_can_be_resent(team):
    _, _, person = team
    with pytest.raises(ExternalCertificationError, match="not confirmed can be changed"):
        external_certification_resubmit(certification=record(person), details=details(), actor=person.user)


def test_a_delegate_and_a_training_administrator_may_decide(team):
    _, manager, person = team
    cover = PersonFactory()
    Delegation.objects.create(
        delegator=manager, delegate=cover, starts_on=TODAY - timedelta(days=1), ends_on=TODAY + timedelta(days=400)
    )
    assert (
        external_certification_decide(certification=record(person), confirm=True, actor=cover.user).status
        == "confirmed"
    )
    admin = training_administrator()
    assert external_certification_decide(certification=record(person), confirm=True, actor=admin).status == "confirmed"


def test_nobody_else_decides_and_nothing_changes(team):
    head, manager, person = team
    certification = record(person)
    colleague = PersonFactory(line_manager=manager)
    outsider = PersonFactory()
    for actor in (person.user, colleague.user, outsider.user, head.user):  # the chain above sees, but does not decide
        with pytest.raises(NotAllowed):
            external_certification_decide(certification=certification, confirm=True, actor=actor)
    certification.refresh_from_db()
    assert certification.status == ExternalCertificationStatus.WAITING


def test_a_training_administrator_does_not_confirm_their_own(team):
    admin = training_administrator()
    admin_person = PersonFactory(user=admin)
    with pytest.raises(NotAllowed):
        external_certification_decide(certification=record(admin_person), confirm=True, actor=admin)


def test_a_decided_one_is_not_decided_again(team):
    _, manager, person = team
    certification = confirmed(person, manager)
    with pytest.raises(ExternalCertificationError, match="no longer waiting"):
        external_certification_decide(certification=certification, confirm=False, reason="x", actor=manager.user)


# --- pages -----------------------------------------------------------------------------------------------------------


def _form(**changes):
    data = {
        "name": "PRINCE2 Foundation",
        "issuer": "PeopleCert",
        "credential_number": "",
        "issued_on_0": "1",
        "issued_on_1": "3",
        "issued_on_2": "2025",
        "expires_on_0": "1",
        "expires_on_1": "3",
        "expires_on_2": "2028",
        "evidence": pdf("prince2.pdf"),
    }
    data.update(changes)
    return data


def test_the_record_form_records_one_and_the_list_shows_it(team):
    _, _, person = team
    client = client_for(person)
    assert client.get("/skills/certificates/external/record/").status_code == 200

    response = client.post("/skills/certificates/external/record/", _form())

    certification = ExternalCertification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/skills/certificates/external/{certification.pk}/"
    listing = client.get("/skills/certificates/external/").content.decode()
    assert "PRINCE2 Foundation" in listing
    assert "Waiting for confirmation" in listing


def test_the_record_form_keeps_what_was_typed_when_something_is_wrong(team):
    _, _, person = team
    client = client_for(person)

    response = client.post(
        "/skills/certificates/external/record/",
        _form(expires_on_2="2024", evidence=SimpleUploadedFile("scan.pdf", b"plain text")),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The expiry date must be after the date it was issued" in html
    assert 'value="PRINCE2 Foundation"' in html
    assert 'value="PeopleCert"' in html
    assert not ExternalCertification.objects.exists()

    response = client.post(
        "/skills/certificates/external/record/", _form(evidence=SimpleUploadedFile("scan.pdf", b"plain text"))
    )
    html = response.content.decode()
    assert "The selected file must be a PDF, PNG or JPEG" in html
    assert 'value="PRINCE2 Foundation"' in html
    assert not ExternalCertification.objects.exists()


def test_the_manager_decides_from_the_queue(team):
    _, manager, person = team
    certification = record(person)
    client = client_for(manager)
    queue = client.get("/skills/certificates/external/to-confirm/").content.decode()
    assert "Lee Learner" in queue
    assert certification.name in queue

    refused = client.post(
        f"/skills/certificates/external/{certification.pk}/decide/", {"decision": "reject", "reason": ""}
    )
    assert "Enter why it is not confirmed" in refused.content.decode()
    certification.refresh_from_db()
    assert certification.status == ExternalCertificationStatus.WAITING

    response = client.post(f"/skills/certificates/external/{certification.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.status == ExternalCertificationStatus.CONFIRMED
    assert "Nothing is waiting for you" in client.get("/skills/certificates/external/to-confirm/").content.decode()


def test_the_person_corrects_a_rejected_one_on_its_page(team):
    _, manager, person = team
    certification = external_certification_decide(
        certification=record(person), confirm=False, reason="Wrong year", actor=manager.user
    )
    client = client_for(person)
    page = client.get(f"/skills/certificates/external/{certification.pk}/edit/").content.decode()
    assert "Wrong year" in page
    assert 'value="AWS-123"' in page

    response = client.post(
        f"/skills/certificates/external/{certification.pk}/edit/",
        _form(name="AWS SAA", evidence="", credential_number="AWS-124"),
    )

    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.status == ExternalCertificationStatus.WAITING
    assert certification.credential_number == "AWS-124"


def test_the_evidence_is_a_private_download_for_those_who_may_see_it(team):
    head, manager, person = team
    certification = record(person)
    admin = training_administrator()
    PersonFactory(user=admin)
    for viewer in (person.user, manager.user, head.user, admin):
        client = Client()
        client.force_login(viewer)
        response = client.get(f"/skills/certificates/external/{certification.pk}/evidence/")
        assert response.status_code == 200, viewer
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]


def test_the_wrong_users_get_404_on_every_route_and_nothing_changes(team, client):
    head, manager, person = team
    certification = record(person)
    colleague = PersonFactory(line_manager=manager)  # another learner in the same team
    other_manager = PersonFactory()
    PersonFactory(line_manager=other_manager)  # a manager outside the chain
    base = f"/skills/certificates/external/{certification.pk}"
    for attacker in (colleague, other_manager):
        attack = client_for(attacker)
        for url in (f"{base}/", f"{base}/evidence/", f"{base}/edit/", f"{base}/decide/"):
            assert attack.get(url).status_code == 404, (attacker, url)
        assert attack.post(f"{base}/decide/", {"decision": "confirm"}).status_code == 404
        assert attack.post(f"{base}/withdraw/").status_code == 404
        assert attack.post(f"{base}/edit/", _form()).status_code == 404
        assert certification.name not in attack.get("/skills/certificates/external/to-confirm/").content.decode()
    # The chain above sees it, but only the person changes it and only a decider decides it.
    chain = client_for(head)
    assert chain.get(f"{base}/").status_code == 200
    assert chain.get(f"{base}/decide/").status_code == 404
    assert chain.post(f"{base}/withdraw/").status_code == 404
    assert client_for(manager).post(f"{base}/withdraw/").status_code == 404
    assert client_for(person).post(f"{base}/decide/", {"decision": "confirm"}).status_code == 404
    for url in (f"{base}/", f"{base}/evidence/", "/skills/certificates/external/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]
    certification.refresh_from_db()
    assert certification.status == ExternalCertificationStatus.WAITING
    assert ModelLogEntry.objects.filter(action__startswith="capability.skills.external_certification").count() == 1


def test_an_unknown_certification_is_404():
    client = client_for(PersonFactory())
    assert client.get("/skills/certificates/external/999999/").status_code == 404
    assert client.get("/skills/certificates/external/999999/evidence/").status_code == 404


def test_a_training_administrator_without_a_skills_profile_decides_from_the_queue(team):
    _, _, person = team
    certification = record(person)
    client = Client()
    client.force_login(training_administrator())
    assert certification.name in client.get("/skills/certificates/external/to-confirm/").content.decode()
    assert client.get(f"/skills/certificates/external/{certification.pk}/evidence/").status_code == 200
    response = client.post(f"/skills/certificates/external/{certification.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.status == ExternalCertificationStatus.CONFIRMED


def test_an_account_without_a_profile_or_the_permission_sees_nothing(team):
    _, _, person = team
    certification = record(person)
    client = Client()
    client.force_login(UserFactory())
    assert "Nothing is waiting for you" in client.get("/skills/certificates/external/to-confirm/").content.decode()
    for url in ("", "evidence/", "decide/"):
        assert client.get(f"/skills/certificates/external/{certification.pk}/{url}").status_code == 404


# The queue's queries, whatever its length: the account and its session record, the person; the account's
# permissions (two: is it a training administrator?); the count and the page of 50 with each person's account
# (the delegations to the viewer are a subquery of both).
QUEUE_PAGE_QUERIES = 6


def test_the_queue_shows_50_a_page_with_the_same_queries_for_2_waiting_and_for_60(django_assert_num_queries):
    small, large = PersonFactory(), PersonFactory()
    for manager, size in ((small, 2), (large, 60)):
        for _ in range(size):
            record(PersonFactory(line_manager=manager))
        client = client_for(manager)
        for url in ("/skills/certificates/external/to-confirm/", "/skills/certificates/external/to-confirm/?page=2"):
            client.get(url)
            with django_assert_num_queries(QUEUE_PAGE_QUERIES):
                response = client.get(url)
            assert response.status_code == 200
    html = client_for(large).get("/skills/certificates/external/to-confirm/").content.decode()
    assert "60 waiting, showing 1 to 50" in html
    assert 'class="govuk-pagination' in html
