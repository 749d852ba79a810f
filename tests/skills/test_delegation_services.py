"""Delegation: who may hand their decisions to whom and when, and who decides while it runs."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from skills.models import Delegation
from skills.selectors import approver_may_decide
from skills.selectors.delegation import (
    delegates_to_choose,
    delegation_active_from,
    delegations_active_to,
)
from skills.selectors.reviews import review_get_for_reviewer, reviews_delegated_to, reviews_waiting_count
from skills.services import (
    DelegationError,
    NotAllowed,
    delegation_create,
    delegation_end,
    review_decide,
)
from tests.skills.factories import PersonFactory, ReviewFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)  # a Monday


@pytest.fixture
def clock(monkeypatch):
    """Set the time (UTC) that `timezone.now()` answers."""

    def move_to(moment: datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move_to


@pytest.fixture
def away(db):
    """The manager who is away, with one direct report."""
    manager = PersonFactory(user__first_name="Ada", user__last_name="Away")
    PersonFactory(line_manager=manager, user__first_name="Tom", user__last_name="Team")
    return manager


@pytest.fixture
def team_member(away):
    return away.direct_reports.get()


@pytest.fixture
def cover(db):
    """Another manager (with their own report), outside the away manager's line."""
    manager = PersonFactory(user__first_name="Cal", user__last_name="Cover")
    PersonFactory(line_manager=manager)
    return manager


def delegate(away, cover, starts_on=TODAY, ends_on=TODAY + timedelta(days=4), **kwargs):
    return delegation_create(
        delegator=away, delegate=cover, starts_on=starts_on, ends_on=ends_on, actor=away.user, today=TODAY, **kwargs
    )


def test_the_delegate_decides_for_the_team_on_every_day_of_the_period_and_on_no_other(away, cover, team_member):
    delegate(away, cover)

    assert approver_may_decide(approver=cover.user, person=team_member, on=TODAY)
    assert approver_may_decide(approver=cover.user, person=team_member, on=TODAY + timedelta(days=4))
    assert not approver_may_decide(approver=cover.user, person=team_member, on=TODAY - timedelta(days=1))
    assert not approver_may_decide(approver=cover.user, person=team_member, on=TODAY + timedelta(days=5))
    # The manager still decides for their own team meanwhile.
    assert approver_may_decide(approver=away.user, person=team_member, on=TODAY)


def test_a_delegate_decides_only_for_the_delegators_direct_reports(away, cover):
    delegate(away, cover)
    stranger = PersonFactory(line_manager=PersonFactory())
    indirect = PersonFactory(line_manager=away.direct_reports.get())

    assert not approver_may_decide(approver=cover.user, person=stranger, on=TODAY)
    assert not approver_may_decide(approver=cover.user, person=indirect, on=TODAY)


def test_a_delegate_never_decides_their_own_request_even_if_moved_into_the_team(away, cover):
    delegate(away, cover)
    cover.line_manager = away
    cover.save()

    assert not approver_may_decide(approver=cover.user, person=cover, on=TODAY)


def test_both_managers_are_told_and_the_audit_log_has_it(away, cover, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delegation = delegate(away, cover)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([away.user.email, cover.user.email])
    to_cover = next(message for message in mail.outbox if message.to == [cover.user.email])
    assert "Ada Away has delegated" in to_cover.subject
    assert "7 December 2026 to 11 December 2026" in to_cover.body
    entry = ModelLogEntry.objects.get(action="capability.skills.delegation_create")
    assert entry.object_id == str(delegation.pk)
    assert entry.user == away.user


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (-1, 2, "The first day must be today or later"),
        (3, 2, "The last day must be the same as or after the first day"),
    ],
)
def test_dates_out_of_order_or_in_the_past_are_refused(away, cover, starts, ends, message):
    with pytest.raises(DelegationError, match=message):
        delegate(away, cover, starts_on=TODAY + timedelta(days=starts), ends_on=TODAY + timedelta(days=ends))
    assert not Delegation.objects.exists()


def test_a_one_day_delegation_is_allowed(away, cover, team_member):
    delegate(away, cover, starts_on=TODAY, ends_on=TODAY)

    assert approver_may_decide(approver=cover.user, person=team_member, on=TODAY)
    assert not approver_may_decide(approver=cover.user, person=team_member, on=TODAY + timedelta(days=1))


def test_nobody_delegates_to_themselves(away):
    with pytest.raises(DelegationError, match="yourself"):
        delegate(away, away)


def test_only_a_manager_can_be_the_delegate(away):
    loner = PersonFactory(user__first_name="Lee", user__last_name="Loner")

    with pytest.raises(DelegationError, match="Lee Loner does not manage anyone"):
        delegate(away, loner)


def test_someone_in_the_delegators_own_reporting_line_is_refused(away, team_member):
    PersonFactory(line_manager=team_member)  # the team member manages someone too

    with pytest.raises(DelegationError, match="in your own reporting line"):
        delegate(away, team_member)
    assert delegates_to_choose(delegator=away).filter(pk=team_member.pk).count() == 0


def test_delegating_up_to_ones_own_manager_is_allowed(away, team_member):
    boss = PersonFactory()
    away.line_manager = boss
    away.save()

    delegate(away, boss)

    assert approver_may_decide(approver=boss.user, person=team_member, on=TODAY)
    assert list(delegates_to_choose(delegator=away)) == [boss]


def test_a_manager_with_nobody_reporting_has_nothing_to_delegate(cover):
    nobody = PersonFactory()

    with pytest.raises(DelegationError, match="Nobody reports to you"):
        delegate(nobody, cover)


def test_an_inactive_account_cannot_be_the_delegate(away, cover):
    cover.user.is_active = False
    cover.user.save()

    with pytest.raises(DelegationError, match="cannot sign in"):
        delegate(away, cover)


def test_only_the_manager_themselves_delegates_or_ends(away, cover):
    with pytest.raises(NotAllowed):
        delegation_create(delegator=away, delegate=cover, starts_on=TODAY, ends_on=TODAY, actor=cover.user, today=TODAY)
    delegation = delegate(away, cover)
    with pytest.raises(NotAllowed):
        delegation_end(delegation=delegation, actor=cover.user, today=TODAY)
    delegation.refresh_from_db()
    assert delegation.ended_at is None


def test_one_delegation_per_manager_on_any_day(away, cover):
    other = PersonFactory()
    PersonFactory(line_manager=other)
    delegate(away, cover)

    with pytest.raises(DelegationError, match="already delegated to Cal Cover"):
        delegate(away, other, starts_on=TODAY + timedelta(days=4), ends_on=TODAY + timedelta(days=9))
    # The day after the first one ends is free.
    delegate(away, other, starts_on=TODAY + timedelta(days=5), ends_on=TODAY + timedelta(days=9))


def test_no_chains_an_away_delegate_is_refused_and_a_cover_cannot_pass_it_on(away, cover):
    third = PersonFactory(user__first_name="Tess", user__last_name="Third")
    PersonFactory(line_manager=third)
    delegation_create(delegator=cover, delegate=third, starts_on=TODAY, ends_on=TODAY, actor=cover.user, today=TODAY)

    with pytest.raises(DelegationError, match="Cal Cover has delegated their own approvals"):
        delegate(away, cover)

    delegate(away, third)
    fourth = PersonFactory()
    PersonFactory(line_manager=fourth)
    with pytest.raises(DelegationError, match="You are covering Ada Away"):
        delegation_create(
            delegator=third, delegate=fourth, starts_on=TODAY, ends_on=TODAY, actor=third.user, today=TODAY
        )


def test_ending_early_stops_the_delegate_at_once_and_keeps_the_row(away, cover, team_member):
    delegation = delegate(away, cover)

    delegation_end(delegation=delegation, actor=away.user, today=TODAY)

    delegation.refresh_from_db()
    assert delegation.ended_by == away.user
    assert not approver_may_decide(approver=cover.user, person=team_member, on=TODAY)
    assert ModelLogEntry.objects.filter(action="capability.skills.delegation_end").count() == 1
    with pytest.raises(DelegationError, match="already ended"):
        delegation_end(delegation=delegation, actor=away.user, today=TODAY)
    # Its days are free for another delegation.
    delegate(away, cover)


def test_a_delegation_past_its_last_day_cannot_be_ended(away, cover):
    delegation = delegate(away, cover, ends_on=TODAY)

    with pytest.raises(DelegationError, match="already ended"):
        delegation_end(delegation=delegation, actor=away.user, today=TODAY + timedelta(days=1))


def test_the_selectors_say_who_covers_whom(away, cover):
    delegation = delegate(away, cover)

    assert delegation_active_from(delegator=away, on=TODAY) == delegation
    assert delegation_active_from(delegator=away, on=TODAY + timedelta(days=5)) is None
    assert delegations_active_to(delegate=cover, on=TODAY) == [delegation]
    assert delegations_active_to(delegate=cover, on=TODAY - timedelta(days=1)) == []


def test_the_delegate_reviews_the_teams_claims_while_it_runs(away, cover, team_member, clock):
    clock(datetime(2026, 12, 7, 9, tzinfo=UTC))
    review = ReviewFactory(claim__person=team_member, reviewer=away)
    own = ReviewFactory(claim__person__line_manager=cover)
    delegate(away, cover)

    assert list(reviews_delegated_to(delegate=cover)) == [review]
    assert review_get_for_reviewer(viewer=cover, review_id=review.pk) == review
    assert reviews_waiting_count(reviewer=cover) == 2
    assert list(reviews_delegated_to(delegate=away)) == []
    review_decide(review=review, reviewer=cover, level=review.claim.level)
    review.refresh_from_db()
    assert review.resolved_by == cover.user
    assert own.status == "open"


def test_after_the_last_day_the_delegate_cannot_see_or_decide_a_claim(away, cover, team_member, clock):
    clock(datetime(2026, 12, 7, 9, tzinfo=UTC))
    review = ReviewFactory(claim__person=team_member, reviewer=away)
    delegate(away, cover, ends_on=TODAY)
    # Midnight in London ends the last day (00:30 GMT on the 8th is the 8th in London).
    clock(datetime(2026, 12, 8, 0, 30, tzinfo=UTC))

    assert review_get_for_reviewer(viewer=cover, review_id=review.pk) is None
    assert list(reviews_delegated_to(delegate=cover)) == []
    with pytest.raises(NotAllowed):
        review_decide(review=review, reviewer=cover, level=review.claim.level)
    review.refresh_from_db()
    assert review.status == "open"
