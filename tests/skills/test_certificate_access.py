"""Who may see a certificate: the holder, their line-management chain above them, and training administrators;
nobody else, and the verification token finds it only when well formed and known."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from cms.accounts.enums import Role
from skills.models import Certificate
from skills.selectors.certificates import certificate_by_token, certificate_get_visible_to
from tests.cms.factories import UserFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    head = PersonFactory()
    manager = PersonFactory(line_manager=head)
    holder = PersonFactory(line_manager=manager)
    certificate = Certificate.objects.create(
        holder=holder,
        kind=Certificate.Kind.COURSE,
        award="courses.course:1",
        title="Agile foundations",
        number="CAP-1",
        issued_on=date(2026, 1, 10),
        status_list_index=7,
    )
    return head, manager, holder, certificate


def _sees(user, person, certificate):
    return certificate_get_visible_to(user=user, viewer=person, certificate_id=certificate.pk) == certificate


def test_the_holder_and_their_chain_see_it(chain):
    head, manager, holder, certificate = chain
    assert all(_sees(person.user, person, certificate) for person in (holder, manager, head))


def test_a_report_a_peer_and_an_editor_do_not(chain):
    head, manager, holder, certificate = chain
    report, peer = PersonFactory(line_manager=holder), PersonFactory(line_manager=manager)
    editor = UserFactory(is_staff=True)
    assert not _sees(report.user, report, certificate)
    assert not _sees(peer.user, peer, certificate)
    assert not _sees(editor, None, certificate)


def test_a_training_administrator_sees_everyone_s(chain):
    *_, certificate = chain
    admin = UserFactory()
    admin.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    assert _sees(admin, None, certificate)


@pytest.mark.parametrize("token", ["", "short", "has spaces in it here", "x" * 65, "../../etc/passwd-aaaaaaaa"])
def test_a_malformed_token_finds_nothing(chain, token):
    assert certificate_by_token(token) is None


def test_a_known_token_finds_it_and_an_unknown_one_does_not(chain):
    *_, certificate = chain
    assert certificate_by_token(certificate.token) == certificate
    assert certificate_by_token(certificate.token[:-2] + "zz") is None
