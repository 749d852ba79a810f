"""The learner's booking pages: book a session (check your answers first), one booking, cancelling it, and
their training. Signed-in only; a booking is shown to its own person only (anyone else gets 404)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from courses import calendar
from courses.enums import ACTIVE_BOOKING_STATUSES, BookingStatus
from courses.errors import AlreadyBooked, BookingError
from courses.models import Booking, Session
from courses.services.bookings import booking_cancel, booking_clashes, booking_request, session_bookable
from frameworks.prepared import PreparedRead
from skills.forms import GDSFormMixin, LongTextField
from skills.selectors.people import person_essentials_for_user
from skills.views.access import person_required

TEXT_LIMIT = 2000
PAGE_SIZE = 20


class BookingForm(GDSFormMixin, forms.Form):
    submit_label = "Confirm and book"

    adjustments = LongTextField(
        label="Do you need any reasonable adjustments? (optional)",
        help_text="For example, step-free access, a hearing loop or extra breaks. Only the training team sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        limit=TEXT_LIMIT,
        noun="Your adjustment needs",
    )
    reason = LongTextField(
        label="Why do you want to attend? (optional)",
        help_text="Your line manager sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        limit=TEXT_LIMIT,
        noun="Your reason",
    )

    def __init__(self, *args, submit_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label or self.submit_label
        self.build_helper("adjustments", "reason")


class CancelForm(GDSFormMixin, forms.Form):
    submit_label = "Cancel this booking"

    reason = LongTextField(
        label="Why are you cancelling?",
        help_text="The training team sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        limit=TEXT_LIMIT,
        noun="The reason",
        error_messages={"required": "Enter why you are cancelling"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.build_helper("reason")


def _own_booking(request, booking_id: int) -> Booking:
    """The signed-in person's booking, or 404 (someone else's booking is not there for them)."""
    booking = (
        Booking.objects.select_related("session__course", "decided_by")
        .filter(pk=booking_id, person=request.person)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def _waitlist_rank(booking: Booking) -> int | None:
    """Their place among those still waiting (positions of people who left or were promoted do not count)."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    return Booking.objects.filter(
        session_id=booking.session_id,
        status=BookingStatus.WAITLISTED,
        waitlist_position__lte=booking.waitlist_position,
    ).count()


def _may_cancel(booking: Booking, now) -> bool:
    """Whether the learner may cancel in the service: an open booking, and a confirmed place only before the
    cut-off (after it the training team cancels)."""
    if booking.status not in ACTIVE_BOOKING_STATUSES:
        return False
    return booking.status != BookingStatus.CONFIRMED or now < booking.session.cancellation_cutoff_at


# The session and its course, read by every booking: compiled once per process (decision 0025).
_SESSION_TO_BOOK = PreparedRead(
    lambda *, session_id: Session.objects.select_related("course").filter(course__live=True, pk=session_id)[:1]
)


@person_required(find=person_essentials_for_user)  # none of the person's role levels: the busiest page there is
@require_http_methods(["GET", "POST"])
def session_book(request, session_id: int):
    """Check your answers, then book: what, when (UK time, zone shown), where, seats or the waiting list, who
    approves, and any clash with another confirmed booking, before the learner confirms."""
    person = request.person
    session = _SESSION_TO_BOOK.first(session_id=session_id)
    if session is None:
        raise Http404
    course = session.course
    approver = person.line_manager if course.needs_approval else None
    full = session.seats_left == 0
    submit_label = "Send request" if approver else ("Join the waiting list" if full else "Confirm and book")
    form = BookingForm(request.POST if request.method == "POST" else None, submit_label=submit_label)
    not_bookable = ""
    if request.method == "POST" and form.is_valid():
        # The booking service asks every question the page asks (open, eligible, already booked) under the
        # session's lock, so a booking that goes through is not asked them twice: fewer statements per booking
        # when hundreds arrive in the same second (docs/decisions/0023).
        try:
            booking = booking_request(
                session=session,
                person=person,
                actor=request.user,
                adjustments=form.cleaned_data["adjustments"],
                reason=form.cleaned_data["reason"],
            )
        except AlreadyBooked as error:
            messages.info(request, "You already have a booking for this session: here it is.")
            return redirect("courses:booking", booking_id=error.booking.pk)
        except BookingError as error:
            not_bookable = _not_bookable(session, person)
            if not not_bookable:
                form.add_error(None, str(error))
        else:
            messages.success(request, _booked_message(booking))
            return redirect("courses:booking", booking_id=booking.pk)
    else:
        not_bookable = _not_bookable(session, person)
    existing = (
        Booking.objects.filter(session=session, person=person, status__in=ACTIVE_BOOKING_STATUSES).first()
        if not not_bookable
        else None
    )
    if existing is not None and request.method == "POST":
        messages.info(request, "You already have a booking for this session: here it is.")
        return redirect("courses:booking", booking_id=existing.pk)
    return render(
        request,
        "courses/book.html",
        {
            "session": session,
            "course": course,
            "form": form,
            "not_bookable": not_bookable,
            "existing": existing,
            "approver": approver,
            "full": full,
            "clashes": booking_clashes(person=person, session=session) if not not_bookable else [],
        },
    )


def _not_bookable(session: Session, person) -> str:
    """Why the person cannot book the session now, or "" when they can."""
    try:
        session_bookable(session=session, person=person, now=timezone.now())
    except BookingError as error:
        return str(error)
    return ""


def _booked_message(booking: Booking) -> str:
    if booking.status == BookingStatus.REQUESTED:
        return "Your request has been sent to your line manager."
    if booking.status == BookingStatus.WAITLISTED:
        return "You are on the waiting list."
    return "Your place is confirmed."


@person_required
def booking_detail(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    now = timezone.now()
    return render(
        request,
        "courses/booking.html",
        {
            "booking": booking,
            "session": booking.session,
            "course": booking.session.course,
            "waitlist_rank": _waitlist_rank(booking),
            "may_cancel": _may_cancel(booking, now),
            "is_past": booking.session.starts_at <= now,
            "show_place": booking.status == BookingStatus.CONFIRMED,
            "now": now,
            "form": CancelForm() if _may_cancel(booking, now) else None,
            "invite_method": calendar.invite_method(booking),
        },
    )


@person_required
@require_http_methods(["GET", "POST"])
def booking_cancel_view(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    now = timezone.now()
    if not _may_cancel(booking, now):
        return redirect("courses:booking", booking_id=booking.pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_cancel(booking=booking, actor=request.user, reason=form.cleaned_data["reason"])
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your booking is cancelled.")
            return redirect("courses:booking", booking_id=booking.pk)
    return render(
        request,
        "courses/booking_cancel.html",
        {"booking": booking, "session": booking.session, "course": booking.session.course, "form": form},
    )


def _page(request, queryset, name: str):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(name))


@person_required
def my_training(request):
    """The person's training: upcoming confirmed places, requests and waiting-list places, and past training,
    each paged on its own, with the next thing to do on each."""
    now = timezone.now()
    bookings = Booking.objects.filter(person=request.person).select_related("session__course")
    waiting_rank = Subquery(
        Booking.objects.filter(
            session_id=OuterRef("session_id"),
            status=BookingStatus.WAITLISTED,
            waitlist_position__lte=OuterRef("waitlist_position"),
        )
        .values("session_id")
        .annotate(rank=Count("pk"))
        .values("rank")
    )
    upcoming_q = Q(status=BookingStatus.CONFIRMED, session__starts_at__gt=now)
    pending_q = Q(status__in=[BookingStatus.REQUESTED, BookingStatus.WAITLISTED], session__starts_at__gt=now)
    upcoming = _page(request, bookings.filter(upcoming_q).order_by("session__starts_at", "pk"), "upcoming_page")
    pending = _page(
        request,
        bookings.filter(pending_q).annotate(waitlist_rank=waiting_rank).order_by("session__starts_at", "pk"),
        "pending_page",
    )
    past = _page(
        request,
        bookings.exclude(upcoming_q | pending_q).order_by("-session__starts_at", "-pk"),
        "past_page",
    )
    return render(
        request,
        "courses/my_training.html",
        {"upcoming": upcoming, "pending": pending, "past": past, "now": now},
    )


urlpatterns = [
    path("", my_training, name="my-training"),
    path("sessions/<int:session_id>/book/", session_book, name="session-book"),
    path("bookings/<int:booking_id>/", booking_detail, name="booking"),
    path("bookings/<int:booking_id>/cancel/", booking_cancel_view, name="booking-cancel"),
]
