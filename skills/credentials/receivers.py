"""What credentials do when a certificate changes: a revocation makes the status list again (in a task)."""

from django.dispatch import receiver

from skills.credentials.status_list import status_list_queue
from skills.signals import certificate_revoked


@receiver(certificate_revoked, dispatch_uid="skills.credentials.status_list_on_revocation")
def status_list_on_revocation(sender, certificate, **kwargs):
    status_list_queue()
