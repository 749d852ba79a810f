"""What an admin permission policy refuses (docs/decisions/0019), checked the same way for every app's admin."""

from django.urls import resolve

from tests.cms.factories import SuperuserFactory


def assert_refused_to_everyone(listing: str, refused: list[str]) -> None:
    """The permission policy of the admin listing at `listing` refuses `refused` to a superuser, and lists
    nobody as able to do them (docs/decisions/0019)."""
    superuser = SuperuserFactory()
    policy = resolve(listing).func.view_initkwargs["permission_policy"]

    assert not policy.user_has_any_permission(superuser, refused)
    assert not policy.users_with_any_permission(refused).exists()
    for action in refused:
        assert not policy.user_has_permission(superuser, action)
        assert not policy.users_with_permission(action).exists()
    assert list(policy.users_with_any_permission(["view", *refused])) == [superuser]  # what is offered, they may
