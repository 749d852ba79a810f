"""The frameworks services' one permission rule: each service that takes an actor checks it itself, so a caller
that forgets the admin's check cannot let the wrong user write; `actor=None` is the system."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.accounts.enums import Role as AccountRole
from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkImport, FrameworkRelease, Requirement, Skill, SkillLevelDescriptor
from frameworks.services import (
    NotAllowed,
    framework_import_ddat,
    framework_import_job_create,
    framework_release_changes_compute,
    framework_release_discard,
    framework_release_draft_create_from_current,
    framework_release_publish,
    framework_update,
    release_publication_request,
    requirement_delete,
    requirement_set,
    role_level_update,
    role_levels_reorder,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
    skill_update,
)
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import small_ddat_files
from tests.frameworks.factories import SkillFactory, release_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return release_with_roles(skills=2, roles=1, levels_per_role=2, requirements_per_level=1, label="2026-04")


def every_draft_edit(draft, actor):
    skill = Skill.objects.filter(release=draft).first()
    descriptor = SkillLevelDescriptor.objects.filter(release=draft).first()
    requirement = Requirement.objects.filter(release=draft).select_related("role_level__role").first()
    role_level = requirement.role_level
    return {
        "framework_update": lambda: framework_update(
            framework=draft.framework,
            name="Renamed",
            description="",
            licence="",
            licence_url="",
            reassessment_period_months=12,
            actor=actor,
        ),
        "skill_create": lambda: skill_create(release=draft, name="New skill", actor=actor),
        "skill_update": lambda: skill_update(skill=skill, name="Renamed", description="", guidance="", actor=actor),
        "skill_level_descriptor_update": lambda: skill_level_descriptor_update(
            descriptor=descriptor, text="New text", actor=actor
        ),
        "skill_delete": lambda: skill_delete(skill=skill, actor=actor),
        "requirement_set": lambda: requirement_set(
            role_level=role_level, skill=skill, level=descriptor.level, actor=actor
        ),
        "requirement_delete": lambda: requirement_delete(requirement=requirement, actor=actor),
        "role_level_update": lambda: role_level_update(
            role_level=role_level, name="Renamed", description="", actor=actor
        ),
        "role_levels_reorder": lambda: role_levels_reorder(
            role=role_level.role, role_levels=list(role_level.role.levels.all())[::-1], actor=actor
        ),
        "framework_release_changes_compute": lambda: framework_release_changes_compute(release=draft, actor=actor),
        "framework_release_publish": lambda: framework_release_publish(release=draft, actor=actor),
        "framework_release_discard": lambda: framework_release_discard(release=draft, actor=actor),
        "release_publication_request": lambda: release_publication_request(release=draft, actor=actor),
    }


def content_snapshot(release):
    return (
        list(Skill.objects.filter(release=release).values_list("code", "name", "description")),
        list(SkillLevelDescriptor.objects.filter(release=release).values_list("pk", "text")),
        list(Requirement.objects.filter(release=release).values_list("pk", "level_id")),
        list(release.role_levels.values_list("pk", "name", "seniority")),
        release.framework.name,
        FrameworkRelease.objects.get(pk=release.pk).status,
    )


@pytest.mark.parametrize("role", [AccountRole.LEARNER, AccountRole.HR_ANALYST, AccountRole.LINE_MANAGER])
def test_a_user_without_the_editorial_permissions_is_refused_by_every_service_and_nothing_changes(draft, role):
    outsider = UserFactory(roles=[role])
    before = content_snapshot(draft)

    for name, edit in every_draft_edit(draft, outsider).items():
        with pytest.raises(NotAllowed) as refused:
            edit()
        assert str(refused.value).startswith("You cannot"), name

    assert content_snapshot(draft) == before


def test_a_content_editor_may_edit_a_draft_but_not_publish_it(draft):
    editor = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    edits = every_draft_edit(draft, editor)

    edits["skill_update"]()
    with pytest.raises(NotAllowed, match="You cannot publish releases."):
        edits["framework_release_publish"]()

    assert FrameworkRelease.objects.get(pk=draft.pk).status == ReleaseStatus.DRAFT
    assert Skill.objects.filter(release=draft, name="Renamed").exists()


def test_each_service_asks_for_its_own_permission_not_for_an_editorial_role(draft):
    deleter = UserFactory()
    deleter.user_permissions.add(Permission.objects.get(codename="delete_skill", content_type__app_label="frameworks"))
    skill = SkillFactory(release=draft)

    with pytest.raises(NotAllowed, match="You cannot change skills."):
        skill_update(skill=skill, name="Renamed", description="", guidance="", actor=deleter)
    skill_delete(skill=skill, actor=deleter)

    assert not Skill.objects.filter(pk=skill.pk).exists()


def test_an_inactive_user_is_refused_whatever_their_roles():
    editor = UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR], is_active=False)

    with pytest.raises(NotAllowed):
        framework_import_ddat(**small_ddat_files(), release_label="2026-01", actor=editor)

    assert not FrameworkRelease.objects.exists()


def test_importing_needs_the_import_permission_and_publishing_on_import_the_publish_permission():
    editor = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    learner = UserFactory(roles=[AccountRole.LEARNER])
    files = small_ddat_files()

    with pytest.raises(NotAllowed, match="You cannot import framework files."):
        framework_import_ddat(**small_ddat_files(), release_label="2026-01", actor=learner)
    with pytest.raises(NotAllowed, match="You cannot import and publish framework files."):
        framework_import_ddat(**small_ddat_files(), release_label="2026-01", publish=True, actor=editor)
    with pytest.raises(NotAllowed):
        framework_import_job_create(
            kind="ddat",
            framework_slug="ddat",
            release_label="2026-01",
            roles_file=SimpleUploadedFile("roles.csv", files["roles_file"]),
            skills_file=SimpleUploadedFile("skills.csv", files["skills_file"]),
            actor=learner,
        )
    assert not FrameworkRelease.objects.exists()
    assert not FrameworkImport.objects.exists()

    report = framework_import_ddat(**small_ddat_files(), release_label="2026-01", actor=editor)
    assert report.ok
    assert not report.published


def test_the_system_is_the_explicit_none_actor(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    framework_release_publish(release=draft, actor=None)

    assert FrameworkRelease.objects.get(pk=draft.pk).status == ReleaseStatus.PUBLISHED


def test_every_service_that_takes_an_actor_needs_it_spelled_out():
    edit_services = [
        framework_update,
        skill_create,
        skill_update,
        skill_level_descriptor_update,
        skill_delete,
        requirement_set,
        requirement_delete,
        role_level_update,
        role_levels_reorder,
        framework_release_changes_compute,
        framework_release_publish,
        framework_release_discard,
        framework_release_draft_create_from_current,
        release_publication_request,
        framework_import_ddat,
        framework_import_job_create,
    ]
    for service in edit_services:
        with pytest.raises(TypeError, match="actor"):
            service()
