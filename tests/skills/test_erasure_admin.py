"""The Data protection role's erasure screens in the Wagtail admin: finding a leaver, what would be erased, the
confirmation with a reason; every other user refused with nothing changed."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.models import Person
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/erasure/"


def confirm_url(person):
    return f"/admin/erasure/{person.pk}/"


@pytest.fixture
def officer(client):
    user = UserFactory(roles=[Role.DATA_PROTECTION])
    client.force_login(user)
    return user


def leaver(days_ago=5 * 365, **fields):
    return PersonFactory(left_on=timezone.localdate() - timedelta(days=days_ago), **fields)


def test_the_data_protection_role_finds_leavers_by_staff_number(client, officer):
    wanted = leaver(staff_number="LEFT-1")
    leaver(staff_number="LEFT-2")
    PersonFactory(staff_number="HERE-1")

    response = client.get(LIST, {"q": "left-1"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "LEFT-1" in content
    assert confirm_url(wanted) in content
    assert "LEFT-2" not in content
    assert "HERE-1" not in content


def breadcrumbs(response) -> list[str]:
    """The texts of the admin header's breadcrumbs, the last being what the header shows as the page's title."""
    nav = re.search(r'<nav[^>]*aria-label="Breadcrumb".*?</nav>', response.content.decode(), re.S).group(0)
    return [html.unescape(re.sub(r"<[^>]+>|\s+", " ", item)).strip() for item in re.findall(r"<li.*?</li>", nav, re.S)]


def test_the_header_names_each_erasure_page_rather_than_home(client, officer):
    person = leaver()

    assert breadcrumbs(client.get(LIST)) == ["Home", "Erase leavers' personal data"]
    assert breadcrumbs(client.get(confirm_url(person))) == [
        "Home",
        "Erase leavers' personal data",
        "Erase a leaver's personal data",
    ]


def test_the_leavers_list_costs_the_same_queries_for_one_leaver_and_for_twenty(client, officer):
    leaver()
    client.get(LIST)  # warm the admin's per-process caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for _ in range(19):
        leaver()
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(LIST).status_code == 200
    assert len(twenty) == len(one)


def test_the_confirmation_shows_what_would_be_erased_and_erases_with_a_reason(client, officer):
    person = leaver(staff_number="LEFT-9")

    page = client.get(confirm_url(person))
    assert page.status_code == 200
    assert "What will be erased" in page.content.decode()
    assert "People" in page.content.decode()

    response = client.post(confirm_url(person), {"reason": "Retention period passed"})

    assert response.status_code == 302
    assert response["Location"] == LIST
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.staff_number != "LEFT-9"
    assert client.get(confirm_url(person)).status_code == 404  # erased: no longer found


def test_erasing_before_the_period_ends_needs_a_request_and_a_refusal_changes_nothing(client, officer):
    person = leaver(days_ago=3)

    response = client.post(confirm_url(person), {"reason": "Asked by email"})
    assert response.status_code == 400
    assert "erase it before then only on a valid request" in response.content.decode()
    missing = client.post(confirm_url(person), {"reason": "", "on_request": "on"})
    assert missing.status_code == 400
    person.refresh_from_db()
    assert person.erased_at is None

    client.post(confirm_url(person), {"reason": "Request DP-12", "on_request": "on"})
    person.refresh_from_db()
    assert person.erased_at is not None


def test_the_reason_field_is_described_by_its_error_and_its_hint(client, officer):
    """Django points the field's aria-describedby at "<id>_error" and "<id>_helptext": both must exist, or a screen
    reader announces neither the error nor the hint."""
    person = leaver()

    content = client.post(confirm_url(person), {"reason": ""}).content.decode()

    described_by = re.search(r'<textarea[^>]*aria-describedby="([^"]+)"', content).group(1).split()
    assert described_by == ["id_reason_helptext", "id_reason_error"]
    for element_id in described_by:
        assert f'id="{element_id}"' in content
    assert re.search(r'id="id_reason_error">This field is required\.<', content)


def test_someone_still_here_is_not_found(client, officer):
    here = PersonFactory()
    assert client.get(confirm_url(here)).status_code == 404
    assert client.post(confirm_url(here), {"reason": "x", "on_request": "on"}).status_code == 404
    assert Person.objects.get(pk=here.pk).erased_at is None


@pytest.mark.parametrize("roles", [[Role.HR_ANALYST], [Role.TRAINING_ADMINISTRATOR], [Role.LEARNER]])
def test_every_other_user_is_refused_and_nothing_changes(client, roles):
    person = leaver(staff_number="LEFT-5")
    client.force_login(UserFactory(roles=roles))

    for response in (
        client.get(LIST),
        client.get(confirm_url(person)),
        client.post(confirm_url(person), {"reason": "x", "on_request": "on"}),
    ):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/sign-in/")  # not an admin user at all
    person.refresh_from_db()
    assert (person.erased_at, person.staff_number) == (None, "LEFT-5")
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_erase").exists()


def test_a_superuser_may_erase_too(client):
    person = leaver()
    client.force_login(SuperuserFactory())
    assert client.post(confirm_url(person), {"reason": "Retention period passed"}).status_code == 302
