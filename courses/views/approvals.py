"""The line manager's approvals: the training requests waiting for their decision (their direct reports', and
those of any manager who has delegated to them today), and one request to approve or decline."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, ConditionalRadios, Field, Layout
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from courses.enums import BookingStatus
from courses.errors import BookingError, NotAllowed
from courses.selectors.approvals import approval_get_for, approvals_page, course_fit
from courses.services.bookings import booking_approve, booking_decline
from skills.forms import REASON_LIMIT, GDSFormMixin, LongTextField, RevealQuestion
from skills.selectors.delegation import delegation_active_from, delegations_around
from skills.views.access import person_required


class ApprovalDecisionForm(GDSFormMixin, forms.Form):
    """Approve, or decline with a reason the learner will read. The reason sits under "Decline" (GOV.UK
    conditional reveal; without JavaScript it shows anyway) and is required only for a decline."""

    submit_label = "Save decision"
    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[(APPROVE, "Approve"), (DECLINE, "Decline")],
        error_messages={
            "required": "Choose whether to approve or decline the request",
            "invalid_choice": "Choose whether to approve or decline the request",
        },
    )
    reason = LongTextField(
        label="Why are you declining it?",
        help_text="The learner sees this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        limit=REASON_LIMIT,
        noun="The reason",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            ConditionalRadios(
                "decision",
                RevealQuestion("Approve"),
                RevealQuestion("Decline", Field.textarea("reason", max_characters=REASON_LIMIT, threshold=75)),
            ),
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and "reason" in cleaned and not cleaned["reason"].strip():
            self.add_error("reason", "Say why you are declining the request: the learner will see your reason")
        return cleaned


@person_required
def approvals(request):
    """The requests waiting for the viewer's decision, oldest first, 50 a page, each with the date booking
    closes (a request not decided by then lapses). A request that comes through a delegation says whose."""
    person = request.person
    away, covering = delegations_around(person=person)
    page, rows = approvals_page(approver=person, covering=covering, page_number=request.GET.get("page"))
    return render(
        request,
        "courses/approvals.html",
        {"page_obj": page, "rows": rows, "away": away, "is_manager": person.has_direct_reports},
    )


def cost_words(course) -> str:
    return "Free" if course.is_free else f"£{course.cost_pence / 100:,.2f} per learner"


@person_required
def approval(request, booking_id):
    """One request: the learner, the course and session, why they want it and how the course's outcomes meet
    their gaps, with the decision. Anyone who may not decide it (not the learner's line manager nor that
    manager's delegate today, or the learner themselves) gets 404, and nothing changes. Reasonable-adjustment
    needs are never shown here (training administrators only)."""
    booking = approval_get_for(user=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404
    open_request = booking.status == BookingStatus.REQUESTED
    form = ApprovalDecisionForm(request.POST if request.method == "POST" else None) if open_request else None
    learner = booking.person.user.get_full_name()
    course = booking.session.course
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == form.APPROVE:
                booking = booking_approve(booking=booking, actor=request.user)
                place = (
                    "have a confirmed place"
                    if booking.status == BookingStatus.CONFIRMED
                    else f"are number {booking.waitlist_position} on the waiting list"
                )
                done = f"You approved {learner}'s request for {course.title}: they {place}, and have been told."
            else:
                booking_decline(booking=booking, actor=request.user, reason=form.cleaned_data["reason"])
                done = f"You declined {learner}'s request for {course.title}. They have been told your reason."
        except NotAllowed:
            raise Http404 from None
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("courses:approvals")
    line_manager = booking.person.line_manager
    delegation = (
        delegation_active_from(delegator=line_manager)
        if line_manager is not None and line_manager.user_id != request.user.pk
        else None
    )
    return render(
        request,
        "courses/approvals_detail.html",
        {
            "booking": booking,
            "session": booking.session,
            "course": course,
            "learner": learner,
            "cost": cost_words(course),
            "form": form,
            "fits": course_fit(booking=booking),
            "delegation": delegation,
        },
    )


urlpatterns = [
    path("approvals/", approvals, name="approvals"),
    path("approvals/<int:booking_id>/", approval, name="approval"),
]
