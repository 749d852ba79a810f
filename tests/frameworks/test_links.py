"""Links to the public framework pages are built from the framework page's own routes (Wagtail's
reverse_subpage) and its live address, never from a path written into a template."""

import pytest
from django.test import Client

from frameworks.models import FrameworkIndexPage, FrameworkPage
from frameworks.models.pages import subpage_path
from frameworks.services import framework_pages_ensure
from frameworks.views.site import FrameworkLinks
from tests.cms.factories import UserFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

ROUTES = [
    ("framework", ()),
    ("role", ("data-analyst",)),
    ("role-level", ("data-analyst", "senior")),
    ("skills", ()),
    ("skill", ("testing",)),
    ("downloads", ()),
    ("download", ("csv",)),
    ("releases", ()),
    ("release-framework", ("2025-10",)),
    ("release-role", ("2025-10", "data-analyst")),
    ("release-changes", ("2025-10",)),
]


@pytest.mark.parametrize(("route", "args"), ROUTES)
def test_subpage_paths_are_what_the_page_itself_reverses_and_resolve_back(route, args):
    page = FrameworkPage(title="DDaT", slug="ddat")
    path = subpage_path(route, *args)
    assert path == page.reverse_subpage(route, args=args)
    assert FrameworkPage.get_resolver().resolve("/" + path).url_name == route


def test_links_of_the_current_and_an_earlier_release():
    current = FrameworkLinks.for_release(home="/frameworks/ddat/", label=None)
    earlier = FrameworkLinks.for_release(home="/frameworks/ddat/", label="2024-04")

    assert current.url("role_level", "data-analyst", "senior") == "/frameworks/ddat/roles/data-analyst/senior/"
    assert earlier.url("skill", "testing") == "/frameworks/ddat/releases/2024-04/skills/testing/"
    assert earlier.url("releases") == current.url("releases") == "/frameworks/ddat/releases/"
    assert current.url("release_changes", "2024-04") == "/frameworks/ddat/releases/2024-04/changes/"
    with pytest.raises(ValueError, match="No framework page called 'nowhere'"):
        current.url("nowhere")


def test_a_learner_choosing_a_role_is_linked_to_the_framework_where_an_editor_put_it(published, settings):
    settings.CAPABILITY_DEFAULT_FRAMEWORK = published.framework.slug  # the learner has no role level yet
    framework_pages_ensure()
    framework_page = FrameworkPage.objects.get(framework=published.framework)
    role = published.roles.order_by("name").first()
    learner = PersonFactory()
    client = Client()
    client.force_login(learner.user)

    choose_role = client.get("/skills/role-levels/target/").content.decode()
    choose_level = client.get(f"/skills/role-levels/target/{role.code}/").content.decode()
    assert f'href="{framework_page.url}"' in choose_role
    assert f'href="{framework_page.url}roles/{role.code}/"' in choose_level

    index = FrameworkIndexPage.objects.get()  # an editor moves the frameworks under a new address: links follow
    index.slug = "skills-frameworks"
    index.save_revision().publish()
    moved = FrameworkPage.objects.get(pk=framework_page.pk)
    assert moved.url == f"/skills-frameworks/{published.framework.slug}/"
    choose_level = client.get(f"/skills/role-levels/target/{role.code}/").content.decode()
    assert f'href="{moved.url}roles/{role.code}/"' in choose_level


def test_someone_without_a_profile_is_linked_to_the_frameworks_list_where_it_is(published):
    framework_pages_ensure()
    index = FrameworkIndexPage.objects.get()
    client = Client()
    client.force_login(UserFactory())  # an account HR has not given a skills profile

    for page in ("/dashboard/", "/skills/"):
        assert f'href="{index.url}"' in client.get(page).content.decode()
