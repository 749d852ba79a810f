import pytest
from django.urls import URLResolver, get_resolver

from cms.accounts.enums import Role
from cms.home.models import HomePage
from cms.standard_pages.models import StandardPage
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.permission_matrix import ANONYMOUS, INCLUDED_PREFIXES, ROUTES, SUPERUSER, USERS


def project_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route in INCLUDED_PREFIXES:
                continue
            yield from project_routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_route_of_the_project_has_a_row_in_the_permission_matrix():
    missing = [route for route in project_routes() if route not in ROUTES]
    assert missing == [], f"Add these routes to tests/permission_matrix.py: {missing}"


def test_the_permission_matrix_has_no_rows_for_routes_that_no_longer_exist():
    assert sorted(set(ROUTES) - set(project_routes())) == []


def _cases():
    for _route, rows in {**ROUTES, **INCLUDED_PREFIXES}.items():
        for row in rows:
            for user in USERS:
                yield pytest.param(row, user, id=f"{row.method} {row.path} as {user}")


@pytest.fixture
def demo_pages(db):

    HomePage.objects.get().add_child(instance=StandardPage(title="About", slug="about", body=[]))


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "user"), list(_cases()))
def test_each_user_gets_the_expected_answer_from_each_route(client, demo_pages, row, user):
    if user == SUPERUSER:
        client.force_login(SuperuserFactory())
    elif user != ANONYMOUS:
        client.force_login(UserFactory(roles=[Role(user)]))

    response = getattr(client, row.method)(row.path)

    assert response.status_code == row.expected(user), response.get("Location")
