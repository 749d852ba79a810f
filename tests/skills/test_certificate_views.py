"""The certificate pages: a person's certificates, a team member's, one certificate's record with revoking, and the
public verification page; each attacked as the wrong user (another learner, a manager outside the chain, an
anonymous visitor), who gets 404 and changes nothing."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.accounts.enums import Role
from skills.models import Certificate
from skills.selectors.certificates import VERIFICATION_PATH, certificate_verification_url
from skills.services import certificate_issue_by_hand
from tests.cms.factories import UserFactory
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    user = UserFactory(first_name="Tariq", last_name="Admin")
    user.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    return user


def issue(holder, administrator, *, award="courses.course:42", title="Agile foundations", on=None, months=12):
    return certificate_issue_by_hand(
        holder=holder,
        award=award,
        title=title,
        url="/training/agile-foundations/",
        validity_months=months,
        issued_on=on or timezone.localdate() - timedelta(days=10),
        reason="Completed with the previous supplier.",
        actor=administrator,
    )


@pytest.fixture
def chain(administrator):
    head = PersonFactory()
    manager = PersonFactory(line_manager=head)
    holder = PersonFactory(line_manager=manager, user__first_name="Priya", user__last_name="Shah")
    return head, manager, holder, issue(holder, administrator)


def user_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_holder_sees_their_certificates_with_status_share_link_and_renewals(chain, administrator):
    *_, holder, first = chain
    renewal = issue(holder, administrator, on=timezone.localdate())
    expiring = issue(holder, administrator, award="courses.course:7", title="Secure coding", months=1)
    response = client_for(holder).get("/skills/certificates/")
    page = response.content.decode()
    assert response.status_code == 200
    assert [certificate.pk for certificate in response.context["certificates"]] == [renewal.pk, expiring.pk, first.pk]
    assert certificate_verification_url(renewal) in page
    assert f'Renews <a class="govuk-link" href="/skills/certificates/{first.pk}/">{first.number}</a>' in page
    assert "Renewed by" in page
    assert "Expiring soon" in page  # a month's validity, issued ten days ago
    assert reverse("skills:certificate", kwargs={"certificate_id": expiring.pk}) in page
    assert "Your certificates" in client_for(holder).get("/skills/").content.decode()


def test_the_line_management_chain_sees_a_team_member_s_certificates_and_nobody_else_does(chain):
    head, manager, holder, certificate = chain
    url = f"/skills/team/{holder.pk}/certificates/"
    for person in (manager, head):
        response = client_for(person).get(url)
        assert response.status_code == 200
        assert certificate.number in response.content.decode()
    assert f'href="{url}"' in client_for(manager).get(f"/skills/team/{holder.pk}/").content.decode()
    outsiders = [PersonFactory(), PersonFactory(line_manager=PersonFactory()), PersonFactory(line_manager=holder)]
    for outsider in outsiders:
        assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: sign in first


def test_a_certificate_s_record_is_seen_by_the_holder_the_chain_and_administrators_only(chain, administrator):
    head, manager, holder, certificate = chain
    url = f"/skills/certificates/{certificate.pk}/"
    for client in (client_for(holder), client_for(manager), client_for(head), user_client(administrator)):
        response = client.get(url)
        assert response.status_code == 200
        assert "Agile foundations" in response.content.decode()
    peer = PersonFactory(line_manager=manager)
    other_manager = PersonFactory(line_manager=PersonFactory())
    for client in (client_for(peer), client_for(other_manager), user_client(UserFactory(is_staff=True))):
        assert client.get(url).status_code == 404
        assert client.get("/skills/certificates/999999/").status_code == 404
    assert Client().get(url).status_code == 302
    # Only an administrator is offered the revoke form.
    assert "Revoke this certificate" not in client_for(holder).get(url).content.decode()
    assert "Revoke this certificate" in user_client(administrator).get(url).content.decode()


def test_an_administrator_revokes_from_the_record_and_a_missing_reason_keeps_the_page(chain, administrator):
    *_, certificate = chain
    url = f"/skills/certificates/{certificate.pk}/"
    client = user_client(administrator)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Say why you are revoking the certificate" in response.content.decode()
    too_long = "x" * 2001
    response = client.post(url, {"reason": too_long})
    assert too_long in response.content.decode()  # what was typed is kept
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    response = client.post(url, {"reason": "Issued to the wrong person."})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.revoked_reason, certificate.revoked_by) == ("Issued to the wrong person.", administrator)
    page = client.get(url).content.decode()
    assert "Issued to the wrong person." in page
    assert "Revoke this certificate" not in page


def test_nobody_else_can_revoke_and_nothing_changes(chain):
    head, manager, holder, certificate = chain
    url = f"/skills/certificates/{certificate.pk}/"
    clients = [client_for(person) for person in (holder, manager, head, PersonFactory())]
    clients += [user_client(UserFactory(is_staff=True)), Client()]
    for client in clients:
        assert client.post(url, {"reason": "Not mine to revoke."}).status_code in (302, 404)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert Client().post(url, {"reason": "x"}).url.startswith("/accounts/")  # anonymous: to sign in


# The verification page.


def test_the_verification_path_is_the_one_the_selector_names(chain):
    *_, certificate = chain
    path = reverse("certificate-verify", kwargs={"token": certificate.token})
    assert path == VERIFICATION_PATH.format(token=certificate.token)
    assert certificate_verification_url(certificate).endswith(path)


def test_an_anonymous_verifier_sees_what_they_need_and_nothing_else(chain):
    *_, holder, certificate = chain
    response = Client().get(VERIFICATION_PATH.format(token=certificate.token))
    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "This certificate is valid" in page
    for shown in ("Priya Shah", certificate.number, "/training/agile-foundations/", "Agile foundations"):
        assert shown in page
    assert f"{certificate.issued_on:%-d %B %Y}" in page
    assert f"{certificate.expires_on:%-d %B %Y}" in page
    for hidden in (holder.user.email, holder.org_unit.name, holder.staff_number, "previous supplier", "Tariq"):
        assert hidden not in page


def test_a_verifier_sees_an_expired_and_a_revoked_certificate_and_why(chain, administrator):
    *_, holder, certificate = chain
    old = issue(PersonFactory(), administrator, on=date(2020, 1, 1))
    assert "This certificate has expired" in Client().get(VERIFICATION_PATH.format(token=old.token)).content.decode()
    user_client(administrator).post(f"/skills/certificates/{certificate.pk}/", {"reason": "Attendance corrected."})
    page = Client().get(VERIFICATION_PATH.format(token=certificate.token)).content.decode()
    assert "This certificate has been revoked" in page
    assert "Attendance corrected." in page


@pytest.mark.parametrize("token", ["short", "x" * 65, "not.a.token.but.long.enough", "a" * 32])
def test_an_unknown_and_a_malformed_token_get_the_same_404(chain, token):
    unknown = "b" * 32
    response = Client().get(f"/certificates/{token}/")
    reference = Client().get(f"/certificates/{unknown}/")
    assert response.status_code == reference.status_code == 404
    # The same page, but for the address itself (the sign-in link names where to come back to) and the script nonce.
    assert _page(response, token) == _page(reference, unknown)


def _page(response, token) -> str:
    return re.sub(r'nonce="[^"]+"', "", response.content.decode().replace(token, "T"))


def test_the_verification_page_is_rate_limited_per_client_address(chain, settings):
    *_, certificate = chain
    settings.CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS = 3
    url = VERIFICATION_PATH.format(token=certificate.token)
    client = Client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.CERTIFICATE_VERIFY_LIMIT_WINDOW_SECONDS
    assert client.get("/certificates/" + "b" * 32 + "/").status_code == 429  # guessing tokens is limited too
    assert Client(REMOTE_ADDR="192.0.2.9").get(url).status_code == 200  # another address is not
    # A forged X-Forwarded-For from a client (not a trusted proxy) moves nothing.
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_the_verification_page_costs_one_query_however_many_certificates_exist(
    chain, administrator, django_assert_num_queries
):
    *_, certificate = chain
    url = VERIFICATION_PATH.format(token=certificate.token)
    client = Client()
    client.get(url)
    with django_assert_num_queries(1):  # the certificate with its holder's name
        assert client.get(url).status_code == 200
    for number in range(30):
        issue(PersonFactory(), administrator, award=f"courses.course:{number}")
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    assert Certificate.objects.count() == 31
