"""The delegation pages: set one up, see it, end it early; only ever one's own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from skills.models import Delegation
from tests.skills.factories import PersonFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def away(db):
    manager = PersonFactory(user__first_name="Ada", user__last_name="Away")
    PersonFactory(line_manager=manager)
    return manager


@pytest.fixture
def cover(db):
    manager = PersonFactory(user__first_name="Cal", user__last_name="Cover")
    PersonFactory(line_manager=manager)
    return manager


def date_fields(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def made(away, cover, *, starts=0, ends=3):
    today = timezone.localdate()
    return Delegation.objects.create(
        delegator=away, delegate=cover, starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends)
    )


def test_a_manager_delegates_and_both_pages_say_so(client, away, cover):
    today = timezone.localdate()
    client.force_login(away.user)

    response = client.post(
        "/skills/delegation/",
        {"delegate": cover.pk, **date_fields("starts_on", today), **date_fields("ends_on", today + timedelta(days=2))},
    )

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegator, delegation.delegate) == (away, cover)
    html = client.get("/skills/delegation/").content.decode()
    until = f"{today + timedelta(days=2):%-d %B %Y}"
    assert f"Your approvals and reviews are delegated to Cal Cover until {until}" in html
    client.force_login(cover.user)
    html = client.get("/skills/delegation/").content.decode()
    assert f"Ada Away, until {until}" in html


def test_the_form_lists_only_managers_outside_the_line(client, away, cover):
    in_line = away.direct_reports.get()
    PersonFactory(line_manager=in_line)
    loner = PersonFactory(user__first_name="Lee", user__last_name="Loner")
    client.force_login(away.user)

    html = client.get("/skills/delegation/").content.decode()

    assert f'value="{cover.pk}"' in html
    assert f'value="{in_line.pk}"' not in html
    assert f'value="{loner.pk}"' not in html


def test_bad_dates_are_refused_and_the_form_keeps_what_was_typed(client, away, cover):
    today = timezone.localdate()
    client.force_login(away.user)

    response = client.post(
        "/skills/delegation/",
        {
            "delegate": cover.pk,
            **date_fields("starts_on", today + timedelta(days=5)),
            **date_fields("ends_on", today + timedelta(days=1)),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The last day must be the same as or after the first day" in html
    assert f'value="{(today + timedelta(days=5)).day}"' in html
    assert not Delegation.objects.exists()


def test_a_refusal_from_the_service_shows_on_the_form(client, away, cover):
    made(away, cover)
    other = PersonFactory()
    PersonFactory(line_manager=other)
    today = timezone.localdate()
    client.force_login(away.user)

    response = client.post(
        "/skills/delegation/",
        {"delegate": other.pk, **date_fields("starts_on", today), **date_fields("ends_on", today)},
    )

    assert "You have already delegated to Cal Cover" in response.content.decode()
    assert Delegation.objects.count() == 1


def test_the_manager_ends_it_early(client, away, cover):
    delegation = made(away, cover)
    client.force_login(away.user)

    response = client.post(f"/skills/delegation/{delegation.pk}/end/")

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.ended_at is not None
    assert delegation.ended_by == away.user


@pytest.mark.parametrize("who", ["the delegate", "another manager", "a team member"])
def test_nobody_else_can_end_a_delegation(client, away, cover, who):
    delegation = made(away, cover)
    intruder = {
        "the delegate": lambda: cover,
        "another manager": lambda: PersonFactory(),
        "a team member": lambda: away.direct_reports.get(),
    }[who]()
    client.force_login(intruder.user)

    assert client.post(f"/skills/delegation/{delegation.pk}/end/").status_code == 404
    delegation.refresh_from_db()
    assert delegation.ended_at is None
    assert "End it now" not in client.get("/skills/delegation/").content.decode()


def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, away, cover):
    delegation = made(away, cover)

    for response in (client.get("/skills/delegation/"), client.post(f"/skills/delegation/{delegation.pk}/end/")):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/sign-in/")
    delegation.refresh_from_db()
    assert delegation.ended_at is None


def test_the_page_keeps_its_query_count(client, away, cover, django_assert_num_queries):
    made(away, cover)
    client.force_login(away.user)
    client.get("/skills/delegation/")
    with django_assert_num_queries(DELEGATION_PAGE_QUERIES):
        assert client.get("/skills/delegation/").status_code == 200
    for offset in range(4, 24, 2):
        made(away, cover, starts=offset, ends=offset)
    with django_assert_num_queries(DELEGATION_PAGE_QUERIES):
        assert client.get("/skills/delegation/").status_code == 200


# The session and its account (2), the person (1), current and past delegations (2), those to them (1), the
# managers to choose from (1).
DELEGATION_PAGE_QUERIES = 6


def test_the_delegates_reviews_page_has_the_delegated_claims_marked_and_the_delegators_says_who_has_them(
    client, away, cover
):
    team_member = away.direct_reports.get()
    review = ReviewFactory(claim__person=team_member, reviewer=away)
    own = ReviewFactory(claim__person=cover.direct_reports.get(), reviewer=cover)
    delegation = made(away, cover)
    client.force_login(cover.user)

    html = client.get("/skills/reviews/").content.decode()

    assert 'id="delegated"' in html
    delegated = html.split('id="delegated"', 1)[1]
    assert f"/skills/reviews/{review.pk}/" in delegated
    assert f"/skills/reviews/{own.pk}/" not in delegated
    assert f"Delegated by Ada Away until {delegation.ends_on:%-d %b %Y}" in delegated
    assert client.get(f"/skills/reviews/{review.pk}/").status_code == 200

    client.force_login(away.user)
    html = client.get("/skills/reviews/").content.decode()
    assert f"Your approvals and reviews are delegated to Cal Cover until {delegation.ends_on:%-d %B %Y}" in html
    assert f"/skills/reviews/{review.pk}/" in html


def test_the_day_after_the_last_day_the_delegate_has_no_delegated_claims_and_gets_404(client, away, cover):
    review = ReviewFactory(claim__person=away.direct_reports.get(), reviewer=away)
    made(away, cover, starts=-3, ends=-1)
    client.force_login(cover.user)

    assert 'id="delegated"' not in client.get("/skills/reviews/").content.decode()
    assert client.get(f"/skills/reviews/{review.pk}/").status_code == 404
    assert client.post(f"/skills/reviews/{review.pk}/", {"decision": "confirm"}).status_code == 404
    review.refresh_from_db()
    assert review.status == "open"
