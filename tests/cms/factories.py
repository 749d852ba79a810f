import time

import factory
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.accounts.enums import ADMIN_ROLES, Role, SecondFactorCheck
from cms.accounts.models import User
from cms.accounts.services import second_factor_set_up_confirm, second_factor_set_up_start

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass `roles=[Role.LINE_MANAGER, ...]` to put them in those groups (Learner by default)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        roles = [Role.LEARNER] if extracted is None else list(extracted)
        if not create:
            return
        self.groups.set(Group.objects.filter(name__in=roles))
        self.is_staff = self.is_superuser or any(role in ADMIN_ROLES for role in roles)
        self.save()


class SuperuserFactory(UserFactory):
    is_superuser = True
    is_staff = True


def totp_code(user, *, steps_ahead: int = 0, pending: bool = False) -> str:
    """The code the user's authenticator app shows now (or `steps_ahead` 30-second steps on: django-otp accepts
    each time step once, and one step either side of now)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=not pending).latest("pk")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def second_factor_give(user) -> list[str]:
    """Set up an authenticator app for `user`, as they would; returns their recovery codes."""
    second_factor_set_up_start(user=user, actor=user)
    check, codes = second_factor_set_up_confirm(user=user, token=totp_code(user, pending=True), actor=user)
    assert check == SecondFactorCheck.ACCEPTED
    # As if set up a while ago: the code of this time step may be used again, at sign-in.
    TOTPDevice.objects.filter(user=user, confirmed=True).update(last_t=-1)
    return codes
