"""The set-based SQL of carry-forward (skills.services.carry_forward): each statement works on one chunk of people
by id range, so that its cost grows with the chunk, never with the population. Plain SQL because each is one
INSERT ... SELECT across the mapping, the old current levels and the ledger, with ON CONFLICT and NOT EXISTS
guards that make a retried chunk write nothing twice. Written for both PostgreSQL and SQLite."""

# The previous release's current claim and current validation of each person in the chunk, carried as new
# ledger rows of the release: the skill through the mapping (removed skills are not carried), the level through
# its code; flagged for re-validation when that level's text changed ({changed}) or the new scale has no such
# level. Keeps evidence and date. Skips rows already carried (idempotent). Rows are found by person and skill,
# never by release (the mapping's previous skills are the previous release's): whatever the planner's
# statistics, that is the chunk's range of an index, where a release's own index holds everyone's rows (and the
# new release's grows with every chunk).
CARRY_ROWS_SQL = """
INSERT INTO skills_assessment
    (person_id, skill_id, release_id, level_id, source, author_id, evidence, reason, responds_to_id,
     carried_from_id, is_claim, needs_revalidation, created_at)
SELECT a.person_id, sm.skill_id, %s, nl.id, %s, NULL, a.evidence, '', NULL,
       a.id, a.is_claim,
       CASE WHEN a.level_id IS NULL THEN %s WHEN nl.id IS NULL OR {changed} THEN %s ELSE %s END,
       a.created_at
FROM skills_currentlevel cl
JOIN frameworks_skillmapping sm
    ON sm.previous_skill_id = cl.skill_id AND sm.release_id = %s AND sm.skill_id IS NOT NULL
JOIN skills_assessment a ON a.id IN (cl.claim_id, cl.validation_id)
LEFT JOIN frameworks_level ol ON ol.id = a.level_id
LEFT JOIN frameworks_level nl ON nl.release_id = %s AND nl.code = ol.code
WHERE cl.person_id > %s AND cl.person_id <= %s
  AND NOT EXISTS (
      SELECT 1 FROM skills_assessment c
      WHERE c.carried_from_id = a.id AND c.person_id = a.person_id AND c.skill_id = sm.skill_id
  )
ORDER BY cl.person_id, cl.skill_id, a.id
"""

# Each carried pair's current level, derived from the old one: what the policy (`derive_current`) makes of a
# pair whose ledger holds only the carried claim and the carried validation. The carried validation validates
# only if the framework's policy ranks carried-forward rows ({validation} picks it, or nothing). A pair that
# already has a current level (rows of its own in the new release) is left to the ledger (_late_changes_carry).
CURRENT_LEVELS_SQL = """
INSERT INTO skills_currentlevel
    (person_id, skill_id, release_id, skill_code, claimed_level_id, claimed_rank, claim_id,
     validated_level_id, validated_rank, validation_id, validated_source, needs_revalidation, last_assessed_at)
SELECT cl.person_id, sm.skill_id, %s, ns.code, c.level_id, COALESCE(cll.rank, 0), c.id,
       {validation_level}, {validation_rank}, {validation_id}, {validation_source},
       CASE WHEN {validation_id} IS NOT NULL THEN {validation_flag}
            WHEN c.id IS NOT NULL THEN c.needs_revalidation ELSE %s END,
       CASE WHEN c.id IS NULL THEN v.created_at WHEN v.id IS NULL THEN c.created_at
            WHEN c.created_at >= v.created_at THEN c.created_at ELSE v.created_at END
FROM skills_currentlevel cl
JOIN frameworks_skillmapping sm
    ON sm.previous_skill_id = cl.skill_id AND sm.release_id = %s AND sm.skill_id IS NOT NULL
JOIN frameworks_skill ns ON ns.id = sm.skill_id
LEFT JOIN skills_assessment c
    ON c.carried_from_id = cl.claim_id AND c.person_id = cl.person_id AND c.skill_id = sm.skill_id
LEFT JOIN skills_assessment v
    ON v.carried_from_id = cl.validation_id AND v.person_id = cl.person_id AND v.skill_id = sm.skill_id
LEFT JOIN frameworks_level cll ON cll.id = c.level_id
LEFT JOIN frameworks_level vll ON vll.id = v.level_id
WHERE cl.person_id > %s AND cl.person_id <= %s
  AND (c.id IS NOT NULL OR v.id IS NOT NULL)
ON CONFLICT (person_id, skill_id) DO NOTHING
"""

# The reviews open on the previous release's claims, opened again on the claims carried from them.
REVIEWS_REOPEN_SQL = """
INSERT INTO skills_review
    (claim_id, person_id, release_id, reviewer_kind, reviewer_id, status, message, outcome_id, resolved_by_id,
     created_at, resolved_at)
SELECT c.id, c.person_id, c.release_id, r.reviewer_kind, r.reviewer_id, %s, '', NULL, NULL, %s, NULL
FROM skills_review r
JOIN skills_assessment o ON o.id = r.claim_id
JOIN skills_assessment c ON c.carried_from_id = o.id AND c.person_id = o.person_id AND c.is_claim
WHERE r.status = %s AND o.release_id = %s
ORDER BY r.id
"""

VALIDATION_COLUMNS = {
    "validation_level": "v.level_id",
    "validation_rank": "COALESCE(vll.rank, 0)",
    "validation_id": "v.id",
    "validation_source": "COALESCE(v.source, '')",
    "validation_flag": "v.needs_revalidation",
}
NO_VALIDATION_COLUMNS = {
    "validation_level": "NULL",
    "validation_rank": "0",
    "validation_id": "NULL",
    "validation_source": "''",
    "validation_flag": "NULL",
}
