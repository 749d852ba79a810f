"""The dashboard's figures counted from the summary and the day's snapshot are cached for the refresh they came from,
and its live figures are not (docs/decisions/0213, addendum): a new refresh, a person's new interest in training
and a certification newly expiring each show on the very next request."""

from datetime import timedelta

from django.utils import timezone

from courses.models import CourseInterest
from skills.enums import ExternalCertificationStatus
from skills.models import ExternalCertification
from skills.services.capability_summary import capability_summary_refresh
from tests.skills.factories import PersonFactory, hr_analyst_for

URL = "/admin/capability/"


def _cards(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    return dict(response.context["cards"])


def _table(client, name: str) -> dict:
    """A table of the dashboard as {row heading: [each other cell's text]}."""
    response = client.get(URL)
    table = response.context[name]
    return {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}


def test_a_new_refresh_shows_at_once_and_nothing_before_it(client, organisation):
    client.force_login(hr_analyst_for("Dept A"))
    assert _cards(client)["People"] == "16"
    unit = organisation.units["Dept A/Directorate Y"]
    for _ in range(2):
        PersonFactory(
            org_unit=unit, current_role_level=organisation.people["Dept A/Directorate Y"][0].current_role_level
        )

    # The figures are as of the refresh: the same until the next one, then the new ones at once.
    assert _cards(client)["People"] == "16"
    capability_summary_refresh()
    assert _cards(client)["People"] == "18"


def test_interest_in_training_shows_without_a_refresh(client, organisation):
    client.force_login(hr_analyst_for("Dept B"))
    skill = organisation.skills[0]
    column = "Of them: Registered interest in it"
    response = client.get(URL)
    index = response.context["demand"].columns.index(column) - 1
    assert _table(client, "demand")[skill.name][index] == "0"

    for person in organisation.people["Dept B/Team Z"][:3]:
        CourseInterest.objects.create(person=person, framework=organisation.release.framework, skill_code=skill.code)

    assert _table(client, "demand")[skill.name][index] == "3"


def test_a_certification_newly_expiring_shows_without_a_refresh(client, organisation):
    client.force_login(hr_analyst_for("Dept B"))
    assert _table(client, "expiring")["30 days"] == ["0", "0"]

    expires_on = timezone.localdate() + timedelta(days=20)
    ExternalCertification.objects.create(
        person=organisation.people["Dept B/Team Z"][0],
        name="PRINCE2 Practitioner",
        issuer="PeopleCert",
        issued_on=expires_on - timedelta(days=1095),
        expires_on=expires_on,
        evidence="external-certifications/x.pdf",
        evidence_name="x.pdf",
        evidence_type="application/pdf",
        status=ExternalCertificationStatus.CONFIRMED,
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
    )

    assert _table(client, "expiring")["30 days"] == ["0", "1"]
