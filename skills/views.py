"""Pages for learners, line managers and assessors. Every object is looked up through a selector that
applies the access rule; someone without access gets 404, never a hint that the object exists."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from frameworks.models import Skill
from frameworks.selectors import skill_detail

from . import selectors
from .forms import AddSkillForm, ReviewDecisionForm, RoleLevelsForm, SelfAssessmentForm
from .models import Person, Review
from .services import InvalidAssessment, NotAllowed
from .services.accounts import (
    EmailChangeLinkInvalid,
    account_email_change_cancel,
    account_email_change_confirm,
    email_change_for_link,
)
from .services.profile import person_role_levels_set
from .services.reviews import (
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)


def person_required(view):
    """Sign-in required; the signed-in person's profile is `request.person`. Someone signed in without a
    profile (an editor, a new starter HR has not loaded yet) gets a page saying so."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.person = selectors.person_for_user(user=request.user)
        if request.person is None:
            return render(request, "skills/no_profile.html")
        return view(request, *args, **kwargs)

    return wrapped


def _me(request) -> Person:
    return request.person


@person_required
def overview(request):
    person = _me(request)
    release = selectors.person_release(person=person)
    return render(
        request,
        "skills/overview.html",
        {
            "person": person,
            "release": release,
            "target_gaps": selectors.gap_analysis(person=person, role_level=person.target_role_level),
            "current_gaps": selectors.gap_analysis(person=person, role_level=person.current_role_level),
            "review_count": selectors.reviews_for_line_manager(manager=person).count()
            + selectors.reviews_for_assessor(assessor=person).count(),
            "has_team": person.direct_reports.exists(),
        },
    )


@person_required
def role_levels(request):
    person = _me(request)
    release = selectors.person_release(person=person)
    choices = list(selectors.role_levels_to_choose(release=release)) if release else []
    # Arriving from a role level's page in the framework ("Set as my target"), that level is preselected.
    initial = {
        "current": request.GET.get("current") or str(person.current_role_level_id or ""),
        "target": request.GET.get("target") or str(person.target_role_level_id or ""),
    }
    form = RoleLevelsForm(request.POST if request.method == "POST" else None, role_levels=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_role_levels_set(
                person=person,
                current=form.cleaned_data["current"],
                target=form.cleaned_data["target"],
                actor=request.user,
            )
        except InvalidAssessment as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your role levels have been saved.")
            return redirect("skills:overview")
    return render(request, "skills/role_levels.html", {"form": form, "release": release, "person": person})


@person_required
def self_assessment(request):
    person = _me(request)
    release = selectors.person_release(person=person)
    items = selectors.self_assessment_items(person=person, release=release) if release else []
    drafts = [item for item in items if item.draft]
    addable = Skill.objects.filter(release=release).exclude(pk__in=[item.skill.pk for item in items]).order_by("name")
    return render(
        request,
        "skills/self_assessment.html",
        {
            "person": person,
            "release": release,
            "items": items,
            "drafts": drafts,
            "send_label": f"Send {len(drafts)} draft answer{'s' if len(drafts) != 1 else ''} for review",
            "add_form": AddSkillForm(skills=list(addable)) if release else None,
        },
    )


@person_required
def self_assessment_skill(request, skill_code):
    person = _me(request)
    release = selectors.person_release(person=person)
    if release is None:
        raise Http404
    detail = (
        skill_detail(release=release, skill_code=skill_code)
        if Skill.objects.filter(release=release, code=skill_code).exists()
        else None
    )
    if detail is None:
        raise Http404
    skill = detail.skill
    item = next(
        (i for i in selectors.self_assessment_items(person=person, release=release) if i.skill.pk == skill.pk), None
    )
    initial = {}
    if item and item.draft:
        initial = {"level": item.draft.level, "evidence": item.draft.evidence}
    elif item and item.current and item.current.claim:
        initial = {"level": item.current.claimed_level, "evidence": item.current.claim.evidence}
    form = SelfAssessmentForm(request.POST if request.method == "POST" else None, skill=skill, initial=initial)
    if request.method == "POST" and form.is_valid():
        self_assessment_draft_save(
            person=person,
            skill=skill,
            level=form.cleaned_data["level"],
            evidence=form.cleaned_data["evidence"],
            actor=request.user,
        )
        messages.success(request, f"Your answer for {skill.name} is saved as a draft.")
        return redirect("skills:self-assessment")
    required_level_ids = {level.pk for _, level in (item.required if item else []) if level}
    return render(
        request,
        "skills/self_assessment_skill.html",
        {"detail": detail, "skill": skill, "form": form, "item": item, "required_level_ids": required_level_ids},
    )


@require_POST
@person_required
def self_assessment_add(request):
    person = _me(request)
    release = selectors.person_release(person=person)
    form = AddSkillForm(request.POST, skills=list(Skill.objects.filter(release=release)))
    if not form.is_valid():
        messages.error(request, "Choose a skill from the list to add it.")
        return redirect("skills:self-assessment")
    return redirect("skills:self-assessment-skill", skill_code=form.cleaned_data["skill"].code)


@require_POST
@person_required
def self_assessment_send(request):
    person = _me(request)
    try:
        claims = self_assessment_submit(person=person, actor=request.user)
    except InvalidAssessment as error:
        messages.error(request, str(error))
    else:
        who = (
            person.line_manager.user.get_full_name() if person.line_manager else "nobody yet: you have no line manager"
        )
        messages.success(request, f"You sent {len(claims)} claim{'s' if len(claims) != 1 else ''} to {who}.")
    return redirect("skills:self-assessment")


@person_required
def gaps(request, person_id=None):
    viewer = _me(request)
    person = viewer if person_id is None else _visible_person(viewer, person_id)
    return render(
        request,
        "skills/gaps.html",
        {
            "person": person,
            "is_self": person.pk == viewer.pk,
            "history_base": reverse("skills:overview") + "history/"
            if person.pk == viewer.pk
            else reverse("skills:team-member", kwargs={"person_id": person.pk}) + "history/",
            "target_gaps": selectors.gap_analysis(person=person, role_level=person.target_role_level),
            "current_gaps": selectors.gap_analysis(person=person, role_level=person.current_role_level),
        },
    )


def _visible_person(viewer: Person, person_id: int) -> Person:
    person = (
        Person.objects.select_related("user", "current_role_level__role", "target_role_level__role", "line_manager")
        .filter(pk=person_id)
        .first()
    )
    if person is None or not selectors.person_visible_to(viewer=viewer, person=person):
        raise Http404
    return person


@person_required
def history(request, skill_code, person_id=None):
    viewer = _me(request)
    person = viewer if person_id is None else _visible_person(viewer, person_id)
    rows = list(selectors.skill_history(person=person, skill_code=skill_code))
    if not rows:
        raise Http404
    return render(
        request,
        "skills/history.html",
        {
            "person": person,
            "rows": rows,
            "skill": rows[0].skill,
            "is_self": person.pk == viewer.pk,
            "current": selectors.current_level_for_code(person=person, skill_code=skill_code),
        },
    )


@person_required
def reviews(request):
    person = _me(request)
    return render(
        request,
        "skills/reviews.html",
        {
            "manager_reviews": selectors.reviews_for_line_manager(manager=person),
            "assessor_reviews": selectors.reviews_for_assessor(assessor=person),
        },
    )


@person_required
def review(request, review_id):
    viewer = _me(request)
    item = (
        Review.objects.select_related(
            "claim__person__user", "claim__skill", "claim__level", "claim__release__framework"
        )
        .filter(pk=review_id)
        .first()
    )
    if item is None or not selectors.review_visible_to(viewer=viewer, review=item):
        raise Http404
    claim = item.claim
    form = ReviewDecisionForm(request.POST if request.method == "POST" else None, claim=claim)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == form.EVIDENCE:
                review_request_evidence(review=item, reviewer=viewer, message=form.cleaned_data["reason"])
                messages.success(request, f"You asked {claim.person.user.get_full_name()} for more evidence.")
            else:
                level = claim.level if decision == form.CONFIRM else form.cleaned_data["level"]
                review_decide(review=item, reviewer=viewer, level=level, reason=form.cleaned_data["reason"])
                messages.success(request, f"You validated {claim.person.user.get_full_name()}'s {claim.skill.name}.")
        except NotAllowed:
            raise Http404 from None
        except InvalidAssessment as error:
            form.add_error(None, str(error))
        else:
            return redirect("skills:reviews")
    detail = skill_detail(release=claim.release, skill_code=claim.skill.code)
    current = selectors.current_levels_for(person=claim.person).get(claim.skill_id)
    return render(
        request,
        "skills/review.html",
        {"review": item, "claim": claim, "form": form, "detail": detail, "current": current},
    )


@require_POST
@person_required
def ask_assessor(request, skill_code):
    person = _me(request)
    current = selectors.current_level_for_code(person=person, skill_code=skill_code)
    if current is None or current.claim is None:
        raise Http404
    review_request_assessor(claim=current.claim, actor=request.user)
    messages.success(request, "An accredited assessor has been asked to validate your claim.")
    return redirect(reverse("skills:history", kwargs={"skill_code": skill_code}))


@person_required
def team(request):
    manager = _me(request)
    people = list(selectors.team_people(manager=manager))
    matrix = selectors.team_matrix(people=people)
    return render(request, "skills/team.html", {"people": people, "matrix": matrix})


@never_cache
@require_http_methods(["GET", "POST"])
def email_change(request, change_id, token):
    """The link e-mailed to the old address of an account whose address the HR feed changed: whoever holds
    that address confirms or refuses the change. No sign-in: the link is the proof (it is long, secret and
    valid for a few days); a GET changes nothing, so a mail scanner that follows links does no harm."""
    try:
        change = email_change_for_link(change_id=change_id, token=token)
    except EmailChangeLinkInvalid as error:
        return render(request, "skills/email_change.html", {"invalid": str(error)}, status=404)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "confirm":
                change = account_email_change_confirm(change_id=change.pk, token=token)
            elif decision == "cancel":
                change = account_email_change_cancel(change_id=change.pk, token=token)
        except EmailChangeLinkInvalid as error:
            return render(request, "skills/email_change.html", {"invalid": str(error)}, status=404)
        if decision in ("confirm", "cancel"):
            return render(request, "skills/email_change.html", {"change": change, "done": True})
    return render(request, "skills/email_change.html", {"change": change})
