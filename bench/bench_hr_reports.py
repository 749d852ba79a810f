"""HR's capability reports at the size of a profession: 100,000 people in 60 units on the real DDaT role levels.

Imports and publishes the real DDaT 2025-10 release, writes the HR feed with the people-import benchmark's
generator (3 departments, each one directorate of 3 divisions of 5 teams: 60 units; everyone on a real DDaT role
and role level) and imports it through the HR feed's service, then gives ~85 % of the requirements of each
person's role level a current level (claimed around the level required, most of them validated; some stale) in one
set-based statement, as the ledger's services would have left them: about 0.9 million requirement pairs at
100,000 people. Then it times the summary refresh and, signed in as an HR analyst responsible for the three
departments, the org-wide dashboard, a department's heatmap, a drill-down to a team, and each export (CSV, XLSX,
PDF), each beside the trivial view and the bare Wagtail page measured in the same run with the same client.
`--people` sets the size (at least the management tree's 150 people).
"""

import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.bench_people_import import DEPARTMENTS, write_feed
from bench.ddat import ddat_release_ensure
from bench.measure import measure
from bench.reference import references_ms
from cms.accounts.enums import Role
from frameworks.models import RoleLevel
from skills.models import HRResponsibility, OrganisationUnit, ReportRequirement
from skills.services.capability_summary import capability_summary_refresh
from skills.services.people_import import people_import

TARGET = (
    "org-wide dashboard p95 ≤ 100 ms, drill-down p95 ≤ 200 ms, summary refresh ≤ 5 s, XLSX of the unit × skill "
    "heatmap ≤ 5 s with bounded memory, on PostgreSQL at 100,000 people"
)
DEFAULT_PEOPLE = 100_000
# 3 departments × (the department, 1 directorate, 3 divisions, 5 teams in each): 60 units.
SHAPE = {"directorates": 1, "divisions": 3, "teams_each": 5}
TREE = len(DEPARTMENTS) * (1 + SHAPE["directorates"] * (1 + SHAPE["divisions"] * (1 + SHAPE["teams_each"] * 3)))
# Statements of the request's frame on PostgreSQL, not of the page (as tests/conftest.py leaves them out).
FRAME_STATEMENTS = ("SELECT set_config('statement_timeout'", "RESET statement_timeout")

# Every requirement of each person's role level, but one in seven, gets a current level: claimed a step below,
# at or a step above the level required (none where that step is off the scale), validated at that level for two
# in three; one in seven last assessed long enough ago to be stale. `h` spreads people and skills evenly and
# reproducibly on SQLite and PostgreSQL alike.
CURRENT_LEVELS_SQL = """
INSERT INTO skills_currentlevel
    (person_id, skill_id, release_id, skill_code, claimed_level_id, claimed_rank, validated_level_id,
     validated_rank, validated_source, needs_revalidation, last_assessed_at)
SELECT x.person_id, x.skill_id, x.release_id, x.skill_code, cl.id, cl.rank,
       CASE WHEN x.h %% 3 <> 0 THEN cl.id END, CASE WHEN x.h %% 3 <> 0 THEN cl.rank ELSE 0 END,
       CASE WHEN x.h %% 3 <> 0 THEN 'line_manager' ELSE '' END, FALSE,
       CASE WHEN x.h %% 7 = 0 THEN %s ELSE %s END
FROM (
    SELECT p.id AS person_id, q.skill_id, rl.release_id, s.code AS skill_code, lv.rank AS required_rank,
           (p.id * 31 + q.skill_id * 17) %% 20 AS h
    FROM skills_person p
    JOIN frameworks_rolelevel rl ON rl.id = p.current_role_level_id
    JOIN frameworks_requirement q ON q.role_level_id = rl.id
    JOIN frameworks_level lv ON lv.id = q.level_id
    JOIN frameworks_skill s ON s.id = q.skill_id
    WHERE (p.id * 7 + q.skill_id * 3) %% 7 <> 0
) x
JOIN frameworks_level cl ON cl.release_id = x.release_id
    AND cl.rank = x.required_rank + CASE WHEN x.h < 4 THEN -1 WHEN x.h < 15 THEN 0 ELSE 1 END
"""


def add_arguments(group) -> None:
    group.add_argument(
        "--people",
        type=int,
        default=DEFAULT_PEOPLE,
        help=f"people in the HR feed, at least {TREE} (default {DEFAULT_PEOPLE:,})",
    )
    group.add_argument("--repeat", type=int, default=20, help="timed requests per page (20)")
    group.add_argument("--refreshes", type=int, default=3, help="timed summary refreshes (3)")


def ddat_roles(release) -> dict[str, list[str]]:
    """Each DDaT role's code and the codes of its levels that have requirements (the HR feed takes codes)."""
    roles: dict[str, list[str]] = {}
    for role_code, level_code in (
        RoleLevel.objects.filter(release=release, requirements__isnull=False)
        .distinct()
        .order_by("role__code", "seniority")
        .values_list("role__code", "code")
    ):
        roles.setdefault(role_code, []).append(level_code)
    return roles


def people_build(*, release, people: int) -> int:
    """The HR feed through its import service, then the current levels; returns the number of units."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "people.csv"
        units = write_feed(path, random.Random(20251206), people, roles=ddat_roles(release), **SHAPE)
        result = people_import(actor=None, file=path, framework_slug="ddat")
        if not (result.ok and result.created == people):
            raise RuntimeError(result.summary())
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            CURRENT_LEVELS_SQL,
            [
                connection.ops.adapt_datetimefield_value(now - timezone.timedelta(days=3 * 365)),
                connection.ops.adapt_datetimefield_value(now - timezone.timedelta(days=60)),
            ],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # as autovacuum would have, after the bulk writes above
    return units


def summary_copy_seconds() -> float:
    """The refresh's reference: writing the summary's requirement rows once more, into a temporary table, as the
    cheapest statement that touches as many rows as a refresh must compare."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("CREATE TEMPORARY TABLE bench_summary_copy AS SELECT * FROM skills_reportrequirement")
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_summary_copy")
    return seconds


def analyst_create():
    user = get_user_model().objects.create_user(
        email="bench-hr-analyst@capability.example", password="!", first_name="Hana", last_name="Analyst"
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=Role.HR_ANALYST))
    for department in DEPARTMENTS:
        HRResponsibility.objects.create(user=user, org_unit=OrganisationUnit.objects.get(full_name=department))
    return user


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def body_of(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def timed(client, url: str, repeat: int) -> tuple[list[float], int, int]:
    """Server times (ms) of `repeat` requests after one untimed; the response's size and query count."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        size = len(body_of(client.get(url)))
    count = sum(1 for query in queries.captured_queries if not query["sql"].startswith(FRAME_STATEMENTS))
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        body_of(client.get(url))
        samples.append((time.perf_counter() - started) * 1000)
    return samples, size, count


def run(bench):
    args = bench.args
    if args.people < TREE:
        raise ValueError(f"--people must be at least {TREE}: the management tree alone has that many people")
    release = ddat_release_ensure()
    started = time.perf_counter()
    units = people_build(release=release, people=args.people)
    bench.report("people", args.people, key="people")
    bench.report("organisation units", units)
    bench.report("building the data set (HR feed and current levels)", time.perf_counter() - started, "s")

    refresh_times = []
    for _ in range(max(1, args.refreshes)):
        refresh = capability_summary_refresh()
        refresh_times.append(refresh.seconds)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    copy = summary_copy_seconds()
    reference = ("copying the summary's rows once", copy)
    bench.report("requirement pairs in the summary", ReportRequirement.objects.count())
    bench.report("reference: copying the summary's rows once", copy, "s", key="copy_seconds")
    bench.report(
        "summary refresh, first (from empty: once, at installation)",
        refresh_times[0],
        "s",
        key="first_refresh_seconds",
        reference=reference,
    )
    # What the nightly task and every later refresh cost: the summary already holds yesterday's state. The goal
    # (≤ 5 s) is for this one; the first, from an empty summary, happens once per installation.
    steady = refresh_times[1:] or refresh_times
    bench.report(
        f"summary refresh, steady (median of {len(steady)} after the first)",
        statistics.median(steady),
        "s",
        key="refresh_seconds",
        reference=reference,
    )
    bench.report("summary refresh, slowest after the first", max(steady), "s", reference=reference)

    client = Client()
    client.force_login(analyst_create())
    refs = references_ms(client, repeat=args.repeat)
    trivial, bare = refs["trivial view"], refs["bare Wagtail page"]
    bench.report("trivial view (analyst signed in) median", trivial, "ms", key="trivial_ms")
    bench.report("bare Wagtail page (analyst signed in) median", bare, "ms", key="bare_page_ms")

    department = OrganisationUnit.objects.get(full_name=DEPARTMENTS[0])
    team = OrganisationUnit.objects.filter(path__startswith=department.path).order_by("-depth", "path").first()
    pages = [
        ("org-wide dashboard", "dashboard", "/admin/capability/", args.repeat),
        ("a department's heatmap", "heatmap", f"/admin/capability/heatmap/?unit={department.pk}", args.repeat),
        ("drill-down to a team (heatmap)", "drilldown", f"/admin/capability/heatmap/?unit={team.pk}", args.repeat),
        ("a team's dashboard", "team_dashboard", f"/admin/capability/?unit={team.pk}", args.repeat),
        ("org-wide heatmap", "org_heatmap", "/admin/capability/heatmap/", args.repeat),
        ("dashboard filtered (one grade)", "dashboard_filtered", "/admin/capability/?grade=", args.repeat),
        ("org-wide heatmap as CSV", "csv", "/admin/capability/heatmap/?export=csv", max(3, args.repeat // 4)),
        ("org-wide heatmap as XLSX", "xlsx", "/admin/capability/heatmap/?export=xlsx", max(3, args.repeat // 4)),
        ("dashboard as CSV", "dashboard_csv", "/admin/capability/?export=csv", max(3, args.repeat // 4)),
        ("dashboard as XLSX", "dashboard_xlsx", "/admin/capability/?export=xlsx", max(3, args.repeat // 4)),
        ("dashboard as PDF", "dashboard_pdf", "/admin/capability/?export=pdf", 3),
    ]
    grade = ReportRequirement.objects.values_list("grade_id", flat=True).first()
    print(f"   p50 / p95 server time in process, beside the bare page's median ({bare:.1f} ms):")
    for label, key, url, repeat in pages:
        url = url.replace("grade=", f"grade={grade}")
        samples, size, count = timed(client, url, repeat)
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        bench.report(
            f"{label} p50",
            p50,
            f"ms, {size / 1024:,.0f} KB, {count} queries",
            key=f"{key}_p50_ms",
            reference=("bare page", bare),
        )
        bench.report(f"{label} p95", p95, "ms", key=f"{key}_p95_ms")
        bench.figures[f"{key}_queries"] = count

    # What the cache for each refresh saves: the dashboard and a filtered heatmap with nothing cached (as the
    # first request after a refresh meets them).
    for label, key, url in (
        ("org-wide dashboard, nothing cached", "dashboard_cold", "/admin/capability/"),
        (
            "heatmap filtered (one grade), nothing cached",
            "heatmap_filtered_cold",
            f"/admin/capability/heatmap/?grade={grade}",
        ),
    ):
        samples = []
        for _ in range(max(3, args.repeat // 4)):
            cache.clear()
            started = time.perf_counter()
            body_of(client.get(url))
            samples.append((time.perf_counter() - started) * 1000)
        bench.report(
            f"{label} p50", statistics.median(samples), "ms", key=f"{key}_p50_ms", reference=("bare page", bare)
        )
        bench.report(f"{label} p95", percentile(samples, 0.95), "ms", key=f"{key}_p95_ms")

    # The XLSX of the whole unit × skill heatmap once more, traced: the export's own peak memory.
    _, seconds, peak = measure(lambda: body_of(client.get("/admin/capability/heatmap/?export=xlsx")))
    bench.report("org-wide heatmap as XLSX, traced", seconds, "s")
    bench.report("  its peak traced memory", peak, "MiB", key="xlsx_peak_mib")
    bench.figures["xlsx_seconds"] = round(statistics.median(timed(client, pages[7][2], 3)[0]) / 1000, 3)
    bench.report("XLSX of the org-wide heatmap (median of 3)", bench.figures["xlsx_seconds"], "s")
    bench.report(
        "peak RSS of the process", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MiB", key="peak_rss_mib"
    )
    # The summary line the issue asks for, last.
    line = {key: bench.figures[key] for key in ("people",)}
    line.update(
        dashboard_p95_ms=bench.figures["dashboard_p95_ms"],
        heatmap_p95_ms=bench.figures["heatmap_p95_ms"],
        drilldown_p95_ms=bench.figures["drilldown_p95_ms"],
        refresh_seconds=bench.figures["refresh_seconds"],
        xlsx_seconds=bench.figures["xlsx_seconds"],
        first_refresh_seconds=bench.figures["first_refresh_seconds"],
    )
    bench.figures = line
