"""Server time of the public framework pages on the real DDaT 2025-10 release, through the full middleware stack.

Imports and publishes the official files (frameworks/data/ddat/2025-10, or CAPABILITY_DDAT_DATA,
or the copy in frameworks/data/ddat/2025-10), creates the framework pages, and times the heaviest example of
each page: the role with the longest ladder, the role level and the skill with the most requirements.
"""

import os
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.measure import median_ms
from frameworks.importers.ddat import BUNDLED_DDAT_2025_10

TARGET = "role-level and skill pages: median under 30 ms on SQLite, the same number of queries for any page"
DATA = Path(os.environ.get("CAPABILITY_DDAT_DATA", BUNDLED_DDAT_2025_10))


def run(report):
    from django.db.models import Count

    from frameworks.models import Framework, Role, RoleLevel, Skill
    from frameworks.services import framework_import_ddat, framework_pages_ensure

    if not Framework.objects.filter(slug="ddat", current_release__isnull=False).exists():
        result = framework_import_ddat(
            roles_file=DATA / "roles.csv",
            skills_file=DATA / "skills.csv",
            release_label="2025-10",
            publish=True,
            actor=None,
        )
        assert result.ok, result.summary()
    framework_pages_ensure()
    release = Framework.objects.get(slug="ddat").current_release

    role = Role.objects.filter(release=release).annotate(n=Count("levels")).order_by("-n", "code").first()
    role_level = (
        RoleLevel.objects.filter(release=release)
        .select_related("role")
        .annotate(n=Count("requirements"))
        .order_by("-n", "code")
        .first()
    )
    skill = Skill.objects.filter(release=release).annotate(n=Count("requirements")).order_by("-n", "code").first()
    base = "/frameworks/ddat/"
    pages = [
        ("framework page", base),
        (f"role page ({role.levels.count()} levels)", f"{base}roles/{role.code}/"),
        (f"role-level page ({role_level.n} skills)", f"{base}roles/{role_level.role.code}/{role_level.code}/"),
        (f"skill page ({skill.n} role levels need it)", f"{base}skills/{skill.code}/"),
        ("skills A to Z (188 skills)", f"{base}skills/"),
        ("skills A to Z, filtered and searched", f"{base}skills/?role_family=data&q=data"),
    ]
    client = Client()
    for label, url in pages:
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)  # read now: each request empties the connection's query log
        report(f"{label} median", median_ms(lambda url=url: client.get(url)), f"ms ({count} queries)")
