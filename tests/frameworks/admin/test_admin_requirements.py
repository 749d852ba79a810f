"""Frameworks > Role levels and Required skills (frameworks.viewsets.roles, .requirements): a role level's text
and the skills it needs, edited and added through the services."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from frameworks.models import Requirement

pytestmark = pytest.mark.django_db


def test_a_role_level_and_its_required_skills_are_edited_through_the_services(client, editor, draft):
    role_level = draft.role_levels.get(code="checker")
    requirement = Requirement.objects.get(role_level=role_level, skill__code="checking-work")
    expert = draft.levels.get(code="expert")

    client.post(
        reverse("frameworks_role_level:edit", args=[role_level.pk]),
        {"name": role_level.name, "description": role_level.description, "indicative_grade": "HEO"},
    )
    client.post(reverse("frameworks_requirement:edit", args=[requirement.pk]), {"level": expert.pk})
    removed = Requirement.objects.get(role_level=role_level, skill__code="writing-notes")
    client.post(reverse("frameworks_requirement:delete", args=[removed.pk]))

    role_level.refresh_from_db()
    requirement.refresh_from_db()
    assert role_level.indicative_grade == "HEO"
    assert requirement.level == expert
    assert not Requirement.objects.filter(pk=removed.pk).exists()
    assert ModelLogEntry.objects.filter(action="capability.frameworks.requirement_delete", user=editor).exists()


def test_a_requirement_is_added_through_the_service(client, editor, draft):
    role_level = draft.role_levels.get(code="lead-checker")
    skill = draft.skills.get(code="writing-notes")

    client.post(
        reverse("frameworks_requirement:add"),
        {"role_level": role_level.pk, "skill": skill.pk, "level": draft.levels.get(code="expert").pk},
    )

    requirement = Requirement.objects.get(role_level=role_level, skill=skill)
    assert (requirement.role_id, requirement.release_id, requirement.level.code) == (
        role_level.role_id,
        draft.pk,
        "expert",
    )
