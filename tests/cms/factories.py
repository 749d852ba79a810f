import factory
from django.contrib.auth.models import Group

from cms.accounts.enums import ADMIN_ROLES, Role
from cms.accounts.models import User

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
