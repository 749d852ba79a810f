import pytest
from pytest_django.asserts import assertRedirects

from cms.accounts.enums import Role
from skills.models import AssessmentPolicy
from skills.services import validation_ranking
from tests.cms.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/skills/assessment-policies/"


def places(**chosen):
    sources = ["line_manager", "assessor", "course", "certificate", "import", "carried_forward"]
    return {f"place_{source}": str(chosen.get(source, "")) for source in sources}


def test_a_framework_moderator_declares_a_policy_and_it_drives_validation(client, release):
    client.force_login(UserFactory(roles=[Role.FRAMEWORK_MODERATOR]))

    response = client.post(
        f"{URL}new/",
        {
            "framework": release.framework_id,
            "description": "Managers know the work best.",
            **places(line_manager=1, assessor=2),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert validation_ranking(framework_id=release.framework_id) == {"line_manager": 1, "assessor": 2}
    assert "Line manager &gt; Assessor" in client.get(URL).content.decode()


def test_two_sources_in_the_same_place_are_refused_on_the_form(client, release):
    client.force_login(UserFactory(roles=[Role.FRAMEWORK_MODERATOR]))

    response = client.post(f"{URL}new/", {"framework": release.framework_id, **places(line_manager=1, assessor=1)})

    assert response.status_code == 200
    assert "Place 1 is already" in response.content.decode()
    assert not AssessmentPolicy.objects.exists()


@pytest.mark.parametrize(
    ("role", "sent_to"),
    [
        (Role.LEARNER, f"/accounts/sign-in/?next={URL}new/"),  # no admin access at all
        (Role.CONTENT_EDITOR, "/admin/"),  # in the admin, without the permission
        (Role.HR_ANALYST, "/admin/"),
    ],
)
def test_other_roles_cannot_change_a_policy(client, release, role, sent_to):
    client.force_login(UserFactory(roles=[role]))

    response = client.post(f"{URL}new/", {"framework": release.framework_id, **places(course=1)})

    assertRedirects(response, sent_to, fetch_redirect_response=False)
    assert not AssessmentPolicy.objects.exists()
