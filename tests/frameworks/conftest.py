import csv
import io
import os
from pathlib import Path

import pytest
from django.db import transaction

from cms.accounts.enums import Role as AccountRole
from frameworks.ddat_schema import ROLES_COLUMNS, SKILLS_COLUMNS
from frameworks.importers.ddat import BUNDLED_DDAT_2025_10
from frameworks.services import framework_import_ddat, framework_release_publish
from tests.cms.factories import UserFactory
from tests.frameworks.factories import release_with_roles

# The official DDaT downloads, as committed in frameworks/data (or another copy named by CAPABILITY_DDAT_DATA).
DDAT_2025_10 = Path(os.environ.get("CAPABILITY_DDAT_DATA", BUNDLED_DDAT_2025_10))


def ddat_files_or_skip() -> tuple[Path, Path]:
    roles, skills = DDAT_2025_10 / "roles.csv", DDAT_2025_10 / "skills.csv"
    if not roles.exists() or not skills.exists():
        reason = f"needs the official DDaT files in {DDAT_2025_10} (or CAPABILITY_DDAT_DATA)"
        if os.environ.get("CAPABILITY_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return roles, skills


@pytest.fixture(scope="module")
def ddat_2025_10(django_db_setup, django_db_blocker):
    """The real 2025-10 DDaT release, imported and published once per test module; rolled back afterwards.

    Tests see it through their own transaction (a savepoint inside this one). Returns the ImportReport.
    """
    roles, skills = ddat_files_or_skip()
    with django_db_blocker.unblock(), transaction.atomic():
        report = framework_import_ddat(
            roles_file=roles, skills_file=skills, release_label="2025-10", publish=True, actor=None
        )
        assert report.ok, report.summary()
        yield report
        transaction.set_rollback(True)


def csv_bytes(columns, rows, *, byte_order_mark=False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns] if isinstance(row, dict) else row)
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if byte_order_mark else data


def skill_row(name, description="", awareness="", working="", practitioner="", expert="", roles="") -> dict:
    return dict(zip(SKILLS_COLUMNS, [name, description, awareness, working, practitioner, expert, roles], strict=True))


def role_row(
    family, role, level, skill, skill_level, *, skills, role_type="", role_description="", level_description=""
):
    """A roles.csv row whose skill texts are copied from `skills` (rows from skill_row), as the real file does."""
    skill_texts = next(row for row in skills if row["Skill Name"] == skill)
    not_in_use = level == "NOT IN USE"
    return dict(
        zip(
            ROLES_COLUMNS,
            [
                family,
                role,
                role_description or f"A {role.lower()} does {role.lower()} work.",
                level,
                "NOT IN USE" if not_in_use else (level_description or f"A {level.lower()} works at this level."),
                skill,
                skill_texts["Skill Description"],
                skill_level,
                "NOT IN USE" if not_in_use else skill_texts[skill_level],
                role_type,
            ],
            strict=True,
        )
    )


# A small DDaT-format release written for the tests (not official text).
SMALL_SKILLS = [
    skill_row(
        "Checking work",
        "Checking work means making sure that what the team makes does what it should.",
        "You can:\n- say why checks matter",
        "You can:\n- run checks others planned\n- report what you find",
        "You can:\n- plan checks\n- choose tools",
        "You can:\n- set the approach to checking across teams",
        "Checker",
    ),
    skill_row(
        "Writing notes",
        "",
        "This skill level is currently not defined.",
        "You can:\n- write clear notes",
        "You can:\n- write guides for others",
        "",
        "Checker, Chief checker",
    ),
]
SMALL_ROLES = [
    role_row("Quality", "Checker", "Checker", "Checking work", "Working", skills=SMALL_SKILLS),
    role_row("Quality", "Checker", "Checker", "Writing notes", "Working", skills=SMALL_SKILLS),
    role_row("Quality", "Checker", "Lead checker", "Checking work", "Expert", skills=SMALL_SKILLS),
    role_row("Quality", "Checker", "Senior checker", "Checking work", "Practitioner", skills=SMALL_SKILLS),
    role_row("Quality", "Checker", "Senior checker", "Writing notes", "Practitioner", skills=SMALL_SKILLS),
    role_row(
        "Quality",
        "Chief checker",
        "NOT IN USE",
        "Writing notes",
        "NOT IN USE",
        skills=SMALL_SKILLS,
        role_type="Senior Civil Service",
    ),
]


def small_ddat_files(skills=None, roles=None, **kwargs) -> dict[str, bytes]:
    """{"roles_file": bytes, "skills_file": bytes} for framework_import_ddat."""
    return {
        "roles_file": csv_bytes(ROLES_COLUMNS, SMALL_ROLES if roles is None else roles, **kwargs),
        "skills_file": csv_bytes(SKILLS_COLUMNS, SMALL_SKILLS if skills is None else skills, **kwargs),
    }


@pytest.fixture
def editor():
    """The user who edits and publishes in service calls: a Content editor and Framework moderator (modules
    with an admin client define their own)."""
    return UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR])


@pytest.fixture
def published(editor):
    """A small published release (3 skills, 2 roles of 2 levels, 2 requirements each), labelled 2025-10."""
    release = release_with_roles(skills=3, roles=2, levels_per_role=2, requirements_per_level=2, label="2025-10")
    return framework_release_publish(release=release, actor=editor)
