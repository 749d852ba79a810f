from datetime import date

import pytest

from skills.credentials.keys import credential_keys_ensure
from skills.models import Certificate
from tests.skills.factories import PersonFactory


@pytest.fixture
def keys_dir(settings, tmp_path):
    """A private key directory of the test's own, with keys made in it."""
    settings.CAPABILITY_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    credential_keys_ensure()
    return settings.CAPABILITY_CREDENTIAL_KEYS_DIR


def make_certificate(holder=None, *, index=7, **fields) -> Certificate:
    holder = holder or PersonFactory(user__first_name="Ada", user__last_name="Lovelace")
    values = {
        "kind": Certificate.Kind.COURSE,
        "award": f"courses.course:{index}",
        "title": "Agile foundations",
        "url": "https://capability.example/training/agile-foundations/",
        "number": f"CAP-{index}",
        "issued_on": date(2026, 1, 10),
        "expires_on": date(2029, 1, 10),
        "status_list_index": index,
    }
    return Certificate.objects.create(holder=holder, **(values | fields))


@pytest.fixture
def certificate(keys_dir):
    return make_certificate()
