"""An organisation for the capability report tests: two departments, one with two directorates and teams of
every size, people on a two-level role ladder that needs three skills, and levels claimed and validated."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from skills.enums import AssessmentSource
from skills.services.capability_summary import capability_summary_refresh
from tests.frameworks.factories import publish_directly, release_with_roles
from tests.skills.factories import AssessmentFactory, PersonFactory, org_unit

# (unit, people, how many of the three skills each person meets when validated)
SHAPE = [
    ("Dept A/Directorate X/Team 1", 6, 3),
    ("Dept A/Directorate X/Team 2", 3, 1),  # a small team: suppressed
    ("Dept A/Directorate Y", 7, 2),  # people directly in a directorate
    ("Dept B/Team Z", 8, 0),
]


@dataclass
class Organisation:
    release: object
    units: dict
    people: dict
    skills: list


@pytest.fixture
def organisation(db):
    release = publish_directly(release_with_roles(skills=3, roles=1, levels_per_role=2, requirements_per_level=3))
    role_level = release.role_levels.order_by("seniority").first()
    requirements = {req.skill_id: req.level for req in role_level.requirements.select_related("level")}
    skills = list(release.skills.order_by("pk"))
    units, people = {}, {}
    for full_name, count, meets in SHAPE:
        unit = org_unit(full_name)
        units[full_name] = unit
        people[full_name] = []
        for _ in range(count):
            person = PersonFactory(org_unit=unit, current_role_level=role_level)
            for index, skill in enumerate(skills):
                required = requirements[skill.pk]
                AssessmentFactory(person=person, skill=skill, level=required, source=AssessmentSource.SELF)
                if index < meets:
                    AssessmentFactory(person=person, skill=skill, level=required, source=AssessmentSource.LINE_MANAGER)
            people[full_name].append(person)
    # Someone with no role level, who counts in the headcount only.
    PersonFactory(org_unit=units["Dept B/Team Z"])
    capability_summary_refresh(today=timezone.localdate())
    return Organisation(release=release, units=units, people=people, skills=skills)
