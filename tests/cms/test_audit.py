import pytest

from cms.accounts.enums import Role
from cms.accounts.services import user_roles_set
from tests.cms.factories import SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_domain_actions_show_in_the_admin_site_history_with_who_did_them(client):
    admin = SuperuserFactory(first_name="Sam", last_name="Administrator")
    user_roles_set(user=UserFactory(email="new.editor@example.gov.uk"), roles=[Role.CONTENT_EDITOR], actor=admin)
    client.force_login(admin)

    html = client.get("/admin/reports/site-history/").content.decode()

    assert "Roles set" in html
    assert "Sam Administrator" in html


def test_a_learner_cannot_read_the_site_history(client):
    client.force_login(UserFactory(roles=[Role.LEARNER]))

    assert client.get("/admin/reports/site-history/").status_code == 302
