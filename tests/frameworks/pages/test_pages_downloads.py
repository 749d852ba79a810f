"""The release downloads (frameworks.views.downloads): the exports, with their content types and file names,
built once for a published release."""

import csv
import io
import json

import pytest
from django.core.cache import cache

from frameworks.exporters import ddat_csv_files
from frameworks.selectors import release_content
from tests.frameworks.pages.conftest import BASE

pytestmark = pytest.mark.django_db


def test_the_downloads_are_the_exports_with_content_types_and_file_names(client, published):
    files = ddat_csv_files(release_content(release=published))

    roles = client.get(f"{BASE}download/roles-csv/")
    skills = client.get(f"{BASE}download/skills-csv/")
    document = client.get(f"{BASE}download/json/")
    case = client.get(f"{BASE}download/case-json/")

    assert roles["Content-Type"] == "text/csv; charset=utf-8"
    assert roles["Content-Disposition"] == 'attachment; filename="ddat-2025-10-roles.csv"'
    assert roles.content == files["roles.csv"]
    assert skills.content == files["skills.csv"]
    assert next(csv.reader(io.StringIO(skills.content.decode())))[0] == "Skill Name"
    assert document["Content-Type"] == "application/json"
    assert document["Content-Disposition"] == 'attachment; filename="ddat-2025-10.json"'
    assert json.loads(document.content)["release"]["label"] == "2025-10"
    assert case["Content-Disposition"] == 'attachment; filename="ddat-2025-10-case.json"'
    assert json.loads(case.content)["CFDocument"]["version"] == "2025-10"
    assert client.get(f"{BASE}download/").status_code == 200


def test_a_published_releases_download_is_built_once(client, published, django_assert_max_num_queries):
    cache.clear()
    client.get(f"{BASE}download/json/")
    with django_assert_max_num_queries(20):
        assert client.get(f"{BASE}download/json/").status_code == 200
