"""Finding 15 of issue 7: a line break or other control character in a name is refused wherever people and
organisation data come in (the HR feed and the People admin's forms), so it never reaches an e-mail header."""

import pytest

from skills.enums import PeopleImportStatus
from skills.models import Grade, OrganisationUnit, PeopleImport, Person, Profession
from skills.services.people_import import people_import
from tests.skills.factories import hr_analyst_for
from tests.skills.hr_feed import ddat_framework, person_row, write_csv
from tests.skills.test_admin_people import GRADES, PROFESSIONS, UNITS, UPLOAD, feed_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client):
    client.force_login(hr_analyst_for())
    return client


@pytest.mark.parametrize(
    ("values", "column", "what"),
    [
        ({"first_name": "Ada\nBcc: everyone@example.gov.uk"}, "first_name", "a line break"),
        ({"last_name": "Love\x0blace"}, "last_name", "a line break"),
        ({"last_name": "Love\tlace"}, "last_name", "a tab"),
        ({"last_name": "Lovelace\u202e"}, "last_name", "U+202E"),
        ({"org_unit": "Department for Education/Digital\nand Data"}, "org_unit", "a line break"),
        ({"profession": "Digital\x00"}, "profession", "U+0000"),
        ({"staff_number": "S\u20282"}, "staff_number", "a line break"),
    ],
)
def test_the_hr_feed_refuses_control_characters_in_any_column(tmp_path, values, column, what):
    ddat_framework()

    report = people_import(actor=None, file=write_csv(tmp_path, [person_row("S1"), person_row("S2", **values)]))

    (error,) = report.errors
    assert (error.row, error.column) == (3, column)
    assert what in error.message
    assert not Person.objects.exists()


def test_the_hr_feed_refuses_a_carriage_return_inside_a_value_in_plain_words(tmp_path):
    ddat_framework()

    report = people_import(
        actor=None, file=write_csv(tmp_path, [person_row("S1"), person_row("S2", last_name="Love\rlace")])
    )

    (error,) = report.errors
    assert error.row is None
    assert error.message.startswith("After row 2, a value holds a stray line break")
    assert not Person.objects.exists()


def test_an_uploaded_feed_with_a_line_break_in_a_name_is_rejected_in_the_admin(
    hr_client, django_capture_on_commit_callbacks
):
    ddat_framework()

    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            UPLOAD, {"file": feed_upload([person_row("S1", first_name="Ada\nLovelace")]), "framework_slug": "ddat"}
        )

    page = hr_client.get(response.url).content.decode()
    assert "<td>2</td><td>first_name</td><td>This contains a line break" in page
    assert PeopleImport.objects.get().status == PeopleImportStatus.REJECTED
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (f"{UNITS}new/", {"unit_path": "Dept/Digital\r\nteam"}),
        (f"{GRADES}new/", {"code": "F\tS", "name": "Fast Stream", "rank": 30}),
        (f"{GRADES}new/", {"code": "FS", "name": "Fast\u2028Stream", "rank": 30}),
        (f"{PROFESSIONS}new/", {"name": "Policy\x1b[31m"}),
    ],
)
def test_the_people_admin_forms_refuse_control_characters(hr_client, url, data):
    units, grades, professions = OrganisationUnit.objects.count(), Grade.objects.count(), Profession.objects.count()

    response = hr_client.post(url, data)

    assert response.status_code == 200
    assert "This contains" in response.content.decode()
    assert (OrganisationUnit.objects.count(), Grade.objects.count(), Profession.objects.count()) == (
        units,
        grades,
        professions,
    )


def test_renaming_a_unit_refuses_a_line_break(hr_client):
    unit = OrganisationUnit.objects.get(full_name="Dept")

    response = hr_client.post(f"{UNITS}edit/{unit.pk}/", {"name": "Dept\nment"})

    assert "This contains a line break" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "Dept"
