"""The Frameworks admin menu and its listings (frameworks.viewsets, wagtail_hooks): who may use them, and the
actions the admin never offers, to anyone."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from cms.accounts.enums import Role as AccountRole
from tests.cms.factories import UserFactory
from tests.frameworks.admin.refusals import assert_refused_to_everyone

pytestmark = pytest.mark.django_db


def test_the_frameworks_menu_groups_every_admin_page(client, editor):
    page = client.get("/admin/").content.decode()

    for label in ("Frameworks", "Releases", "Skills", "Role levels", "Required skills", "Change log", "Imports"):
        assert label in page


@pytest.mark.parametrize(
    "path",
    [
        "/admin/frameworks/releases/",
        "/admin/frameworks/releases/?status=draft",
        "/admin/frameworks/skills/",
        "/admin/frameworks/skills/?q=check&in_use=true",
        "/admin/frameworks/roles/",
        "/admin/frameworks/role-levels/?q=senior",
        "/admin/frameworks/required-skills/?skill=checking-work",
        "/admin/frameworks/changes/",
        "/admin/frameworks/imports/",
        "/admin/frameworks/frameworks/",
        "/admin/frameworks/publications/",
    ],
)
def test_each_listing_answers_with_search_and_filters(client, editor, draft, path):
    assert client.get(path).status_code == 200


def test_people_without_an_editorial_role_cannot_use_the_framework_admin(client, draft):
    client.force_login(UserFactory(roles=[AccountRole.HR_ANALYST]))

    for url in [
        "/admin/frameworks/skills/",
        reverse("frameworks_release:preview_home", args=[draft.pk]),
        "/admin/frameworks/imports/new/",
    ]:
        assertRedirects(client.get(url), "/admin/", fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("listing", "refused"),
    [
        ("/admin/frameworks/frameworks/", ["add", "delete"]),
        ("/admin/frameworks/releases/", ["change", "delete"]),
        ("/admin/frameworks/roles/", ["add", "change", "delete"]),
        ("/admin/frameworks/role-levels/", ["add", "delete"]),
        ("/admin/frameworks/changes/", ["add", "delete"]),
        ("/admin/frameworks/imports/", ["change", "delete"]),
    ],
)
def test_an_action_the_framework_admin_refuses_is_refused_to_superusers_too_and_lists_nobody(listing, refused):
    assert_refused_to_everyone(listing, refused)
