"""Selectors: what people are shown, read in one place."""

import pytest
from django.test import override_settings

from frameworks.services import framework_release_publish
from skills.selectors import person_release
from tests.frameworks.factories import release_with_roles
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def published_release(slug: str):
    release = release_with_roles(skills=1, roles=1, levels_per_role=1, requirements_per_level=1, framework__slug=slug)
    return framework_release_publish(release=release, actor=None)


def test_someone_without_a_role_level_works_in_the_default_framework_named_by_one_setting():
    ddat, other = published_release("ddat"), published_release("gds-skills")
    person = PersonFactory()

    assert person_release(person=person) == ddat
    with override_settings(CAPABILITY_DEFAULT_FRAMEWORK="gds-skills"):
        assert person_release(person=person) == other
    with override_settings(CAPABILITY_DEFAULT_FRAMEWORK="not-published"):
        assert person_release(person=person) is None
