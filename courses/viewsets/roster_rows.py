"""The roster's rows that carry no form, as HTML written once. A roster holds a row per booking (a full session
and its waiting list make seventy or more), and Django's template language costs a few microseconds a variable,
which made these loops a quarter of the page's time. Each row is the markup the template wrote, every value
from the database escaped as the template would (Django's `escape` is the standard library's `html.escape`,
called here without its lazy-string wrapper), adjustments with `linebreaksbr`'s rules and the waiting-list time
with the `date` filter in UK time. docs/decisions/0207 and 0302."""

from html import escape

from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.timezone import template_localtime

from courses.models import Booking

JOINED_FORMAT = "j M Y, H:i T"


def _adjustments(booking: Booking) -> str:
    """`{{ booking.adjustments|default:"None"|linebreaksbr }}`."""
    return escape(normalize_newlines(booking.adjustments or "None")).replace("\n", "<br>")


def _joined(moment) -> str:
    """`{{ booking.waitlisted_at|date:"j M Y, H:i T" }}`: in the request's time zone, nothing when not set."""
    return escape(date_format(template_localtime(moment), JOINED_FORMAT)) if moment else ""


def _grade(booking: Booking) -> str:
    """`{{ booking.person.grade.name|default:"–" }}`."""
    return escape(booking.person.grade.name or "–")


def person_cells(booking: Booking) -> SafeString:
    """The name (with the e-mail address below), grade and adjustments cells of a confirmed person's row: the
    first three cells of both the attendance form's rows and the plain table's."""
    person = booking.person
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<td>{escape(str(person))}<br><span class="w-text-14">{escape(person.user.email)}</span></td>'
        f"<td>{_grade(booking)}</td><td>{_adjustments(booking)}</td>"
    )


def attending_rows(bookings: list[Booking]) -> SafeString:
    """The confirmed table's rows when attendance is not being marked: the person and their status."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr data-booking="{b.pk}">{person_cells(b)}<td>{escape(b.get_status_display())}</td></tr>'
            for b in bookings
        )
    )


def waitlist_rows(bookings: list[Booking]) -> SafeString:
    """The waiting list's rows: position, name, adjustments and when they joined (UK time)."""
    joined = {}  # each distinct time formatted once (people moved onto the list together share theirs)
    for booking in bookings:
        if booking.waitlisted_at not in joined:
            joined[booking.waitlisted_at] = _joined(booking.waitlisted_at)
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr data-booking="{b.pk}"><td>{escape(str(b.waitlist_position))}</td><td>{escape(str(b.person))}</td>'
            f"<td>{_adjustments(b)}</td><td>{joined[b.waitlisted_at]}</td></tr>"
            for b in bookings
        )
    )


def requested_items(bookings: list[Booking]) -> SafeString:
    """The requests awaiting a manager's approval: the person and their line manager."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li data-booking="{b.pk}">{escape(str(b.person))}'
            f"{f' (manager: {escape(str(b.person.line_manager))})' if b.person.line_manager_id else ''}</li>"
            for b in bookings
        )
    )


def ended_rows(bookings: list[Booking]) -> SafeString:
    """Cancelled, declined or lapsed bookings: the person, the status and the reason given."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr data-booking="{b.pk}"><td>{escape(str(b.person))}</td><td>{escape(b.get_status_display())}</td>'
            f"<td>{escape(b.cancel_reason or b.decline_reason or '–')}</td></tr>"
            for b in bookings
        )
    )
