import factory

from cms.accounts.enums import Role
from skills.models import Grade, HRResponsibility, OrganisationUnit, Person
from skills.services import org_unit_ensure
from tests.cms.factories import UserFactory


def org_unit(full_name: str = "Department for Testing/Digital/Platform team") -> OrganisationUnit:
    return org_unit_ensure(full_name=full_name)[0]


class PersonFactory(factory.django.DjangoModelFactory):
    """A person in a test organisation unit at HEO, with no line manager unless given one."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    staff_number = factory.Sequence(lambda n: f"S{n:06d}")
    org_unit = factory.LazyFunction(org_unit)
    grade = factory.LazyFunction(lambda: Grade.objects.get(code="HEO"))

    @factory.post_generation
    def accredited_frameworks(self, create, extracted, **kwargs):
        if create and extracted:
            self.accredited_frameworks.set(extracted)


# The roots of the units tests put people in; an HR analyst made by `hr_analyst_for()` looks after all of them.
TEST_DEPARTMENTS = ("Department for Testing", "Department for Education", "Dept", "Other dept", "Other")


def hr_analyst_for(*unit_names: str, **user_fields):
    """A user with the HR analyst role, responsible for these units (created if missing; by default every test
    department)."""
    user = UserFactory(roles=[Role.HR_ANALYST], **user_fields)
    for name in unit_names or TEST_DEPARTMENTS:
        HRResponsibility.objects.create(user=user, org_unit=org_unit(name))
    return user
