"""Signed-in pages at the size of a real reporting line: a manager with 500 people below them, 2,000 open claims.

Imports and publishes the real DDaT 2025-10 release, then writes (in bulk, consistently with what the services
would write) a manager whose reporting line has three levels of management below them, every person on a real
role level of the release with ~10 current levels (a self-assessment and its line manager's validation each),
2,000 open claims in the manager's own queue (from their direct reports) and 2,000 in an accredited assessor's
queue. Then, signed in with one client per user, it times the team matrix (first page, filtered, last page), a
team member's page, both reviews queues and the learner's own pages, each beside the trivial view and the bare
Wagtail page measured in the same run with the same signed-in client, with its HTML size and query count.
"""

import random
import statistics
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.ddat import ddat_release_ensure
from bench.reference import bare_page_url, references_ms
from frameworks.models import Requirement, RoleLevel
from skills.enums import AssessmentSource, ReviewerKind, ReviewStatus
from skills.models import Assessment, CurrentLevel, Grade, Person, Review
from skills.selectors import reporting_line_ids
from skills.services import org_unit_ensure

TARGET = "each page within 3× the bare Wagtail page's server time, the same query count whatever the team's size"
FIRST = ["Ada", "Alan", "Grace", "Tim", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Linus"]
LAST = ["Lovelace", "Turing", "Hopper", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman"]
# Statements of the request's frame on PostgreSQL, not of the page (as tests/conftest.py leaves them out).
FRAME_STATEMENTS = ("SELECT set_config('statement_timeout'", "RESET statement_timeout")


def add_arguments(group):
    group.add_argument("--people", type=int, default=500, help="people in the manager's reporting line (500)")
    group.add_argument("--claims", type=int, default=2000, help="open claims in each reviewer's queue (2000)")
    group.add_argument("--repeat", type=int, default=40, help="timed requests per page, and of the bare page (40)")


@dataclass
class Scenario:
    manager: object
    assessor: object
    learner: object
    member: object
    filtered_query: str


def scenario_build(*, release, people: int, claims: int, rng: random.Random) -> Scenario:
    """The manager, their reporting line (teams of one role family each, three levels of management below the
    manager), the current levels, the open claims and an accredited assessor outside the line."""
    User = get_user_model()
    unit = org_unit_ensure(full_name="Department for Benchmarks/Digital")[0]
    grade = Grade.objects.order_by("pk").first()
    role_levels = list(
        RoleLevel.objects.filter(release=release, requirements__isnull=False)
        .distinct()
        .select_related("role__family")
        .order_by("role__family__name", "role__name", "seniority")
    )
    by_family: dict[str, list] = {}
    for role_level in role_levels:
        by_family.setdefault(role_level.role.family.code, []).append(role_level)
    families = sorted(by_family)
    needs: dict[int, list] = {}
    for requirement in Requirement.objects.filter(release=release, role_level__isnull=False).select_related(
        "skill", "level"
    ):
        needs.setdefault(requirement.role_level_id, []).append(requirement)
    levels = list(release.levels.order_by("rank"))
    skills = list(release.skills.order_by("code"))
    counter = iter(range(10**9))

    def people_create(count: int, *, managers: list, family_of) -> list:
        numbers = [next(counter) for _ in range(count)]
        users = User.objects.bulk_create(
            User(
                email=f"bench-{n}@capability.example",
                first_name=rng.choice(FIRST),
                last_name=f"{rng.choice(LAST)}-{n:04d}",
                password="!",
            )
            for n in numbers
        )
        created = []
        for index, (n, user) in enumerate(zip(numbers, users, strict=True)):
            manager = managers[index % len(managers)] if managers else None
            family = family_of(index, manager)
            current = rng.choice(by_family[family])
            ladder = [level for level in by_family[family] if level.role_id == current.role_id]
            target = next((level for level in ladder if level.seniority > current.seniority), current)
            person = Person(
                user=user,
                staff_number=f"B{n:07d}",
                org_unit=unit,
                grade=grade,
                line_manager=manager,
                current_role_level=current,
                target_role_level=target,
            )
            person.family = family
            created.append(person)
        saved = Person.objects.bulk_create(created)
        for person, original in zip(saved, created, strict=True):
            person.family = original.family
        return saved

    # The manager's line: 100 direct reports (40 of them team leads), 320 people under the team leads (16 of them
    # leads of a small team), 80 under those: 500 people, three levels of management below the manager.
    directs_count = max(1, people // 5)
    leads_count = max(1, directs_count * 2 // 5)
    second_count = max(0, people * 16 // 25)
    sub_leads_count = max(1, second_count // 20)
    third_count = max(0, people - directs_count - second_count)
    manager = people_create(1, managers=[], family_of=lambda index, _: families[0])[0]
    directs = people_create(
        directs_count, managers=[manager], family_of=lambda index, _: families[index % len(families)]
    )
    leads = directs[:leads_count]
    second = people_create(second_count, managers=leads, family_of=lambda index, lead: lead.family)
    sub_leads = second[:sub_leads_count]
    third = people_create(third_count, managers=sub_leads, family_of=lambda index, lead: lead.family)
    line = directs + second + third
    assessor = people_create(1, managers=[], family_of=lambda index, _: families[-1])[0]
    assessor.accredited_frameworks.add(release.framework)

    now = timezone.now()
    manager_of = {person.pk: person for person in [manager, *line]}
    currents: list[CurrentLevel] = []
    open_claims: list[tuple[Assessment, str, object]] = []  # (claim, reviewer kind, reviewer)

    def requirements_of(person, count):
        """The person's role level's requirements first, then other skills, `count` in all."""
        chosen = [(r.skill, r.level) for r in needs.get(person.current_role_level_id, [])][:count]
        taken = {skill.pk for skill, _ in chosen}
        for skill in rng.sample(skills, len(skills)):
            if len(chosen) >= count:
                break
            if skill.pk not in taken:
                chosen.append((skill, rng.choice(levels)))
                taken.add(skill.pk)
        return chosen

    # ~10 current levels each: a self-assessment and the line manager's validation of it (at the level required,
    # a step below, or a step above).
    validated: dict[tuple[int, int], tuple] = {}
    pairs = []
    for person in line:
        boss = manager_of[person.line_manager_id]
        for skill, required in requirements_of(person, 10):
            level = levels[max(0, min(len(levels) - 1, required.rank - 1 + rng.choice((-1, 0, 0, 1))))]
            when = now - timezone.timedelta(days=rng.randint(30, 300))
            claim = Assessment(
                person=person, skill=skill, release=release, level=level, source=AssessmentSource.SELF,
                author_id=person.user_id, evidence="Built and ran the pipeline.", is_claim=True, created_at=when,
            )  # fmt: skip
            pairs.append((claim, boss, when))
    Assessment.objects.bulk_create([claim for claim, _, _ in pairs], batch_size=2000)
    validations = Assessment.objects.bulk_create(
        [
            Assessment(
                person_id=claim.person_id,
                skill=claim.skill,
                release=release,
                level=claim.level,
                source=AssessmentSource.LINE_MANAGER,
                author_id=boss.user_id,
                responds_to=claim,
                created_at=when + timezone.timedelta(days=2),
            )  # fmt: skip
            for claim, boss, when in pairs
        ],
        batch_size=2000,
    )
    for (claim, _, _), validation in zip(pairs, validations, strict=True):
        validated[(claim.person_id, claim.skill.pk)] = (claim, validation)

    # Open claims: the direct reports' claims wait in the manager's queue; the others' in the assessor's.
    def claims_for(group, total, kind, reviewer_of):
        per_person = max(1, -(-total // max(1, len(group))))
        made = 0
        for person in group:
            for skill, required in requirements_of(person, 20 if kind == ReviewerKind.LINE_MANAGER else 10)[
                :per_person
            ]:
                if made >= total:
                    return
                level = levels[min(len(levels) - 1, required.rank)]
                claim = Assessment(
                    person=person, skill=skill, release=release, level=level, source=AssessmentSource.SELF,
                    author_id=person.user_id, evidence="Since then: led the team's migration.", is_claim=True,
                    created_at=now - timezone.timedelta(minutes=rng.randint(1, 20000)),
                )  # fmt: skip
                open_claims.append((claim, kind, reviewer_of(person)))
                made += 1

    claims_for(directs, claims, ReviewerKind.LINE_MANAGER, lambda person: manager)
    claims_for(second + third, claims, ReviewerKind.ASSESSOR, lambda person: None)
    Assessment.objects.bulk_create([claim for claim, _, _ in open_claims], batch_size=2000)
    Review.objects.bulk_create(
        [
            Review(
                claim=claim,
                person_id=claim.person_id,
                release_id=claim.release_id,
                reviewer_kind=kind,
                reviewer=reviewer,
                status=ReviewStatus.OPEN,
            )
            for claim, kind, reviewer in open_claims
        ],
        batch_size=2000,
    )
    latest_claim = {(claim.person_id, claim.skill_id): claim for claim, _, _ in open_claims}
    for (person_id, skill_id), (claim, validation) in validated.items():
        newer = latest_claim.pop((person_id, skill_id), None) or claim
        currents.append(
            CurrentLevel(
                person_id=person_id,
                skill_id=skill_id,
                release=release,
                skill_code=validation.skill.code,
                claimed_level=newer.level,
                claimed_rank=newer.level.rank,
                claim=newer,
                validated_level=validation.level,
                validated_rank=validation.level.rank,
                validation=validation,
                validated_source=AssessmentSource.LINE_MANAGER,
                last_assessed_at=validation.created_at,
            )  # fmt: skip
        )
    for (person_id, skill_id), claim in latest_claim.items():
        currents.append(
            CurrentLevel(
                person_id=person_id,
                skill_id=skill_id,
                release=release,
                skill_code=claim.skill.code,
                claimed_level=claim.level,
                claimed_rank=claim.level.rank,
                claim=claim,
                last_assessed_at=claim.created_at,
            )  # fmt: skip
        )
    CurrentLevel.objects.bulk_create(currents, batch_size=2000)

    learner = directs[-1]
    member = third[0] if third else line[-1]
    chosen = leads[1] if len(leads) > 1 else leads[0]
    role_family = chosen.current_role_level.role.family_id
    skill_code = needs[chosen.current_role_level_id][0].skill.code
    return Scenario(
        manager=manager,
        assessor=assessor,
        learner=learner,
        member=member,
        filtered_query=f"role_family={role_family}&skill={skill_code}",
    )


def page_figures(client, url: str, bare_url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median server time (ms) of a page and of the bare page, requested alternately so that both meet the same
    load on a shared machine; the page's HTML size (bytes) and query count."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = sum(1 for query in queries.captured_queries if not query["sql"].startswith(FRAME_STATEMENTS))
    page_times, bare_times = [], []
    for _ in range(repeat):
        for target, times in ((bare_url, bare_times), (url, page_times)):
            started = time.perf_counter()
            client.get(target)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(page_times), statistics.median(bare_times), len(response.content), count


def run(bench):
    args = bench.args
    release = ddat_release_ensure()
    scenario = scenario_build(release=release, people=args.people, claims=args.claims, rng=random.Random(9))
    line = reporting_line_ids(manager=scenario.manager)
    print(
        f"   {len(line)} people in the manager's line, "
        f"{CurrentLevel.objects.filter(person_id__in=line).count()} current levels, "
        f"{Review.objects.filter(status='open', reviewer=scenario.manager).count()} open claims for the manager, "
        f"{Review.objects.filter(status='open', reviewer_kind='assessor').count()} for the assessor"
    )

    clients = {}
    for name in ("manager", "assessor", "learner"):
        clients[name] = Client()
        clients[name].force_login(getattr(scenario, name).user)
    last_page = -(-Person.objects.filter(pk__in=line).count() // 50)
    pages = [
        ("manager", "team matrix, first page", "team_matrix", "/skills/team/"),
        (
            "manager",
            f"team matrix, filtered ({scenario.filtered_query})",
            "team_matrix_filtered",
            f"/skills/team/?{scenario.filtered_query}",
        ),  # fmt: skip
        ("manager", f"team list, last page (page={last_page})", "team_last_page", f"/skills/team/?page={last_page}"),
        ("manager", "a team member's gaps", "team_member", f"/skills/team/{scenario.member.pk}/"),
        ("manager", "line manager's reviews queue", "manager_queue", "/skills/reviews/"),
        ("assessor", "assessor's reviews queue", "assessor_queue", "/skills/reviews/"),
        ("learner", "learner's dashboard", "learner_dashboard", "/dashboard/"),
        ("learner", "learner's self-assessment task list", "learner_task_list", "/skills/self-assessment/"),
        ("learner", "learner's gaps", "learner_gaps", "/skills/gaps/"),
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, after the bulk writes above
    for name, client in clients.items():
        refs = references_ms(client)
        trivial, bare = refs["trivial view"], refs["bare Wagtail page"]
        bench.report(f"trivial view ({name} signed in) median", trivial, "ms", key=f"trivial_{name}_ms")
        bench.report(
            f"bare Wagtail page ({name} signed in) median",
            bare,
            "ms",
            key=f"bare_page_{name}_ms",
            reference=("trivial view", trivial),
        )
    print("   each page beside the bare page, requested alternately with it by the same signed-in client:")
    bare_url = bare_page_url()
    for name, label, key, url in pages:
        ms, bare, size, count = page_figures(clients[name], url, bare_url, args.repeat)
        bench.report(
            f"{label} median",
            ms,
            f"ms, {size / 1024:,.0f} KB, {count} queries; bare page {bare:.1f} ms",
            key=f"{key}_ms",
            reference=("bare page", bare),
        )
        bench.figures[f"{key}_queries"] = count
        bench.figures[f"{key}_kib"] = round(size / 1024)
