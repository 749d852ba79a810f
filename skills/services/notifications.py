from django.db import transaction

from skills.models import Person


def notify(kind: str, *, recipient: Person, **ids) -> None:
    """Tell a person about something that concerns them, by e-mail, after the current transaction commits.
    `ids` are the primary keys the message template needs; the task re-reads them."""
    from skills.tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(kind=kind, recipient_id=recipient.pk, **ids))
