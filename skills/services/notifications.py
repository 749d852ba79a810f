from django.db import transaction

from skills.models import Person


def notify(kind: str, *, recipient: Person, **ids) -> None:
    """Tell a person about something that concerns them, by e-mail, after the current transaction commits.
    `ids` are the primary keys the message template needs; the task re-reads them."""
    from skills.tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(kind=kind, recipient_id=recipient.pk, **ids))


def notify_account(kind: str, *, user, to_address: str, **ids) -> None:
    """Tell the holder of `to_address` about a change to the account `user` (not necessarily the account's
    address now: a change of address is told to the old one), after the current transaction commits. Kinds:
    "email_change_confirm" and "email_changed", each with `change_id`. `ids` are primary keys; the task
    re-reads them."""
    from skills.tasks import send_account_notification

    transaction.on_commit(
        lambda: send_account_notification.delay(kind=kind, user_id=user.pk, to_address=to_address, **ids)
    )
