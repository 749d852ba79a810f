"""The training admin's forms. They validate what was typed (every rule of a session on the field it concerns, so
nothing reaches the database's constraints); the views pass the cleaned data to the services, which write.

Times are entered and shown in Europe/London whatever the administrator's own admin time zone: the sessions
happen in the UK and the learners read them in UK time."""

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateTimeInput

from courses.models import Booking, Session
from courses.services.sessions import SESSION_FIELDS, session_problems
from courses.viewsets.base import LONDON
from courses.viewsets.filters import live_courses

UK_TIME = "UK time (Europe/London: GMT in winter, BST in summer)."


class LondonDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in Europe/London (a time that does not exist when the clocks go forward
    is refused with Django's message, and an ambiguous one when they go back)."""

    widget = AdminDateTimeInput

    def prepare_value(self, value):
        with timezone.override(LONDON):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(LONDON):
            return super().to_python(value)


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_delivery_mode_display()}, {obj.provider})" if obj.provider else obj.title


class SessionForm(forms.ModelForm):
    course = CourseChoiceField(
        queryset=live_courses(), help_text="Only courses taught live: self-paced e-learning has no sessions."
    )
    starts_at = LondonDateTimeField(label="Starts", help_text=UK_TIME)
    ends_at = LondonDateTimeField(label="Ends", help_text=UK_TIME)
    booking_opens_at = LondonDateTimeField(label="Booking opens", help_text=UK_TIME)
    booking_closes_at = LondonDateTimeField(
        label="Booking closes",
        help_text="UK time. No later than the start. Requests not approved by then lapse.",
    )
    cancellation_cutoff_at = LondonDateTimeField(
        label="Cancellation cut-off",
        help_text="UK time. After this, learners ask the training team to cancel. No later than the start.",
    )

    joining_link = forms.URLField(
        label="Online joining link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Shown to confirmed attendees only.",
    )

    class Meta:
        model = Session
        fields = ["course", *SESSION_FIELDS]
        labels = {"minimum_attendees": "Minimum number of attendees", "joining_link": "Online joining link"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].min_value = 1
        if self.instance.pk:
            self.fields["course"].disabled = True
            self.fields["course"].help_text = "A session's course cannot change: cancel it and schedule another."
            taken = self.instance.seats_taken
            if taken:
                self.fields["capacity"].help_text = f"{taken} seats are confirmed: the capacity cannot be less."

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course") if not self.instance.pk else None
        for field, message in session_problems(course=course, values=cleaned).items():
            if field not in self.errors:
                self.add_error(field, message)
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.seats_taken:
            self.add_error(
                "capacity",
                f"{self.instance.seats_taken} seats are already confirmed: the capacity cannot be less than that.",
            )
        return cleaned


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Everyone booked on it is told this reason.",
        error_messages={"required": "Say why the session is cancelled: everyone booked on it will see your reason."},
    )


ATTENDED = "attended"
NOT_ATTENDED = "absent"


class AttendanceForm(forms.Form):
    """One choice per confirmed (or already marked) booking: attended or did not attend. Left empty: not marked
    yet."""

    def __init__(self, *args, bookings: list[Booking], **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        for booking in bookings:
            initial = {"completed": ATTENDED, "no_show": NOT_ATTENDED}.get(booking.status, "")
            self.fields[f"booking_{booking.pk}"] = forms.ChoiceField(
                label=str(booking.person),
                choices=[(ATTENDED, "Attended"), (NOT_ATTENDED, "Did not attend")],
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
            )

    def marks(self) -> dict[int, bool]:
        return {
            booking.pk: self.cleaned_data[f"booking_{booking.pk}"] == ATTENDED
            for booking in self.bookings
            if self.cleaned_data.get(f"booking_{booking.pk}")
        }

    def bound_rows(self):
        return [(booking, self[f"booking_{booking.pk}"]) for booking in self.bookings]
