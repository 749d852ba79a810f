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
    # (Notification, context) -> [(filename, content, mimetype)], built when the message is rendered; or None.
    attachments: Callable | None = None


_KINDS: dict[str, NotificationKind] = {}


def notification_kind_register(
    *,
    name: str,
    label: str,
    subject: str,
    template: str,
    build_context: Callable,
    attachments: Callable | None = None,
) -> None:
    """Declare a kind of message: `build_context` loads what the templates need from the notification's ids and
    raises ObjectDoesNotExist when they are gone (the message then fails for good rather than being retried).
    `attachments`, if given, returns the files to attach, as (filename, content, mimetype) triples, from the
    notification and its context when the message is rendered (so from current data); the mimetype may carry
    parameters, e.g. ``text/calendar; method=REQUEST; charset=utf-8``."""
    _KINDS[name] = NotificationKind(name, label, subject, template, build_context, attachments)


def notification_kind(name: str) -> NotificationKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown notification kind {name!r}: register it with notification_kind_register.")


def notification_kind_label(name: str) -> str:
    return _KINDS[name].label if name in _KINDS else name
