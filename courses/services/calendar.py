"""A person's private calendar feed: the token in its URL is the only key to it, so only the person handles it."""

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from courses.errors import NotAllowed
from courses.models import CalendarFeed
from courses.models.bookings import calendar_feed_token
from skills.models import Person


def _check_actor(person: Person, actor) -> None:
    if actor is not None and actor.pk != person.user_id:
        raise NotAllowed("Only the person themselves can see or reset their calendar feed.")


def calendar_feed_get_or_create(*, person: Person, actor) -> CalendarFeed:
    """The person's feed, made on first use with a new unguessable token."""
    _check_actor(person, actor)
    feed = CalendarFeed.objects.filter(person=person).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(person=person)
    except IntegrityError:  # made at the same moment in another request
        return CalendarFeed.objects.get(person=person)


@transaction.atomic
def calendar_feed_reset(*, person: Person, actor) -> CalendarFeed:
    """Give the person's feed a new token: the old URL stops working at once (the feed is looked up by token)."""
    _check_actor(person, actor)
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        feed = CalendarFeed.objects.create(person=person)
    else:
        feed.token = calendar_feed_token()
        feed.save(update_fields=["token", "created_at"])
    log(instance=feed, action="capability.courses.calendar_feed_reset", user=actor, data={"person": person.pk})
    return feed
