"""Finding 19 of issue 7: weak passwords that Django's four validators let through, tried through the
password-change page as a signed-in person would."""

import pytest

from tests.cms.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def change_password(client, new_password):
    return client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", "must not have the same character more than 3 times in a row"),
        ("abababababab", "must use at least 5 different characters"),
        ("Capability2026!", "must not contain the name of this service or of the organisation"),
        ("C@pab1lity-for-me", "must not contain the name of this service or of the organisation"),
        ("my DDaT password", "must not contain the name of this service or of the organisation"),
        ("Civil.Service.Rocks", "must not contain the name of this service or of the organisation"),
        ("horse-abcd-battery", "must not have 4 or more characters in order"),
        ("horse-9876-battery", "must not have 4 or more characters in order"),
        ("qwertyhorse!", "must not have 4 or more characters in order"),
    ],
)
def test_a_weak_password_is_refused_with_a_clear_message_and_the_old_one_still_works(client, password, message):
    user = UserFactory(email="learner@example.gov.uk")
    client.force_login(user)

    response = change_password(client, password)

    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not user.check_password(password)


def test_a_passphrase_of_unrelated_words_is_accepted(client):
    user = UserFactory()
    client.force_login(user)

    response = change_password(client, "lantern-orbit-pebble-mosaic")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("lantern-orbit-pebble-mosaic")


def test_the_forbidden_words_come_from_settings(client, settings):
    settings.PASSWORD_FORBIDDEN_WORDS = ["Ministry of Lanterns"]
    user = UserFactory()
    client.force_login(user)

    response = change_password(client, "ministryoflanterns-7")

    assert "must not contain the name of this service" in response.content.decode()
    assert change_password(client, "capability-is-fine-here-now").status_code == 302
