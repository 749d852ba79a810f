import factory

from skills.models import Grade, OrganisationUnit, Person
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
