"""Two certificates of the same award issued to the same person at the same moment, with real threads on PostgreSQL:
the database's one-in-force constraint lets exactly one through, and the other ends in a clear outcome."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from cms.accounts.enums import Role
from skills.models import Achievement, Certificate
from skills.services import CertificateConflict, certificate_issue_by_hand, course_evidence_record
from tests.cms.factories import UserFactory
from tests.concurrency import run_together
from tests.skills.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AWARD = "courses.course:42"


def _in_force(holder):
    return Certificate.objects.filter(holder=holder, award=AWARD, revoked_at__isnull=True, superseded_at__isnull=True)


def _by_hand(holder, administrator, reason):
    return lambda: certificate_issue_by_hand(
        holder=holder, award=AWARD, title="Agile foundations", reason=reason, actor=administrator
    )


@pytest.mark.parametrize("renewing", [False, True], ids=["first", "renewal"])
def test_two_issues_at_once_for_the_same_holder_and_award_leave_exactly_one_in_force(renewing):
    holder = PersonFactory()
    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    if renewing:
        certificate_issue_by_hand(
            holder=holder,
            award=AWARD,
            title="Agile foundations",
            issued_on=date(2024, 1, 5),
            validity_months=12,
            reason="Taken before Capability.",
            actor=administrator,
        )

    outcomes = run_together(
        _by_hand(holder, administrator, "From the supplier's list."),
        _by_hand(holder, administrator, "From the attendance sheet."),
    )

    issued = [outcome for outcome in outcomes if isinstance(outcome, Certificate)]
    in_force = list(_in_force(holder))
    assert len(in_force) == 1, outcomes
    if len(issued) == 1:
        # Truly at once: the one-in-force constraint let one through and the other was told why.
        assert sum(isinstance(outcome, CertificateConflict) for outcome in outcomes) == 1, outcomes
        assert in_force == issued
    else:
        # On a loaded machine the barrier cannot force overlap: the second ran after the first committed, so it
        # renewed it — still exactly one in force, the later, and the earlier superseded, never two.
        assert len(issued) == 2, outcomes
        first, second = sorted(issued, key=lambda certificate: certificate.pk)
        assert in_force == [second]
        assert second.renews == first
    if renewing:
        assert in_force[0].renews is not None


def test_two_completions_at_once_are_both_recorded_and_earn_one_certificate():
    holder = PersonFactory()

    def complete(reference):
        return lambda: course_evidence_record(
            person=holder,
            outcomes=[],
            reference=reference,
            title="Agile foundations",
            award=AWARD,
            achieved_on=date(2026, 3, 2),
            author=None,
            certificate_requested=True,
            certificate_validity_months=12,
        )

    outcomes = run_together(complete("courses.booking:1"), complete("courses.booking:2"))

    assert all(isinstance(outcome, Achievement) for outcome in outcomes), outcomes
    assert Achievement.objects.filter(person=holder).count() == 2
    assert _in_force(holder).count() == 1
