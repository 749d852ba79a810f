"""Finding 7 of issue 7: an HR analyst sees and changes only the people and units of the organisation units they
are responsible for (and everything below them)."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.enums import PeopleImportStatus
from skills.models import HRResponsibility, OrganisationUnit, PeopleImport, Person
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.frameworks.test_spreadsheets import ATTACK
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import ddat_framework, person_row, write_csv
from tests.skills.test_admin_people import (
    IMPORTS,
    PEOPLE,
    PERSON_CHOOSER,
    UNIT_CHOOSER,
    UNITS,
    UPLOAD,
    edit_data,
    feed_upload,
)

pytestmark = pytest.mark.django_db

DFE = "Department for Education"
MOJ = "Ministry of Justice"


@pytest.fixture
def dfe_analyst(client):
    user = hr_analyst_for(DFE)
    client.force_login(user)
    return user


@pytest.fixture
def dfe_person(db):
    return PersonFactory(
        staff_number="D1", user__last_name="Educator", org_unit=org_unit(f"{DFE}/Digital and Data/Platform team")
    )


@pytest.fixture
def moj_person(db):
    return PersonFactory(staff_number="J1", user__last_name="Justiciar", org_unit=org_unit(f"{MOJ}/Digital/Data team"))


def test_a_dfe_analyst_lists_and_searches_only_dfe_people(client, dfe_analyst, dfe_person, moj_person):
    page = client.get(PEOPLE).content.decode()
    searched = client.get(PEOPLE, {"q": "J1"}).content.decode()
    filtered = client.get(PEOPLE, {"org_unit": moj_person.org_unit_id}).content.decode()

    assert "Educator" in page
    assert "Justiciar" not in page
    assert "Justiciar" not in searched
    assert "Justiciar" not in filtered
    assert MOJ not in page  # not even among the units offered by the filter


def test_a_dfe_analyst_cannot_open_or_edit_a_moj_person(client, dfe_analyst, moj_person):
    url = f"{PEOPLE}edit/{moj_person.pk}/"

    assert client.get(url).status_code == 404
    assert client.post(url, edit_data(moj_person, grade=moj_person.grade_id)).status_code == 404
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_update").exists()


def test_a_dfe_analyst_cannot_move_a_dfe_person_to_moj_nor_give_them_a_moj_line_manager(
    client, dfe_analyst, dfe_person, moj_person
):
    url = f"{PEOPLE}edit/{dfe_person.pk}/"

    moved = client.post(url, edit_data(dfe_person, org_unit=moj_person.org_unit_id))
    managed = client.post(url, edit_data(dfe_person, line_manager=moj_person.pk))

    assert "is outside the organisation units you are responsible for" in moved.content.decode()
    assert "is outside the organisation units you are responsible for" in managed.content.decode()
    dfe_person.refresh_from_db()
    assert dfe_person.org_unit.full_name.startswith(DFE)
    assert dfe_person.line_manager is None


def test_the_choosers_offer_a_dfe_analyst_only_dfe_people_and_units(client, dfe_analyst, dfe_person, moj_person):
    people = client.get(f"{PERSON_CHOOSER}results/").content.decode()
    units = client.get(f"{UNIT_CHOOSER}results/").content.decode()

    assert "Educator" in people
    assert "Justiciar" not in people
    assert DFE in units
    assert MOJ not in units
    assert client.get(f"{PERSON_CHOOSER}chosen/{moj_person.pk}/").status_code == 404
    assert client.get(f"{UNIT_CHOOSER}chosen/{moj_person.org_unit_id}/").status_code == 404
    assert client.get(f"{PERSON_CHOOSER}chosen/not-an-id/").status_code == 404


def test_a_dfe_analyst_cannot_see_rename_or_add_moj_units(client, dfe_analyst, dfe_person, moj_person):
    moj_unit = moj_person.org_unit

    assert MOJ not in client.get(UNITS).content.decode()
    assert client.get(f"{UNITS}edit/{moj_unit.pk}/").status_code == 404
    assert client.post(f"{UNITS}edit/{moj_unit.pk}/", {"name": "Taken"}).status_code == 404
    added = client.post(f"{UNITS}new/", {"unit_path": f"{MOJ}/New team"})
    assert "You can only add units inside the organisation units you are responsible for" in added.content.decode()
    assert client.post(f"{UNITS}new/", {"unit_path": f"{DFE}/New team"}).status_code == 302
    assert not OrganisationUnit.objects.filter(full_name__in=[f"{MOJ}/New team", "Taken"]).exists()
    moj_unit.refresh_from_db()
    assert moj_unit.name == "Data team"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (person_row("J1", email="j1@example.gov.uk", org_unit=f"{DFE}/Digital"), "staff_number", "outside the"),
        (person_row("N1", org_unit=f"{MOJ}/Digital"), "org_unit", f"{MOJ}/Digital is outside the"),
        (person_row("N1", manager="J1"), "line_manager_staff_number", "J1 is outside the"),
    ],
)
def test_a_dfe_analysts_feed_cannot_touch_moj_people_or_units(
    client, dfe_analyst, moj_person, django_capture_on_commit_callbacks, row, column, message
):
    ddat_framework()
    moj_person.user.email = "j1@example.gov.uk"
    moj_person.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": feed_upload([row]), "framework_slug": "ddat"})

    page = client.get(response.url).content.decode()
    assert f"<td>2</td><td>{column}</td><td>" in page
    assert message in page
    assert PeopleImport.objects.get().status == PeopleImportStatus.REJECTED
    assert list(Person.objects.all()) == [moj_person]
    assert Person.objects.get().org_unit.full_name == f"{MOJ}/Digital/Data team"


def test_the_import_people_command_runs_as_the_system_without_a_scope(tmp_path, moj_person):
    ddat_framework()

    call_command("import_people", str(write_csv(tmp_path, [person_row("N1", org_unit=f"{MOJ}/Digital")])))

    assert Person.objects.get(staff_number="N1").org_unit.full_name == f"{MOJ}/Digital"


def test_an_analyst_sees_only_their_own_imports(client, dfe_analyst):
    other = hr_analyst_for(MOJ)
    record = PeopleImport.objects.create(original_name="moj-feed.csv", requested_by=other)

    assert "moj-feed.csv" not in client.get(IMPORTS).content.decode()
    assert client.get(f"{IMPORTS}inspect/{record.pk}/").status_code == 404


def test_a_superuser_sees_everyone_and_assigns_units_to_analysts(client, dfe_person, moj_person):
    analyst = UserFactory(roles=[Role.HR_ANALYST])
    client.force_login(SuperuserFactory())
    page = client.get(PEOPLE).content.decode()

    response = client.post(
        "/admin/skills/hr-responsibilities/new/", {"user": analyst.pk, "org_unit": moj_person.org_unit.get_root().pk}
    )

    assert "Educator" in page
    assert "Justiciar" in page
    assert response.status_code == 302
    assert HRResponsibility.objects.get().user == analyst
    client.force_login(analyst)
    page = client.get(PEOPLE).content.decode()
    assert "Justiciar" in page
    assert "Educator" not in page


def test_an_hr_analyst_cannot_assign_units_to_themselves(client, dfe_analyst, moj_person):
    response = client.post(
        "/admin/skills/hr-responsibilities/new/",
        {"user": dfe_analyst.pk, "org_unit": moj_person.org_unit.get_root().pk},
    )

    assert response.status_code == 302
    assert response.url.startswith("/admin/")
    assert HRResponsibility.objects.filter(user=dfe_analyst).count() == 1


# --- exports: the listing's scope, whoever asks and however ---------------------------------------------------------


def exported_rows(client, url, export_format, **params):
    """The rows of a listing's CSV or XLSX export, headings first."""
    response = client.get(url, {**params, "export": export_format})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return list(csv.reader(io.StringIO(content.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if cell.value is None else cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_dfe_analyst_exports_only_dfe_people_formula_safe(client, dfe_analyst, dfe_person, moj_person, export_format):
    dfe_person.user.first_name = ATTACK
    dfe_person.user.save()

    rows = exported_rows(client, PEOPLE, export_format)
    filtered_to_moj = exported_rows(client, PEOPLE, export_format, org_unit=moj_person.org_unit_id)
    searched_for_moj = exported_rows(client, PEOPLE, export_format, q="J1")

    assert rows[0] == ["First name", "Last name", "Staff number", "E-mail", "Organisation unit", "Grade", "Profession"]
    assert rows[1:] == [
        [
            "'" + ATTACK,
            "Educator",
            "D1",
            dfe_person.user.email,
            dfe_person.org_unit.full_name,
            dfe_person.grade.name,
            "",
        ]
    ]
    assert "J1" not in str(filtered_to_moj)
    assert searched_for_moj == rows[:1]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_unit_and_import_exports_keep_to_the_analysts_units_and_uploads(
    client, dfe_analyst, dfe_person, moj_person, export_format
):
    PeopleImport.objects.create(original_name="dfe-feed.csv", requested_by=dfe_analyst)
    PeopleImport.objects.create(original_name="moj-feed.csv", requested_by=hr_analyst_for(MOJ))

    units = exported_rows(client, UNITS, export_format)
    imports = exported_rows(client, IMPORTS, export_format)

    assert units[0] == ["Full name", "Name", "Level", "People in the unit"]
    assert {row[0] for row in units[1:]} == {DFE, f"{DFE}/Digital and Data", f"{DFE}/Digital and Data/Platform team"}
    assert [row[0] for row in imports] == ["File", "dfe-feed.csv"]


def test_a_moj_analyst_exports_moj_people_and_nobody_else_exports_any(client, dfe_person, moj_person):
    client.force_login(hr_analyst_for(MOJ))
    assert [row[2] for row in exported_rows(client, PEOPLE, "csv")] == ["Staff number", "J1"]

    for roles in ([], [Role.CONTENT_EDITOR], [Role.LINE_MANAGER]):
        client.force_login(UserFactory(roles=roles))
        for export_format in ("csv", "xlsx"):
            response = client.get(PEOPLE, {"export": export_format})
            assert response.status_code == 302
            assert not response.has_header("Content-Disposition")

    client.logout()
    response = client.get(PEOPLE, {"export": "csv"})
    assert response.status_code == 302
    assert not response.has_header("Content-Disposition")
