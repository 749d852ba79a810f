"""Demo certificates: Priya, the demo learner, holds one in every state a person meets (valid; expiring within 30
days, renewing an older one; expired, with a place booked on the next session of the course that renews it;
revoked, with the reason a verifier sees). The demo's closed sessions already issued certificates to the people who
attended them, through the real completion path. Everything goes through the certificate services, issued by hand
by Dev, the demo training administrator, with the reasons a training team would write."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from courses.enums import BookingStatus
from courses.errors import BookingError
from courses.models import CoursePage, Session
from courses.services.bookings import booking_approve, booking_request
from skills.models import Certificate, Person
from skills.services import certificate_issue_by_hand, certificate_revoke

LEARNER = "learner@capability.example"
TRAINING_ADMINISTRATOR = "training@capability.example"


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def demo_certificates_load() -> int:
    """Give the demo learner her certificates. Returns how many were issued (0 if done already, or if the demo
    courses are not loaded)."""
    learner = Person.objects.select_related("user", "line_manager__user").filter(user__email=LEARNER).first()
    administrator = Person.objects.select_related("user").filter(user__email=TRAINING_ADMINISTRATOR).first()
    if learner is None or administrator is None:
        return 0
    if Certificate.objects.filter(holder=learner, issued_by__isnull=False).exists():
        return 0
    courses = {course.title: course for course in CoursePage.objects.filter(leads_to_certificate=True)}
    wanted = ("Data ethics and privacy", "Cyber security awareness", "Incident management", "Data engineering bootcamp")
    if any(title not in courses for title in wanted):
        return 0
    today = timezone.localdate()
    admin = administrator.user

    def issue(title: str, issued_on, reason: str) -> Certificate:
        course = courses[title]
        return certificate_issue_by_hand(
            holder=learner,
            award=course.award,
            title=course.title,
            url=course.url or "",
            validity_months=course.certificate_validity_months,
            issued_on=issued_on,
            reason=reason,
            actor=admin,
        )

    with transaction.atomic():
        # Valid: completed on the previous learning platform five months ago.
        issued = [
            issue(
                "Data ethics and privacy",
                today - relativedelta(months=5),
                "Completed on Civil Service Learning before Capability; record CSL-DEP-44120.",
            )
        ]
        # Expiring within 30 days, renewing the one from the year before (expired).
        cyber = courses["Cyber security awareness"]
        months = cyber.certificate_validity_months or 12
        renewed_on = today - relativedelta(months=months) + relativedelta(days=20)
        issued.append(
            issue(
                "Cyber security awareness",
                renewed_on - relativedelta(months=months, days=10),
                "Annual mandatory training, completed on Civil Service Learning.",
            )
        )
        issued.append(
            issue(
                "Cyber security awareness",
                renewed_on,
                "Annual mandatory training, completed on Civil Service Learning.",
            )
        )
        # Expired, with a place on the next session of the course that renews it.
        incident = courses["Incident management"]
        issued.append(
            issue(
                "Incident management",
                today - relativedelta(months=(incident.certificate_validity_months or 24) + 2),
                "Attended with the previous supplier; attendance sheet from the training team's records.",
            )
        )
        upcoming = Session.objects.filter(course=incident, starts_at__gt=timezone.now()).order_by("starts_at").first()
        if upcoming is not None:
            try:
                booking = booking_request(
                    session=upcoming,
                    person=learner,
                    actor=learner.user,
                    reason="My Incident management certificate has expired: this session renews it.",
                )
                if booking.status == BookingStatus.REQUESTED and learner.line_manager is not None:
                    booking_approve(booking=booking, actor=learner.line_manager.user)
            except BookingError:
                pass  # already booked, or a grade the course is not for: the certificate still shows as expired
        # Revoked: recorded against her by mistake.
        bootcamp = issue(
            "Data engineering bootcamp",
            today - relativedelta(months=2),
            "From the supplier's completion list for the March cohort.",
        )
        certificate_revoke(
            certificate=bootcamp,
            reason="Recorded against the wrong person: the supplier's list confused two people named Shah.",
            actor=admin,
        )
        issued.append(bootcamp)
    return len(issued)
