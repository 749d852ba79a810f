"""Rebuild the summary HR's capability reports read (docs/decisions/0213).

One transaction, three set-based statements and one small roll-up in Python:

1. every requirement of every person's current role level, beside their current levels in that skill
   (`ReportRequirement`, about nine rows a person on the DDaT release);
2. each person's counts from those rows (`ReportPerson`, one row a person, people without a role level too);
3. today's figures for every organisation unit (with everything below it) and skill (`CapabilitySnapshot`), with
   the privacy suppression of that day decided once for the whole tree, so that trends never show what the
   heatmap hid.

Readers keep seeing the previous summary until the transaction commits (PostgreSQL's MVCC; SQLite serialises
writers and readers see the committed state), so every report is one consistent "figures as of".
"""

import time
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from frameworks.models import Framework
from skills.models import CapabilitySnapshot, ReportRefresh
from skills.selectors.capability import unit_tree
from skills.selectors.suppression import suppressed_cells

# Every requirement of each person's current role level, beside their current level in that skill of the same
# release (carry-forward brings levels into a newly published release, and a person's role level moves with it).
# `{stale}` is a CASE giving each framework's cut-off for stale assessments.
REQUIREMENTS_SQL = """
INSERT INTO skills_reportrequirement
    (person_id, org_unit_id, grade_id, profession_id, role_family_id, role_id, role_level_id, release_id,
     skill_id, skill_code, required_rank, claimed_rank, validated_rank, stale, last_assessed_at)
SELECT p.id, p.org_unit_id, p.grade_id, p.profession_id, r.family_id, rl.role_id, rl.id, rl.release_id,
       q.skill_id, s.code, lv.rank, COALESCE(cl.claimed_rank, 0), COALESCE(cl.validated_rank, 0),
       COALESCE(cl.last_assessed_at < {stale}, FALSE), cl.last_assessed_at
FROM skills_person p
JOIN frameworks_rolelevel rl ON rl.id = p.current_role_level_id
JOIN frameworks_role r ON r.id = rl.role_id
JOIN frameworks_frameworkrelease fr ON fr.id = rl.release_id
JOIN frameworks_requirement q ON q.role_level_id = rl.id
JOIN frameworks_level lv ON lv.id = q.level_id
JOIN frameworks_skill s ON s.id = q.skill_id
LEFT JOIN skills_currentlevel cl ON cl.person_id = p.id AND cl.skill_id = q.skill_id
"""

PEOPLE_SQL = """
INSERT INTO skills_reportperson
    (person_id, org_unit_id, grade_id, profession_id, role_family_id, role_id, role_level_id, release_id,
     requirements, claimed, validated, met, met_claimed, max_gap, max_gap_claimed, gap_sum, gap_sum_claimed,
     stale, last_assessed_at)
SELECT p.id, p.org_unit_id, p.grade_id, p.profession_id, r.family_id, rl.role_id, rl.id, rl.release_id,
       COALESCE(a.requirements, 0), COALESCE(a.claimed, 0), COALESCE(a.validated, 0), COALESCE(a.met, 0),
       COALESCE(a.met_claimed, 0), COALESCE(a.max_gap, 0), COALESCE(a.max_gap_claimed, 0),
       COALESCE(a.gap_sum, 0), COALESCE(a.gap_sum_claimed, 0), COALESCE(a.stale, 0), a.last_assessed_at
FROM skills_person p
LEFT JOIN frameworks_rolelevel rl ON rl.id = p.current_role_level_id
LEFT JOIN frameworks_role r ON r.id = rl.role_id
LEFT JOIN (
    SELECT person_id,
           COUNT(*) AS requirements,
           SUM(CASE WHEN claimed_rank > 0 THEN 1 ELSE 0 END) AS claimed,
           SUM(CASE WHEN validated_rank > 0 THEN 1 ELSE 0 END) AS validated,
           SUM(CASE WHEN validated_rank >= required_rank THEN 1 ELSE 0 END) AS met,
           SUM(CASE WHEN claimed_rank >= required_rank THEN 1 ELSE 0 END) AS met_claimed,
           MAX(CASE WHEN required_rank > validated_rank THEN required_rank - validated_rank ELSE 0 END) AS max_gap,
           MAX(CASE WHEN required_rank > claimed_rank THEN required_rank - claimed_rank ELSE 0 END)
               AS max_gap_claimed,
           SUM(CASE WHEN required_rank > validated_rank THEN required_rank - validated_rank ELSE 0 END) AS gap_sum,
           SUM(CASE WHEN required_rank > claimed_rank THEN required_rank - claimed_rank ELSE 0 END)
               AS gap_sum_claimed,
           SUM(CASE WHEN stale THEN 1 ELSE 0 END) AS stale,
           MAX(last_assessed_at) AS last_assessed_at
    FROM skills_reportrequirement
    GROUP BY person_id
) a ON a.person_id = p.id
"""

# Each unit's own people (not those below it) by skill: what the snapshot rolls up the tree.
DIRECT_FIGURES_SQL = """
SELECT org_unit_id, skill_code, COUNT(*),
       SUM(CASE WHEN validated_rank >= required_rank THEN 1 ELSE 0 END),
       SUM(CASE WHEN claimed_rank >= required_rank THEN 1 ELSE 0 END)
FROM skills_reportrequirement
GROUP BY org_unit_id, skill_code
"""

# Each unit's own people with a role level, and how many meet every requirement of it: the all-skills row of the
# snapshot, so that its population counts people, not requirements.
PEOPLE_DIRECT_SQL = """
SELECT org_unit_id, '', COUNT(*),
       SUM(CASE WHEN met = requirements THEN 1 ELSE 0 END),
       SUM(CASE WHEN met_claimed = requirements THEN 1 ELSE 0 END)
FROM skills_reportperson
WHERE requirements > 0
GROUP BY org_unit_id
"""

SKILL_NAMES_SQL = """
SELECT DISTINCT s.code, s.name FROM frameworks_skill s
WHERE s.id IN (SELECT DISTINCT skill_id FROM skills_reportrequirement)
"""


def small_group_threshold() -> int:
    return settings.CAPABILITY_SMALL_GROUP_THRESHOLD


def _stale_case(cursor_params: list) -> str:
    """A CASE giving the stale cut-off of the framework of `fr` (the role level's release): last assessed before
    it, an assessment is stale (the framework's reassessment period)."""
    now = timezone.now()
    branches = []
    for framework_id, months in Framework.objects.values_list("id", "reassessment_period_months"):
        branches.append("WHEN %s THEN %s")
        cursor_params += [framework_id, connection.ops.adapt_datetimefield_value(now - relativedelta(months=months))]
    if not branches:
        return "NULL"
    return f"CASE fr.framework_id {' '.join(branches)} END"


@transaction.atomic
def capability_summary_refresh(*, today: date | None = None) -> ReportRefresh:
    """Rebuild the report summary from people, role levels, requirements and current levels, and write `today`'s
    snapshot (replacing one taken earlier the same day: a re-run keeps one a day). Set-based: its cost is a few
    statements whatever the number of people."""
    started = time.perf_counter()
    refresh = ReportRefresh.objects.create(started_at=timezone.now())
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM skills_reportrequirement")
        cursor.execute("DELETE FROM skills_reportperson")
        params: list = []
        stale = _stale_case(params)
        cursor.execute(REQUIREMENTS_SQL.format(stale=stale), params)
        pairs = cursor.rowcount
        cursor.execute(PEOPLE_SQL)
        people = cursor.rowcount
        cursor.execute(DIRECT_FIGURES_SQL)
        direct = cursor.fetchall()
        cursor.execute(PEOPLE_DIRECT_SQL)
        direct += cursor.fetchall()
        cursor.execute(SKILL_NAMES_SQL)
        names = dict(cursor.fetchall())
    snapshot_write(today=today, direct=direct, names=names)
    refresh.finished_at = timezone.now()
    refresh.people = people
    refresh.requirement_pairs = pairs
    refresh.seconds = time.perf_counter() - started
    refresh.save(update_fields=["finished_at", "people", "requirement_pairs", "seconds"])
    return refresh


def snapshot_write(*, today: date, direct, names: dict[str, str]) -> int:
    """Write `today`'s unit × skill figures from each unit's own figures (`direct`: unit id, skill code,
    population, met, met by claims; skill code ALL_SKILLS for the people meeting every requirement of their role
    level): each unit with everything below it, and each unit's own people, suppression decided over the whole
    tree per skill. Every population counts people, so that a small group is a group of few people."""
    tree = unit_tree()
    groups = tree.groups()
    by_skill: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for unit_id, skill_code, population, met, met_claimed in direct:
        by_skill[skill_code][unit_id] = [population, met or 0, met_claimed or 0]
    threshold = small_group_threshold()
    rows = []
    for skill_code, figures in by_skill.items():
        totals = tree.roll_up(figures)
        hidden = suppressed_cells(
            groups=groups, populations={node: values[0] for node, values in totals.items()}, threshold=threshold
        )
        for node, (population, met, met_claimed) in totals.items():
            direct_row = isinstance(node, tuple)
            rows.append(
                CapabilitySnapshot(
                    date=today,
                    org_unit_id=node[1] if direct_row else node,
                    skill_code=skill_code,
                    skill_name=names.get(skill_code, ""),
                    population=population,
                    met=met,
                    met_claimed=met_claimed,
                    suppressed=node in hidden,
                    direct=direct_row,
                )
            )
    CapabilitySnapshot.objects.filter(date=today).delete()
    CapabilitySnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
