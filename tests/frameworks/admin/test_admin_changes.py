"""Frameworks > Change log (frameworks.viewsets.changes): editors explain the computed lines."""

import pytest
from django.urls import reverse

from frameworks.models import ReleaseChange
from frameworks.services import framework_release_changes_compute, skill_create

pytestmark = pytest.mark.django_db


def test_a_change_log_line_gets_an_editors_note(client, editor, draft):

    skill_create(release=draft, name="Brand new", actor=None)

    framework_release_changes_compute(release=draft, actor=None)
    change = ReleaseChange.objects.get(release=draft, code="brand-new")

    client.post(reverse("frameworks_change:edit", args=[change.pk]), {"note": "Asked for by the profession."})

    change.refresh_from_db()
    assert change.note == "Asked for by the profession."
