"""Calendar invites to download from a booking, and the person's private calendar feed (with its page)."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST, require_safe

from courses import calendar
from courses.models import Booking, CalendarFeed
from courses.services.calendar import calendar_feed_get_or_create, calendar_feed_reset
from skills.selectors.people import person_for_user
from skills.views.access import person_required

# What a token looks like (secrets.token_urlsafe): anything else is answered like an unknown token, unqueried.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
# A subscribed calendar may keep the feed this long: only the person's own client, never a shared cache.
FEED_MAX_AGE = 15 * 60


@require_safe
@login_required
def booking_invite(request, booking_id: int):
    """The booking's invite as a file: the person's own booking, while it holds (or, cancelled, held) a
    confirmed place. Anyone else, and a booking without an invite, gets 404."""
    person = person_for_user(user=request.user)
    booking = (
        Booking.objects.select_related("session__course", "person__user").filter(pk=booking_id, person=person).first()
        if person is not None
        else None
    )
    method = calendar.invite_method(booking) if booking is not None else None
    if method is None:
        raise Http404
    response = HttpResponse(calendar.booking_invite(booking, method), content_type=calendar.invite_content_type(method))
    response["Content-Disposition"] = f'attachment; filename="{calendar.invite_filename(booking)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def feed_urls(feed: CalendarFeed) -> dict:
    https = settings.CAPABILITY_BASE_URL + reverse("courses:calendar-feed", kwargs={"token": feed.token})
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@require_safe
@person_required
def calendar_page(request):
    feed = calendar_feed_get_or_create(person=request.person, actor=request.user)
    return render(
        request,
        "courses/calendar.html",
        {
            "feed": feed,
            "urls": feed_urls(feed),
            "feed_host": calendar.service_host(),
            "refresh_hours": int(calendar.FEED_REFRESH.total_seconds() // 3600),
        },
    )


@require_POST
@person_required
def calendar_reset(request):
    calendar_feed_reset(person=request.person, actor=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address. The old address has stopped working: "
        "subscribe again with the new one and remove the old subscription from your calendar.",
    )
    return redirect("courses:calendar")


@require_safe
def calendar_feed(request, token: str):
    """The feed itself: no sign-in, the token is the key. An unknown or malformed token gets 404."""
    feed = (
        CalendarFeed.objects.select_related("person").filter(token=token).first()
        if TOKEN_PATTERN.fullmatch(token)
        else None
    )
    if feed is None:
        raise Http404
    content = calendar.calendar_feed(calendar.feed_bookings(person=feed.person))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="capability-training.ics"'
    response["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [
    path("bookings/<int:booking_id>/invite.ics", booking_invite, name="booking-invite"),
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/reset/", calendar_reset, name="calendar-reset"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]
