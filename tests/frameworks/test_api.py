"""The read-only JSON API: published content only, paginated, with a reason for every 4xx."""

import pytest

from frameworks.models import Framework
from frameworks.services import (
    framework_import_ddat,
    framework_release_draft_create_from_current,
    framework_release_publish,
    skill_create,
)
from tests.frameworks.conftest import small_ddat_files
from tests.frameworks.factories import publish_directly, release_with_roles

pytestmark = pytest.mark.django_db

API = "/api/frameworks/"


@pytest.fixture
def published():
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)
    assert report.ok, report.summary()


@pytest.fixture
def with_draft(published):

    draft = framework_release_draft_create_from_current(
        framework=Framework.objects.get(slug="ddat"), label="2026-04", actor=None
    )
    skill_create(release=draft, name="Drafting secrets", description="Not published yet.", actor=None)
    return draft


def test_the_frameworks_list_shows_published_frameworks_with_their_links(client, published):
    response = client.get(API)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 1
    framework = body["results"][0]
    assert framework["slug"] == "ddat"
    assert framework["current_release"] == "2025-10"
    assert framework["licence"].startswith("Contains public sector information licensed under the Open Government")
    assert framework["skills_url"] == "http://testserver/api/frameworks/ddat/skills/"


def test_a_framework_without_a_published_release_is_not_listed_and_not_found(client):
    framework_import_ddat(**small_ddat_files(), release_label="2025-10", actor=None)

    assert client.get(API).json()["count"] == 0
    response = client.get(f"{API}ddat/")
    assert response.status_code == 404
    assert "No published framework 'ddat'" in response.json()["detail"]


def test_skills_come_with_their_text_at_every_level(client, published):
    response = client.get(f"{API}ddat/skills/")

    assert response.status_code == 200
    skills = response.json()["results"]
    assert [skill["code"] for skill in skills] == ["checking-work", "writing-notes"]
    levels = skills[1]["levels"]
    assert [level["level"] for level in levels] == ["awareness", "working", "practitioner", "expert"]
    assert levels[0]["defined"] is False
    assert levels[1] == {
        "level": "working",
        "level_name": "Working",
        "rank": 2,
        "defined": True,
        "text": "You can:\n- write clear notes",
        "intro": "You can:",
        "statements": ["write clear notes"],
    }


def test_one_skill_and_a_filtered_list(client, published):
    assert client.get(f"{API}ddat/skills/writing-notes/").json()["name"] == "Writing notes"
    assert client.get(f"{API}ddat/skills/", {"q": "team makes"}).json()["count"] == 1
    assert client.get(f"{API}ddat/skills/", {"role_family": "quality"}).json()["count"] == 2


def test_roles_come_with_their_levels_and_requirements(client, published):
    response = client.get(f"{API}ddat/roles/")

    roles = {role["code"]: role for role in response.json()["results"]}
    checker = roles["checker"]
    assert checker["family"] == {"code": "quality", "name": "Quality"}
    assert [level["code"] for level in checker["levels"]] == ["checker", "senior-checker", "lead-checker"]
    assert checker["levels"][1]["requirements"] == [
        {"skill": "checking-work", "skill_name": "Checking work", "level": "practitioner"},
        {"skill": "writing-notes", "skill_name": "Writing notes", "level": "practitioner"},
    ]
    chief = roles["chief-checker"]
    assert chief["levels"] == []
    assert chief["skills_without_level"] == ["writing-notes"]
    assert client.get(f"{API}ddat/roles/checker/").json()["code"] == "checker"


def test_releases_and_a_release_with_its_change_log(client, with_draft):
    framework_release_publish(release=with_draft, actor=None)

    releases = client.get(f"{API}ddat/releases/").json()["results"]
    release = client.get(f"{API}ddat/releases/2026-04/").json()

    assert [(item["label"], item["status"], item["is_current"]) for item in releases] == [
        ("2026-04", "published", True),
        ("2025-10", "superseded", False),
    ]
    assert release["previous_release"] == "2025-10"
    assert release["changes"] == [
        {
            "subject": "skill",
            "kind": "added",
            "code": "drafting-secrets",
            "name": "Drafting secrets",
            "previous_name": "",
            "level": "",
            "detail": "",
            "note": "",
        }
    ]
    earlier = client.get(f"{API}ddat/skills/", {"release": "2025-10"}).json()
    assert earlier["count"] == 2


def test_draft_content_is_never_served(client, with_draft):
    assert client.get(f"{API}ddat/releases/2026-04/").status_code == 404
    assert client.get(f"{API}ddat/skills/", {"release": "2026-04"}).status_code == 404
    assert client.get(f"{API}ddat/skills/drafting-secrets/").status_code == 404
    assert [release["label"] for release in client.get(f"{API}ddat/releases/").json()["results"]] == ["2025-10"]
    assert client.get(f"{API}ddat/skills/").json()["count"] == 2


@pytest.mark.parametrize(
    ("path", "params", "status", "reason"),
    [
        ("no-such/", {}, 404, "No published framework 'no-such'"),
        ("ddat/skills/no-such-skill/", {}, 404, "has no skill 'no-such-skill'"),
        ("ddat/roles/no-such-role/", {}, 404, "has no role 'no-such-role'"),
        ("ddat/releases/1999-01/", {}, 404, "has no published release '1999-01'"),
        ("ddat/skills/", {"release": "1999-01"}, 404, "has no published release '1999-01'"),
        ("ddat/skills/", {"role_family": "no-such-family"}, 400, "has no role family 'no-such-family'"),
        ("ddat/roles/", {"role_family": "no-such-family"}, 400, "has no role family 'no-such-family'"),
        ("ddat/skills/", {"q": "x" * 201}, 400, "at most 200 characters"),
        ("ddat/skills/", {"limit": "lots"}, 400, "Give a whole number from 1 to 500, not 'lots'"),
        ("ddat/skills/", {"limit": "0"}, 400, "Give a whole number from 1 to 500"),
        ("ddat/skills/", {"offset": "-1"}, 400, "Give a whole number of 0 or more"),
    ],
)
def test_bad_input_gets_a_4xx_that_says_why(client, published, path, params, status, reason):
    response = client.get(API + path, params)

    assert response.status_code == status
    assert reason in str(response.json())


def test_lists_are_paginated(client, published):
    first = client.get(f"{API}ddat/skills/", {"limit": 1}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 2
    assert [skill["code"] for skill in first["results"] + second["results"]] == ["checking-work", "writing-notes"]
    assert second["next"] is None


@pytest.mark.parametrize("size", [1, 12], ids=["small", "large"])
def test_the_skill_and_role_lists_take_a_constant_number_of_queries(client, django_assert_num_queries, size):
    release = publish_directly(
        release_with_roles(skills=size, roles=size, levels_per_role=3, requirements_per_level=size)
    )
    slug = release.framework.slug

    # framework, role family check (none here), count, page, descriptors
    with django_assert_num_queries(4):
        assert client.get(f"{API}{slug}/skills/").status_code == 200
    # framework, count, page, levels, their requirements, listed skills
    with django_assert_num_queries(6):
        assert client.get(f"{API}{slug}/roles/").status_code == 200


def test_the_openapi_schema_describes_the_api_only(client, published):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert "/api/frameworks/{framework}/skills/" in text
    assert "/admin/" not in text
    if schema is not None:
        assert schema["info"]["title"] == "Capability API"


def test_the_api_is_read_only(client, published):
    assert client.post(f"{API}ddat/skills/", {}).status_code == 405
    assert client.delete(f"{API}ddat/skills/writing-notes/").status_code == 405
