"""Building HR feed files for the people import tests."""

import csv
import io

from skills.importers import COLUMNS
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
