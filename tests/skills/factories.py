import factory

from cms.accounts.enums import Role
from skills.enums import AssessmentSource, ReviewerKind, ReviewStatus
from skills.models import Assessment, Grade, HRResponsibility, OrganisationUnit, Person, Profession, Review
from skills.services import assessment_record, org_unit_ensure
from tests.cms.factories import UserFactory
from tests.frameworks.factories import SkillFactory

DEFAULT_UNIT = "Department for Testing/Digital/Platform team"


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    """A unit at `full_name` ("Department/Directorate/Team"), built as the service builds it (its missing ancestors
    too, through treebeard); an existing unit at that path is returned as it is."""

    class Meta:
        model = OrganisationUnit

    full_name = factory.Sequence(lambda n: f"Department for Testing/Digital/Team {n}")

    @classmethod
    def _create(cls, model_class, *args, full_name, **kwargs):
        return org_unit_ensure(full_name=full_name)[0]


def org_unit(full_name: str = DEFAULT_UNIT) -> OrganisationUnit:
    return OrganisationUnitFactory(full_name=full_name)


class GradeFactory(factory.django.DjangoModelFactory):
    """A grade; the Civil Service grades come from a migration, so `GradeFactory(code="SEO")` returns that one."""

    class Meta:
        model = Grade
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n:03d}")
    name = factory.LazyAttribute(lambda grade: f"Grade {grade.code}")
    rank = factory.Sequence(lambda n: 1000 + n)  # above the migration's grades


class ProfessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profession
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Profession {n:03d}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person in a test organisation unit at HEO, with no line manager unless given one."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    staff_number = factory.Sequence(lambda n: f"S{n:06d}")
    org_unit = factory.SubFactory(OrganisationUnitFactory, full_name=DEFAULT_UNIT)
    grade = factory.SubFactory(GradeFactory, code="HEO")

    @factory.post_generation
    def accredited_frameworks(self, create, extracted, **kwargs):
        if create and extracted:
            self.accredited_frameworks.set(extracted)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """One ledger row, recorded through `assessment_record` so that the person's current level follows, as it does
    in the service. By default a self-assessment (a claim) at the lowest level of the skill's release; pass
    `level=None` for "not assessed" and `created_at=` for an older row."""

    class Meta:
        model = Assessment

    person = factory.SubFactory(PersonFactory)
    skill = factory.SubFactory(SkillFactory)
    level = factory.LazyAttribute(lambda row: row.skill.release.levels.order_by("rank").first())
    source = AssessmentSource.SELF

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return assessment_record(**kwargs)


class ReviewFactory(factory.django.DjangoModelFactory):
    """An open review of a claim by the claimant's line manager (a claimant with a line manager is made for it).
    For an assessor review pass `reviewer_kind=ReviewerKind.ASSESSOR, reviewer=None`."""

    class Meta:
        model = Review

    claim = factory.SubFactory(
        AssessmentFactory, source=AssessmentSource.SELF, person__line_manager=factory.SubFactory(PersonFactory)
    )
    reviewer_kind = ReviewerKind.LINE_MANAGER
    reviewer = factory.LazyAttribute(lambda review: review.claim.person.line_manager)
    status = ReviewStatus.OPEN


# The roots of the units tests put people in; an HR analyst made by `hr_analyst_for()` looks after all of them.
TEST_DEPARTMENTS = ("Department for Testing", "Department for Education", "Dept", "Other dept", "Other")


def hr_analyst_for(*unit_names: str, **user_fields):
    """A user with the HR analyst role, responsible for these units (created if missing; by default every test
    department)."""
    user = UserFactory(roles=[Role.HR_ANALYST], **user_fields)
    for name in unit_names or TEST_DEPARTMENTS:
        HRResponsibility.objects.create(user=user, org_unit=org_unit(name))
    return user
