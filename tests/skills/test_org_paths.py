"""Finding 12 of issue 7: an organisation path deeper or longer than the tree can hold is refused with a message
naming where, in the admin form and in the HR feed, instead of failing with a server error."""

import pytest

from skills.models import OrganisationUnit, Person
from skills.services.people_import import people_import
from tests.skills.factories import hr_analyst_for, org_unit
from tests.skills.hr_feed import ddat_framework, person_row, write_csv
from tests.skills.test_admin_people import UNITS

pytestmark = pytest.mark.django_db

DEEP = "/".join(["Dept", *(f"Level {n}" for n in range(69))])
LONG = "Dept/" + "x" * 300


@pytest.fixture
def hr_client(client):
    client.force_login(hr_analyst_for("Dept"))
    return client


@pytest.mark.parametrize(
    ("path", "message"), [(DEEP, "This organisation path has 70 levels: at most 63 fit."), (LONG, "at most 255 fit.")]
)
def test_the_add_unit_form_refuses_a_path_too_deep_or_a_name_too_long(hr_client, path, message):
    before = OrganisationUnit.objects.count()

    response = hr_client.post(f"{UNITS}new/", {"unit_path": path})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert OrganisationUnit.objects.count() == before


@pytest.mark.parametrize(
    ("path", "message"), [(DEEP, "This organisation path has 70 levels: at most 63 fit."), (LONG, "at most 255 fit.")]
)
def test_the_hr_feed_refuses_a_path_too_deep_or_a_name_too_long_naming_row_and_column(tmp_path, path, message):
    ddat_framework()

    report = people_import(actor=None, file=write_csv(tmp_path, [person_row("S1"), person_row("S2", org_unit=path)]))

    (error,) = report.errors
    assert (error.row, error.column) == (3, "org_unit")
    assert message in error.message
    assert not Person.objects.exists()


def test_renaming_a_unit_refuses_a_name_that_makes_a_full_name_below_it_too_long(hr_client):
    org_unit("Dept/" + "/".join(letter * 250 for letter in "bcd"))
    dept = OrganisationUnit.objects.get(full_name="Dept")

    response = hr_client.post(f"{UNITS}edit/{dept.pk}/", {"name": "D" * 255})

    assert response.status_code == 200
    assert "This name makes a unit&#x27;s full name too long" in response.content.decode()
    dept.refresh_from_db()
    assert dept.name == "Dept"


def test_the_organisation_tree_computes_the_paths_treebeard_gives_its_children():
    department = org_unit("Department for Testing")
    children = [org_unit(f"Department for Testing/Team {n}") for n in range(1, 4)]

    assert [OrganisationUnit.path_step(child.path) for child in children] == [1, 2, 3]
    assert [OrganisationUnit.child_path(department.path, step) for step in (1, 2, 3)] == [c.path for c in children]
    assert OrganisationUnit.child_path("", OrganisationUnit.path_step(department.path)) == department.path
    with pytest.raises(ValueError, match="more than"):
        OrganisationUnit.child_path(department.path, len(OrganisationUnit.alphabet) ** OrganisationUnit.steplen)
