"""The kinds of message the outbox can send. Each is registered once: skills' own in
skills.services.notifications, other apps' in their `AppConfig.ready`."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationKind:
    name: str
    label: str  # what the person's list of notifications shows before the message is sent
    subject: str  # a one-line template
    template: str  # a plain-text template, rendered without HTML escaping
    build_context: Callable  # (Notification) -> dict; raises ObjectDoesNotExist when its objects are gone


_KINDS: dict[str, NotificationKind] = {}


def notification_kind_register(*, name: str, label: str, subject: str, template: str, build_context: Callable) -> None:
    """Declare a kind of message: `build_context` loads what the templates need from the notification's ids and
    raises ObjectDoesNotExist when they are gone (the message then fails for good rather than being retried)."""
    _KINDS[name] = NotificationKind(name, label, subject, template, build_context)


def notification_kind(name: str) -> NotificationKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown notification kind {name!r}: register it with notification_kind_register.")


def notification_kind_label(name: str) -> str:
    return _KINDS[name].label if name in _KINDS else name
