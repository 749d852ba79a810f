"""Training › Sessions › Roster: who is confirmed (with their reasonable-adjustment needs, shown only here), the
waiting list in order, requests awaiting approval, and cancelled or declined bookings below; its CSV download
(formula-safe); attendance in bulk once the session has started; closing the session."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.enums import BookingStatus, SessionStatus
from courses.errors import CoursesError
from courses.models import Booking, Session
from courses.services.attendance import attendance_mark, session_close
from courses.viewsets.base import london
from courses.viewsets.forms import AttendanceForm
from courses.viewsets.roster_rows import attending_rows, ended_rows, person_cells, requested_items, waitlist_rows
from frameworks.spreadsheets import FormulaSafeCsvWriter

VIEW_ROSTER = "courses.view_booking"
MARK_ATTENDANCE = "courses.change_booking"
CHANGE_SESSION = "courses.change_session"
ATTENDANCE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
ENDED_STATUSES = (BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.LAPSED)


# What the roster page and its CSV show of a booking and its person (names, e-mail, grade, manager): nothing else
# is read, so seventy bookings do not carry seventy passwords and timestamps (docs/decisions/0302).
ROSTER_FIELDS = (
    "id",
    "person_id",
    "status",
    "waitlist_position",
    "adjustments",
    "cancel_reason",
    "decline_reason",
    "waitlisted_at",
    "created_at",
    "person__user_id",
    "person__staff_number",
    "person__grade_id",
    "person__line_manager_id",
    "person__user__first_name",
    "person__user__last_name",
    "person__user__email",
    "person__grade__name",
    "person__line_manager__user_id",
    "person__line_manager__user__first_name",
    "person__line_manager__user__last_name",
    "person__line_manager__user__email",
)


def roster_bookings(session: Session) -> list[Booking]:
    """Every booking of the session with its person, in one query, reading only what the roster shows."""
    return list(
        Booking.objects.filter(session=session)
        .select_related("person__user", "person__grade", "person__line_manager__user")
        .only(*ROSTER_FIELDS)
        .order_by("created_at", "id")
    )


def roster_groups(bookings: list[Booking]) -> dict[str, list[Booking]]:
    return {
        "attending": [b for b in bookings if b.status in ATTENDANCE_STATUSES],
        "waitlist": sorted(
            (b for b in bookings if b.status == BookingStatus.WAITLISTED), key=lambda b: b.waitlist_position
        ),
        "requested": [b for b in bookings if b.status == BookingStatus.REQUESTED],
        "ended": [b for b in bookings if b.status in ENDED_STATUSES],
    }


class SessionObjectMixin:
    """Loads the session named in the URL after checking the permission (no object is looked up for a user who
    may not see rosters)."""

    permission = VIEW_ROSTER

    def dispatch(self, request, pk):
        if not request.user.has_perm(self.permission):
            return permission_denied(request)
        self.session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
        return super().dispatch(request, pk=pk)


class RosterView(SessionObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "courses/admin/roster.html"
    header_icon = "group"
    page_title = "Roster"

    def get_page_subtitle(self):
        return f"{self.session.course.title}, {london(self.session.starts_at)}"

    def get_header_title(self):
        return f"Roster: {self.get_page_subtitle()}"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("courses_session:index"), "label": "Sessions"},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def attendance_form(self, data=None):
        return AttendanceForm(data, bookings=self.groups["attending"])

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        self.groups = getattr(self, "groups", None) or roster_groups(roster_bookings(session))
        started = timezone.now() >= session.starts_at
        may_mark = self.request.user.has_perm(MARK_ATTENDANCE)
        may_change = self.request.user.has_perm(CHANGE_SESSION)
        attending = self.groups["attending"]
        show_attendance = bool(may_mark and started and session.status != SessionStatus.CANCELLED and attending)
        # The form's radios only when attendance can be marked; otherwise a form without rows, for its errors.
        form = form or (self.attendance_form() if show_attendance else AttendanceForm(bookings=[]))
        attendance_rows = [(b.pk, person_cells(b), field) for b, field in form.bound_rows()] if show_attendance else []
        context.update(
            session=session,
            starts=london(session.starts_at),
            ends=london(session.ends_at, "%H:%M %Z"),
            booking_window=f"{london(session.booking_opens_at)} to {london(session.booking_closes_at)}",
            cutoff=london(session.cancellation_cutoff_at),
            groups=self.groups,
            unmarked=sum(1 for b in attending if b.status == BookingStatus.CONFIRMED),
            attended=sum(1 for b in attending if b.status == BookingStatus.COMPLETED),
            no_shows=sum(1 for b in attending if b.status == BookingStatus.NO_SHOW),
            started=started,
            show_attendance=show_attendance,
            attendance_form=form,
            attendance_rows=attendance_rows,
            rows={
                "attending": "" if show_attendance else attending_rows(attending),
                "waitlist": waitlist_rows(self.groups["waitlist"]),
                "requested": requested_items(self.groups["requested"]),
                "ended": ended_rows(self.groups["ended"]),
            },
            may_close=may_change and started and session.status == SessionStatus.SCHEDULED,
            may_change=may_change and session.status == SessionStatus.SCHEDULED,
            edit_url=reverse("courses_session:edit", args=[session.pk]),
            cancel_url=reverse("courses_session:cancel", args=[session.pk]),
            close_url=reverse("courses_session:close", args=[session.pk]),
            csv_url=reverse("courses_session:roster_csv", args=[session.pk]),
        )
        return context

    def post(self, request, pk):
        """Attendance in bulk: one mark per confirmed booking."""
        if not request.user.has_perm(MARK_ATTENDANCE):
            return permission_denied(request)
        self.groups = roster_groups(roster_bookings(self.session))
        form = self.attendance_form(request.POST)
        if form.is_valid():
            marks = form.marks()
            if not marks:
                form.add_error(None, "Choose attended or did not attend for at least one person.")
            else:
                try:
                    changed = attendance_mark(session=self.session, marks=marks, actor=request.user)
                except CoursesError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request, f"Attendance saved: {len(changed)} {'mark' if len(changed) == 1 else 'marks'} changed."
                    )
                    return redirect("courses_session:roster", self.session.pk)
        return self.render_to_response(self.get_context_data(form=form), status=200)


class RosterCsvView(SessionObjectMixin, View):
    """The roster as a CSV file (formula-safe): everyone booked, with status, position and adjustment needs."""

    def get(self, request, pk):
        session = self.session
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"roster-{session.course.slug}-{london(session.starts_at, '%Y-%m-%d')}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = FormulaSafeCsvWriter(response)
        writer.writerow(
            [
                "First name",
                "Last name",
                "E-mail",
                "Staff number",
                "Grade",
                "Status",
                "Waiting list position",
                "Reasonable adjustments",
                "Booked (UK time)",
            ]
        )
        groups = roster_groups(roster_bookings(session))
        for booking in [*groups["attending"], *groups["waitlist"], *groups["requested"], *groups["ended"]]:
            person = booking.person
            writer.writerow(
                [
                    person.user.first_name,
                    person.user.last_name,
                    person.user.email,
                    person.staff_number,
                    person.grade.name if person.grade_id else "",
                    booking.get_status_display(),
                    booking.waitlist_position or "",
                    booking.adjustments,
                    london(booking.created_at, "%Y-%m-%d %H:%M %Z"),
                ]
            )
        return response


class SessionCloseView(SessionObjectMixin, View):
    """Close the session (POST): only when every confirmed booking has its attendance marked."""

    permission = CHANGE_SESSION

    def post(self, request, pk):
        try:
            session_close(session=self.session, actor=request.user)
        except CoursesError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The session is closed.")
        return redirect("courses_session:roster", self.session.pk)
