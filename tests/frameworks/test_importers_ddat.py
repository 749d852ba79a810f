import io
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry

from frameworks.enums import ImportOutcome, QuirkKind, ReleaseStatus
from frameworks.importers.seniority import LadderLevel, seniority_order
from frameworks.models import (
    Framework,
    FrameworkRelease,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
)
from frameworks.services import (
    framework_import_ddat,
    framework_release_draft_create_from_current,
    framework_release_publish,
)
from tests.frameworks.conftest import SMALL_ROLES, SMALL_SKILLS, role_row, skill_row, small_ddat_files

pytestmark = pytest.mark.django_db


# --- small files written for the tests --------------------------------------------------------------


def test_a_small_release_is_imported_as_a_draft_with_its_quirks():
    report = framework_import_ddat(**small_ddat_files(), release_label="2026-01", actor=None)

    assert report.outcome == ImportOutcome.CREATED, report.summary()
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2026-01")
    assert release.status == ReleaseStatus.DRAFT
    assert release.framework.current_release is None
    assert release.source_files[0]["name"] == "roles.csv"
    assert [level.name for level in RoleLevel.objects.filter(release=release).order_by("seniority")] == [
        "Checker",
        "Senior checker",
        "Lead checker",
    ]
    assert report.quirk_counts() == {
        QuirkKind.EMPTY_SKILL_DESCRIPTION: 1,
        QuirkKind.NOT_IN_USE: 1,
        QuirkKind.LEVEL_NOT_DEFINED: 1,
        QuirkKind.EMPTY_LEVEL_TEXT: 1,
        QuirkKind.ROLE_LEVELS_REORDERED: 1,
    }
    assert ModelLogEntry.objects.filter(action="capability.frameworks.import").count() == 1


def test_publish_makes_the_imported_release_current():
    report = framework_import_ddat(**small_ddat_files(), release_label="2026-01", publish=True, actor=None)

    assert report.published
    framework = Framework.objects.get(slug="ddat")
    assert framework.current_release.label == "2026-01"
    assert framework.current_release.status == ReleaseStatus.PUBLISHED


def test_reimporting_a_draft_with_different_files_replaces_its_content():
    framework_import_ddat(**small_ddat_files(), release_label="2026-01", actor=None)
    changed_skills = [{**SMALL_SKILLS[0], "Skill Description": "Checking work, rewritten."}, SMALL_SKILLS[1]]
    changed_roles = [
        {**row, "Skill Description": "Checking work, rewritten."} if row["Skill Name"] == "Checking work" else row
        for row in SMALL_ROLES
    ]

    report = framework_import_ddat(
        **small_ddat_files(changed_skills, changed_roles), release_label="2026-01", actor=None
    )

    assert report.outcome == ImportOutcome.UPDATED
    assert Skill.objects.get(release__label="2026-01", code="checking-work").description == "Checking work, rewritten."
    assert Skill.objects.filter(release__label="2026-01").count() == 2


def test_a_published_release_is_not_replaced_by_different_files():
    framework_import_ddat(**small_ddat_files(), release_label="2026-01", publish=True, actor=None)
    changed = [{**SMALL_SKILLS[0], "Awareness": "You can:\n- something else"}, SMALL_SKILLS[1]]
    changed_roles = [
        {**row, "Skill Level Description": "You can:\n- something else"} if row["Skill Level"] == "Awareness" else row
        for row in SMALL_ROLES
    ]

    report = framework_import_ddat(**small_ddat_files(changed, changed_roles), release_label="2026-01", actor=None)

    assert report.outcome == ImportOutcome.FAILED
    assert "published and frozen" in str(report.errors[0])
    assert "new release label" in str(report.errors[0])
    descriptor = SkillLevelDescriptor.objects.get(skill__code="checking-work", level__code="awareness")
    assert descriptor.text == "You can:\n- say why checks matter"


def test_importing_a_later_release_creates_a_draft_with_a_change_log():
    framework_import_ddat(**small_ddat_files(), release_label="2026-01", publish=True, actor=None)
    later_skills = [
        {**SMALL_SKILLS[0], "Skill Name": "Checking Work", "Working": "You can:\n- run checks\n- report"},
        skill_row("Pairing", "Pairing is working in twos.", "You can:\n- pair", "", "", "", "Checker"),
    ]
    later_roles = [
        role_row("Quality", "Checker", "Checker", "Checking Work", "Working", skills=later_skills),
        role_row("Quality", "Checker", "Checker", "Pairing", "Awareness", skills=later_skills),
    ]

    report = framework_import_ddat(**small_ddat_files(later_skills, later_roles), release_label="2026-07", actor=None)

    assert report.outcome == ImportOutcome.CREATED
    assert report.previous_release == "2026-01"
    release = FrameworkRelease.objects.get(label="2026-07")
    assert release.status == ReleaseStatus.DRAFT
    changes = {(change.subject, change.kind, change.code, change.level_code) for change in release.changes.all()}
    assert ("skill", "added", "pairing", "") in changes
    assert ("skill", "removed", "writing-notes", "") in changes
    assert ("skill", "renamed", "checking-work", "") in changes
    assert ("skill", "level_text_changed", "checking-work", "working") in changes
    assert ("role", "removed", "chief-checker", "") in changes
    assert ("role_level", "removed", "checker/lead-checker", "") in changes
    assert report.changes["skill added"] == 1
    mapping = release.skill_mappings.get(previous_skill__code="checking-work")
    assert mapping.is_renamed
    assert mapping.changed_level_codes == ["working"]
    assert release.skill_mappings.get(previous_skill__code="writing-notes").is_removed


# --- bad files: nothing is written and the error says where and what to do ---------------------------


def _assert_nothing_written(report):
    assert report.outcome == ImportOutcome.FAILED
    assert not report.ok
    assert not Framework.objects.exists()
    assert not Skill.objects.exists()


def test_a_missing_column_is_named_with_the_file_and_what_the_header_needs():
    files = small_ddat_files()
    files["skills_file"] = files["skills_file"].replace(b",Expert,", b",", 1)

    report = framework_import_ddat(**files, release_label="2026-01", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]).startswith("skills.csv, row 1, column 'Expert': the column is missing.")
    assert "The header must have these columns: Skill Name, Skill Description" in str(report.errors[0])


def test_an_unknown_skill_level_is_named_with_row_and_column():
    roles = [*SMALL_ROLES]
    roles[2] = {**roles[2], "Skill Level": "Expertise"}

    report = framework_import_ddat(**small_ddat_files(roles=roles), release_label="2026-01", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]) == (
        "roles.csv, row 4, column 'Skill Level': unknown skill level 'Expertise'; use one of Awareness, Working, "
        "Practitioner, Expert (or NOT IN USE for a role without levels)."
    )


def test_a_role_level_with_no_role_is_named_with_row_and_column():
    roles = [*SMALL_ROLES]
    roles[1] = {**roles[1], "Role": ""}

    report = framework_import_ddat(**small_ddat_files(roles=roles), release_label="2026-01", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]) == (
        "roles.csv, row 3, column 'Role': the role level 'Checker' has no role; fill in the Role column."
    )


def test_a_file_that_is_not_utf8_is_named_with_row_and_column():
    files = small_ddat_files()
    files["skills_file"] = files["skills_file"].replace(b"making sure", b"making \x92sure")

    report = framework_import_ddat(**files, release_label="2026-01", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]) == (
        "skills.csv, row 2, column 'Skill Description': is not UTF-8 text (byte 0x92). "
        "Save the file as 'CSV UTF-8 (Comma delimited)' and import it again."
    )


def test_a_skill_missing_from_the_skills_file_is_named():
    roles = [*SMALL_ROLES, {**SMALL_ROLES[0], "Skill Name": "Juggling", "Role Level": "Checker"}]

    report = framework_import_ddat(**small_ddat_files(roles=roles), release_label="2026-01", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]) == (
        "roles.csv, row 8, column 'Skill Name': skill 'Juggling' is not in skills.csv; "
        "add it there or correct the name."
    )


def test_a_row_with_too_few_cells_is_named():
    files = small_ddat_files()
    files["roles_file"] += b"Quality,Checker\n"

    report = framework_import_ddat(**files, release_label="2026-01", actor=None)

    _assert_nothing_written(report)
    assert "roles.csv, row 8: the row has 2 cells but the header has 10" in str(report.errors[0])


def test_texts_that_disagree_between_the_two_files_are_named():
    roles = [*SMALL_ROLES]
    roles[0] = {**roles[0], "Skill Level Description": "You can:\n- something the skills file does not say"}

    report = framework_import_ddat(**small_ddat_files(roles=roles), release_label="2026-01", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]).startswith(
        "roles.csv, row 2, column 'Skill Level Description': the Working text of skill 'Checking work' differs "
        "from skills.csv row 2"
    )


def test_the_command_fails_with_the_error_and_no_traceback(tmp_path):
    files = small_ddat_files()
    (tmp_path / "roles.csv").write_bytes(files["roles_file"].replace(b",Working,", b",Workin,", 1))
    (tmp_path / "skills.csv").write_bytes(files["skills_file"])

    with pytest.raises(CommandError) as error:
        call_command(
            "import_framework",
            "ddat",
            "--roles",
            tmp_path / "roles.csv",
            "--skills",
            tmp_path / "skills.csv",
            "--release",
            "2026-01",
        )

    assert "roles.csv, row 2, column 'Skill Level': unknown skill level 'Workin'" in str(error.value)
    assert not Framework.objects.exists()


def test_the_command_says_when_a_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match=r"missing.csv: cannot be read \(No such file or directory\)"):
        call_command(
            "import_framework",
            "ddat",
            "--roles",
            tmp_path / "missing.csv",
            "--skills",
            tmp_path / "missing.csv",
            "--release",
            "2026-01",
        )


# --- the seniority rule on its own -------------------------------------------------------------------


def test_seniority_puts_an_entry_level_associate_below_junior():
    levels = [
        LadderLevel("Junior designer", "A junior designer has a degree.", {}),
        LadderLevel("Associate designer", "As a trainee in an entry-level position, you learn.", {}),
        LadderLevel("Designer", "A designer designs.", {}),
        LadderLevel("Head of design", "Leads design.", {}),
    ]
    names = [level.name for level in seniority_order(levels).levels]
    assert names == ["Associate designer", "Junior designer", "Designer", "Head of design"]


def test_seniority_swaps_levels_whose_requirements_contradict_their_names():
    levels = [
        LadderLevel("Lead scientist", "", {"a": 4, "b": 4}),
        LadderLevel("Principal scientist", "", {"a": 3, "b": 4}),
    ]
    order = seniority_order(levels)
    assert [level.name for level in order.levels] == ["Principal scientist", "Lead scientist"]
    assert len(order.swaps) == 1


def test_an_admin_upload_gets_progress_and_a_json_serialisable_report():
    files = small_ddat_files()
    uploads = {name: io.BytesIO(data) for name, data in files.items()}
    uploads["roles_file"].name = "uploaded-roles.csv"
    stages = []

    report = framework_import_ddat(
        **uploads, release_label="2026-01", progress=lambda stage, done: stages.append((stage, done)), actor=None
    )

    assert report.ok
    assert [done for _, done in stages] == [0.0, 0.1, 0.4, 1.0]
    assert stages[-1][0] == "Created a new draft release"
    data = json.loads(json.dumps(report.as_dict()))
    assert data["outcome"] == "created"
    assert data["files"][0]["name"] == "uploaded-roles.csv"
    assert data["quirk_counts"]["not_in_use"] == 1


def test_importing_a_stale_draft_again_compares_it_with_the_current_release_so_it_can_be_published():
    framework_import_ddat(**small_ddat_files(), release_label="2026-01", publish=True, actor=None)
    current = FrameworkRelease.objects.get(label="2026-01")
    stale = framework_release_draft_create_from_current(framework=current.framework, label="2026-04", actor=None)
    newer = framework_release_draft_create_from_current(framework=current.framework, label="2026-02", actor=None)
    framework_release_publish(release=newer, actor=None)
    later_skills = [
        {**SMALL_SKILLS[0], "Skill Name": "Checking Work", "Working": "You can:\n- run checks\n- report"},
        skill_row("Pairing", "Pairing is working in twos.", "You can:\n- pair", "", "", "", "Checker"),
    ]
    later_roles = [
        role_row("Quality", "Checker", "Checker", "Checking Work", "Working", skills=later_skills),
        role_row("Quality", "Checker", "Checker", "Pairing", "Awareness", skills=later_skills),
    ]

    report = framework_import_ddat(
        **small_ddat_files(later_skills, later_roles), release_label="2026-04", publish=True, actor=None
    )

    assert report.ok, report.errors
    assert report.previous_release == "2026-02"
    stale.refresh_from_db()
    assert (stale.status, stale.previous_release) == (ReleaseStatus.PUBLISHED, newer)
