from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.log_actions import log

from .enums import ADMIN_ROLES, Role
from .models import User


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    roles: Iterable[Role] = (Role.LEARNER,),
    actor: User | None = None,
) -> User:
    """Create a user with the given roles. `password=None` leaves them to set one by reset link."""
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user_roles_set(user=user, roles=roles, actor=actor)
    log(instance=user, action="capability.accounts.create", user=actor)
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles: Iterable[Role], actor: User | None = None) -> None:
    """Give a user exactly these roles. Admin roles also grant entry to the Wagtail admin."""
    roles = [Role(role) for role in roles]
    groups = list(Group.objects.filter(name__in=roles))
    missing = set(roles) - {Role(group.name) for group in groups}
    if missing:
        raise ValueError(f"Unknown roles (is the roles migration applied?): {sorted(missing)}")
    user.groups.set(groups)
    is_staff = user.is_superuser or any(role in ADMIN_ROLES for role in roles)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    log(instance=user, action="capability.accounts.roles_set", user=actor, data={"roles": [r.value for r in roles]})
