"""Release labels are part of a release's public address, so a label with spaces (or other characters the
address cannot hold) is refused wherever a release is named: the new-draft form, the import form and the
import command, each with a message saying what a label may contain."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms.accounts.enums import Role as AccountRole
from frameworks.models import FrameworkImport, FrameworkRelease
from frameworks.services import framework_import_ddat
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import small_ddat_files

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a release label of up to 50 letters, digits and hyphens, with no spaces, for example 2026-04"


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    client.force_login(user)
    return user


@pytest.fixture
def published():
    assert framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None).ok
    return FrameworkRelease.objects.get(label="2025-10")


@pytest.mark.parametrize("label", ["April 2026", "2026/04", "2026.04", "-2026"])
def test_a_new_draft_with_a_label_its_address_cannot_hold_is_refused_on_the_form(client, editor, published, label):
    response = client.post(reverse("frameworks_release:add"), {"framework": published.framework_id, "label": label})

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert list(FrameworkRelease.objects.values_list("label", flat=True)) == ["2025-10"]


def test_a_new_draft_label_is_trimmed_rather_than_refused_for_surrounding_spaces(client, editor, published):
    client.post(reverse("frameworks_release:add"), {"framework": published.framework_id, "label": " 2026-04 "})

    assert FrameworkRelease.objects.filter(label="2026-04").exists()


def test_an_import_with_a_label_containing_spaces_is_refused_on_the_form(client, editor):
    files = small_ddat_files()
    response = client.post(
        reverse("frameworks_import:add"),
        {
            "kind": "ddat",
            "framework_slug": "ddat",
            "release_label": "October 2025",
            "roles_file": SimpleUploadedFile("roles.csv", files["roles_file"], content_type="text/csv"),
            "skills_file": SimpleUploadedFile("skills.csv", files["skills_file"], content_type="text/csv"),
        },
    )

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not FrameworkImport.objects.exists()


def test_the_import_command_refuses_a_label_containing_spaces(tmp_path):
    files = small_ddat_files()
    (tmp_path / "roles.csv").write_bytes(files["roles_file"])
    (tmp_path / "skills.csv").write_bytes(files["skills_file"])

    with pytest.raises(CommandError, match="no spaces"):
        call_command(
            "import_framework",
            "ddat",
            "--roles",
            str(tmp_path / "roles.csv"),
            "--skills",
            str(tmp_path / "skills.csv"),
            "--release",
            "October 2025",
        )

    assert not FrameworkRelease.objects.exists()
