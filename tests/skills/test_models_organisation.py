"""The organisation path arithmetic that lives with OrganisationUnit: names in a full name, and the paths that
new units get when many are appended at once (the HR feed)."""

import pytest

from skills.models import OrganisationUnit
from skills.models.organisation import ancestor_names, full_name_within, leaf_name, org_unit_path_split, parent_name
from skills.services.organisation import org_units_append
from tests.skills.factories import org_unit


def test_a_full_name_splits_into_its_parent_its_own_name_and_its_ancestors():
    assert parent_name("Dept/Digital/Platform") == "Dept/Digital"
    assert parent_name("Dept") == ""
    assert leaf_name("Dept/Digital/Platform") == "Platform"
    assert ancestor_names("Dept/Digital/Platform") == ["Dept", "Dept/Digital", "Dept/Digital/Platform"]
    assert org_unit_path_split(" Dept / Digital ") == ["Dept", "Digital"]


def test_a_unit_is_within_the_units_named_and_below_them_only():
    assert full_name_within("Dept/Digital", ["Dept"])
    assert full_name_within("Dept", ["Dept"])
    assert not full_name_within("Department", ["Dept"])
    assert not full_name_within("Dept", ["Dept/Digital"])
    assert full_name_within("Anything", None)
    assert not full_name_within("Anything", [])


def test_paths_of_new_units_follow_the_last_existing_sibling_in_name_order():
    existing = {"Dept": "0001", "Dept/Data": "00010001"}

    rows, grown = OrganisationUnit.appended(existing=existing, new={"Dept/Zeta", "Dept/Yak", "Dept/Yak/Team", "New"})

    assert rows == [
        ("0002", 1, 0, "New", "New"),
        ("00010002", 2, 1, "Yak", "Dept/Yak"),
        ("00010003", 2, 0, "Zeta", "Dept/Zeta"),
        ("000100020001", 3, 0, "Team", "Dept/Yak/Team"),
    ]
    assert grown == {"0001": 2}


def test_a_step_past_what_a_path_can_spell_is_refused():
    last = len(OrganisationUnit.alphabet) ** OrganisationUnit.steplen - 1

    assert OrganisationUnit.path_step(OrganisationUnit.child_path("0001", last)) == last
    with pytest.raises(ValueError, match="more than"):
        OrganisationUnit.child_path("", last + 1)


@pytest.mark.django_db
def test_units_appended_in_one_statement_make_a_sound_tree():
    org_unit("Dept/Data")
    existing = dict(OrganisationUnit.objects.values_list("full_name", "path"))

    org_units_append(existing=existing, new={"Dept/Platform", "Dept/Platform/Team"})

    assert OrganisationUnit.find_problems() == ([], [], [], [], [])
    assert [unit.full_name for unit in OrganisationUnit.get_tree()] == [
        "Dept",
        "Dept/Data",
        "Dept/Platform",
        "Dept/Platform/Team",
    ]
    assert OrganisationUnit.objects.get(full_name="Dept").numchild == 2
