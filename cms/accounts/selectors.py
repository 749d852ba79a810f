from .enums import Role


def user_roles(*, user) -> list[str]:
    """The names of the service roles a user holds, in the order of `Role`."""
    held = set(user.groups.values_list("name", flat=True))
    return [role.label for role in Role if role.value in held]
