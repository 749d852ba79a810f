"""The cms.accounts services' one permission rule (decision 0015): each service that takes an actor checks it
itself, so a view, command or API that forgets to check cannot let the wrong user create accounts or hand out
roles; `actor=None` is the system, written out at each call."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role, SessionEndReason
from cms.accounts.models import User
from cms.accounts.services import NotAllowed, user_create, user_roles_set, user_sessions_end_all
from tests.cms.factories import SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERY_ROLE = [pytest.param([role], id=role.value) for role in Role]


def user_administrator(**kwargs):
    """A user who holds the Django permissions through a custom group, not a role: the rule asks for permissions."""
    group = Group.objects.create(name="User administrators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=["add_user", "change_user"])
    )
    user = UserFactory(roles=[], **kwargs)
    user.groups.add(group)
    return user


def audit_actions(user):
    return list(ModelLogEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))


@pytest.mark.parametrize("roles", EVERY_ROLE)
def test_user_create_refuses_every_role_and_creates_nobody(roles):
    actor = UserFactory(roles=roles)

    with pytest.raises(NotAllowed):
        user_create(email="new@example.gov.uk", first_name="New", last_name="Person", actor=actor)

    assert not User.objects.filter(email="new@example.gov.uk").exists()


@pytest.mark.parametrize("roles", EVERY_ROLE)
def test_user_roles_set_refuses_every_role_and_changes_nothing(roles):
    actor = UserFactory(roles=roles)
    user = UserFactory(roles=[Role.LEARNER])

    with pytest.raises(NotAllowed):
        user_roles_set(user=user, roles=[Role.FRAMEWORK_MODERATOR], actor=actor)

    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [Role.LEARNER]
    assert not user.is_staff
    assert "capability.accounts.roles_set" not in audit_actions(user)


def test_nobody_sets_their_own_roles_not_even_a_superuser():
    for actor in (SuperuserFactory(), user_administrator()):
        before = set(actor.groups.values_list("name", flat=True))

        with pytest.raises(NotAllowed, match="own roles"):
            user_roles_set(user=actor, roles=[Role.HR_ANALYST, Role.FRAMEWORK_MODERATOR], actor=actor)

        assert set(actor.groups.values_list("name", flat=True)) == before


def test_an_inactive_superuser_is_refused():
    actor = SuperuserFactory(is_active=False)

    with pytest.raises(NotAllowed):
        user_create(email="new@example.gov.uk", first_name="New", last_name="Person", actor=actor)
    with pytest.raises(NotAllowed):
        user_roles_set(user=UserFactory(), roles=[Role.CONTENT_EDITOR], actor=actor)


def test_a_user_with_the_permissions_creates_accounts_and_sets_roles_and_is_audited():
    actor = user_administrator()

    user = user_create(
        email="new@example.gov.uk", first_name="New", last_name="Person", roles=[Role.ASSESSOR], actor=actor
    )
    user_roles_set(user=user, roles=[Role.LEARNER, Role.LINE_MANAGER], actor=actor)

    assert set(user.groups.values_list("name", flat=True)) == {Role.LEARNER, Role.LINE_MANAGER}
    assert audit_actions(user).count("capability.accounts.roles_set") == 2
    assert "capability.accounts.create" in audit_actions(user)


def test_the_system_is_written_out_and_the_actor_cannot_be_forgotten():
    user = user_create(email="system@example.gov.uk", first_name="System", last_name="Made", actor=None)
    user_roles_set(user=user, roles=[Role.CONTENT_EDITOR], actor=None)
    assert user.is_staff

    with pytest.raises(TypeError):
        user_create(email="other@example.gov.uk", first_name="Other", last_name="Person")
    with pytest.raises(TypeError):
        user_roles_set(user=user, roles=[Role.LEARNER])


def test_the_cms_refusal_is_a_permission_denied_so_views_and_the_admin_answer_403():
    owner = UserFactory()

    with pytest.raises(NotAllowed) as refusal:
        user_sessions_end_all(user=owner, reason=SessionEndReason.ENDED_BY_USER, actor=UserFactory())

    assert isinstance(refusal.value, PermissionDenied)
