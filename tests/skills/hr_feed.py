"""Building HR feed files for the people import tests."""

import csv
import io

from django.contrib.auth import get_user_model

from skills.importers import COLUMNS
from skills.models import OrganisationUnit, Person, Profession
from tests.frameworks.factories import (
    FrameworkFactory,
    FrameworkReleaseFactory,
    RoleFactory,
    RoleLevelFactory,
    publish_directly,
)

UNIT = "Department for Education/Digital and Data/Platform team"
OTHER_UNIT = "Department for Education/Digital and Data/Data team"


def ddat_framework():
    """The default framework, published, with two roles of three levels each."""
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"), label="2025-10")
    for role_name, prefix in (("Data engineer", "data engineer"), ("Data analyst", "data analyst")):
        role = RoleFactory(release=release, name=role_name, code=role_name.lower().replace(" ", "-"))
        levels = [f"Associate {prefix}", prefix.capitalize(), f"Senior {prefix}"]
        for seniority, level in enumerate(levels, start=1):
            RoleLevelFactory(
                role=role, release=release, name=level, code=level.lower().replace(" ", "-"), seniority=seniority
            )
    return publish_directly(release).framework


def person_row(staff, manager="", **values):
    row = {
        "staff_number": staff,
        "email": f"{staff.lower()}@example.gov.uk",
        "first_name": "Ada",
        "last_name": f"Person {staff}",
        "org_unit": UNIT,
        "grade": "HEO",
        "profession": "Digital, Data and Technology",
        "line_manager_staff_number": manager,
        "role": "Data engineer",
        "role_level": "Data engineer",
    }
    row.update(values)
    return row


def feed_text(rows, columns=COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(tmp_path, rows, columns=COLUMNS, name="people.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(feed_text(rows, columns).encode(encoding))
    return path


def team():
    """A head of team (S1) managing two engineers, one of whom (S2) manages a third (S4)."""
    return [
        person_row("S2", manager="S1", grade="SEO", role_level="Senior data engineer"),
        person_row("S1", grade="Grade 7", role="data analyst", role_level="senior data analyst"),
        person_row("S3", manager="S1", org_unit=OTHER_UNIT, profession=""),
        person_row("S4", manager="S2", grade="eo", role_level="associate data engineer"),
    ]


def only_error(report):
    assert not report.ok, "expected the import to be rejected"
    assert report.error_count == 1, list(report.errors)
    return report.errors[0]


def assert_nothing_written(users_before=0):
    assert not Person.objects.exists()
    assert get_user_model().objects.count() == users_before
    assert not OrganisationUnit.objects.exists()
    assert not Profession.objects.exists()
