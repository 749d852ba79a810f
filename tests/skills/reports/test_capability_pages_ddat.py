"""HR's capability reports on the real DDaT 2025-10 release: people on its real role levels and requirements, in a
tree of units, and every report page (and its CSV and XLSX) answered for the same number of queries when the units,
the people and the skills they need grow."""

import itertools

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frameworks.models import FrameworkRelease, RoleLevel
from skills.models import CurrentLevel
from skills.services.capability_summary import capability_summary_refresh
from tests.cms.factories import UserFactory
from tests.conftest import page_queries
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, imported once per module
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]

DEPARTMENT = "Department for Testing"
PAGES = [
    "/admin/capability/",
    "/admin/capability/?basis=claimed&assessed_since=2020-01-01",
    "/admin/capability/heatmap/",
    "/admin/capability/heatmap/?by=family",
    "/admin/capability/heatmap/?grade={grade}",
    "/admin/capability/trends/",
    "/admin/capability/people/",
    "/admin/capability/heatmap/?export=csv",
    "/admin/capability/heatmap/?export=xlsx",
]


def _people(*, units: int, per_unit: int, role_levels: list[RoleLevel], start: int) -> None:
    """`per_unit` people in each of `units` teams under two directorates, on the given role levels in turn, each
    holding a claimed and a validated level in every skill their role level needs (some met, some not)."""
    levels = {level.rank: level for level in role_levels[0].release.levels.all()}
    cycle = itertools.cycle(role_levels)
    rows = []
    for index in range(units):
        unit = org_unit(f"{DEPARTMENT}/Directorate {index % 2}/Team {start + index}")
        for _ in range(per_unit):
            role_level = next(cycle)
            person = PersonFactory(org_unit=unit, current_role_level=role_level)
            for offset, requirement in enumerate(role_level.requirements.select_related("skill", "level")):
                rank = max(1, requirement.level.rank - offset % 2)
                rows.append(
                    CurrentLevel(
                        person=person,
                        skill=requirement.skill,
                        release=role_level.release,
                        skill_code=requirement.skill.code,
                        claimed_level=levels[rank],
                        claimed_rank=rank,
                        validated_level=levels[rank],
                        validated_rank=rank,
                        last_assessed_at=timezone.now(),
                    )
                )
    CurrentLevel.objects.bulk_create(rows)


def _counts(client: Client, grade: int) -> dict[str, int]:
    counts = {}
    for template in PAGES:
        url = template.format(grade=grade)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts[url] = len(page_queries(queries.captured_queries))
    return counts


def test_every_report_keeps_its_query_count_as_the_organisation_grows():
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    role_levels = list(
        RoleLevel.objects.filter(release=release, requirements__isnull=False).distinct().order_by("role__name", "pk")
    )
    viewer = hr_analyst_for(DEPARTMENT)
    viewer.user_permissions.add(Permission.objects.get(codename="view_capability_individuals"))
    superuser = UserFactory(is_superuser=True)
    client = Client()
    client.force_login(viewer)
    admin = Client()
    admin.force_login(superuser)

    _people(units=2, per_unit=6, role_levels=role_levels[:2], start=0)
    capability_summary_refresh()
    grade = PersonFactory._meta.model.objects.values_list("grade_id", flat=True).first()
    small = _counts(client, grade)
    small_admin = _counts(admin, grade)

    # Ten times the units, four times the people in each, and forty role levels' worth of skills.
    _people(units=20, per_unit=24, role_levels=role_levels[:40], start=2)
    capability_summary_refresh()
    assert _counts(client, grade) == small
    assert _counts(admin, grade) == small_admin
