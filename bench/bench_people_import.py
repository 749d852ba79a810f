"""The HR feed: 100,000 people (3 departments, ~2,000 units, a real management tree) imported, then imported again.

Each import is timed without tracing, then repeated under tracemalloc for its peak memory (tracing slows Python
code about twofold, so its times are not the figures to compare with the target). The fresh import's memory run
is a dry run (everything written, then rolled back) so that the timed fresh import still starts from empty.
"""

import csv
import random
import tempfile
import time
from pathlib import Path

from bench.measure import measure
from skills.importers import COLUMNS

TARGET = "100,000 rows in at most 60 s, fresh and repeated, with bounded memory"
PEOPLE = 100_000
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
PROFESSIONS = ["Digital, Data and Technology", "Policy", "Operational Delivery", "Finance", ""]
FIRST = ["Ada", "Alan", "Grace", "Tim", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Linus"]
LAST = ["Lovelace", "Turing", "Hopper", "Berners-Lee", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra"]


def create_framework():
    from frameworks.models import Framework, FrameworkRelease, Level, Role, RoleFamily, RoleLevel, Skill
    from frameworks.services import framework_release_publish

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


def write_feed(path: Path, rng: random.Random) -> int:
    """Department heads manage directors, who manage deputy directors, who manage team leaders, who manage
    two grade 7s each, who manage the rest of their team. Rows are shuffled, so managers often come later."""
    rows = []
    staff_numbers = iter(rng.sample(range(1_000_000, 9_999_999), PEOPLE))
    units = 0

    def person(unit, grade, manager):
        staff = f"E{next(staff_numbers)}"
        role = rng.choice(list(ROLES))
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
                rng.choice(ROLES[role]),
            ]
        )
        return staff

    teams = []
    for department in DEPARTMENTS:
        head = person(department, "SCS3", "")
        units += 1
        for d in range(1, DIRECTORATES + 1):
            directorate = f"{department}/Directorate {d}"
            director = person(directorate, "SCS2", head)
            units += 1
            for v in range(1, DIVISIONS + 1):
                division = f"{directorate}/Division {v}"
                deputy = person(division, "SCS1", director)
                units += 1
                for t in range(1, TEAMS + 1):
                    team = f"{division}/Team {t}"
                    units += 1
                    leader = person(team, "Grade 6", deputy)
                    teams.append((team, [person(team, "G7", leader), person(team, "G7", leader)]))
    grades = ["AO", "EO", "HEO", "HEO", "SEO", "SEO"]
    while len(rows) < PEOPLE:
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


def run(report):
    from skills.importers import people_import

    create_framework()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "people.csv"
        units = write_feed(path, random.Random(20251121))
        report("rows, organisation units in the file", f"{PEOPLE:,}, {units:,}")
        report("file size", path.stat().st_size / 2**20, "MiB")

        def timed(**kwargs):
            started = time.perf_counter()
            result = people_import(file=path, framework_slug=FRAMEWORK_SLUG, **kwargs)
            return result, time.perf_counter() - started

        result, _, peak = measure(people_import, file=path, framework_slug=FRAMEWORK_SLUG, dry_run=True)
        expect(result.ok and result.created == PEOPLE, result)
        report("fresh import: peak traced memory (dry run)", peak, "MiB")

        result, seconds = timed()
        expect(result.ok and result.created == PEOPLE, result)
        report("fresh import: time", seconds, "s")
        report(
            "  created / units / professions",
            f"{result.created:,} / {len(result.units_created):,} / {len(result.professions_created)}",
        )

        result, seconds = timed()
        expect(result.ok and not result.changed and result.unchanged == PEOPLE, result)
        report("repeat import (no change): time", seconds, "s")

        result, _, peak = measure(people_import, file=path, framework_slug=FRAMEWORK_SLUG)
        expect(result.ok and not result.changed, result)
        report("repeat import: peak traced memory", peak, "MiB")
