"""The privacy notice (issue 14): a page type content editors edit, made on every install at /privacy/ by a
migration and linked from the footer, whose text agrees with the register of personal data."""

import pytest
from django.test import Client
from wagtail.models import Page

from cms.accounts.enums import Role
from cms.standard_pages.models import PrivacyNoticePage
from skills.personal_data import Retention, personal_data_register
from tests.cms.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_install_has_a_privacy_notice_at_privacy_linked_from_the_footer(client, django_assert_max_num_queries):
    assert PrivacyNoticePage.objects.live().count() == 1
    assert 'href="/privacy/"' in client.get("/").content.decode()
    with django_assert_max_num_queries(8):
        page = client.get("/privacy/")
    html = page.content.decode()
    assert page.status_code == 200
    for heading in ("What we collect", "Why we hold it", "Who can see it", "How long we keep it", "Your rights"):
        assert heading in html
    assert "Who is responsible for your data" in html
    assert "mailto:data-protection@capability.invalid" in html
    assert 'href="/skills/your-data/"' in html


def test_the_notice_as_installed_says_how_long_exports_and_sessions_are_kept_as_the_default_settings_do(
    client, settings
):
    html = client.get("/privacy/").content.decode()
    assert f"deleted {settings.CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS} days after it is ready" in html
    assert f"{settings.SESSION_COOKIE_AGE // 60} minutes without use" in html
    assert f"{settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() // 3600:.0f} hours after you signed in" in html


def test_the_notice_covers_every_kind_of_record_in_the_register(client):
    """Each retention class the register sorts records into is a kind of record the notice speaks of: a new class
    needs the notice (and this map) to say how long it is kept."""
    html = client.get("/privacy/").content.decode()
    said = {
        Retention.PERSON_RECORD: "Your account and HR record",
        Retention.EVIDENCE: "Assessments, reviews, certificates and certifications",
        Retention.DERIVED: "Figures worked out from those records",
        Retention.NOTIFICATION: "Messages",
        Retention.AUDIT: "the audit log",
        Retention.EDITORIAL: "if you edit the site",
        Retention.SECURITY_LOG: "sign-in records",
        Retention.SESSION: "Sign-in sessions",
        Retention.TRANSIENT: "An HR feed file is deleted",
        Retention.EXPORT: "A copy of your data",
    }
    assert set(said) == set(Retention)
    used = {entry.retention for entry in personal_data_register().models.values()}
    assert used <= set(said)
    assert [text for text in said.values() if text not in html] == []


def test_content_editors_can_edit_the_notice_and_learners_cannot():
    notice = PrivacyNoticePage.objects.get()
    editor = Client()
    editor.force_login(UserFactory(roles=[Role.CONTENT_EDITOR]))
    assert editor.get(f"/admin/pages/{notice.pk}/edit/").status_code == 200
    learner = Client()
    learner.force_login(UserFactory())
    assert learner.get(f"/admin/pages/{notice.pk}/edit/").status_code == 302


def test_there_is_one_notice_only_under_the_home_page():
    home = Page.objects.get(slug="home") if Page.objects.filter(slug="home").exists() else Page.objects.get(depth=2)
    assert not PrivacyNoticePage.can_create_at(home)
    assert PrivacyNoticePage.subpage_types == []
