"""Publishing a release through Wagtail moderation: an editor, a Framework moderator, a draft to publish, and the
steps every workflow test takes (submitting a draft, the address that approves a request)."""

import pytest
from django.urls import reverse

from cms.accounts.enums import Role as AccountRole
from frameworks.models import Framework
from frameworks.services import framework_import_ddat, framework_release_draft_create_from_current, skill_create
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import small_ddat_files

PUBLIC = "/frameworks/ddat/"


@pytest.fixture
def editor():
    return UserFactory(roles=[AccountRole.CONTENT_EDITOR])


@pytest.fixture
def moderator():
    return UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR])


@pytest.fixture
def draft():
    """DDaT 2025-10 published (without its public pages yet) and a draft 2026-04 with one new skill."""
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)
    assert report.ok
    draft = framework_release_draft_create_from_current(
        framework=Framework.objects.get(slug="ddat"), label="2026-04", actor=None
    )
    skill_create(release=draft, name="Drafting secrets", description="Only in the draft.", actor=None)
    return draft


def submit(client, user, release):
    client.force_login(user)
    return client.post(reverse("frameworks_release:request_publication", args=[release.pk]), {"summary": "Adds one."})


def approve_url(publication):
    task_state = publication.current_workflow_state.current_task_state
    return reverse(
        "wagtailsnippets_frameworks_releasepublication:workflow_action",
        args=[publication.pk, "approve", task_state.pk],
    )
