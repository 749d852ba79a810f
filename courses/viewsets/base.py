"""What the training admin's viewsets share, on the plumbing of frameworks.viewsets.base (one refused-actions
permission policy, one way of showing a service's refusal on the form: docs/decisions/0019)."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from courses.errors import CoursesError, NotAllowed
from courses.services.sessions import SessionInvalid
from frameworks.viewsets.base import AdminModelViewSet, ServiceErrorFormMixin

LONDON = ZoneInfo("Europe/London")


def london(value, format_: str = "%a %-d %b %Y, %H:%M %Z") -> str:
    """A stored (UTC) time as the training team reads it: in Europe/London, with the zone (GMT or BST)."""
    if value is None:
        return ""
    return timezone.localtime(value, LONDON).strftime(format_)


class CoursesModelViewSet(AdminModelViewSet):
    """No copies and no deletes: sessions and bookings are cancelled or closed, never deleted."""

    refused_actions = ("delete",)


class CoursesServiceFormMixin(ServiceErrorFormMixin):
    """A CoursesError the service raises is shown on the form, beside the field it concerns; a NotAllowed (the
    actor may not do this) is refused as Wagtail refuses any admin action."""

    service_errors = (CoursesError, NotAllowed)
    refusals = (NotAllowed,)
    service_error_message = "The session could not be saved: see the message below."

    def error_field_for(self, error) -> str | None:
        if isinstance(error, SessionInvalid):
            return error.field
        return super().error_field_for(error)
