"""Storing, drawing again and downloading a certificate's PDF: the holder, their line-management chain and training
administrators download it (audited); everyone else gets 404 and nothing is drawn or recorded."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.certificates_pdf import certificate_pdf_key
from skills.models import Certificate
from skills.services.certificate_pdf import DOWNLOAD_ACTION, certificate_pdf_render
from skills.signals import certificate_issued, certificate_revoked
from tests.cms.factories import UserFactory
from tests.skills.factories import PersonFactory
from tests.skills.test_certificate_pdf import certificate_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    head = PersonFactory()
    manager = PersonFactory(line_manager=head)
    holder = PersonFactory(line_manager=manager)
    return head, manager, holder, certificate_make(holder=holder)


def _url(certificate):
    return reverse("skills:certificate-pdf", args=[certificate.pk])


def _downloads(certificate):
    return ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION, object_id=str(certificate.pk))


def _training_administrator():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    return user


def test_the_holder_downloads_the_pdf_drawn_on_demand_and_the_download_is_audited(client, chain):
    *_, holder, certificate = chain
    client.force_login(holder.user)
    response = client.get(_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{certificate.number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at is not None
    with default_storage.open(certificate_pdf_key(certificate)) as stored:
        assert stored.read() == body
    entry = _downloads(certificate).get()
    assert entry.user_id == holder.user_id
    assert entry.data["drawn_on_demand"] is True


def test_the_holder_s_chain_and_a_training_administrator_download_it(client, chain):
    head, manager, _holder, certificate = chain
    for user in (manager.user, head.user, _training_administrator()):
        client.force_login(user)
        response = client.get(_url(certificate))
        assert response.status_code == 200, user
    # Drawn once, by the first download; the others are served the stored file.
    drawn = [entry.data["drawn_on_demand"] for entry in _downloads(certificate).order_by("pk")]
    assert drawn == [True, False, False]


@pytest.mark.parametrize("who", ["another learner", "a manager outside the chain", "the holder's report", "an editor"])
def test_anyone_else_gets_404_and_nothing_is_drawn_or_recorded(client, chain, who):
    head, _manager, holder, certificate = chain
    user = {
        "another learner": lambda: PersonFactory().user,
        "a manager outside the chain": lambda: PersonFactory(line_manager=head).user,
        "the holder's report": lambda: PersonFactory(line_manager=holder).user,
        "an editor": lambda: UserFactory(is_staff=True),
    }[who]()
    client.force_login(user)
    assert client.get(_url(certificate)).status_code == 404
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at is None
    assert not default_storage.exists(certificate_pdf_key(certificate))
    assert not _downloads(certificate).exists()


def test_an_unknown_certificate_is_404_like_someone_else_s(client, chain):
    *_, holder, certificate = chain
    client.force_login(holder.user)
    assert client.get(reverse("skills:certificate-pdf", args=[certificate.pk + 1000])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_drawn(client, chain):
    *_, certificate = chain
    response = client.get(_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at is None
    assert not _downloads(certificate).exists()


def test_issuing_a_certificate_has_the_worker_draw_and_store_its_pdf(chain, django_capture_on_commit_callbacks):
    *_, certificate = chain
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issued.send(sender=Certificate, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at is not None
    assert default_storage.exists(certificate_pdf_key(certificate))


def test_drawing_again_replaces_the_pdf_under_the_same_key(chain):
    *_, certificate = chain
    key = certificate_pdf_render(certificate_id=certificate.pk)
    Certificate.objects.filter(pk=certificate.pk).update(title="Agile delivery practitioner")
    assert certificate_pdf_render(certificate_id=certificate.pk) == key
    _directories, files = default_storage.listdir("certificates")
    assert [name for name in files if name.startswith(certificate.number)] == [key.rpartition("/")[2]]


def test_a_download_draws_the_pdf_again_when_storage_lost_it(client, chain):
    *_, holder, certificate = chain
    key = certificate_pdf_render(certificate_id=certificate.pk)
    default_storage.delete(key)
    client.force_login(holder.user)
    response = client.get(_url(certificate))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert default_storage.exists(key)
    assert _downloads(certificate).get().data["drawn_on_demand"] is True


def test_a_revoked_certificate_s_pdf_is_drawn_again_stamped_and_the_holder_can_still_download_it(
    client, chain, django_capture_on_commit_callbacks
):
    *_, holder, certificate = chain
    certificate_pdf_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    drawn_before = certificate.pdf_rendered_at
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revoked_reason="Issued in error")
    certificate.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoked.send(sender=Certificate, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at > drawn_before
    client.force_login(holder.user)
    response = client.get(_url(certificate))
    assert response.status_code == 200
    assert _downloads(certificate).get().data["drawn_on_demand"] is False


def test_a_download_before_the_revocation_was_drawn_again_gets_the_stamped_pdf(client, chain):
    *_, holder, certificate = chain
    certificate_pdf_render(certificate_id=certificate.pk)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revoked_reason="Issued in error")
    client.force_login(holder.user)
    client.get(_url(certificate))
    assert _downloads(certificate).get().data["drawn_on_demand"] is True


def test_the_command_draws_every_certificate_again_in_chunks_with_progress(chain, capsys):
    *_, certificate = chain
    others = [certificate_make() for _ in range(2)]
    call_command("regenerate_certificate_pdfs", "--chunk", "2")
    out = capsys.readouterr().out
    assert "Drew 2 of 3 certificate PDFs." in out
    assert "Drew 3 of 3 certificate PDFs." in out
    assert "Done: 3 certificate PDFs drawn again." in out
    for each in (certificate, *others):
        each.refresh_from_db()
        assert each.pdf_rendered_at is not None


def test_the_command_draws_only_the_numbers_named_and_refuses_an_unknown_one(chain, capsys):
    *_, certificate = chain
    other = certificate_make()
    call_command("regenerate_certificate_pdfs", "--number", certificate.number)
    certificate.refresh_from_db()
    other.refresh_from_db()
    assert certificate.pdf_rendered_at is not None
    assert other.pdf_rendered_at is None
    with pytest.raises(CommandError, match="No certificate numbered CAP-NOPE"):
        call_command("regenerate_certificate_pdfs", "--number", certificate.number, "--number", "CAP-NOPE")
