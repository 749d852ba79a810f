"""Expiring and expired certifications show everywhere at once, from the dates: on the holder's gap page and on
their manager's team view (which keeps its constant query count, on the real DDaT release too)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from frameworks.models import FrameworkRelease, RoleLevel
from skills.enums import ExternalCertificationStatus
from skills.selectors.external_certifications import certifications_due
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the module-scoped real release
from tests.skills.factories import PersonFactory
from tests.skills.test_certificate_reminders import certificate, external
from tests.skills.test_views import client_for
from tests.skills.test_views_team import TEAM_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def holder():
    return PersonFactory(line_manager=PersonFactory(), user=UserFactory(first_name="Lee", last_name="Learner"))


def test_the_holder_and_their_manager_see_expired_and_expiring_certifications_and_nothing_else(holder):
    certificate(holder, expires_on=today() + timedelta(days=20), title="Agile foundations")
    certificate(holder, expires_on=today(), title="Data protection")  # expires today: expired
    certificate(holder, expires_on=today() + timedelta(days=91), title="Far off")
    certificate(
        holder,
        expires_on=today() - timedelta(days=5),
        title="Revoked course",
        revoked_at=timezone.now(),
        revoked_reason="Issued in error",
    )
    certificate(holder, expires_on=today() - timedelta(days=5), title="Renewed course", superseded_at=timezone.now())
    external(holder, expires_on=today() + timedelta(days=1))
    waiting = external(holder, expires_on=today() + timedelta(days=3), status=ExternalCertificationStatus.WAITING)
    waiting.name = "Waiting one"
    waiting.save()

    for client, url in (
        (client_for(holder), "/skills/gaps/"),
        (client_for(holder.line_manager), f"/skills/team/{holder.pk}/"),
    ):
        html = client.get(url).content.decode()
        section = html.split('id="certifications-due"', 1)[1]
        assert "Agile foundations" in section
        assert "Expires in 20 days" in section
        assert "Data protection" in section
        assert "Expired" in section
        assert "PRINCE2 Practitioner" in section
        assert "PeopleCert" in section
        assert "Expires tomorrow" in section
        for absent in ("Far off", "Revoked course", "Renewed course", "Waiting one"):
            assert absent not in section


def test_an_external_certification_renewed_by_a_later_confirmed_one_no_longer_shows(holder):
    old = external(holder, expires_on=today() - timedelta(days=10))
    assert [due.title for due in certifications_due(person_ids=[holder.pk])] == ["PRINCE2 Practitioner"]
    renewal = external(holder, expires_on=today() + timedelta(days=1000))
    assert renewal.issued_on > old.issued_on
    assert certifications_due(person_ids=[holder.pk]) == []


def test_the_gap_page_links_to_recording_a_certification(holder):
    html = client_for(holder).get("/skills/gaps/").content.decode()
    assert 'href="/skills/certificates/external/record/"' in html
    assert (
        'href="/skills/certificates/external/record/"'
        not in client_for(holder.line_manager).get(f"/skills/team/{holder.pk}/").content.decode()
    )


def test_the_team_view_lists_the_page_s_expiring_certifications_with_links_to_each_person(holder):
    certificate(holder, expires_on=today() + timedelta(days=6), title="Agile foundations")
    html = client_for(holder.line_manager).get("/skills/team/").content.decode()
    section = html.split('id="certifications-due"', 1)[1]
    assert f'href="/skills/team/{holder.pk}/">Lee Learner</a>' in section
    assert "Agile foundations" in section
    assert "Expires in 6 days" in section


def _line(manager, size, role_levels):
    people = []
    for index in range(size):
        person = PersonFactory(
            line_manager=manager,
            current_role_level=role_levels[index % len(role_levels)],
            user=UserFactory(first_name="Member", last_name=f"Number {index:03d}"),
        )
        certificate(person, expires_on=today() + timedelta(days=index % 120 - 10))
        external(person, expires_on=today() + timedelta(days=index % 100))
        people.append(person)
    return people


@pytest.mark.usefixtures("ddat_2025_10")
def test_the_team_view_keeps_its_query_count_on_the_real_ddat_release_with_certifications(
    django_assert_num_queries,
):
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    role_levels = list(RoleLevel.objects.filter(release=release).order_by("pk")[:12])
    small, large = PersonFactory(), PersonFactory()
    _line(small, 2, role_levels)
    _line(large, 70, role_levels)
    for manager in (small, large):
        client = client_for(manager)
        for url in ("/skills/team/", "/skills/team/?page=2"):
            client.get(url)
            with django_assert_num_queries(TEAM_PAGE_QUERIES):
                response = client.get(url)
            assert response.status_code == 200
    assert "Certifications expiring or expired" in client.get("/skills/team/").content.decode()
