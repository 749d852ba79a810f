"""Where skills plugs into the public framework site (through frameworks' extension points, never imports)."""

import pytest
from django.test import Client

from frameworks.models import FrameworkRelease, RoleLevel
from frameworks.services import framework_import_ddat, framework_pages_ensure
from tests.frameworks.conftest import small_ddat_files
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db
PAGE = "/frameworks/ddat/roles/checker/senior-checker/"
LINK = "Set as the role level you are working towards"


@pytest.fixture
def role_level():
    assert framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None).ok
    framework_pages_ensure()
    return RoleLevel.objects.get(release=FrameworkRelease.objects.get(label="2025-10"), code="senior-checker")


def test_a_person_can_make_a_role_level_they_are_reading_their_target(role_level):
    client = Client()
    client.force_login(PersonFactory().user)

    page = client.get(PAGE).content.decode()

    assert LINK in page
    assert f"/skills/role-levels/target/{role_level.role.code}/?level={role_level.pk}" in page


def test_visitors_and_people_already_aiming_there_see_no_such_link(client, role_level):
    assert LINK not in client.get(PAGE).content.decode()
    person = PersonFactory(target_role_level=role_level)
    client.force_login(person.user)
    assert LINK not in client.get(PAGE).content.decode()
