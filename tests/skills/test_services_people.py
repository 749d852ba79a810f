import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.models import Grade, OrganisationUnit, Person
from skills.services.errors import NotAllowed, SkillsError
from skills.services.people import (
    ManagementLoop,
    org_unit_create,
    org_unit_rename,
    person_update,
)
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.frameworks.factories import FrameworkReleaseFactory, RoleLevelFactory
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import ddat_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def ddat(db):
    return ddat_framework()


@pytest.fixture
def hr_analyst(db):
    return hr_analyst_for()


@pytest.fixture
def chain(db):
    """Head ← Manager ← Engineer: each managed by the next."""
    head = PersonFactory(staff_number="H1")
    manager = PersonFactory(staff_number="M1", line_manager=head)
    engineer = PersonFactory(staff_number="E1", line_manager=manager)
    return head, manager, engineer


# --- person_update ------------------------------------------------------------------------------------------------


def test_person_update_changes_what_is_given_and_logs_the_fields(chain, hr_analyst, ddat):
    head, manager, engineer = chain
    unit = org_unit("Department for Testing/Data")
    role_level = ddat.current_release.role_levels.get(name="Senior data engineer")

    person_update(
        person=engineer,
        actor=hr_analyst,
        org_unit=unit,
        grade=Grade.objects.get(code="SEO"),
        line_manager=head,
        current_role_level=role_level,
        accredited_frameworks=[ddat],
    )

    engineer = Person.objects.get(pk=engineer.pk)
    assert (engineer.org_unit, engineer.grade.code, engineer.line_manager) == (unit, "SEO", head)
    assert engineer.current_role_level == role_level
    assert engineer.target_role_level is None
    assert list(engineer.accredited_frameworks.all()) == [ddat]
    entry = ModelLogEntry.objects.get(action="capability.skills.person_update")
    assert entry.user == hr_analyst
    assert entry.object_id == str(engineer.pk)
    assert entry.data["changed"] == ["org_unit", "grade", "line_manager", "current_role_level", "accredited_frameworks"]


def test_person_update_with_nothing_new_writes_and_logs_nothing(chain, hr_analyst):
    _, manager, engineer = chain

    person_update(person=engineer, actor=hr_analyst, line_manager=manager, grade=engineer.grade)

    assert not ModelLogEntry.objects.filter(action="capability.skills.person_update").exists()


@pytest.mark.parametrize("new_manager", ["engineer", "manager"])
def test_person_update_refuses_a_line_manager_who_reports_to_the_person(chain, hr_analyst, new_manager):
    head, manager, engineer = chain
    chosen = {"engineer": engineer, "manager": manager}[new_manager]

    with pytest.raises(ManagementLoop, match="reports to .* so cannot be their line manager: the chain would loop"):
        person_update(person=head, actor=hr_analyst, line_manager=chosen)

    assert Person.objects.get(pk=head.pk).line_manager is None
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_update").exists()


def test_the_refusal_names_the_whole_loop(chain, hr_analyst):
    head, manager, engineer = chain

    with pytest.raises(ManagementLoop) as refused:
        person_update(person=head, actor=hr_analyst, line_manager=engineer)

    assert "(H1 → E1 → M1 → H1, each managed by the next)" in str(refused.value)


def test_person_update_refuses_a_person_as_their_own_line_manager(chain, hr_analyst):
    head, _, _ = chain

    with pytest.raises(ManagementLoop, match="cannot be their own line manager"):
        person_update(person=head, actor=hr_analyst, line_manager=head)


def test_person_update_gives_a_new_line_manager_the_line_manager_role(chain, hr_analyst):
    head, manager, engineer = chain
    newcomer = PersonFactory()

    person_update(person=engineer, actor=hr_analyst, line_manager=newcomer)

    assert newcomer.user.groups.filter(name=Role.LINE_MANAGER).exists()


def test_person_update_refuses_a_role_level_outside_the_current_release(chain, hr_analyst, ddat):
    draft = FrameworkReleaseFactory(framework=ddat, label="2026-01")
    stale = RoleLevelFactory(release=draft, role__release=draft)

    with pytest.raises(SkillsError, match="current release"):
        person_update(person=chain[2], actor=hr_analyst, target_role_level=stale)


@pytest.mark.parametrize("role", [Role.LEARNER, Role.LINE_MANAGER, Role.CONTENT_EDITOR, Role.TRAINING_ADMINISTRATOR])
def test_only_hr_analysts_and_superusers_may_update_a_person(chain, role):
    head, _, engineer = chain

    with pytest.raises(NotAllowed):
        person_update(person=engineer, actor=UserFactory(roles=[role]), line_manager=head)
    person_update(person=engineer, actor=SuperuserFactory(), line_manager=head)

    assert Person.objects.get(pk=engineer.pk).line_manager == head


# --- organisation units -------------------------------------------------------------------------------------------


def test_org_unit_create_makes_the_unit_and_its_missing_ancestors_and_logs_each(hr_analyst):
    unit = org_unit_create(full_name=" Department for Testing / Digital/ Platform ", actor=hr_analyst)

    assert unit.full_name == "Department for Testing/Digital/Platform"
    assert unit.get_parent().full_name == "Department for Testing/Digital"
    # The department itself is the analyst's, so exists already.
    assert ModelLogEntry.objects.filter(action="capability.skills.org_unit_create").count() == 2
    with pytest.raises(SkillsError, match="already exists"):
        org_unit_create(full_name="Department for Testing/Digital/Platform", actor=hr_analyst)
    with pytest.raises(SkillsError, match="not an organisation path"):
        org_unit_create(full_name="Department for Testing//Platform", actor=hr_analyst)


def test_renaming_a_unit_renames_everything_below_it(hr_analyst):
    team = org_unit("Department for Testing/Digital/Platform")
    digital = team.get_parent()
    org_unit("Department for Testing/Digital/Platform/Squad")
    org_unit("Department for Testing/Digital and Data")

    org_unit_rename(unit=digital, name="DDaT", actor=hr_analyst)

    below = OrganisationUnit.objects.filter(full_name__startswith="Department for Testing")
    assert sorted(below.values_list("full_name", flat=True)) == [
        "Department for Testing",
        "Department for Testing/DDaT",
        "Department for Testing/DDaT/Platform",
        "Department for Testing/DDaT/Platform/Squad",
        "Department for Testing/Digital and Data",
    ]
    entry = ModelLogEntry.objects.get(action="capability.skills.org_unit_rename")
    assert entry.data == {
        "from": "Department for Testing/Digital",
        "to": "Department for Testing/DDaT",
        "units_below": 2,
    }


def test_renaming_refuses_a_taken_name_or_a_slash(hr_analyst):
    team = org_unit("Department for Testing/Digital/Platform")
    org_unit("Department for Testing/Digital/Data")

    with pytest.raises(SkillsError, match="already exists"):
        org_unit_rename(unit=team, name="Data", actor=hr_analyst)
    with pytest.raises(SkillsError, match="without '/'"):
        org_unit_rename(unit=team, name="Data/Platform", actor=hr_analyst)
    with pytest.raises(NotAllowed):
        org_unit_rename(unit=team, name="Platform 2", actor=UserFactory(roles=[Role.CONTENT_EDITOR]))


def test_the_hr_analyst_role_holds_the_people_admin_permissions(db):
    codenames = set(Group.objects.get(name=Role.HR_ANALYST).permissions.values_list("codename", flat=True))

    assert {
        "add_organisationunit",
        "change_organisationunit",
        "change_person",
        "view_person",
        "add_grade",
        "change_profession",
        "add_peopleimport",
        "view_peopleimport",
    } <= codenames
    assert not any(codename.startswith("delete_") for codename in codenames if "person" in codename)
