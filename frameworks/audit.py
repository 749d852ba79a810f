"""One audit log entry, written as Wagtail's `log` writes it but without the validation its `save` runs: for a
service that writes the entry while it holds a lock other requests queue for (a booking holds its session's).

Wagtail's `ModelLogEntry.save` runs `full_clean`, which validates every field and asks the database whether the
content type and the user exist (two queries, for rows the caller has just read). Here the one thing that
validation guards, a registered action, is checked in memory, and the entry is a single INSERT. It lives in
`frameworks`, the bottom layer, so that every app can use it. docs/decisions/0024.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, registry
from wagtail.models import ModelLogEntry


def audit_log(instance, action: str, *, user=None, data: dict | None = None) -> ModelLogEntry:
    """Record `action` on the model `instance` (saved) by `user` (None: the system), as `wagtail.log_actions.log`
    does: the same row, shown the same way in the admin's reports and history."""
    if instance.pk is None:
        raise ValueError(f"An audit entry needs a saved object, not {instance!r}.")
    if not registry.action_exists(action):
        raise ValueError(f"The log action {action!r} has not been registered.")
    context = get_active_log_context()
    user = user or context.user
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        label=str(instance) or f"{type(instance).__name__} object ({instance.pk})",
        action=action,
        data=data or {},
        timestamp=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        uuid=context.uuid,
    )
    ModelLogEntry.objects.bulk_create([entry])
    return entry
