"""Training › Sessions: the listing (with its export), scheduling and changing sessions through the services,
and cancelling a whole session. The roster and attendance live in `rosters`."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView

from courses.enums import BookingStatus, SessionStatus
from courses.errors import CoursesError
from courses.models import Session
from courses.services.sessions import SESSION_FIELDS, session_cancel, session_schedule, session_update
from courses.viewsets.base import CoursesModelViewSet, CoursesServiceFormMixin, london
from courses.viewsets.filters import SessionFilterSet
from courses.viewsets.forms import SessionCancelForm, SessionForm
from courses.viewsets.rosters import RosterCsvView, RosterView, SessionCloseView


def sessions_listed():
    """Sessions with what the listing shows, in a constant number of queries."""
    return Session.objects.select_related("course").annotate(
        waitlisted=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
        awaiting_approval=Count("bookings", filter=Q(bookings__status=BookingStatus.REQUESTED)),
    )


def seats(session) -> str:
    return f"{session.seats_taken} / {session.capacity}"


class SessionIndexView(IndexView):
    add_item_label = "Schedule a session"

    def get_base_queryset(self):
        return sessions_listed()

    def to_row_dict(self, item):
        item.starts_at_uk = london(item.starts_at)  # the export's UK-time columns, as the listing shows them
        item.ends_at_uk = london(item.ends_at)
        return super().to_row_dict(item)

    @cached_property
    def columns(self):
        """The course is the title column: it links to the session's roster and carries the row's actions."""
        title = self._get_title_column_class(TitleColumn)(
            "course",
            label="Course",
            accessor=lambda session: session.course.title,
            sort_key="course__title",
            get_url=lambda session: reverse("courses_session:roster", args=[session.pk]),
            classname="title",
        )
        return [title, *self.list_display[1:]]

    def get_list_more_buttons(self, instance):
        buttons = [
            MenuItem("Roster", url=reverse("courses_session:roster", args=[instance.pk]), icon_name="group", priority=5)
        ]
        if instance.status != SessionStatus.SCHEDULED:
            return buttons
        buttons += super().get_list_more_buttons(instance)
        if self.request.user.has_perm("courses.change_session"):
            buttons.append(
                MenuItem(
                    "Cancel the session",
                    url=reverse("courses_session:cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons


class SessionCreateView(CoursesServiceFormMixin, CreateView):
    page_title = "Schedule a session"

    def save_instance(self):
        data = self.form.cleaned_data
        return session_schedule(
            course=data["course"], actor=self.request.user, **{field: data[field] for field in SESSION_FIELDS}
        )

    def get_success_message(self, instance):
        return f"Session of {instance.course.title} on {london(instance.starts_at)} scheduled."


class SessionEditView(CoursesServiceFormMixin, EditView):
    def error_field_for(self, error):
        if "capacity" in str(error):
            return "capacity"
        return super().error_field_for(error)

    def get_object(self, queryset=None):
        if getattr(self, "_session", None) is None:
            self._session = super().get_object(queryset)
        return self._session

    def _not_scheduled(self):
        """A cancelled or completed session is not changed: back to its roster, saying why."""
        self.object = self.get_object()
        if self.object.status == SessionStatus.SCHEDULED:
            return None
        status = self.object.get_status_display().lower()
        messages.error(self.request, f"This session is {status}: it cannot be changed.")
        return redirect("courses_session:roster", self.object.pk)

    def get(self, request, *args, **kwargs):
        return self._not_scheduled() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._not_scheduled() or super().post(request, *args, **kwargs)

    def save_instance(self):
        data = self.form.cleaned_data
        return session_update(
            session=self.object, actor=self.request.user, **{field: data[field] for field in SESSION_FIELDS}
        )

    def get_success_message(self):
        return f"Session of {self.object.course.title} on {london(self.object.starts_at)} saved."


class SessionCancelView(WagtailAdminTemplateMixin, FormView):
    """Cancel a whole session, with a reason that everyone booked is told."""

    template_name = "courses/admin/session_cancel.html"
    form_class = SessionCancelForm
    header_icon = "calendar"
    permission = "courses.change_session"

    def dispatch(self, request, pk):
        if not request.user.has_perm(self.permission):
            return permission_denied(request)
        self.session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
        if self.session.status != SessionStatus.SCHEDULED:
            messages.error(request, f"This session is {self.session.get_status_display().lower()} already.")
            return redirect("courses_session:roster", self.session.pk)
        return super().dispatch(request, pk=pk)

    def get_page_title(self):
        return "Cancel the session"

    def get_page_subtitle(self):
        return f"{self.session.course.title}, {london(self.session.starts_at)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            self.session.bookings.filter(status__in=BookingStatus.values)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        context.update(
            session=self.session,
            confirmed=counts.get(BookingStatus.CONFIRMED, 0),
            waitlisted=counts.get(BookingStatus.WAITLISTED, 0),
            requested=counts.get(BookingStatus.REQUESTED, 0),
            roster_url=reverse("courses_session:roster", args=[self.session.pk]),
        )
        return context

    def form_valid(self, form):
        try:
            session_cancel(session=self.session, actor=self.request.user, reason=form.cleaned_data["reason"])
        except CoursesError as error:
            form.add_error("reason", str(error))
            return self.form_invalid(form)
        messages.success(self.request, "The session is cancelled and everyone booked on it has been told.")
        return redirect("courses_session:roster", self.session.pk)


class SessionViewSet(CoursesModelViewSet):
    model = Session
    name = "courses_session"
    url_prefix = "training/sessions"
    icon = "calendar"
    menu_label = "Sessions"
    add_to_reference_index = False
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    form_class = SessionForm
    filterset_class = SessionFilterSet
    list_display = [
        Column("course", label="Course", accessor="course.title", sort_key="course__title"),  # the title: see columns
        Column("starts_at", label="Starts (UK time)", accessor=lambda s: london(s.starts_at), sort_key="starts_at"),
        Column("town", label="Town", accessor=lambda s: s.town or "Online"),
        Column("seats", label="Seats taken / capacity", accessor=seats),
        Column("waitlisted", label="Waiting list", sort_key="waitlisted"),
        Column("awaiting_approval", label="Awaiting approval"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
    ]
    list_export = [
        "course.title",
        "starts_at_uk",
        "ends_at_uk",
        "town",
        "seats_taken",
        "capacity",
        "waitlisted",
        "awaiting_approval",
        "get_status_display",
    ]
    export_headings = {
        "course.title": "Course",
        "starts_at_uk": "Starts (UK time)",
        "ends_at_uk": "Ends (UK time)",
        "town": "Town",
        "seats_taken": "Seats taken",
        "capacity": "Capacity",
        "waitlisted": "Waiting list",
        "awaiting_approval": "Awaiting approval",
        "get_status_display": "Status",
    }
    export_filename = "training-sessions"
    ordering = ["-starts_at"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return SessionForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/roster/", RosterView.as_view(), name="roster"),
            path("<int:pk>/roster.csv", RosterCsvView.as_view(), name="roster_csv"),
            path("<int:pk>/cancel/", SessionCancelView.as_view(), name="cancel"),
            path("<int:pk>/close/", SessionCloseView.as_view(), name="close"),
        ]
