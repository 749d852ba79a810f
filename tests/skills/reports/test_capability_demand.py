"""The dashboard's training demand and expiring certifications, counted from the few people waiting and the few
certificates expiring (docs/decisions/0213, addendum): the same figures as counting every requirement row."""

from django.db.models import F

from courses.models import CourseInterest
from skills.models import ReportRequirement
from skills.selectors.capability import CapabilityFilters, scope_for, unit_tree
from skills.selectors.capability_demand import training_demand
from tests.cms.factories import UserFactory
from tests.skills.factories import hr_analyst_for, org_unit


def _demand(user, filters=None):
    tree = unit_tree()
    return training_demand(
        filters=filters or CapabilityFilters(), scope=scope_for(user=user, tree=tree), tree=tree, threshold=5
    )


def test_training_demand_counts_the_people_below_a_skill_and_those_of_them_waiting_for_it(organisation):
    skill = organisation.skills[0]
    framework = organisation.release.framework
    # Two people below the skill's level register interest in it; one who meets it does too, and is not demand.
    for person in organisation.people["Dept B/Team Z"][:2]:
        CourseInterest.objects.create(person=person, framework=framework, skill_code=skill.code)
    CourseInterest.objects.create(
        person=organisation.people["Dept A/Directorate X/Team 1"][0], framework=framework, skill_code=skill.code
    )

    labels, rows = _demand(UserFactory(is_superuser=True))

    assert "Registered interest in it" in labels
    by_code = {row.skill_code: row for row in rows}
    for code, row in by_code.items():
        pairs = ReportRequirement.objects.filter(skill_code=code)
        assert row.population == pairs.count()
        assert row.below == pairs.filter(validated_rank__lt=F("required_rank")).count()
    waiting = dict(zip(labels, by_code[skill.code].waiting, strict=True))
    assert waiting["Registered interest in it"] == 2


def test_another_department_s_analyst_sees_no_demand_from_a_department_that_is_not_theirs(organisation):
    skill = organisation.skills[0]
    for person in organisation.people["Dept B/Team Z"]:
        CourseInterest.objects.create(person=person, framework=organisation.release.framework, skill_code=skill.code)

    labels, rows = _demand(hr_analyst_for("Dept A"))

    # Dept A's own people below the skill are counted; Dept B's eight, all waiting, are nowhere.
    for row in rows:
        pairs = ReportRequirement.objects.filter(
            skill_code=row.skill_code, org_unit__path__startswith=org_unit("Dept A").path
        )
        assert row.population == pairs.count()
    assert all(count == 0 for row in rows for count in row.waiting)
