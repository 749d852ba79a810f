"""Rebuild the summary HR's capability reports read (docs/decisions/0213).

One transaction, a few set-based statements and one small roll-up in Python:

1. every requirement of every person's current role level, beside their current levels in that skill
   (`ReportRequirement`, about nine rows a person on the DDaT release);
2. each person's counts from those rows (`ReportPerson`, one row a person, people without a role level too),
   each table compared with its next state straight from the statement that builds it, and only the difference
   written;
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
# `{stale}` is a CASE giving each framework's cut-off for stale assessments. The SELECT's columns are in the
# order of REQUIREMENT_COLUMNS.
REQUIREMENT_COLUMNS = (
    "person_id, org_unit_id, grade_id, profession_id, role_family_id, role_id, role_level_id, release_id, "
    "skill_id, skill_code, required_rank, claimed_rank, validated_rank, stale, last_assessed_at"
)
REQUIREMENTS_SQL = """
SELECT p.id AS person_id, p.org_unit_id, p.grade_id, p.profession_id, r.family_id AS role_family_id, rl.role_id,
       rl.id AS role_level_id, rl.release_id, q.skill_id, s.code AS skill_code, lv.rank AS required_rank,
       COALESCE(cl.claimed_rank, 0) AS claimed_rank, COALESCE(cl.validated_rank, 0) AS validated_rank,
       COALESCE(cl.last_assessed_at < {stale}, FALSE) AS stale, cl.last_assessed_at
FROM skills_person p
JOIN frameworks_rolelevel rl ON rl.id = p.current_role_level_id
JOIN frameworks_role r ON r.id = rl.role_id
JOIN frameworks_frameworkrelease fr ON fr.id = rl.release_id
JOIN frameworks_requirement q ON q.role_level_id = rl.id
JOIN frameworks_level lv ON lv.id = q.level_id
JOIN frameworks_skill s ON s.id = q.skill_id
LEFT JOIN skills_currentlevel cl ON cl.person_id = p.id AND cl.skill_id = q.skill_id
"""

PERSON_COLUMNS = (
    "person_id, org_unit_id, grade_id, profession_id, role_family_id, role_id, role_level_id, release_id, "
    "requirements, claimed, validated, met, met_claimed, max_gap, max_gap_claimed, gap_sum, gap_sum_claimed, "
    "stale, last_assessed_at"
)
# Each person's counts from their requirement rows, once those hold the next state.
PEOPLE_SQL = """
SELECT p.id AS person_id, p.org_unit_id, p.grade_id, p.profession_id, r.family_id AS role_family_id, rl.role_id,
       rl.id AS role_level_id, rl.release_id,
       COALESCE(a.requirements, 0) AS requirements, COALESCE(a.claimed, 0) AS claimed,
       COALESCE(a.validated, 0) AS validated, COALESCE(a.met, 0) AS met, COALESCE(a.met_claimed, 0) AS met_claimed,
       COALESCE(a.max_gap, 0) AS max_gap, COALESCE(a.max_gap_claimed, 0) AS max_gap_claimed,
       COALESCE(a.gap_sum, 0) AS gap_sum, COALESCE(a.gap_sum_claimed, 0) AS gap_sum_claimed,
       COALESCE(a.stale, 0) AS stale, a.last_assessed_at
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
       SUM(CASE WHEN claimed_rank >= required_rank THEN 1 ELSE 0 END),
       MAX(skill_id)
FROM skills_reportrequirement
GROUP BY org_unit_id, skill_code
"""

# Each unit's own people with a role level, and how many meet every requirement of it: the all-skills row of the
# snapshot, so that its population counts people, not requirements.
PEOPLE_DIRECT_SQL = """
SELECT org_unit_id, '', COUNT(*),
       SUM(CASE WHEN met = requirements THEN 1 ELSE 0 END),
       SUM(CASE WHEN met_claimed = requirements THEN 1 ELSE 0 END), NULL
FROM skills_reportperson
WHERE requirements > 0
GROUP BY org_unit_id
"""

# The skills' names, from one skill of each code in use (the direct figures carry one).
SKILL_NAMES_SQL = "SELECT s.code, s.name FROM frameworks_skill s WHERE s.id IN ({ids})"

# Only what changed is written. One statement compares the next state, straight from the SELECT that builds it
# (never materialised whole), with the current one (a full join on the key) and keeps only the keys whose row went,
# came or differs, with the next row's values (`present` false for a row that went); only those rows are then
# deleted and inserted, so that the (usually nearly all) unchanged rows, the table's indexes and its dead rows cost
# nothing but the comparison.
CHANGED_TABLE_SQL = (
    "CREATE TEMPORARY TABLE report_changed AS SELECT {columns}, {present} AS present FROM {table} WHERE 1 = 0"
)
CHANGED_SQL = """
INSERT INTO report_changed ({columns}, present)
SELECT {selected}, n.{first} IS NOT NULL
FROM ({next}) n FULL JOIN {table} t ON {join}
WHERE {missing} OR NOT ({equal})
"""
GONE_SQL = "DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM report_changed c WHERE {key})"
CAME_SQL = "INSERT INTO {table} ({columns}) SELECT {columns} FROM report_changed WHERE present"
# The NULL-safe equality of each database, and its literal true.
SAME = {"postgresql": "IS NOT DISTINCT FROM", "sqlite": "IS"}
TRUE = {"postgresql": "TRUE", "sqlite": "1"}


def _rows_replace(cursor, *, table: str, next_sql: str, params: list, columns: str, keys: tuple[str, ...]) -> int:
    """Make `table` hold exactly the rows `next_sql` selects, writing only the difference; returns the number of
    keys whose row changed (went, came or differs)."""
    same = SAME.get(connection.vendor, "IS NOT DISTINCT FROM")
    names = [name.strip() for name in columns.split(",")]
    cursor.execute("DROP TABLE IF EXISTS report_changed")
    cursor.execute(CHANGED_TABLE_SQL.format(columns=columns, present=TRUE.get(connection.vendor, "TRUE"), table=table))
    cursor.execute(
        CHANGED_SQL.format(
            columns=columns,
            selected=", ".join(f"COALESCE(n.{name}, t.{name})" if name in keys else f"n.{name}" for name in names),
            first=keys[0],
            next=next_sql,
            table=table,
            # The key with "=" (never null), so that the database can hash-join on it; the rest NULL-safely.
            join=" AND ".join(f"t.{name} = n.{name}" for name in keys),
            missing=f"t.{keys[0]} IS NULL OR n.{keys[0]} IS NULL",
            equal=" AND ".join(f"n.{name} {same} t.{name}" for name in names if name not in keys),
        ),
        params,
    )
    changed = max(cursor.rowcount, 0)
    if changed:
        cursor.execute(GONE_SQL.format(table=table, key=" AND ".join(f"c.{name} = {table}.{name}" for name in keys)))
        cursor.execute(CAME_SQL.format(table=table, columns=columns))
    cursor.execute("DROP TABLE report_changed")
    return changed


SNAPSHOT_INSERT_SQL = (
    "INSERT INTO skills_capabilitysnapshot "
    "(date, org_unit_id, skill_code, skill_name, population, met, met_claimed, suppressed, direct) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
SNAPSHOT_UNNEST_SQL = (
    "INSERT INTO skills_capabilitysnapshot "
    "(date, org_unit_id, skill_code, skill_name, population, met, met_claimed, suppressed, direct) "
    "SELECT * FROM unnest(%s::date[], %s::bigint[], %s::text[], %s::text[], %s::integer[], %s::integer[], "
    "%s::integer[], %s::boolean[], %s::boolean[])"
)

# pg_advisory_xact_lock's key for the refresh: "CAPA" "REPO" as two 32-bit halves.
REFRESH_LOCK = 0x43415041_5245504F


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
        if connection.vendor == "postgresql":
            # One refresh at a time (the beat's and a first report's may meet), and room to hash 0.9 million rows.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
            cursor.execute("SET LOCAL work_mem = '256MB'")
        params: list = []
        stale = _stale_case(params)
        # The requirement rows first (the people's counts are made from them), each compared with the next state
        # straight from the statement that builds it.
        _rows_replace(
            cursor,
            table="skills_reportrequirement",
            next_sql=REQUIREMENTS_SQL.format(stale=stale),
            params=params,
            columns=REQUIREMENT_COLUMNS,
            keys=("person_id", "skill_id"),
        )
        _rows_replace(
            cursor,
            table="skills_reportperson",
            next_sql=PEOPLE_SQL,
            params=[],
            columns=PERSON_COLUMNS,
            keys=("person_id",),
        )
        cursor.execute("SELECT COUNT(*) FROM skills_reportperson")
        people = cursor.fetchone()[0]
        cursor.execute(DIRECT_FIGURES_SQL)
        direct = cursor.fetchall()
        # Every requirement pair is in exactly one unit's figures for its skill.
        pairs = sum(row[2] for row in direct)
        cursor.execute(PEOPLE_DIRECT_SQL)
        direct += cursor.fetchall()
        skill_ids = sorted({row[5] for row in direct if row[5] is not None})
        names = {}
        if skill_ids:
            cursor.execute(SKILL_NAMES_SQL.format(ids=", ".join(["%s"] * len(skill_ids))), skill_ids)
            names = dict(cursor.fetchall())
        direct = [row[:5] for row in direct]
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
    day = connection.ops.adapt_datefield_value(today)
    for skill_code, figures in by_skill.items():
        totals = tree.roll_up(figures)
        hidden = suppressed_cells(
            groups=groups, populations={node: values[0] for node, values in totals.items()}, threshold=threshold
        )
        name = names.get(skill_code, "")
        for node, (population, met, met_claimed) in totals.items():
            direct_row = isinstance(node, tuple)
            unit_id = node[1] if direct_row else node
            rows.append((day, unit_id, skill_code, name, population, met, met_claimed, node in hidden, direct_row))
    CapabilitySnapshot.objects.filter(date=today).delete()
    # Plain rows: through the ORM, making and preparing ~18,000 model instances cost more than the database's work
    # (docs/decisions/0213, addendum). PostgreSQL takes them in one statement, a column an array; elsewhere one
    # statement prepared once for all of them.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                SNAPSHOT_UNNEST_SQL, [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * 9
            )
        else:
            cursor.executemany(SNAPSHOT_INSERT_SQL, rows)
    return len(rows)
