"""The editor's admin, as an editor meets it: listings that show the release being worked on, pages that say
which release they edit, titles said once, one name for a publication request, and a way to discard a draft
that is refused for published releases and for drafts waiting for a moderator."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role as AccountRole
from frameworks.enums import ReleaseStatus
from frameworks.models import Framework, FrameworkRelease, ReleasePublication, Skill
from frameworks.services import (
    framework_import_ddat,
    framework_release_draft_create_from_current,
    release_publication_request,
    skill_create,
)
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import small_ddat_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    client.force_login(user)
    return user


@pytest.fixture
def published():
    assert framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None).ok
    return FrameworkRelease.objects.get(label="2025-10")


@pytest.fixture
def draft(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    skill_create(release=draft, name="Drafting secrets", description="Only in the draft.", actor=None)
    return draft


def page_of(response) -> str:
    return response.content.decode()


# --- listings and headers --------------------------------------------------------------------------------


def test_the_skills_listing_shows_the_draft_being_worked_on_unless_another_release_is_chosen(client, editor, draft):
    published = draft.previous_release
    checking_in_draft = Skill.objects.get(release=draft, code="checking-work")
    checking_published = Skill.objects.get(release=published, code="checking-work")

    default = page_of(client.get(reverse("frameworks_skill:index")))
    chosen = page_of(client.get(reverse("frameworks_skill:index"), {"release": published.pk}))

    assert reverse("frameworks_skill:edit", args=[checking_in_draft.pk]) in default
    assert reverse("frameworks_skill:inspect", args=[checking_published.pk]) not in default
    assert "Drafting secrets" in default
    assert reverse("frameworks_skill:inspect", args=[checking_published.pk]) in chosen
    assert "Drafting secrets" not in chosen


def test_without_a_draft_the_skills_listing_shows_the_current_release(client, editor, published):
    page = page_of(client.get(reverse("frameworks_skill:index")))

    skill = Skill.objects.get(release=published, code="checking-work")
    assert reverse("frameworks_skill:inspect", args=[skill.pk]) in page


def test_the_skill_edit_page_says_which_release_is_being_edited(client, editor, draft):
    skill = Skill.objects.get(release=draft, code="checking-work")

    page = page_of(client.get(reverse("frameworks_skill:edit", args=[skill.pk])))

    assert "in release 2026-04 (draft)" in page


def test_the_inspect_page_of_a_published_skill_says_which_release_it_belongs_to(client, editor, published):
    skill = Skill.objects.get(release=published, code="checking-work")

    page = page_of(client.get(reverse("frameworks_skill:inspect", args=[skill.pk])))

    assert "in release 2025-10 (published)" in page


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("frameworks_release:add", "New draft from the current release"),
        ("frameworks_import:add", "Import framework files"),
    ],
)
def test_form_pages_say_their_title_once(client, editor, published, url_name, title):
    page = page_of(client.get(reverse(url_name)))

    assert f"{title}: {title}" not in page
    assert title in page


def test_a_publication_request_has_one_name_everywhere(client, editor, draft):
    release_publication_request(release=draft, actor=editor, summary="Adds one.")
    publication = ReleasePublication.objects.get(release=draft)

    pages = [
        page_of(client.get("/admin/")),
        page_of(client.get(reverse("wagtailsnippets_frameworks_releasepublication:list"))),
        page_of(client.get(reverse("wagtailsnippets_frameworks_releasepublication:edit", args=[publication.pk]))),
    ]

    for page in pages:
        assert "Release publication" not in page
        assert "release publication '" not in page
    assert "Publication requests" in pages[1]
    assert "Publish DDaT 2026-04" in pages[2]


# --- discarding a draft ------------------------------------------------------------------------------------


def test_an_editor_discards_a_draft_after_confirming_and_it_is_audited(client, editor, draft):
    url = reverse("frameworks_release:discard", args=[draft.pk])
    assert "Discard this draft" in page_of(client.get(reverse("frameworks_release:inspect", args=[draft.pk])))
    assert "cannot be undone" in page_of(client.get(url))

    response = client.post(url, follow=True)

    assert not FrameworkRelease.objects.filter(pk=draft.pk).exists()
    assert not Skill.objects.filter(release_id=draft.pk).exists()
    assert "Draft DDaT 2026-04 discarded." in page_of(response)
    entry = ModelLogEntry.objects.get(action="capability.frameworks.release_discard")
    assert entry.user_id == editor.pk
    assert entry.data["label"] == "2026-04"
    assert Framework.objects.get(slug="ddat").current_release.label == "2025-10"


def test_a_published_release_cannot_be_discarded(client, editor, draft):
    published = draft.previous_release
    assert "Discard this draft" not in page_of(client.get(reverse("frameworks_release:inspect", args=[published.pk])))

    response = client.post(reverse("frameworks_release:discard", args=[published.pk]), follow=True)

    assert "The draft was not discarded" in page_of(response)
    published.refresh_from_db()
    assert published.status == ReleaseStatus.PUBLISHED
    assert Skill.objects.filter(release=published).exists()
    assert not ModelLogEntry.objects.filter(action="capability.frameworks.release_discard").exists()


def test_a_draft_waiting_for_a_moderator_cannot_be_discarded(client, editor, draft):
    release_publication_request(release=draft, actor=editor, summary="Adds one.")

    response = client.post(reverse("frameworks_release:discard", args=[draft.pk]), follow=True)

    assert "waiting for a Framework moderator" in page_of(response)
    assert FrameworkRelease.objects.filter(pk=draft.pk, status=ReleaseStatus.DRAFT).exists()
    assert Skill.objects.filter(release=draft, code="drafting-secrets").exists()


def test_someone_without_an_editorial_role_cannot_discard_a_draft(client, draft):
    client.force_login(UserFactory(roles=[AccountRole.HR_ANALYST]))

    response = client.post(reverse("frameworks_release:discard", args=[draft.pk]))

    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    assert FrameworkRelease.objects.filter(pk=draft.pk).exists()


# --- words an editor understands ---------------------------------------------------------------------------


def test_the_import_form_asks_for_the_framework_in_plain_words(client, editor):
    page = page_of(client.get(reverse("frameworks_import:add")))

    assert "Framework short name" not in page
    assert "enter ddat for the DDaT framework or sfia for SFIA" in page


def test_the_assessment_policy_form_explains_the_ranks_without_jargon(client, published):
    client.force_login(UserFactory(roles=[AccountRole.FRAMEWORK_MODERATOR]))

    page = page_of(client.get("/admin/skills/assessment-policies/new/"))

    assert "place in the order" not in page
    assert "outranks" not in page
    assert "rank 1 counts most" in page
