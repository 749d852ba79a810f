import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_with_the_service_name(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Capability" in response.content
