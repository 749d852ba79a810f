"""The policy turns a ledger sequence into current claimed and validated levels."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from skills.enums import DEFAULT_VALIDATION_RANKING, AssessmentSource
from skills.services import derive_current

S = AssessmentSource
RANKING = {source.value: rank for rank, source in enumerate(DEFAULT_VALIDATION_RANKING, start=1)}
START = datetime(2026, 1, 1)


@dataclass
class Row:
    id: int
    source: str
    level: str | None
    created_at: datetime
    is_claim: bool
    retracts_id: int | None = None


def ledger(*entries):
    rows = []
    for index, (source, level, *claim) in enumerate(entries):
        is_claim = claim[0] if claim else source == S.SELF
        rows.append(Row(index + 1, source, level, START + timedelta(days=index), is_claim))
    return rows


CASES = [
    # (ledger, expected claimed level, expected validated level)
    pytest.param([], None, None, id="nothing recorded"),
    pytest.param([(S.SELF, "expert")], "expert", None, id="a self-assessment is a claim and never validates itself"),
    pytest.param([(S.SELF, "working"), (S.SELF, "expert")], "expert", None, id="the newest claim is current"),
    pytest.param(
        [(S.SELF, "expert"), (S.LINE_MANAGER, "practitioner")],
        "expert",
        "practitioner",
        id="a manager's adjustment validates while the claim is still shown",
    ),
    pytest.param(
        [(S.SELF, "expert"), (S.ASSESSOR, "working"), (S.LINE_MANAGER, "expert")],
        "expert",
        "working",
        id="an assessor outranks a later line manager",
    ),
    pytest.param(
        [(S.COURSE, "practitioner"), (S.LINE_MANAGER, "working")],
        None,
        "working",
        id="a line manager outranks course evidence",
    ),
    pytest.param(
        [(S.LINE_MANAGER, "working"), (S.COURSE, "expert")],
        None,
        "working",
        id="course evidence never overrides a line manager even when newer",
    ),
    pytest.param(
        [(S.LINE_MANAGER, "working"), (S.LINE_MANAGER, "practitioner")],
        None,
        "practitioner",
        id="the newest judgement of the same rank wins",
    ),
    pytest.param(
        [(S.CARRIED_FORWARD, "expert", False), (S.LINE_MANAGER, "working")],
        None,
        "working",
        id="a fresh validation in the new release outranks a carried-forward one",
    ),
    pytest.param(
        [(S.CARRIED_FORWARD, "working", True), (S.CARRIED_FORWARD, "practitioner", False)],
        "working",
        "practitioner",
        id="carried-forward claims stay claims and carried validations stay validations",
    ),
    pytest.param(
        [(S.LINE_MANAGER, None)],
        None,
        None,
        id="a validation of no level yet validates nothing above zero",
    ),
]


@pytest.mark.parametrize(("entries", "claimed", "validated"), CASES)
def test_the_default_policy_derives_current_levels_from_the_ledger(entries, claimed, validated):
    claim, validation = derive_current(ledger(*entries), RANKING)

    assert (claim.level if claim else None) == claimed
    assert (validation.level if validation else None) == validated


def test_a_framework_policy_can_rank_line_managers_above_assessors():
    ranking = {S.LINE_MANAGER: 1, S.ASSESSOR: 2}

    _, validation = derive_current(ledger((S.LINE_MANAGER, "working"), (S.ASSESSOR, "expert")), ranking)

    assert validation.level == "working"


def test_a_source_missing_from_the_policy_does_not_validate():
    _, validation = derive_current(ledger((S.COURSE, "expert")), {S.ASSESSOR: 1, S.LINE_MANAGER: 2})

    assert validation is None
