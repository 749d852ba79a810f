"""The framework admin as a Content editor uses it: a signed-in editor, the small DDaT release published as
2025-10 and a draft 2026-04 made from it, and what the admin tests read from its pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.accounts.enums import Role as AccountRole
from frameworks.models import FrameworkRelease
from frameworks.services import framework_import_ddat, framework_release_draft_create_from_current
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import small_ddat_files


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    client.force_login(user)
    return user


@pytest.fixture
def published():
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)
    assert report.ok
    return FrameworkRelease.objects.get(label="2025-10")


@pytest.fixture
def draft(published):
    return framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""
