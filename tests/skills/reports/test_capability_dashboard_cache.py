"""The dashboard's figures counted from the summary and the day's snapshot are cached for the refresh they came from,
and its live figures are not (docs/decisions/0213, addendum): a new refresh, a person's new interest in training
and a certification newly expiring each show on the very next request."""

from datetime import timedelta

from django.utils import timezone

from courses.models import CourseInterest
from skills.enums import ExternalCertificationStatus
from skills.models import ExternalCertification
from skills.services.capability_summary import capability_summary_refresh
from tests.skills.factories import (
    GradeFactory,
    OrganisationUnitFactory,
    PersonFactory,
    ProfessionFactory,
    hr_analyst_for,
)

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


def _options(client, field: str) -> list[str]:
    response = client.get(URL)
    return [str(label) for _value, label in response.context["filters_form"].fields[field].widget.choices]


def test_the_filters_offer_what_the_refresh_counted_and_the_units_as_they_are_now(client, organisation):
    """The filters' grade, profession and framework options are read once per refresh (the figures they narrow
    are as of it); the unit options come from the units as they are on this request, and only the viewer's."""
    client.force_login(hr_analyst_for("Dept A"))
    assert "Grade Z99" not in _options(client, "grade")
    assert not any("Dept B" in label for label in _options(client, "unit"))

    GradeFactory(code="Z99", name="Grade Z99")
    ProfessionFactory(name="Profession of cartography")
    OrganisationUnitFactory(full_name="Dept A/Directorate Y/New team")
    # A new unit of theirs is offered at once; a new grade or profession once a refresh has counted it.
    assert "Dept A/Directorate Y/New team" in _options(client, "unit")
    assert "Grade Z99" not in _options(client, "grade")

    capability_summary_refresh()
    assert "Grade Z99" in _options(client, "grade")
    assert "Profession of cartography" in _options(client, "profession")
    assert not any("Dept B" in label for label in _options(client, "unit"))
    # Another analyst, of Dept B only, is offered none of Dept A's units, from the same cache.
    client.force_login(hr_analyst_for("Dept B"))
    units = _options(client, "unit")
    assert "Dept B" in units
    assert all(label.startswith("Dept B") or label == "All yours" for label in units)
