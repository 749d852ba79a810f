"""Finding 21 of issue 7: authorisation refusals are logged as security events, without personal data."""

import logging

import pytest

from cms.accounts.enums import Role
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_events(caplog):
    caplog.set_level(logging.INFO, logger="cms.security")
    logger = logging.getLogger("cms.security")
    logger.addHandler(caplog.handler)
    yield lambda: [record for record in caplog.records if record.name == "cms.security"]
    logger.removeHandler(caplog.handler)


def test_asking_for_someone_elses_history_is_refused_and_logged_with_user_and_route_only(client, security_events):
    prober = PersonFactory(user=UserFactory(email="prober@example.gov.uk", first_name="Pat", last_name="Prober"))
    stranger = PersonFactory(user=UserFactory(email="stranger@example.gov.uk", first_name="Sam", last_name="Stranger"))
    client.force_login(prober.user)

    response = client.get(f"/skills/team/{stranger.pk}/history/skill-00/")

    assert response.status_code == 404
    [event] = security_events()
    assert event.getMessage() == (
        f"access_refused kind=object_not_found_or_refused user_id={prober.user.pk} "
        "route=skills:team-member-history method=GET"
    )
    assert (event.user_id, event.route) == (prober.user.pk, "skills:team-member-history")
    for personal in ("prober@", "stranger@", "Pat", "Sam", "Stranger", str(stranger.pk) + "/", "127.0.0.1"):
        assert personal not in event.getMessage()


def test_a_permission_denied_is_logged(client, security_events):
    learner = UserFactory(roles=[Role.LEARNER])
    client.force_login(learner)

    assert client.get("/accounts/sign-in/?next=/admin/").status_code == 403

    [event] = security_events()
    assert event.kind == "permission_denied"
    assert event.user_id == learner.pk
    assert event.route == "accounts:sign-in"


def test_a_page_that_does_not_exist_is_not_a_refusal(client, security_events):
    client.force_login(UserFactory())

    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/skills/").status_code == 200

    assert security_events() == []


def test_an_admin_page_refused_to_another_role_is_logged_and_the_message_still_shows(client, security_events):
    editor = UserFactory(roles=[Role.CONTENT_EDITOR])
    client.force_login(editor)

    response = client.get("/admin/users/")

    assert response.status_code == 302
    [event] = security_events()
    assert (event.kind, event.user_id, event.route) == ("permission_denied", editor.pk, "wagtailusers_users:index")
    assert "Sorry, you do not have permission to access this area" in client.get(response["Location"]).content.decode()


def test_the_admin_refused_to_someone_without_admin_access_is_logged(client, security_events):
    learner = UserFactory(roles=[Role.LEARNER])
    client.force_login(learner)

    assert client.get("/admin/").status_code == 302

    assert [(event.kind, event.user_id) for event in security_events()] == [("permission_denied", learner.pk)]


def test_an_allowed_admin_page_logs_nothing(client, security_events):

    client.force_login(SuperuserFactory())

    assert client.get("/admin/users/").status_code == 200
    assert security_events() == []
