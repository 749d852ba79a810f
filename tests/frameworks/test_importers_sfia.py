"""The SFIA 9 workbook format, with invented text: SFIA content is licensed and never committed."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from frameworks.enums import FrameworkKind, ImportOutcome
from frameworks.models import Framework, GenericAttribute, Level, Skill, SkillLevelDescriptor
from frameworks.selectors import release_content, release_get
from frameworks.services import framework_import_sfia
from tests.frameworks.sfia_files import (
    ATTRIBUTES,
    ATTRIBUTES_HEADER,
    LEVELS,
    SKILLS,
    SKILLS_HEADER,
    csv_bytes,
    skill,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


def test_a_workbook_is_imported_with_levels_categories_skills_and_attributes():
    report = framework_import_sfia(workbook=workbook_bytes(), release_label="9", actor=None)

    assert report.outcome == ImportOutcome.CREATED, report.summary()
    assert report.counts == {
        "levels": 7,
        "categories": 2,
        "subcategories": 3,
        "skills": 3,
        "generic_attributes": 2,
        "role_families": 0,
        "roles": 0,
        "roles_without_levels": 0,
        "role_levels": 0,
        "requirements": 0,
        "requirements_without_level": 0,
    }
    framework = Framework.objects.get(slug="sfia")
    assert framework.kind == FrameworkKind.SFIA
    assert "SFIA Foundation" in framework.licence
    level = Level.objects.get(release__label="9", code="3")
    assert (level.name, level.guiding_phrase, level.description) == ("Level 3", "Do", "Essence 3.")
    assembling = Skill.objects.select_related("category", "subcategory").get(code="TSTA")
    assert (assembling.category.name, assembling.subcategory.name) == ("Making things", "Building")
    assert assembling.url == "https://example.test/skills/TSTA"
    defined = SkillLevelDescriptor.objects.filter(skill=assembling, is_defined=True)
    assert sorted(defined.values_list("level__code", flat=True)) == ["2", "3", "4"]
    assert SkillLevelDescriptor.objects.filter(skill=assembling).count() == 7
    assert GenericAttribute.objects.get(code="TALK").levels.get(level__code="7").text == "Talking at 7."


def test_a_title_row_above_the_header_is_skipped():
    report = framework_import_sfia(workbook=workbook_bytes(title_row=True), release_label="9", actor=None)
    assert report.ok, report.summary()
    assert report.counts["skills"] == 3


def test_csv_exports_of_the_three_sheets_give_the_same_release_as_the_workbook():
    framework_import_sfia(workbook=workbook_bytes(), release_label="9", actor=None)
    report = framework_import_sfia(
        skills_file=csv_bytes([SKILLS_HEADER, *SKILLS]),
        attributes_file=csv_bytes([ATTRIBUTES_HEADER, *ATTRIBUTES]),
        levels_file=csv_bytes(LEVELS),
        release_label="9",
        framework_slug="sfia-from-csv",
        actor=None,
    )

    assert report.ok, report.summary()
    from_workbook = release_content(release=release_get(framework_slug="sfia", label="9", published_only=False))
    from_csv = release_content(release=release_get(framework_slug="sfia-from-csv", label="9", published_only=False))
    assert from_csv == from_workbook


def test_importing_the_same_workbook_twice_changes_nothing():
    framework_import_sfia(workbook=workbook_bytes(), release_label="9", publish=True, actor=None)
    report = framework_import_sfia(workbook=workbook_bytes(), release_label="9", publish=True, actor=None)
    assert report.outcome == ImportOutcome.UNCHANGED
    assert Skill.objects.count() == 3


def test_a_later_release_shows_renames_by_code_and_changed_level_texts():
    framework_import_sfia(workbook=workbook_bytes(), release_label="9", publish=True, actor=None)
    later = [
        skill(1, "TSTA", "Assembly", "Making things", "Building", {2, 3, 4}, texts={3: "At 3, new words."}),
        SKILLS[1],
    ]

    report = framework_import_sfia(workbook=workbook_bytes(skills=later), release_label="10", actor=None)

    assert report.outcome == ImportOutcome.CREATED
    release = release_get(framework_slug="sfia", label="10", published_only=False)
    changes = {(change.subject, change.kind, change.code, change.level_code) for change in release.changes.all()}
    assert changes == {
        ("skill", "renamed", "TSTA", ""),
        ("skill", "level_text_changed", "TSTA", "3"),
        ("skill", "removed", "TSTC", ""),
    }


def _assert_nothing_written(report):
    assert report.outcome == ImportOutcome.FAILED
    assert not Framework.objects.exists()


def test_a_missing_column_names_the_workbook_sheet_row_and_column():
    header = [cell for cell in SKILLS_HEADER if cell != "Guidance notes"]
    rows = [
        [cell for index, cell in enumerate(row) if index != SKILLS_HEADER.index("Guidance notes")] for row in SKILLS
    ]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes()))
    sheet = book["Skills"]
    sheet.delete_rows(1, sheet.max_row)
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)

    report = framework_import_sfia(workbook=buffer.getvalue(), release_label="9", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]).startswith(
        "sfia.xlsx, sheet 'Skills', row 1, column 'Guidance notes': the column is missing."
    )


def test_an_unknown_skill_level_names_the_row_and_level_column():
    rows = [*SKILLS]
    rows[1] = [*rows[1]]
    rows[1][5] = 8  # the level 5 flag column

    report = framework_import_sfia(workbook=workbook_bytes(skills=rows), release_label="9", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]) == (
        "sfia.xlsx, sheet 'Skills', row 3, column 'Levels (level 5)': unknown skill level '8'; the level 5 column "
        "holds 5 where the level is defined, and nothing where it is not."
    )


def test_a_level_text_without_its_flag_is_refused():
    rows = [*SKILLS]
    rows[2] = [*rows[2]]
    rows[2][SKILLS_HEADER.index("Level 6 description")] = "Text for a level that is not marked."

    report = framework_import_sfia(workbook=workbook_bytes(skills=rows), release_label="9", actor=None)

    _assert_nothing_written(report)
    assert "row 4, column 'Levels (level 6)': level 6 has a description but is not marked" in str(report.errors[0])


def test_a_missing_sheet_is_named():
    report = framework_import_sfia(
        workbook=workbook_bytes(sheet_names=["Skills", "Attributes", "Levels"]), release_label="9", actor=None
    )

    _assert_nothing_written(report)
    assert str(report.errors[0]).startswith("sfia.xlsx: has no sheet named 'Levels of responsibility'")


def test_an_unknown_level_on_the_levels_sheet_is_named():
    levels = [["Level", 1, 2, 3, 4, 5, 6, 9], *LEVELS[1:]]

    report = framework_import_sfia(workbook=workbook_bytes(levels=levels), release_label="9", actor=None)

    _assert_nothing_written(report)
    assert str(report.errors[0]) == (
        "sfia.xlsx, sheet 'Levels of responsibility', row 1, column 'H': unknown level '9'; SFIA levels are 1 to 7."
    )


def test_a_file_that_is_not_a_workbook_is_refused():
    report = framework_import_sfia(workbook=b"Code,Skill\nPROG,Programming\n", release_label="9", actor=None)

    _assert_nothing_written(report)
    assert "sfia.xlsx: is not an Excel workbook (.xlsx)" in str(report.errors[0])


def test_the_command_imports_a_workbook_and_csv_files(tmp_path, capsys):
    (tmp_path / "sfia.xlsx").write_bytes(workbook_bytes())
    call_command("import_framework", "sfia", "--workbook", tmp_path / "sfia.xlsx", "--release", "9")
    assert "sfia 9: Created a new draft release." in capsys.readouterr().out

    (tmp_path / "skills.csv").write_bytes(csv_bytes([SKILLS_HEADER, *SKILLS]))
    (tmp_path / "attributes.csv").write_bytes(csv_bytes([ATTRIBUTES_HEADER, *ATTRIBUTES]))
    (tmp_path / "levels.csv").write_bytes(csv_bytes(LEVELS))
    call_command(
        "import_framework",
        "sfia",
        "--skills",
        tmp_path / "skills.csv",
        "--attributes",
        tmp_path / "attributes.csv",
        "--levels",
        tmp_path / "levels.csv",
        "--release",
        "9",
    )
    assert "sfia 9: Nothing changed" in capsys.readouterr().out


def test_the_command_refuses_a_sfia_import_without_its_files():
    with pytest.raises(CommandError, match="A SFIA import needs --workbook"):
        call_command("import_framework", "sfia", "--skills", "skills.csv", "--release", "9")
