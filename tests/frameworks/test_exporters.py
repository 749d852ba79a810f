import csv
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from frameworks.enums import ImportOutcome
from frameworks.exporters import (
    NotDdatLikeError,
    case_identifier,
    ddat_csv_files,
    release_case_json,
    release_json,
)
from frameworks.selectors import release_content, release_export, release_get
from frameworks.services import (
    framework_import_ddat,
    framework_import_sfia,
    framework_release_draft_create_from_current,
)
from tests.frameworks.conftest import ddat_files_or_skip
from tests.frameworks.sfia_files import workbook_bytes

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def official_unique_rows(path) -> bytes:
    """The official file with exact duplicate rows dropped (first kept), rewritten as the official CSV is."""
    seen, buffer = set(), io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")):
        if tuple(row) not in seen:
            seen.add(tuple(row))
            writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def release_2025_10(ddat_2025_10):
    return release_get(framework_slug="ddat", label="2025-10")


def test_the_csv_export_is_the_official_files_unique_rows_in_the_official_order(release_2025_10):
    roles, skills = ddat_files_or_skip()

    files = ddat_csv_files(release_content(release=release_2025_10))

    assert files["roles.csv"] == official_unique_rows(roles)
    assert files["skills.csv"] == skills.read_bytes()
    assert files["roles.csv"].count(b"NOT IN USE,Senior Civil Service\n") == 28


def test_importing_the_export_into_an_empty_framework_gives_an_identical_release(release_2025_10):
    files = ddat_csv_files(release_content(release=release_2025_10))

    report = framework_import_ddat(
        roles_file=files["roles.csv"],
        skills_file=files["skills.csv"],
        release_label="2025-10",
        framework_slug="ddat-round-trip",
        actor=None,
    )

    assert report.outcome == ImportOutcome.CREATED
    copy = release_get(framework_slug="ddat-round-trip", label="2025-10", published_only=False)
    assert release_content(release=copy) == release_content(release=release_2025_10)


def test_a_byte_order_mark_can_be_asked_for(release_2025_10):
    files = ddat_csv_files(release_content(release=release_2025_10), byte_order_mark=True)
    assert files["skills.csv"].startswith(b"\xef\xbb\xbfSkill Name,")


def test_the_json_export_holds_the_whole_release_with_structured_level_texts(release_2025_10):
    document = json.loads(release_json(release_export(release=release_2025_10)))

    assert document["framework"]["slug"] == "ddat"
    assert "Open Government Licence" in document["framework"]["licence"]
    assert document["release"]["label"] == "2025-10"
    assert [level["name"] for level in document["levels"]] == ["Awareness", "Working", "Practitioner", "Expert"]
    assert len(document["skills"]) == 188
    accessibility = next(skill for skill in document["skills"] if skill["code"] == "accessibility")
    assert [level["level"] for level in accessibility["levels"]] == ["awareness", "working", "practitioner", "expert"]
    assert accessibility["levels"][0]["intro"] == "You can:"
    assert len(accessibility["levels"][0]["statements"]) == 2
    roles = [role for family in document["role_families"] for role in family["roles"]]
    assert len(roles) == 52
    assert sum(len(role["levels"]) for role in roles) == 201
    assert sum(len(level["requirements"]) for role in roles for level in role["levels"]) == 1781
    assert sum(len(role["skills_without_level"]) for role in roles) == 28


def test_the_case_export_is_a_case_1_1_package_with_stable_identifiers(release_2025_10):
    package = json.loads(
        release_case_json(release_export(release=release_2025_10), base_url="https://capability.example")
    )

    document = package["CFDocument"]
    assert {"identifier", "uri", "creator", "title", "lastChangeDateTime"} <= document.keys()
    assert document["caseVersion"] == "1.1"
    assert document["adoptionStatus"] == "Adopted"
    assert document["version"] == "2025-10"
    identifiers = [document["identifier"]]
    for item in package["CFItems"]:
        assert {"identifier", "fullStatement", "uri", "lastChangeDateTime"} <= item.keys()
        assert item["fullStatement"]
        assert item["CFDocumentURI"]["identifier"] == document["identifier"]
        identifiers.append(item["identifier"])
    for association in package["CFAssociations"]:
        assert {"identifier", "associationType", "uri", "originNodeURI", "destinationNodeURI"} <= association.keys()
        identifiers.append(association["identifier"])
    assert all(UUID.fullmatch(identifier) for identifier in identifiers)
    assert len(identifiers) == len(set(identifiers))

    items_by_type = {}
    for item in package["CFItems"]:
        items_by_type[item["CFItemType"]] = items_by_type.get(item["CFItemType"], 0) + 1
    assert items_by_type == {
        "Level": 4,
        "Skill": 188,
        "Skill level": 188 * 4 - 148,
        "Role family": 8,
        "Role": 52,
        "Role level": 201,
    }
    kinds = {}
    for association in package["CFAssociations"]:
        kinds[association["associationType"]] = kinds.get(association["associationType"], 0) + 1
    assert kinds["isRelatedTo"] == 1781 + 28
    assert kinds["hasSkillLevel"] == 188 * 4 - 148
    skill_item = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "accessibility")
    assert skill_item["identifier"] == case_identifier("ddat", "skill", "accessibility")
    assert skill_item["uri"] == f"https://capability.example/ims/case/v1p1/CFItems/{skill_item['identifier']}"


def test_case_identifiers_stay_the_same_in_the_next_release(release_2025_10):
    draft = framework_release_draft_create_from_current(
        framework=release_2025_10.framework, label="2026-04", actor=None
    )

    first = json.loads(release_case_json(release_export(release=release_2025_10)))
    second = json.loads(release_case_json(release_export(release=draft)))

    assert {item["identifier"] for item in first["CFItems"]} == {item["identifier"] for item in second["CFItems"]}
    assert first["CFDocument"]["identifier"] != second["CFDocument"]["identifier"]
    assert second["CFDocument"]["adoptionStatus"] == "Draft"


def test_the_export_command_writes_the_official_files(release_2025_10, tmp_path):
    roles, skills = ddat_files_or_skip()

    call_command("export_framework", "ddat", "--release", "2025-10", "--out", tmp_path, "--format", "all")

    assert (tmp_path / "roles.csv").read_bytes() == official_unique_rows(roles)
    assert (tmp_path / "skills.csv").read_bytes() == skills.read_bytes()
    assert json.loads((tmp_path / "ddat-2025-10.json").read_bytes())["release"]["label"] == "2025-10"
    assert "CFDocument" in json.loads((tmp_path / "ddat-2025-10-case.json").read_bytes())


def test_the_export_command_names_a_missing_release(release_2025_10, tmp_path):
    with pytest.raises(CommandError, match="Framework 'ddat' has no release '1999-01'"):
        call_command("export_framework", "ddat", "--release", "1999-01", "--out", tmp_path)


def test_a_sfia_release_exports_as_json_and_case_but_not_ddat_csv(ddat_2025_10, tmp_path):
    framework_import_sfia(workbook=workbook_bytes(), release_label="9", actor=None)
    release = release_get(framework_slug="sfia", label="9", published_only=False)

    with pytest.raises(NotDdatLikeError, match="Export it as JSON or CASE instead"):
        ddat_csv_files(release_content(release=release))
    package = json.loads(release_case_json(release_export(release=release)))
    types = {item["CFItemType"] for item in package["CFItems"]}
    assert {"Category", "Subcategory", "Skill", "Skill level", "Generic attribute", "Level"} <= types
    assert json.loads(release_json(release_export(release=release)))["generic_attributes"][0]["code"] == "INDE"
    with pytest.raises(CommandError, match="The DDaT CSV schema needs the levels"):
        call_command("export_framework", "sfia", "--release", "9", "--out", tmp_path, "--format", "csv")
