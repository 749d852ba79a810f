"""The importer on the official DDaT 2025-10 files (imported once for the module, see conftest)."""

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from frameworks.enums import ImportOutcome, QuirkKind, RoleType
from frameworks.importers.seniority import seniority_key
from frameworks.models import (
    FrameworkRelease,
    ReleaseChange,
    Requirement,
    Role,
    RoleFamily,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
)
from frameworks.services import framework_import_ddat
from tests.frameworks.conftest import ddat_files_or_skip

pytestmark = pytest.mark.django_db


def test_importing_the_real_files_yields_the_published_counts(ddat_2025_10):
    assert ddat_2025_10.outcome == ImportOutcome.CREATED
    assert ddat_2025_10.counts == {
        "levels": 4,
        "categories": 0,
        "subcategories": 0,
        "skills": 188,
        "generic_attributes": 0,
        "role_families": 8,
        "roles": 52,
        "roles_without_levels": 4,
        "role_levels": 201,
        "requirements": 1781,
        "requirements_without_level": 28,
    }
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    assert RoleFamily.objects.filter(release=release).count() == 8
    assert Role.objects.filter(release=release).count() == 52
    assert RoleLevel.objects.filter(release=release).count() == 201
    assert Skill.objects.filter(release=release).count() == 188
    assert Requirement.objects.filter(release=release, role_level__isnull=False).count() == 1781
    assert SkillLevelDescriptor.objects.filter(release=release).count() == 188 * 4


def test_importing_the_real_files_reports_every_quirk_it_handled(ddat_2025_10):
    assert ddat_2025_10.quirk_counts() == {
        QuirkKind.DUPLICATE_ROW: 16,
        QuirkKind.EMPTY_SKILL_DESCRIPTION: 41,
        QuirkKind.DESCRIPTION_PLACEHOLDER: 36,
        QuirkKind.NOT_IN_USE: 28,
        QuirkKind.LEVEL_NOT_DEFINED: 60,
        QuirkKind.EMPTY_LEVEL_TEXT: 88,
        QuirkKind.ROLE_LEVELS_REORDERED: 42,
        QuirkKind.SENIORITY_FROM_REQUIREMENTS: 2,
        QuirkKind.SURROUNDING_WHITESPACE: 1,
        QuirkKind.LISTED_ROLES_DISAGREE: 15,
    }
    duplicates = [quirk for quirk in ddat_2025_10.quirks if quirk.kind == QuirkKind.DUPLICATE_ROW]
    assert str(duplicates[0]) == "roles.csv, row 286: duplicate of row 285"


def test_the_senior_civil_service_roles_keep_their_skills_without_levels(ddat_2025_10):
    scs_roles = Role.objects.filter(release__label="2025-10", role_type=RoleType.SENIOR_CIVIL_SERVICE)
    assert sorted(scs_roles.values_list("name", flat=True)) == [
        "Chief data officer",
        "Chief digital and information officer",
        "Chief information security officer",
        "Chief technology officer",
    ]
    assert not RoleLevel.objects.filter(role__in=scs_roles).exists()
    requirements = Requirement.objects.filter(role__in=scs_roles)
    assert requirements.count() == 28
    assert not requirements.filter(role_level__isnull=False).exists()
    assert not requirements.filter(level__isnull=False).exists()


def test_level_texts_that_say_not_defined_or_are_empty_are_not_defined(ddat_2025_10):
    descriptors = SkillLevelDescriptor.objects.filter(release__label="2025-10")
    not_defined = descriptors.filter(is_defined=False)
    assert not_defined.count() == 60 + 88
    assert not_defined.filter(text="This skill level is currently not defined.").count() == 60
    assert not_defined.filter(text="").count() == 88


def test_multi_line_cells_keep_their_structure(ddat_2025_10):
    descriptor = SkillLevelDescriptor.objects.get(
        release__label="2025-10", skill__code="accessibility", level__code="awareness"
    )
    assert descriptor.text.startswith("You can:\n- understand accessibility")
    assert descriptor.intro == "You can:"
    assert descriptor.statements == [
        "understand accessibility and that users have different accessibility needs",
        "help fix accessibility issues under the direction of others",
    ]
    level = RoleLevel.objects.get(release__label="2025-10", code="associate-business-architect")
    assert [block["type"] for block in level.description_blocks] == ["paragraph", "list"]
    assert level.description_blocks[1]["intro"] == "At this role level, you will:"
    assert len(level.description_blocks[1]["items"]) == 5


def test_role_levels_are_ordered_by_seniority_not_alphabetically(ddat_2025_10):
    def ladder(role_code):
        levels = RoleLevel.objects.filter(release__label="2025-10", role__code=role_code).order_by("seniority")
        return [level.name.strip() for level in levels]

    assert ladder("business-analyst") == [
        "Trainee business analyst",
        "Junior business analyst",
        "Business analyst",
        "Senior business analyst",
        "Lead business analyst",
        "Head of business analysis",
    ]
    assert ladder("content-designer") == [
        "Associate content designer",
        "Junior content designer",
        "Content designer",
        "Senior content designer",
        "Lead content designer",
        "Head of content design",
    ]
    assert ladder("data-scientist") == [
        "Trainee data scientist",
        "Associate data scientist",
        "Data scientist",
        "Principal data scientist",
        "Lead data scientist",
        "Head of data science",
    ]
    assert ladder("command-and-control-centre-manager") == [
        "Operations analyst",
        "Senior operations analyst",
        "Operational control manager",
        "Head of command and control",
    ]
    assert ladder("software-developer")[3:5] == ["Senior developer", "Senior developer - management"]


def test_seniority_agrees_with_the_skill_levels_each_role_level_requires(ddat_2025_10):
    # The data check of decision 0101: below the "Head of" levels, no level requires less than the level
    # under it in a shared skill without requiring more in another.
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    required = {}
    for role_level_id, skill_id, rank in Requirement.objects.filter(
        release=release, role_level__isnull=False
    ).values_list("role_level_id", "skill_id", "level__rank"):
        required.setdefault(role_level_id, {})[skill_id] = rank
    for role in Role.objects.filter(release=release).prefetch_related("levels"):
        ladder = sorted(role.levels.all(), key=lambda level: level.seniority)
        for lower, higher in zip(ladder, ladder[1:], strict=False):
            if seniority_key(higher.name, higher.description)[0] == 1:
                continue
            shared = required[lower.pk].keys() & required[higher.pk].keys()
            less = [skill for skill in shared if required[higher.pk][skill] < required[lower.pk][skill]]
            more = [skill for skill in shared if required[higher.pk][skill] > required[lower.pk][skill]]
            assert more or not less, f"{higher.name} requires less than {lower.name}"


def test_importing_the_same_files_twice_changes_nothing_and_says_so(ddat_2025_10):
    roles, skills = ddat_files_or_skip()
    rows_before = (Skill.objects.count(), Requirement.objects.count(), ReleaseChange.objects.count())
    log_entries_before = ModelLogEntry.objects.count()

    report = framework_import_ddat(
        roles_file=roles, skills_file=skills, release_label="2025-10", publish=True, actor=None
    )

    assert report.ok
    assert report.outcome == ImportOutcome.UNCHANGED
    assert "Nothing changed" in report.summary()
    assert (Skill.objects.count(), Requirement.objects.count(), ReleaseChange.objects.count()) == rows_before
    assert ModelLogEntry.objects.count() == log_entries_before


def test_a_byte_order_mark_is_ignored_and_reported(ddat_2025_10, tmp_path):
    roles, skills = ddat_files_or_skip()
    (tmp_path / "roles.csv").write_bytes(b"\xef\xbb\xbf" + roles.read_bytes())
    (tmp_path / "skills.csv").write_bytes(b"\xef\xbb\xbf" + skills.read_bytes())

    report = framework_import_ddat(
        roles_file=tmp_path / "roles.csv", skills_file=tmp_path / "skills.csv", release_label="2025-10", actor=None
    )

    assert report.outcome == ImportOutcome.UNCHANGED
    assert report.quirk_counts()[QuirkKind.BYTE_ORDER_MARK] == 2


def test_the_command_imports_and_reports_the_quirks(ddat_2025_10, capsys):
    roles, skills = ddat_files_or_skip()
    call_command("import_framework", "ddat", "--roles", roles, "--skills", skills, "--release", "2025-10")
    output = capsys.readouterr().out
    assert "ddat 2025-10: Nothing changed" in output
    assert "Exact duplicate row skipped: 16" in output
    assert "Role levels re-ordered by seniority: 42" in output
