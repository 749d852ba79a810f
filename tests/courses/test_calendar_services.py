"""The feed token's services: only the person (or the system) gets or resets it."""

import pytest

from courses.errors import NotAllowed
from courses.models import CalendarFeed
from courses.services.calendar import calendar_feed_get_or_create, calendar_feed_reset

pytestmark = pytest.mark.django_db


def test_a_person_gets_one_feed_and_keeps_its_token_until_they_reset_it(learner):
    feed = calendar_feed_get_or_create(person=learner, actor=learner.user)
    assert calendar_feed_get_or_create(person=learner, actor=learner.user).token == feed.token
    assert len(feed.token) >= 43

    reset = calendar_feed_reset(person=learner, actor=learner.user)

    assert reset.pk == feed.pk
    assert reset.token != feed.token
    assert not CalendarFeed.objects.filter(token=feed.token).exists()


def test_nobody_else_gets_or_resets_a_persons_feed(learner, manager):
    with pytest.raises(NotAllowed):
        calendar_feed_get_or_create(person=learner, actor=manager.user)
    assert not CalendarFeed.objects.exists()

    feed = calendar_feed_get_or_create(person=learner, actor=None)  # the system
    with pytest.raises(NotAllowed):
        calendar_feed_reset(person=learner, actor=manager.user)
    assert CalendarFeed.objects.get().token == feed.token


def test_resetting_a_feed_never_made_makes_one(learner):
    feed = calendar_feed_reset(person=learner, actor=learner.user)
    assert CalendarFeed.objects.get(person=learner).token == feed.token
