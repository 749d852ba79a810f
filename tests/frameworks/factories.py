"""Framework data for tests. Content factories create rows in a draft release unless given another."""

import factory
from django.utils import timezone

from frameworks.enums import FrameworkKind, ReleaseStatus
from frameworks.models import (
    Framework,
    FrameworkRelease,
    Level,
    Requirement,
    Role,
    RoleFamily,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
)
from frameworks.structured_text import text_blocks

DDAT_LEVELS = [
    ("awareness", "Awareness"),
    ("working", "Working"),
    ("practitioner", "Practitioner"),
    ("expert", "Expert"),
]


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")
    kind = FrameworkKind.DDAT
    licence = "Test licence."


class FrameworkReleaseFactory(factory.django.DjangoModelFactory):
    """A draft release with the DDaT level scale (pass `levels=[]` for none)."""

    class Meta:
        model = FrameworkRelease
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    label = factory.Sequence(lambda n: f"2025-{n:02d}")
    status = ReleaseStatus.DRAFT

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create:
            return
        scale = DDAT_LEVELS if extracted is None else extracted
        Level.objects.bulk_create(
            Level(release=self, code=code, name=name, rank=rank) for rank, (code, name) in enumerate(scale, start=1)
        )


class SkillFactory(factory.django.DjangoModelFactory):
    """A skill with a defined descriptor ("You can:" and two statements) at every level of its release."""

    class Meta:
        model = Skill
        skip_postgeneration_save = True

    release = factory.SubFactory(FrameworkReleaseFactory)
    name = factory.Sequence(lambda n: f"Skill {n:03d}")
    code = factory.LazyAttribute(lambda skill: skill.name.lower().replace(" ", "-"))
    description = factory.LazyAttribute(lambda skill: f"{skill.name} is about doing things well.")
    description_blocks = factory.LazyAttribute(lambda skill: text_blocks(skill.description))

    @factory.post_generation
    def descriptors(self, create, extracted, **kwargs):
        if not create:
            return
        texts = {}
        for level in self.release.levels.all():
            text = f"You can:\n- do {self.name} at {level.name}\n- explain {self.name}"
            texts[level] = (extracted or {}).get(level.code, text)
        SkillLevelDescriptor.objects.bulk_create(
            SkillLevelDescriptor(
                release=self.release,
                skill=self,
                level=level,
                text=text,
                is_defined=bool(text),
                blocks=text_blocks(text),
            )
            for level, text in texts.items()
        )


class RoleFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleFamily

    release = factory.SubFactory(FrameworkReleaseFactory)
    name = factory.Sequence(lambda n: f"Family {n:03d}")
    code = factory.LazyAttribute(lambda family: family.name.lower().replace(" ", "-"))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    release = factory.SubFactory(FrameworkReleaseFactory)
    family = factory.SubFactory(RoleFamilyFactory, release=factory.SelfAttribute("..release"))
    name = factory.Sequence(lambda n: f"Role {n:03d}")
    code = factory.LazyAttribute(lambda role: role.name.lower().replace(" ", "-"))
    description = "In this role, you will:\n- do the work\n- help others"


class RoleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleLevel

    role = factory.SubFactory(RoleFactory)
    release = factory.SelfAttribute("role.release")
    name = factory.Sequence(lambda n: f"Role level {n:03d}")
    code = factory.LazyAttribute(lambda level: level.name.lower().replace(" ", "-"))
    seniority = factory.Sequence(lambda n: n + 1)


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    role_level = factory.SubFactory(RoleLevelFactory)
    role = factory.SelfAttribute("role_level.role")
    release = factory.SelfAttribute("role_level.release")
    skill = factory.SubFactory(SkillFactory, release=factory.SelfAttribute("..release"))
    level = factory.LazyAttribute(lambda requirement: requirement.release.levels.order_by("rank").first())


def release_with_roles(
    *, skills: int, roles: int, levels_per_role: int, requirements_per_level: int, release=None, **release_kwargs
) -> FrameworkRelease:
    """A draft release holding `skills` skills and `roles` roles in one family, each role with a ladder of
    `levels_per_role` levels that each require the first `requirements_per_level` skills."""
    release = release or FrameworkReleaseFactory(**release_kwargs)
    skill_rows = [SkillFactory(release=release) for _ in range(skills)]
    family = RoleFamilyFactory(release=release)
    levels = list(release.levels.order_by("rank"))
    requirements = []
    for _ in range(roles):
        role = RoleFactory(release=release, family=family)
        for seniority in range(1, levels_per_role + 1):
            role_level = RoleLevelFactory(role=role, release=release, seniority=seniority)
            requirements += [
                Requirement(
                    release=release, role=role, role_level=role_level, skill=skill, level=levels[index % len(levels)]
                )
                for index, skill in enumerate(skill_rows[:requirements_per_level])
            ]
    Requirement.objects.bulk_create(requirements)
    return release


def publish_directly(release: FrameworkRelease) -> FrameworkRelease:
    """Mark `release` published without the service (for selector tests that only need a published release)."""
    FrameworkRelease.objects.filter(framework=release.framework, status=ReleaseStatus.PUBLISHED).update(
        status=ReleaseStatus.SUPERSEDED, superseded_at=timezone.now()
    )
    release.status = ReleaseStatus.PUBLISHED
    release.published_at = timezone.now()
    release.save(update_fields=["status", "published_at"])
    Framework.objects.filter(pk=release.framework_id).update(current_release=release)
    release.framework.refresh_from_db()
    return release
