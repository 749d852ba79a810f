"""How the skills app reacts to framework events. Receivers only queue work; the task calls the service."""

from django.dispatch import receiver

from frameworks.signals import release_published


@receiver(release_published, dispatch_uid="skills.carry_forward_on_publish")
def carry_levels_forward(sender, release, **kwargs):
    from skills.tasks import carry_forward_release

    carry_forward_release.delay(release_id=release.pk)
