import pytest

from tests.frameworks.factories import FrameworkReleaseFactory, SkillFactory, publish_directly
from tests.skills.factories import PersonFactory


@pytest.fixture
def release(db):
    """A published release (DDaT scale) holding one skill, "Data modelling"."""
    release = FrameworkReleaseFactory()
    SkillFactory(release=release, name="Data modelling", code="data-modelling")
    return publish_directly(release)


@pytest.fixture
def skill(release):
    return release.skills.get(code="data-modelling")


@pytest.fixture
def levels(release):
    return {level.code: level for level in release.levels.all()}


@pytest.fixture
def manager(db):
    return PersonFactory()


@pytest.fixture
def learner(manager):
    return PersonFactory(line_manager=manager)
