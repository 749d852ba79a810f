"""Interest in training that has no session to book: a learner registers it from their gap page (against a
course, or a skill at the level they need), sees it here and withdraws it. Training administrators see the
demand in the admin (courses/views/demand.py)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from courses.models import CourseInterest, CoursePage
from courses.selectors.interest import interests_of
from courses.services.interest import InterestError, interest_register, interest_withdraw
from frameworks.models import Framework
from skills.views.access import person_required


class InterestForm(forms.Form):
    """What the buttons on the gap page send: a course, or a framework, skill and level."""

    course = forms.ModelChoiceField(queryset=CoursePage.objects.live(), required=False)
    framework = forms.ModelChoiceField(queryset=Framework.objects.all(), required=False)
    skill = forms.SlugField(required=False)
    level = forms.IntegerField(required=False, min_value=1)
    next = forms.CharField(required=False)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@person_required
def interest(request):
    """GET: the person's registered interest, each with a way to withdraw it. POST: register interest."""
    person = request.person
    if request.method == "POST":
        form = InterestForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That course or skill could not be found: it may have been withdrawn.")
            return redirect(_back(request, reverse("courses:interest")))
        data = form.cleaned_data
        try:
            registered, created = interest_register(
                person=person,
                actor=request.user,
                course=data["course"],
                framework=data["framework"],
                skill_code=data["skill"] or "",
                level_rank=data["level"],
            )
        except InterestError as error:
            messages.error(request, str(error))
            return redirect(_back(request, reverse("courses:interest")))
        what = registered.course.title if registered.course_id else "this skill"
        if created:
            messages.success(
                request, f"We have noted your interest in {what}. The training team sees it when planning sessions."
            )
        else:
            messages.info(request, f"You had already registered your interest in {what}.")
        return redirect(_back(request, reverse("courses:interest")))
    return render(request, "courses/interest.html", {"interests": list(interests_of(person=person))})


@require_POST
@person_required
def interest_withdraw_view(request, interest_id: int):
    registered = CourseInterest.objects.filter(pk=interest_id, person=request.person).select_related("person").first()
    if registered is None:
        raise Http404
    interest_withdraw(interest=registered, actor=request.user)
    messages.success(request, "You have withdrawn your interest.")
    return redirect(_back(request, reverse("courses:interest")))
