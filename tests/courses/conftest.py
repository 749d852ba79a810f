import pytest

from tests.skills.factories import PersonFactory


@pytest.fixture
def manager(db):
    return PersonFactory()


@pytest.fixture
def learner(manager):
    return PersonFactory(line_manager=manager)
