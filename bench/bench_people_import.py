"""The HR feed: 100,000 people (3 departments, ~2,000 units, a real management tree) imported, then imported again.

Each import is timed without tracing and printed beside the time the same run takes to read the same file with
the csv module alone, so that the ratio survives a busy machine. Memory is measured on separate runs under
tracemalloc (tracing slows Python code about twofold, so their times are not the figures to compare): the fresh
import's memory run is a dry run (everything written, then rolled back) so that the timed fresh import still
starts from empty. `--people` sets the size of the file.
"""

import csv
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bench.measure import measure
from frameworks.models import Framework, FrameworkRelease, Level, Role, RoleFamily, RoleLevel, Skill
from frameworks.services import framework_release_publish
from skills.importers import COLUMNS
from skills.services.people_import import people_import

TARGET = "100,000 rows fresh in at most 30 s and repeated in at most 10 s on PostgreSQL, with bounded memory"
DEFAULT_PEOPLE = 100_000
FRAMEWORK_SLUG = "bench-people"
DEPARTMENTS = ["Department for Education", "Ministry of Justice", "HM Revenue and Customs"]
DIRECTORATES = 8
DIVISIONS = 10
TEAMS = 8
ROLES = {
    "Data engineer": ["Associate data engineer", "Data engineer", "Senior data engineer", "Lead data engineer"],
    "Data analyst": ["Associate data analyst", "Data analyst", "Senior data analyst", "Principal data analyst"],
    "Software developer": ["Junior developer", "Developer", "Senior developer", "Lead developer"],
    "Delivery manager": [
        "Associate delivery manager",
        "Delivery manager",
        "Senior delivery manager",
        "Head of delivery",
    ],
    "User researcher": [
        "Associate user researcher",
        "User researcher",
        "Senior user researcher",
        "Lead user researcher",
    ],
    "Technical architect": ["Technical architect", "Senior technical architect", "Lead technical architect"],
}
# Heads of department, directors, deputy directors, team leaders and two grade 7s a team: the management tree.
TREE = len(DEPARTMENTS) * (1 + DIRECTORATES * (1 + DIVISIONS * (1 + TEAMS * 3)))
PROFESSIONS = ["Digital, Data and Technology", "Policy", "Operational Delivery", "Finance", ""]
FIRST = ["Ada", "Alan", "Grace", "Tim", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Linus"]
LAST = ["Lovelace", "Turing", "Hopper", "Berners-Lee", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra"]


def create_framework():
    framework = Framework.objects.create(slug=FRAMEWORK_SLUG, name="Bench framework", kind="ddat")
    release = FrameworkRelease.objects.create(framework=framework, label="2025-10")
    for rank, name in enumerate(["Awareness", "Working", "Practitioner", "Expert"], start=1):
        Level.objects.create(release=release, code=name.lower(), name=name, rank=rank)
    Skill.objects.create(release=release, code="data-modelling", name="Data modelling")
    family = RoleFamily.objects.create(release=release, code="digital", name="Digital")
    for role_name, levels in ROLES.items():
        role = Role.objects.create(
            release=release, family=family, code=role_name.lower().replace(" ", "-"), name=role_name
        )
        for seniority, level in enumerate(levels, start=1):
            RoleLevel.objects.create(
                release=release, role=role, code=level.lower().replace(" ", "-"), name=level, seniority=seniority
            )
    framework_release_publish(release=release, actor=None)


def add_arguments(group) -> None:
    group.add_argument(
        "--people",
        type=int,
        default=DEFAULT_PEOPLE,
        help=f"rows in the HR feed, at least {TREE:,} (default {DEFAULT_PEOPLE:,})",
    )


def write_feed(
    path: Path,
    rng: random.Random,
    people: int,
    *,
    roles: dict[str, list[str]] = ROLES,
    directorates: int = DIRECTORATES,
    divisions: int = DIVISIONS,
    teams_each: int = TEAMS,
) -> int:
    """Department heads manage directors, who manage deputy directors, who manage team leaders, who manage
    two grade 7s each, who manage the rest of their team. Rows are shuffled, so managers often come later.
    `roles` (role name -> its levels' names) are those of the feed's framework: by default the bench framework's,
    or the real DDaT release's (bench_hr_reports); the shape of the tree is 3 departments × `directorates` ×
    `divisions` × `teams_each`. Returns the number of organisation units."""
    rows = []
    staff_numbers = iter(rng.sample(range(1_000_000, 9_999_999), people))
    units = 0

    def person(unit, grade, manager):
        staff = f"E{next(staff_numbers)}"
        role = rng.choice(list(roles))
        rows.append(
            [
                staff,
                f"{staff.lower()}@example.gov.uk",
                rng.choice(FIRST),
                rng.choice(LAST),
                unit,
                grade,
                rng.choice(PROFESSIONS),
                manager,
                role,
                rng.choice(roles[role]),
            ]
        )
        return staff

    teams = []
    for department in DEPARTMENTS:
        head = person(department, "SCS3", "")
        units += 1
        for d in range(1, directorates + 1):
            directorate = f"{department}/Directorate {d}"
            director = person(directorate, "SCS2", head)
            units += 1
            for v in range(1, divisions + 1):
                division = f"{directorate}/Division {v}"
                deputy = person(division, "SCS1", director)
                units += 1
                for t in range(1, teams_each + 1):
                    team = f"{division}/Team {t}"
                    units += 1
                    leader = person(team, "Grade 6", deputy)
                    teams.append((team, [person(team, "G7", leader), person(team, "G7", leader)]))
    grades = ["AO", "EO", "HEO", "HEO", "SEO", "SEO"]
    while len(rows) < people:
        team, leads = teams[len(rows) % len(teams)]
        person(team, rng.choice(grades), rng.choice(leads))
    rng.shuffle(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return units


def expect(condition: bool, result) -> None:
    if not condition:
        raise RuntimeError(result.summary())


def csv_read_seconds(path: Path) -> float:
    """The reference: the median of three readings of the file with the csv module and nothing else."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        with open(path, newline="", encoding="utf-8") as handle:
            for _row in csv.reader(handle):
                pass
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(bench):
    people = bench.args.people
    if people < TREE:
        raise ValueError(f"--people must be at least {TREE:,}: the management tree alone has that many people")
    create_framework()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "people.csv"
        units = write_feed(path, random.Random(20251121), people)
        bench.report("rows", people, key="people")
        bench.report("organisation units in the file", units)
        file_mib = path.stat().st_size / 2**20
        bench.report("file size", file_mib, "MiB")

        def timed():
            started = time.perf_counter()
            result = people_import(actor=None, file=path, framework_slug=FRAMEWORK_SLUG)
            return result, time.perf_counter() - started

        result, _, fresh_peak = measure(
            people_import, actor=None, file=path, framework_slug=FRAMEWORK_SLUG, dry_run=True
        )
        expect(result.ok and result.created == people, result)
        csv_fresh = csv_read_seconds(path)
        result, fresh = timed()
        expect(result.ok and result.created == people, result)
        created = f"{result.created:,} / {len(result.units_created):,} / {len(result.professions_created)}"

        csv_repeat = csv_read_seconds(path)
        result, repeat = timed()
        expect(result.ok and not result.changed and result.unchanged == people, result)
        result, _, repeat_peak = measure(people_import, actor=None, file=path, framework_slug=FRAMEWORK_SLUG)
        expect(result.ok and not result.changed, result)

    reference = ("reading the file with csv only", csv_fresh)
    bench.report("fresh import", fresh, "s", key="fresh_seconds", reference=reference)
    bench.report("repeat import (no change)", repeat, "s", key="repeat_seconds", reference=("the same", csv_repeat))
    bench.report(
        "peak traced memory (fresh dry run, repeat)",
        max(fresh_peak, repeat_peak),
        "MiB",
        key="peak_mib",
        reference=("the file's size", file_mib),
    )
    bench.report("  fresh: created people / units / professions", created)
    bench.report("  fresh: peak traced memory", fresh_peak, "MiB", key="fresh_peak_mib")
    bench.report("  repeat: peak traced memory", repeat_peak, "MiB", key="repeat_peak_mib")
    bench.report(
        "fresh import, rows per second",
        people / fresh,
        "rows/s",
        key="fresh_rows_per_second",
        reference=("reading with csv", people / csv_fresh),
    )
    bench.report(
        "repeat import, rows per second",
        people / repeat,
        "rows/s",
        key="repeat_rows_per_second",
        reference=("reading with csv", people / csv_repeat),
    )
    bench.report("reference: reading the file with csv only", csv_fresh * 1000, "ms", key="csv_read_ms")
    # The whole process's high-water mark (Django, the benchmark's own data, and every import above).
    bench.report(
        "peak RSS of the process", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MiB", key="peak_rss_mib"
    )
