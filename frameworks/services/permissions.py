"""The frameworks services' one permission rule: every service that takes an `actor` checks it itself.

`actor` is a required argument. `None` means the system — a management command, a Celery task, a migration, the
demo loader — and is always allowed; a user must hold the Django permission the service names (the editorial
roles get theirs in migration 0004), or the service raises NotAllowed before it writes anything. The admin's
permission policies decide what the admin offers; they are the second line, not the only one
(docs/decisions/0015-one-permission-rule.md).
"""

from django.contrib.auth.base_user import AbstractBaseUser

from frameworks.services.errors import NotAllowed


def actor_check(actor: AbstractBaseUser | None, *permissions: str, refusal: str) -> None:
    """Raise NotAllowed(`refusal`) unless `actor` is the system (None) or an active user with every permission."""
    if actor is None:
        return
    if not actor.has_perms(permissions):
        raise NotAllowed(refusal)
