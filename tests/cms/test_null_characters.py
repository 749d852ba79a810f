"""Finding 13 of issue 7: `?release=%00` on the API answered an HTML 500 on PostgreSQL.

PostgreSQL refuses a NUL character in any text value, so a `%00` anywhere a request's value reached a
query was a 500. These tests send one everywhere a request carries values; on PostgreSQL (as in CI)
each would have reached the database.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog

from cms.accounts.models import User
from tests.cms.factories import PASSWORD, UserFactory
from tests.frameworks.factories import publish_directly, release_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework_slug():
    return publish_directly(
        release_with_roles(skills=2, roles=1, levels_per_role=1, requirements_per_level=1)
    ).framework.slug


@pytest.mark.parametrize(
    "path",
    [
        "skills/?release=%00",
        "roles/?release=2025%0010",
        "skills/?role_family=%00",
        "skills/?q=a%00b",
        "skills/?limit=1%00",
        "releases/%00/",
    ],
)
def test_a_null_character_anywhere_in_an_api_request_is_a_json_400(client, framework_slug, path):
    response = client.get(f"/api/frameworks/{framework_slug}/{path}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "null character (%00)" in response.json()["detail"]


def test_the_api_names_the_parameter_that_holds_the_null_character(client, framework_slug):
    response = client.get(f"/api/frameworks/{framework_slug}/skills/?release=%00")

    assert response.json() == {
        "detail": "The query parameter 'release' contains a null character (%00), which Capability does not accept."
    }


def test_an_address_the_api_does_not_have_is_a_json_404(client):
    response = client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "GET /api/frameworks/" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/search/?q=%00", "/skills/role-levels/?q=%00", "/%00/", "/?page=%00"])
def test_a_null_character_in_a_page_address_is_a_400_page_that_says_why(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "contains a null character (%00)" in response.content.decode()
    assert "There was a problem with your request" in response.content.decode()


def test_a_null_character_in_the_sign_in_form_is_refused_before_it_is_recorded(client):
    user = UserFactory()

    response = client.post("/accounts/sign-in/", {"username": f"{user.email}\x00", "password": PASSWORD})

    assert response.status_code == 400
    assert "The form field &#x27;username&#x27; contains a null character" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


def test_a_null_character_in_a_signed_in_form_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a\x00long-new-passphrase", "new_password2": "x"},
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_null_character_in_the_session_cookie_is_a_400_not_a_lookup(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"

    response = client.get("/")

    assert response.status_code == 400
    assert "A cookie contains a null character" in response.content.decode()


def test_a_null_character_in_a_header_is_refused_before_the_lockout_records_it(client):
    response = client.post(
        "/accounts/sign-in/",
        {"username": "nobody@example.gov.uk", "password": "wrong"},
        HTTP_USER_AGENT="Mozilla\x00",
    )

    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()
    assert User.objects.count() == 0
