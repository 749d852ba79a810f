"""The public framework site, as a visitor gets it: routable pages under /frameworks/<framework>/, over the small
test release published as DDaT 2025-10 (and a draft 2026-04 made from it)."""

import pytest

from frameworks.models import FrameworkRelease
from frameworks.services import (
    framework_import_ddat,
    framework_pages_ensure,
    framework_release_draft_create_from_current,
    skill_create,
)
from tests.frameworks.conftest import small_ddat_files

BASE = "/frameworks/ddat/"


@pytest.fixture
def published():
    """The small test release (Quality: Checker with three levels, Chief checker without levels), published as
    DDaT 2025-10, with the framework pages."""
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)
    assert report.ok, report.summary()
    framework_pages_ensure()
    return FrameworkRelease.objects.get(label="2025-10")


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def draft(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    skill_create(release=draft, name="Drafting secrets", description="Not published yet.", actor=None)
    return draft
