"""SFIA-like frameworks on the public site: categories, seven levels and the SFIA notice."""

import pytest

from frameworks.services import framework_import_sfia, framework_pages_ensure
from tests.frameworks.pages.conftest import html
from tests.frameworks.sfia_files import workbook_bytes

pytestmark = pytest.mark.django_db


def test_a_sfia_framework_shows_its_categories_seven_levels_and_the_sfia_notice(client):

    report = framework_import_sfia(workbook=workbook_bytes(), release_label="9", publish=True, actor=None)
    assert report.ok, report.summary()
    framework_pages_ensure()

    home = html(client.get("/frameworks/sfia/"))
    skill = client.get("/frameworks/sfia/skills/TSTA/")

    assert "Making things" in home
    assert 'href="/frameworks/sfia/skills/TSTA/"' in home
    assert "SFIA Foundation" in home
    assert skill.status_code == 200
    assert html(skill).count('class="capability-skill-level"') == 7
    assert "SFIA Foundation" in html(skill)
    assert "Role levels that need this skill" not in html(skill)
    assert client.get("/frameworks/sfia/download/roles-csv/").status_code == 404
    assert client.get("/frameworks/sfia/download/json/").status_code == 200
