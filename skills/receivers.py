"""How the skills app reacts to framework events. Receivers only queue work (through the service that records
it); the task calls the service that does it."""

from django.dispatch import receiver

from frameworks.signals import release_published
from skills.services.carry_forward import carry_forward_queue
from skills.services.certificate_pdf import certificate_pdf_queue
from skills.signals import certificate_issued, certificate_revoked


@receiver(release_published, dispatch_uid="skills.carry_forward_on_publish")
def carry_levels_forward(sender, release, **kwargs):
    carry_forward_queue(release=release)


@receiver(certificate_issued, dispatch_uid="skills.certificate_pdf_on_issue")
@receiver(certificate_revoked, dispatch_uid="skills.certificate_pdf_on_revoke")
def certificate_pdf_draw(sender, certificate, **kwargs):
    """A new certificate gets its PDF; a revoked one's is drawn again with the stamp (decision 0210)."""
    certificate_pdf_queue(certificate=certificate)
