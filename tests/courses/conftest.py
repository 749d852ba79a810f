import pytest

from frameworks.models import FrameworkRelease
from frameworks.services import framework_pages_ensure
from tests.courses.factories import course_index
from tests.skills.factories import PersonFactory


@pytest.fixture
def manager(db):
    return PersonFactory()


@pytest.fixture
def learner(manager):
    return PersonFactory(line_manager=manager)


@pytest.fixture
def ddat():
    """The real DDaT 2025-10 release (for a module that uses its `ddat_2025_10` fixture) with its public pages and
    the course catalogue's index page."""
    framework_pages_ensure()
    course_index()
    return FrameworkRelease.objects.select_related("framework").get(framework__slug="ddat", label="2025-10")
