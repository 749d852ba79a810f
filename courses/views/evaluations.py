"""The learner's "how did it go?" form, after a session they attended or a self-paced course whose completion was
confirmed. Only the learner sees it; anyone else (and a booking not attended) gets 404, and nothing changes."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from courses.enums import BookingStatus, CompletionStatus
from courses.models import Booking, CourseCompletion, Evaluation
from courses.services.evaluations import AlreadyEvaluated, evaluation_submit
from skills.forms import LongTextField
from skills.views.access import person_required

COMMENT_LIMIT = 2000

SATISFACTION = [
    ("5", "Very good"),
    ("4", "Good"),
    ("3", "Neither good nor poor"),
    ("2", "Poor"),
    ("1", "Very poor"),
]
RELEVANCE = [
    ("5", "Very relevant"),
    ("4", "Relevant"),
    ("3", "Somewhat relevant"),
    ("2", "Not very relevant"),
    ("1", "Not relevant at all"),
]


def _score(label: str, choices, missing: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class EvaluationForm(forms.Form):
    satisfaction = _score("Overall, how was the course?", SATISFACTION, "Choose how the course was overall")
    relevance_to_work = _score(
        "How relevant was it to your work?", RELEVANCE, "Choose how relevant the course was to your work"
    )
    relevance_to_gap = _score(
        "How relevant was it to the skill you wanted to develop?",
        RELEVANCE,
        "Choose how relevant the course was to the skill you wanted to develop",
    )
    comment = LongTextField(
        label="Anything else you want to tell us (optional)",
        help_text="What worked, what did not.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        limit=COMMENT_LIMIT,
        noun="Your comment",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("satisfaction", legend_size=Size.MEDIUM),
            Field.radios("relevance_to_work", legend_size=Size.MEDIUM),
            Field.radios("relevance_to_gap", legend_size=Size.MEDIUM),
            Field.textarea("comment", label_size=Size.MEDIUM),
            Button("submit", "Send"),
        )


def _evaluation_page(request, *, booking=None, completion=None, course, when):
    subject = booking if booking is not None else completion
    given = Evaluation.objects.filter(**({"booking": booking} if booking else {"completion": completion})).first()
    form = None
    if given is None:
        form = EvaluationForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                evaluation_submit(actor=request.user, booking=booking, completion=completion, **form.cleaned_data)
            except AlreadyEvaluated as refusal:
                messages.info(request, str(refusal))
            else:
                messages.success(request, "Thank you: your answers are sent.")
            return redirect(request.path)
    elif request.method == "POST":
        messages.info(request, str(AlreadyEvaluated()))
        return redirect(request.path)
    return render(
        request,
        "courses/evaluation.html",
        {"form": form, "given": given, "course": course, "when": when, "subject": subject},
    )


@person_required
def booking_evaluation(request, booking_id: int):
    """The learner's evaluation of a session they attended."""
    booking = (
        Booking.objects.select_related("session__course")
        .filter(pk=booking_id, person=request.person, status=BookingStatus.COMPLETED)
        .first()
    )
    if booking is None:
        raise Http404
    return _evaluation_page(request, booking=booking, course=booking.session.course, when=booking.session.starts_at)


@person_required
def completion_evaluation(request, completion_id: int):
    """The learner's evaluation of a self-paced course whose completion their line manager confirmed."""
    completion = (
        CourseCompletion.objects.select_related("course")
        .filter(pk=completion_id, person=request.person, status=CompletionStatus.CONFIRMED)
        .first()
    )
    if completion is None:
        raise Http404
    return _evaluation_page(request, completion=completion, course=completion.course, when=completion.completed_on)
