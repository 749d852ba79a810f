"""A certificate's PDF: drawn by a Celery task when the certificate is issued or revoked, stored under a key of its
own, drawn again on demand when a download finds it missing or out of date, and every download audited
(decision 0210)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from skills.certificates_pdf import certificate_pdf_bytes, certificate_pdf_key
from skills.models import Certificate
from skills.selectors.certificates import certificate_visible_to
from skills.selectors.people import person_for_user
from skills.services.errors import NotAllowed
from skills.tasks import certificate_pdf_render as certificate_pdf_render_task

DOWNLOAD_ACTION = "capability.skills.certificate_download"


def certificate_pdf_queue(*, certificate: Certificate) -> None:
    """Have a worker draw the certificate's PDF once the current transaction commits (at once outside one)."""
    certificate_id = certificate.pk
    transaction.on_commit(lambda: certificate_pdf_render_task.delay(certificate_id=certificate_id))


def _store(key: str, pdf: bytes) -> None:
    """Write `pdf` under exactly `key`, replacing what was there (Django's storages never overwrite: they save
    under a new name instead, which would leave the old drawing in place)."""
    if default_storage.exists(key):
        default_storage.delete(key)
    saved = default_storage.save(key, ContentFile(pdf))
    if saved != key:
        # Another drawing of the same certificate stored itself between our delete and our save: put ours, the
        # later drawing, in its place.
        default_storage.delete(key)
        default_storage.delete(saved)
        default_storage.save(key, ContentFile(pdf))


def certificate_pdf_render(*, certificate_id: int) -> str:
    """Draw the certificate's PDF from the record as it is now, store it under its key (replacing an earlier
    drawing) and note when (`pdf_rendered_at`). The system's work, for the task, the command and a download that
    found no file: no actor. Idempotent. Returns the storage key."""
    certificate = Certificate.objects.select_related("holder__user").get(pk=certificate_id)
    drawn_at = timezone.now()
    key = certificate_pdf_key(certificate)
    _store(key, certificate_pdf_bytes(certificate))
    Certificate.objects.filter(pk=certificate.pk).update(pdf_rendered_at=drawn_at)
    certificate.pdf_rendered_at = drawn_at
    return key


def certificate_pdf_is_current(certificate: Certificate) -> bool:
    """Whether the stored PDF says what the record says: drawn at all, still in storage, and drawn after any
    revocation (a revoked certificate's PDF carries the stamp)."""
    if certificate.pdf_rendered_at is None:
        return False
    if certificate.revoked_at is not None and certificate.pdf_rendered_at < certificate.revoked_at:
        return False
    return default_storage.exists(certificate_pdf_key(certificate))


def certificate_pdf_download(*, certificate: Certificate, actor) -> tuple[str, object]:
    """The certificate's PDF for `actor` to download: the holder, their line-management chain or a training
    administrator (anyone else: NotAllowed, which the view answers as 404). Drawn now if the stored one is missing
    or out of date, so a download never waits for the queue. Audited. Returns the storage key and the open file,
    which the caller closes."""
    if actor is None or not certificate_visible_to(
        user=actor, viewer=person_for_user(user=actor), certificate=certificate
    ):
        raise NotAllowed("You cannot download this certificate.")
    drawn = not certificate_pdf_is_current(certificate)
    if drawn:
        certificate_pdf_render(certificate_id=certificate.pk)
    key = certificate_pdf_key(certificate)
    log(
        instance=certificate,
        action=DOWNLOAD_ACTION,
        user=actor,
        data={"number": certificate.number, "holder": certificate.holder_id, "drawn_on_demand": drawn},
    )
    return key, default_storage.open(key, "rb")
