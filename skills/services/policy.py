from skills.enums import DEFAULT_VALIDATION_RANKING, AssessmentSource
from skills.models import PolicySourceRank


def validation_ranking(*, framework_id: int) -> dict[str, int]:
    """The sources that validate levels in this framework, mapped to their rank (1 outranks 2).

    A framework's `AssessmentPolicy` decides; without one, `DEFAULT_VALIDATION_RANKING` does. A
    self-assessment is never in the ranking: it is a claim and never validates itself.
    """
    ranks = dict(PolicySourceRank.objects.filter(policy__framework_id=framework_id).values_list("source", "rank"))
    if not ranks:
        ranks = {source.value: rank for rank, source in enumerate(DEFAULT_VALIDATION_RANKING, start=1)}
    ranks.pop(AssessmentSource.SELF, None)
    return ranks


def derive_current(rows, ranking: dict[str, int]):
    """From one person's ledger rows for one skill (any order), the current claim and the current validation.

    A row retracted by a correction, and the correction itself, are left out. The claim is the newest claim
    row. The validation is the row of the best-ranked validating source,
    the newest among equals. Returns `(claim_row | None, validation_row | None)`.
    """
    # A correction withdraws the row it retracts, and counts for nothing itself.
    retracted = {row.retracts_id for row in rows if row.retracts_id}
    rows = [row for row in rows if not row.retracts_id and row.id not in retracted]
    ordered = sorted(rows, key=lambda row: (row.created_at, row.id))
    claim = next((row for row in reversed(ordered) if row.is_claim), None)
    validation = None
    for row in ordered:
        if row.is_claim or row.source not in ranking:
            continue
        if validation is None or ranking[row.source] <= ranking[validation.source]:
            validation = row
    return claim, validation
