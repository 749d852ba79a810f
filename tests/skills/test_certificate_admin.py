"""The certificates admin: training administrators list, filter and search every certificate, issue one by hand for
a live course (offered by courses through the awards hook) and revoke one, each with a reason; anyone else gets
Wagtail's refusal and nothing changes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.accounts.enums import Role
from skills.models import AssessmentPolicy, Certificate
from skills.services import certificate_issue_by_hand, certificate_revoke
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.conftest import page_queries
from tests.courses.factories import course_create
from tests.skills.factories import PersonFactory
from tests.skills.test_admin_policy import URL, places

pytestmark = pytest.mark.django_db

LIST = "/admin/skills/certificates/"
ADD = "/admin/skills/certificates/new/"


def edit(certificate) -> str:
    return f"/admin/skills/certificates/edit/{certificate.pk}/"


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def administrator():
    return UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])


@pytest.fixture
def course():
    return course_create(title="Secure coding in practice", leads_to_certificate=True, certificate_validity_months=24)


@pytest.fixture
def certificates(administrator):
    priya = PersonFactory(user__first_name="Priya", user__last_name="Shah", staff_number="S-1001")
    omar = PersonFactory(user__first_name="Omar", user__last_name="Farouk")
    today = timezone.localdate()

    def issue(holder, award, on, months):
        return certificate_issue_by_hand(
            holder=holder,
            award=award,
            title=f"Course {award}",
            validity_months=months,
            issued_on=on,
            reason="Taken before Capability.",
            actor=administrator,
        )

    valid = issue(priya, "courses.course:1", today - timedelta(days=30), 24)
    expiring = issue(priya, "courses.course:2", today - timedelta(days=350), 12)
    expired = issue(omar, "courses.course:3", date(2020, 1, 1), 12)
    revoked = certificate_revoke(
        certificate=issue(omar, "courses.course:4", today, None), reason="Wrong person.", actor=administrator
    )
    return {"valid": valid, "expiring": expiring, "expired": expired, "revoked": revoked}


def listed(client, **query) -> set[str]:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return {certificate.number for certificate in response.context["object_list"]}


def test_a_training_administrator_lists_filters_and_searches_every_certificate(administrator, certificates):
    client = admin_client(administrator)
    numbers = {name: certificate.number for name, certificate in certificates.items()}
    assert listed(client) == set(numbers.values())
    assert listed(client, status="revoked") == {numbers["revoked"]}
    assert listed(client, status="expired") == {numbers["expired"]}
    assert listed(client, status="expiring") == {numbers["expiring"]}
    assert listed(client, status="valid") == {numbers["valid"], numbers["expiring"]}
    assert listed(client, kind="skill") == set()
    since = (timezone.localdate() - timedelta(days=31)).isoformat()
    assert listed(client, issued_on_from=since) == {numbers["valid"], numbers["revoked"]}
    assert listed(client, q="priya") == {numbers["valid"], numbers["expiring"]}
    assert listed(client, q="S-1001") == {numbers["valid"], numbers["expiring"]}
    assert listed(client, q=numbers["expired"]) == {numbers["expired"]}
    assert "Expiring soon" in client.get(LIST).content.decode()


def test_a_training_administrator_issues_one_by_hand_for_a_live_course(administrator, course):
    holder = PersonFactory(user__email="ada@example.gov.uk")
    client = admin_client(administrator)
    form = client.get(ADD).context["form"]
    assert (course.award, "Secure coding in practice") in form.fields["award_choice"].choices
    fields = {
        "holder_reference": "ADA@example.gov.uk",
        "award_choice": course.award,
        "issued_on": "2026-02-01",
        "issue_reason": "",
    }
    response = client.post(ADD, fields)
    assert response.status_code == 200  # the reason is required; what was typed is kept
    assert response.context["form"]["holder_reference"].value() == "ADA@example.gov.uk"
    assert "issue_reason" in response.context["form"].errors
    response = client.post(ADD, fields | {"holder_reference": "nobody@example.gov.uk", "issue_reason": "x"})
    assert "holder_reference" in response.context["form"].errors
    assert not Certificate.objects.exists()

    response = client.post(ADD, fields | {"issue_reason": "Completed with the previous supplier."})
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.holder, certificate.award, certificate.title) == (holder, course.award, course.title)
    assert (certificate.issued_by, certificate.expires_on) == (administrator, date(2028, 2, 1))
    assert certificate.issue_reason == "Completed with the previous supplier."


def test_a_training_administrator_revokes_with_a_reason(administrator, certificates):
    client = admin_client(administrator)
    valid = certificates["valid"]
    response = client.post(edit(valid), {"revoked_reason": ""})
    assert response.status_code == 200
    assert "revoked_reason" in response.context["form"].errors
    valid.refresh_from_db()
    assert valid.revoked_at is None
    assert client.post(edit(valid), {"revoked_reason": "Attendance corrected."}).status_code == 302
    valid.refresh_from_db()
    assert (valid.revoked_reason, valid.revoked_by) == ("Attendance corrected.", administrator)
    assert client.get(edit(certificates["revoked"])).status_code == 404  # revoked once, for good


def test_nobody_else_may_list_issue_or_revoke_and_nothing_changes(certificates, course):
    holder = PersonFactory(user__email="ada@example.gov.uk")
    valid = certificates["valid"]
    others = [UserFactory(roles=[Role.HR_ANALYST]), UserFactory(roles=[Role.CONTENT_EDITOR]), holder.user]
    for user in others:
        client = admin_client(user)
        assert client.get(LIST).status_code == 302
        client.post(
            ADD,
            {
                "holder_reference": "ada@example.gov.uk",
                "award_choice": course.award,
                "issued_on": "2026-02-01",
                "issue_reason": "Because.",
            },
        )
        client.post(edit(valid), {"revoked_reason": "Because."})
    assert Client().get(LIST).status_code == 302
    assert Certificate.objects.count() == 4
    valid.refresh_from_db()
    assert valid.revoked_at is None


def test_nobody_deletes_a_certificate_not_even_a_superuser(certificates):
    client = admin_client(SuperuserFactory())
    valid = certificates["valid"]
    response = client.post(f"/admin/skills/certificates/delete/{valid.pk}/")
    assert response.status_code in (302, 403, 404)
    assert Certificate.objects.filter(pk=valid.pk).exists()


def test_a_framework_moderator_says_a_validation_earns_a_certificate_and_for_how_long(client, skill):
    framework = skill.release.framework
    client.force_login(UserFactory(roles=[Role.FRAMEWORK_MODERATOR]))
    fields = {"framework": framework.pk, **places(line_manager=1, assessor=2), "certificate_validity_months": "36"}
    response = client.post(f"{URL}new/", fields)
    assert response.status_code == 200  # a period without certificates is refused on the form, nothing kept
    assert "Only a policy whose validations earn a certificate" in response.content.decode()
    assert not AssessmentPolicy.objects.exists()

    response = client.post(f"{URL}new/", fields | {"validation_earns_certificate": "on"})
    assert response.status_code == 302
    policy = AssessmentPolicy.objects.get()
    assert (policy.validation_earns_certificate, policy.certificate_validity_months) == (True, 36)


def test_the_admin_listing_keeps_its_query_count_from_one_certificate_to_a_full_page(administrator):
    client = admin_client(administrator)
    counts = []
    for size in (1, 60):
        for number in range(Certificate.objects.count(), size):
            certificate_issue_by_hand(
                holder=PersonFactory(), award=f"courses.course:{number}", title="T", reason="R", actor=administrator
            )
        client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counts.append(len(page_queries(queries.captured_queries)))
    assert counts == [11, 11]  # the admin frame, the count and the page of 50 with holders; none per row
