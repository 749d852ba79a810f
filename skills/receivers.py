"""How the skills app reacts to framework events. Receivers only queue work (through the service that records
it); the task calls the service that does it."""

from django.dispatch import receiver

from frameworks.signals import release_published
from skills.services.carry_forward import carry_forward_queue


@receiver(release_published, dispatch_uid="skills.carry_forward_on_publish")
def carry_levels_forward(sender, release, **kwargs):
    carry_forward_queue(release=release)
