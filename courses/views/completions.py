"""Self-paced completions: the learner records one (`completion-record`), and the learner and their line manager
see it at `completion` — the learner can withdraw it while it waits, the manager confirms or rejects it. Anyone
else gets 404 and nothing changes."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from courses.enums import CompletionStatus
from courses.errors import NotAllowed
from courses.models import CourseCompletion, CoursePage
from courses.services.completions import (
    CompletionError,
    completion_confirm,
    completion_record,
    completion_reject,
    completion_withdraw,
)
from skills.selectors import approver_may_decide
from skills.views.access import person_required


class CompletionForm(forms.Form):
    completed_on = forms.DateField(
        label="When did you complete it?",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date you completed the course", "invalid": "Enter a real date"},
    )
    evidence = forms.CharField(
        label="What shows you completed it?",
        help_text="A certificate number, a link to your record on the provider's site, or what you learned.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Say what shows you completed the course"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("completed_on", field_width=10),
            Field.textarea("evidence"),
            Button("submit", "Send to my line manager"),
        )

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise forms.ValidationError("The date you completed the course must be today or in the past")
        return completed_on


class DecisionForm(forms.Form):
    CONFIRM, REJECT = "confirm", "reject"
    decision = forms.ChoiceField(
        label="Did they complete it?",
        choices=[(CONFIRM, "Yes, confirm it"), (REJECT, "No, do not confirm it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you confirm it"},
    )
    reason = forms.CharField(
        label="Why not?",
        required=False,
        help_text="The learner will see your reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason"),
            Button("submit", "Save decision"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you are not confirming it: the learner will see your reason")
        return cleaned


@person_required
@require_http_methods(["GET", "POST"])
def completion_record_view(request, page_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=page_id)
    if not course.is_self_paced:
        raise Http404("Only a self-paced course is recorded this way.")
    form = CompletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            completion = completion_record(
                person=request.person,
                course=course,
                completed_on=form.cleaned_data["completed_on"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except CompletionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"You recorded {course.title}. Your line manager has it to confirm.")
            return redirect("courses:completion", completion_id=completion.pk)
    return TemplateResponse(
        request,
        "courses/completion_record.html",
        {"course": course, "form": form, "course_url": course.get_url(request)},
    )


@person_required
@require_http_methods(["GET", "POST"])
def completion_view(request, completion_id):
    completion = (
        CourseCompletion.objects.select_related("course", "person__user", "decided_by").filter(pk=completion_id).first()
    )
    if completion is None:
        raise Http404
    is_learner = completion.person_id == request.person.pk
    is_manager = not is_learner and approver_may_decide(approver=request.user, person=completion.person)
    if not is_learner and not is_manager:
        raise Http404
    waiting = completion.status == CompletionStatus.CLAIMED
    form = DecisionForm(request.POST if request.method == "POST" else None) if is_manager and waiting else None
    if request.method == "POST":
        try:
            done = _completion_post(request, completion, is_learner=is_learner, waiting=waiting, form=form)
        except NotAllowed:
            raise Http404 from None
        except CompletionError as error:
            if form is None:
                messages.error(request, str(error))
                return redirect("courses:completion", completion_id=completion.pk)
            form.add_error(None, str(error))
        else:
            if done:
                messages.success(request, done)
                return redirect("courses:completion", completion_id=completion.pk)
    return TemplateResponse(
        request,
        "courses/completion.html",
        {
            "completion": completion,
            "course_url": completion.course.get_url(request),
            "is_learner": is_learner,
            "is_manager": is_manager,
            "waiting": waiting,
            "form": form,
        },
    )


def _completion_post(request, completion: CourseCompletion, *, is_learner: bool, waiting: bool, form) -> str:
    """Carry out the learner's withdrawal or the manager's decision; what was done, "" when the form is invalid."""
    if not waiting:
        raise CompletionError(
            f"This record has already been dealt with: it is {completion.get_status_display().lower()}."
        )
    course, name = completion.course, completion.person.user.get_full_name()
    if is_learner:
        completion_withdraw(completion=completion, actor=request.user)
        return f"You withdrew your record of {course.title}."
    if not form.is_valid():
        return ""
    if form.cleaned_data["decision"] == DecisionForm.CONFIRM:
        completion_confirm(completion=completion, actor=request.user, url=course.get_url(request) or "")
        return f"You confirmed that {name} completed {course.title}."
    completion_reject(completion=completion, actor=request.user, reason=form.cleaned_data["reason"])
    return f"You did not confirm that {name} completed {course.title}: they are told your reason."
