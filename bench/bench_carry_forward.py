"""Carry-forward: N people with ~10 current levels each carried into a newly published framework release.

The framework has 40 skills on a four-level scale. Its second release renames three skills (same code), maps two
to new codes, removes one, and changes the text of one level of five skills (those levels need re-validation).
People get ten claims each, four in five validated by their line manager, 1 in 15 claims waiting for review, and
one person in fifty an unsent draft. The data is written with set-based SQL and bulk inserts, so that making it
takes little of the run, and analysed on PostgreSQL (as autovacuum would have long before a publication).

How it is measured: the carry-forward runs in a fresh child process (multiprocessing "spawn", so it shares
nothing with the parent that generated the data), doing exactly what publishing does: the skills receiver's
service records the run and queues the Celery task, which runs eagerly in process, chunk after chunk, and
re-queues itself when its time budget is spent. Its wall time is the figure; peak RSS is the child's VmHWM from
/proc/self/status at the end (the whole process, Python and Django included; the RSS right after Django set-up
is printed beside it). The messages it queues are counted, not sent: a worker other than the carry-forward's sends
them. The references (a trivial Django view and a bare Wagtail page, median server time in process) are measured
in the parent in the same run; the carry-forward's time per person is printed as a ratio of them.
"""

import multiprocessing
import time
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.carry_forward_child import carry_forward_in_child
from bench.reference import references_ms
from cms.accounts.models import User
from frameworks.models import Framework, FrameworkRelease, Level, Role, RoleFamily, RoleLevel, SkillLevelDescriptor
from frameworks.services import framework_release_publish
from frameworks.services.editing import skill_create, skill_delete, skill_level_descriptor_update, skill_update
from frameworks.services.releases import framework_release_draft_create_from_current, skill_mapping_set
from frameworks.signals import release_published
from skills.enums import ReviewStatus
from skills.models import CurrentLevel, Grade, Person, Review
from skills.receivers import carry_levels_forward
from skills.services import org_unit_ensure

TARGET = "100,000 people in at most 5 minutes with peak RSS at most 500 MiB (PostgreSQL)"
FRAMEWORK_SLUG = "bench-carry"
SKILLS = 40
LEVELS = ["awareness", "working", "practitioner", "expert"]
RENAMED_BY_NAME = range(0, 3)
RENAMED_BY_CODE = range(3, 5)
REMOVED = 5
CHANGED_TEXT = range(6, 11)
EVIDENCE = "Designed the data model for the case management service and reviewed two others; notes linked."
BATCH = 5000


def add_arguments(group):
    group.add_argument("--people", type=int, default=2000, help="carry_forward: how many people (default 2000)")


def run(bench):
    people = bench.args.people
    started = time.perf_counter()
    old, new = create_framework()
    create_people(people=people, release=old)
    bench.report("data generated (people, current levels)", f"{people:,}, {current_levels_count(old):,}")
    bench.report("  generation time", time.perf_counter() - started, "s")

    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe(duplex=False)
    child = context.Process(target=carry_forward_in_child, args=(new.pk, child_end))
    child.start()
    result = parent_end.recv()
    child.join()
    if "error" in result:
        raise RuntimeError(result["error"])

    check(old=old, new=new, people=people)
    references = references_ms(Client())
    per_person_ms = result["seconds"] * 1000 / people
    bench.report("people", people, key="people")
    bench.report("carry-forward: wall time", result["seconds"], "s", key="seconds")
    bench.report("carry-forward: peak RSS (child process VmHWM)", result["peak_rss_mib"], "MiB", key="peak_rss_mib")
    bench.report(
        "  RSS after Django set-up",
        result["baseline_rss_mib"],
        "MiB",
        key="baseline_rss_mib",
    )
    bench.report(
        "  peak RSS against RSS after set-up",
        result["peak_rss_mib"] / result["baseline_rss_mib"],
        "×",
    )
    bench.report("people per second", people / result["seconds"], key="people_per_second")
    bench.report("ledger rows carried", result["rows"], key="rows")
    bench.report("messages queued (re-validation digests)", result["messages"], key="messages")
    bench.report("tasks run (each within its time budget)", result["tasks"], key="tasks")
    for label, value in references.items():
        bench.report(f"reference: {label}", value, "ms")
    bench.report(
        "carry-forward time per person",
        per_person_ms,
        "ms",
        key="per_person_ms",
        reference=("bare Wagtail page", references["bare Wagtail page"]),
    )
    bench.report(
        "carry-forward time per person",
        per_person_ms,
        "ms",
        reference=("trivial view", references["trivial view"]),
    )


def create_framework():
    """Release 2025-10 (published) and 2026-04 drafted from it with renames, a removal and changed level
    texts, then published with the carry-forward receiver disconnected (the child process does its work)."""
    framework = Framework.objects.create(slug=FRAMEWORK_SLUG, name="Bench carry framework", kind="ddat")
    old = FrameworkRelease.objects.create(framework=framework, label="2025-10")
    for rank, code in enumerate(LEVELS, start=1):
        Level.objects.create(release=old, code=code, name=code.title(), rank=rank)
    for index in range(SKILLS):
        skill_create(
            release=old,
            name=f"Skill {index:02}",
            code=f"skill-{index:02}",
            level_texts={code: f"You can do skill {index} at {code} level." for code in LEVELS},
            actor=None,
        )
    family = RoleFamily.objects.create(release=old, code="data", name="Data")
    role = Role.objects.create(release=old, family=family, code="data-engineer", name="Data engineer")
    for seniority, name in enumerate(["Associate", "Engineer", "Senior", "Lead"], start=1):
        RoleLevel.objects.create(release=old, role=role, code=name.lower(), name=name, seniority=seniority)

    release_published.disconnect(dispatch_uid="skills.carry_forward_on_publish")
    try:
        framework_release_publish(release=old, actor=None)
        new = framework_release_draft_create_from_current(framework=framework, label="2026-04", actor=None)
        skills = {skill.code: skill for skill in new.skills.all()}
        for index in RENAMED_BY_NAME:
            skill = skills[f"skill-{index:02}"]
            skill_update(skill=skill, name=f"Renamed skill {index:02}", description="", guidance="", actor=None)
        for index in RENAMED_BY_CODE:
            replacement = skill_create(
                release=new,
                name=f"New skill {index:02}",
                code=f"new-skill-{index:02}",
                level_texts={code: f"You can do skill {index} at {code} level." for code in LEVELS},
                actor=None,
            )
            skill_delete(skill=skills[f"skill-{index:02}"], actor=None)
            skill_mapping_set(
                release=new, previous_skill=old.skills.get(code=f"skill-{index:02}"), skill=replacement, actor=None
            )
        skill_delete(skill=skills[f"skill-{REMOVED:02}"], actor=None)
        for index in CHANGED_TEXT:
            descriptor = SkillLevelDescriptor.objects.get(skill=skills[f"skill-{index:02}"], level__code="working")
            skill_level_descriptor_update(
                descriptor=descriptor, text=f"You can do skill {index} in a new way.", actor=None
            )
        framework_release_publish(release=new, actor=None)
    finally:
        release_published.connect(carry_levels_forward, dispatch_uid="skills.carry_forward_on_publish")
    return old, new


def create_people(*, people: int, release) -> None:
    """Accounts and people in bulk; then, in set-based SQL, ten claims each (one skill in four), a line manager's
    validation of four claims in five, the current levels the policy derives from them, open reviews, drafts."""
    unit, _ = org_unit_ensure(full_name="Bench department")
    grade = Grade.objects.create(code="BENCH", name="Bench grade", rank=99)
    role_levels = list(RoleLevel.objects.filter(release=release).order_by("seniority"))
    for start in range(0, people, BATCH):
        size = min(BATCH, people - start)
        users = User.objects.bulk_create(
            User(email=f"carry{start + offset}@bench.invalid", first_name="Bench", last_name=f"{start + offset}")
            for offset in range(size)
        )
        Person.objects.bulk_create(
            Person(
                user=user,
                staff_number=f"C{start + offset}",
                org_unit=unit,
                grade=grade,
                current_role_level=role_levels[(start + offset) % 3],
                target_role_level=role_levels[(start + offset) % 3 + 1],
            )
            for offset, user in enumerate(users)
        )
    first = Person.objects.order_by("pk").values_list("pk", flat=True).first()
    now = timezone.now()
    then, later = now - timedelta(days=400), now - timedelta(days=300)
    with connection.cursor() as cursor:
        # Every tenth person manages the next nine.
        cursor.execute(
            "UPDATE skills_person SET line_manager_id = %s + ((id - %s) / 10) * 10 WHERE (id - %s) %% 10 <> 0",
            [first, first, first],
        )
        cursor.execute(
            """
            INSERT INTO skills_assessment (person_id, skill_id, release_id, level_id, source, author_id, evidence,
                reason, responds_to_id, carried_from_id, is_claim, needs_revalidation, created_at)
            SELECT p.id, s.id, %s, lv.id, 'self', NULL, %s, '', NULL, NULL, %s, %s, %s
            FROM skills_person p
            JOIN frameworks_skill s ON s.release_id = %s AND (p.id + s.id) %% 4 = 0
            JOIN frameworks_level lv ON lv.release_id = %s AND lv.rank = 1 + (p.id + s.id / 4) %% 4
            ORDER BY p.id, s.id
            """,
            [release.pk, EVIDENCE, True, False, then, release.pk, release.pk],
        )
        cursor.execute(
            """
            INSERT INTO skills_assessment (person_id, skill_id, release_id, level_id, source, author_id, evidence,
                reason, responds_to_id, carried_from_id, is_claim, needs_revalidation, created_at)
            SELECT c.person_id, c.skill_id, c.release_id, c.level_id, 'line_manager', NULL, '', '', c.id, NULL,
                %s, %s, %s
            FROM skills_assessment c
            WHERE c.release_id = %s AND c.is_claim = %s AND c.id %% 5 <> 0
            ORDER BY c.id
            """,
            [False, False, later, release.pk, True],
        )
        cursor.execute(
            """
            INSERT INTO skills_currentlevel (person_id, skill_id, release_id, skill_code, claimed_level_id,
                claimed_rank, claim_id, validated_level_id, validated_rank, validation_id, validated_source,
                needs_revalidation, last_assessed_at)
            SELECT c.person_id, c.skill_id, c.release_id, s.code, c.level_id, cl.rank, c.id, v.level_id,
                COALESCE(vl.rank, 0), v.id, COALESCE(v.source, ''), %s, COALESCE(v.created_at, c.created_at)
            FROM skills_assessment c
            JOIN frameworks_skill s ON s.id = c.skill_id
            JOIN frameworks_level cl ON cl.id = c.level_id
            LEFT JOIN skills_assessment v ON v.responds_to_id = c.id
            LEFT JOIN frameworks_level vl ON vl.id = v.level_id
            WHERE c.release_id = %s AND c.is_claim = %s
            """,
            [False, release.pk, True],
        )
        cursor.execute(
            """
            INSERT INTO skills_review (claim_id, person_id, release_id, reviewer_kind, reviewer_id, status, message,
                outcome_id, resolved_by_id, created_at, resolved_at)
            SELECT c.id, c.person_id, c.release_id, 'line_manager', p.line_manager_id, 'open', '', NULL, NULL, %s, NULL
            FROM skills_assessment c JOIN skills_person p ON p.id = c.person_id
            WHERE c.release_id = %s AND c.is_claim = %s AND c.id %% 5 = 0 AND c.id %% 3 = 0
                AND p.line_manager_id IS NOT NULL
            """,
            [now, release.pk, True],
        )
        cursor.execute(
            """
            INSERT INTO skills_selfassessmentdraft (person_id, skill_id, level_id, evidence, updated_at)
            SELECT p.id, s.id, NULL, 'Draft', %s
            FROM skills_person p JOIN frameworks_skill s ON s.release_id = %s AND (p.id + s.id) %% 4 = 1
            WHERE p.id %% 50 = 0 AND s.id %% 10 < 3
            """,
            [now, release.pk],
        )
        if connection.vendor == "postgresql":
            # Data this size exists for months before a release is published: autovacuum has analysed it. Bulk
            # generation a second ago has not, and a planner without statistics is not what production meets.
            cursor.execute("ANALYZE")


def current_levels_count(release) -> int:
    return CurrentLevel.objects.filter(release=release).count()


def check(*, old, new, people: int) -> None:
    """The carry-forward did what it should: every current level of a skill that continues is carried, people's
    role levels and open reviews moved, nothing is left in between."""
    continuing = CurrentLevel.objects.filter(release=old).exclude(skill__code=f"skill-{REMOVED:02}").count()
    carried = CurrentLevel.objects.filter(release=new).count()
    if carried != continuing:
        raise AssertionError(f"{carried:,} current levels carried, expected {continuing:,}")
    if Person.objects.filter(current_role_level__release=old).exists():
        raise AssertionError("someone's role level stayed in the previous release")
    if Review.objects.filter(claim__release=old, status=ReviewStatus.OPEN).exists():
        raise AssertionError("a review stayed open on the previous release")
    if not CurrentLevel.objects.filter(release=new, needs_revalidation=True).exists():
        raise AssertionError("no level was flagged for re-validation")
