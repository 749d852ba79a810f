"""Frameworks > Frameworks (frameworks.viewsets.frameworks): details edited through the service; never added
nor deleted."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects
from wagtail.models import ModelLogEntry

from frameworks.models import Framework

pytestmark = pytest.mark.django_db


def test_the_framework_details_are_edited_through_the_service(client, editor, published):
    framework = published.framework
    client.post(
        reverse("frameworks_framework:edit", args=[framework.pk]),
        {
            "name": framework.name,
            "description": "The framework of the digital and data profession.",
            "licence": framework.licence,
            "licence_url": framework.licence_url,
            "reassessment_period_months": 18,
        },
    )

    framework.refresh_from_db()
    assert framework.reassessment_period_months == 18
    assert ModelLogEntry.objects.filter(action="capability.frameworks.framework_update").exists()


def test_frameworks_are_never_deleted_nor_added_in_the_admin(admin_client, published):
    framework = Framework.objects.get()

    assertRedirects(admin_client.get("/admin/frameworks/frameworks/new/"), "/admin/", fetch_redirect_response=False)
    assertRedirects(
        admin_client.post(f"/admin/frameworks/frameworks/delete/{framework.pk}/"),
        "/admin/",
        fetch_redirect_response=False,
    )
    assert Framework.objects.filter(pk=framework.pk).exists()
