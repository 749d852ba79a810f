import pytest

from frameworks.models import FrameworkRelease, Role, Skill
from frameworks.selectors import (
    framework_releases,
    release_change_log,
    release_comparison,
    release_content,
    release_get,
    role_families_with_roles,
    role_level_with_requirements,
    role_with_ladder,
    skill_detail,
    skills_a_to_z,
)
from frameworks.services import framework_release_draft_create_from_current, skill_create, skill_update
from tests.frameworks.factories import (
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleFactory,
    RoleFamilyFactory,
    RoleLevelFactory,
    SkillFactory,
    publish_directly,
    release_with_roles,
)

pytestmark = pytest.mark.django_db

SMALL = {"skills": 1, "roles": 1, "levels_per_role": 1, "requirements_per_level": 1}
LARGE = {"skills": 20, "roles": 5, "levels_per_role": 4, "requirements_per_level": 20}


@pytest.fixture(params=[SMALL, LARGE], ids=["small", "large"])
def release(request):
    return publish_directly(release_with_roles(**request.param))


def test_role_level_with_requirements_takes_three_queries_whatever_the_size(release, django_assert_num_queries):
    role_level = release.role_levels.select_related("role").order_by("pk").first()

    with django_assert_num_queries(3):
        detail = role_level_with_requirements(
            release=release, role_code=role_level.role.code, role_level_code=role_level.code
        )
        rows = [(row.skill.name, row.level.name, row.descriptor.text) for row in detail.required_skills]
        family = detail.role_level.role.family.name

    assert family
    assert len(rows) == role_level.requirements.count()
    name, level, text = rows[0]
    assert text == f"You can:\n- do {name} at {level}\n- explain {name}"


def test_skill_detail_takes_three_queries_whatever_the_size(release, django_assert_num_queries):
    skill = release.skills.order_by("code").first()

    with django_assert_num_queries(3):
        detail = skill_detail(release=release, skill_code=skill.code)
        texts = [(descriptor.level.name, descriptor.text) for descriptor in detail.descriptors]
        needed_by = [(r.role.family.name, r.role.name, r.role_level.name, r.level.name) for r in detail.requirements]
        grouped = detail.requirements_by_level()

    assert [level for level, _ in texts] == ["Awareness", "Working", "Practitioner", "Expert"]
    assert len(needed_by) == skill.requirements.count()
    assert sum(len(requirements) for _, requirements in grouped) == len(needed_by)


def test_skills_a_to_z_is_one_query_with_filters(release, django_assert_num_queries):
    family = release.role_families.get()
    with django_assert_num_queries(1):
        names = [skill.name for skill in skills_a_to_z(release=release, role_family_code=family.code, search="skill")]
    assert names == sorted(names, key=str.casefold)
    assert len(names) == release.skills.count()


def test_role_families_with_roles_and_ladders_take_three_queries(release, django_assert_num_queries):
    with django_assert_num_queries(3):
        ladders = [
            (family.name, role.name, [level.seniority for level in role.levels.all()])
            for family in role_families_with_roles(release=release)
            for role in family.roles.all()
        ]
    assert all(seniorities == sorted(seniorities) for _, _, seniorities in ladders)


def test_role_with_ladder_takes_two_queries(release, django_assert_num_queries):
    role = release.roles.first()
    with django_assert_num_queries(2):
        loaded = role_with_ladder(release=release, role_code=role.code)
        names = [level.name for level in loaded.levels.all()]
        family = loaded.family.name
    assert family
    assert len(names) == role.levels.count()


def test_release_content_and_comparison_take_a_constant_number_of_queries(release, django_assert_num_queries):
    with django_assert_num_queries(11):
        release_content(release=release)
    draft = framework_release_draft_create_from_current(framework=release.framework, label="next", actor=None)
    with django_assert_num_queries(22):
        comparison = release_comparison(from_release=release, to_release=draft)
    assert comparison.changes == []


def test_skills_are_filtered_by_role_family_and_searched_in_names_and_descriptions():
    release = FrameworkReleaseFactory()
    data, design = RoleFamilyFactory(release=release, name="Data"), RoleFamilyFactory(release=release, name="Design")
    modelling = SkillFactory(release=release, name="Data modelling", description="Shaping information.")
    research = SkillFactory(release=release, name="User research", description="Finding out what users need.")
    SkillFactory(release=release, name="Unused skill")
    RequirementFactory(
        release=release, skill=modelling, role_level=RoleLevelFactory(role=RoleFactory(release=release, family=data))
    )
    RequirementFactory(
        release=release, skill=research, role_level=RoleLevelFactory(role=RoleFactory(release=release, family=design))
    )

    def names(**filters):
        return [skill.name for skill in skills_a_to_z(release=release, **filters)]

    assert names() == ["Data modelling", "Unused skill", "User research"]
    assert names(role_family_code=data.code) == ["Data modelling"]
    assert names(search="USERS need") == ["User research"]
    assert names(search="information", role_family_code=design.code) == []


def test_the_public_selectors_never_return_a_draft():
    draft = FrameworkReleaseFactory(label="2026-01")
    slug = draft.framework.slug

    with pytest.raises(FrameworkRelease.DoesNotExist):
        release_get(framework_slug=slug, label="2026-01")
    with pytest.raises(FrameworkRelease.DoesNotExist):
        release_get(framework_slug=slug)
    assert list(framework_releases(framework=draft.framework)) == []
    assert release_get(framework_slug=slug, label="2026-01", published_only=False) == draft

    publish_directly(draft)
    assert release_get(framework_slug=slug) == draft
    assert [release.label for release in framework_releases(framework=draft.framework)] == ["2026-01"]


def test_release_comparison_of_any_two_releases_lists_the_differences():
    first = publish_directly(release_with_roles(**SMALL))
    second = framework_release_draft_create_from_current(framework=first.framework, label="second", actor=None)
    skill_create(release=second, name="New skill", actor=None)
    skill = Skill.objects.filter(release=second).exclude(code="new-skill").get()
    skill_update(skill=skill, name="Renamed", description=skill.description, guidance="", actor=None)

    comparison = release_comparison(from_release=first, to_release=second)

    assert [(change.subject, change.kind, change.code) for change in comparison.changes] == [
        ("skill", "added", "new-skill"),
        ("skill", "renamed", skill.code),
    ]
    assert comparison.counts() == {"skill added": 1, "skill renamed": 1}
    reverse = release_comparison(from_release=second, to_release=first)
    assert [change.kind for change in reverse.changes] == ["removed", "renamed"]
    assert list(release_change_log(release=second)) == []


def test_lookups_of_missing_things_raise_does_not_exist(release):
    with pytest.raises(Role.DoesNotExist):
        role_with_ladder(release=release, role_code="no-such-role")
    with pytest.raises(Skill.DoesNotExist):
        skill_detail(release=release, skill_code="no-such-skill")
