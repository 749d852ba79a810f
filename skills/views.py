"""Pages for learners, line managers and assessors. Every object is looked up through a selector that
applies the access rule; someone without access gets 404, never a hint that the object exists."""

from collections import Counter
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from frameworks.models import Skill
from frameworks.selectors import skill_detail

from . import selectors
from .enums import AssessmentSource, ReviewStatus
from .filters import TeamFilterSet
from .forms import (
    AddSkillForm,
    ReviewDecisionForm,
    RoleForm,
    RoleLevelForm,
    SelfAssessmentForm,
    SendAnswersForm,
)
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
    claim_withdraw,
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
            "actions": selectors.person_next_actions(person=person),
        },
    )


ROLE_LEVEL_QUESTIONS = {
    "current": ("Which role do you do now?", "What level do you work at now?"),
    "target": ("Which role are you working towards?", "Which level are you working towards?"),
}


@person_required
def role_levels(request):
    """The person's current and target role levels, each with a link to change it. A link from a role level's
    page in the framework (`?target=<id>`) goes straight to that role's ladder with the level chosen."""
    person = _me(request)
    release = selectors.person_release(person=person)
    if request.GET.get("target") and release:
        chosen = selectors.role_levels_to_choose(release=release).filter(pk=request.GET["target"]).first()
        if chosen:
            url = reverse("skills:role-level-choose", kwargs={"which": "target", "role_code": chosen.role.code})
            return redirect(f"{url}?level={chosen.pk}")
    current, target = person.current_role_level, person.target_role_level
    warning = ""
    if current and target and target.role_id == current.role_id and target.seniority < current.seniority:
        warning = (
            f"The level you are working towards, {target.name}, is more junior than your current level, "
            f"{current.name}. If that is not what you meant, change it."
        )
    return render(request, "skills/role_levels.html", {"person": person, "release": release, "warning": warning})


@person_required
def role_choose(request, which):
    """First question: the role (current or target)."""
    if which not in ROLE_LEVEL_QUESTIONS:
        raise Http404
    person = _me(request)
    release = selectors.person_release(person=person)
    if release is None:
        raise Http404
    roles = list(selectors.roles_with_levels(release=release))
    chosen = getattr(person, f"{which}_role_level")
    form = RoleForm(
        request.POST if request.method == "POST" else None,
        roles=roles,
        label=ROLE_LEVEL_QUESTIONS[which][0],
        allow_none=True,
        initial={"role": chosen.role.code if chosen else ""},
    )
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        if role is None:
            return _role_levels_save(request, person, which, None)
        return redirect("skills:role-level-choose", which=which, role_code=role.code)
    return render(request, "skills/role_choose.html", {"form": form, "release": release, "which": which})


@person_required
def role_level_choose(request, which, role_code):
    """Second question: the level within the chosen role, as its ladder."""
    if which not in ROLE_LEVEL_QUESTIONS:
        raise Http404
    person = _me(request)
    release = selectors.person_release(person=person)
    levels = list(selectors.role_levels_to_choose(release=release).filter(role__code=role_code)) if release else []
    if not levels:
        raise Http404
    chosen = getattr(person, f"{which}_role_level")
    preselected = request.GET.get("level") or (str(chosen.pk) if chosen else "")
    form = RoleLevelForm(
        request.POST if request.method == "POST" else None,
        role_levels=levels,
        label=ROLE_LEVEL_QUESTIONS[which][1],
        junior_to=person.current_role_level if which == "target" else None,
        initial={"role_level": preselected},
    )
    if request.method == "POST" and form.is_valid():
        return _role_levels_save(request, person, which, form.cleaned_data["role_level"])
    return render(
        request,
        "skills/role_level_choose.html",
        {"form": form, "role": levels[0].role, "which": which, "release": release},
    )


def _role_levels_save(request, person, which, role_level):
    levels = {"current": person.current_role_level, "target": person.target_role_level, which: role_level}
    try:
        person_role_levels_set(person=person, current=levels["current"], target=levels["target"], actor=request.user)
    except InvalidAssessment as error:
        messages.error(request, str(error))
    else:
        what = "current role level" if which == "current" else "the role level you are working towards"
        messages.success(request, f"Your {what} is saved." if role_level else f"You removed {what}.")
    return redirect("skills:role-levels")


def _task_list_items(items) -> list[dict]:
    """The task list component's data: each skill, what the person's role levels need of it, its status."""
    rows = []
    for item in items:
        needs = "; ".join(f"{label}: {level.name}" for label, level in item.required) or "Added by you"
        status = item.status
        if item.stale and not item.draft:
            needs = f"{needs}. Due for reassessment: last assessed more than a reassessment period ago"
        rows.append(
            {
                "title": {"text": item.skill.name},
                "href": reverse("skills:self-assessment-skill", kwargs={"skill_code": item.skill.code}),
                "hint": {"text": needs},
                "status": {"tag": {"text": status.text, "classes": f"govuk-tag--{status.colour}"}},
            }
        )
    return rows


@person_required
def self_assessment(request):
    person = _me(request)
    release = selectors.person_release(person=person)
    items = selectors.self_assessment_items(person=person, release=release) if release else []
    counts = Counter(item.status.key for item in items)
    addable = Skill.objects.filter(release=release).exclude(pk__in=[item.skill.pk for item in items]).order_by("name")
    return render(
        request,
        "skills/self_assessment.html",
        {
            "person": person,
            "release": release,
            "items": items,
            "task_items": _task_list_items(items),
            "counts": counts,
            "draft_count": counts["in_progress"] + counts["more_evidence"],
            "evidence_banner": format_html(
                '<p class="govuk-notification-banner__heading">More evidence is needed for {} of your claims.</p>'
                '<p class="govuk-body">Open each skill marked ‘More evidence needed’ to read what your reviewer '
                "asked.</p>",
                counts["more_evidence"],
            )
            if counts["more_evidence"]
            else "",
            "add_form": AddSkillForm(skills=list(addable)) if release else None,
        },
    )


@person_required
def self_assessment_skill(request, skill_code):
    person = _me(request)
    release = selectors.person_release(person=person)
    if release is None or not Skill.objects.filter(release=release, code=skill_code).exists():
        raise Http404
    detail = skill_detail(release=release, skill_code=skill_code)
    skill = detail.skill
    item = next(
        (i for i in selectors.self_assessment_items(person=person, release=release) if i.skill.pk == skill.pk), None
    )
    initial = {}
    if item and item.draft:
        initial = {"level": item.draft.level, "evidence": item.draft.evidence}
    elif item and item.current and item.current.claim:
        initial = {"level": item.current.claimed_level, "evidence": item.current.claim.evidence}
    if "level" in initial:
        initial["level"] = str(initial["level"].pk) if initial["level"] else SelfAssessmentForm.NO_LEVEL
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None,
        skill=skill,
        descriptors=detail.descriptors,
        required_levels=item.required if item else (),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        self_assessment_draft_save(
            person=person,
            skill=skill,
            level=form.cleaned_data["level"],
            evidence=form.cleaned_data["evidence"],
            actor=request.user,
        )
        messages.success(request, f"Your answer for {skill.name} is saved. Send it when your answers are ready.")
        return redirect("skills:self-assessment")
    waiting = ""
    if item and item.open_review:
        claimed = item.open_review.claim.level.name if item.open_review.claim.level else "no level yet"
        waiting = (
            f"Your claim of {claimed} is waiting for review by {item.reviewer_name}, who sees your level and evidence."
        )
        if item.draft:
            waiting += " You have changed your answer since: send it to replace the claim that is waiting."
    return render(
        request,
        "skills/self_assessment_skill.html",
        {"detail": detail, "skill": skill, "form": form, "item": item, "person": person, "waiting": waiting},
    )


@require_POST
@person_required
def self_assessment_withdraw(request, skill_code):
    person = _me(request)
    release = selectors.person_release(person=person)
    skill = Skill.objects.filter(release=release, code=skill_code).first() if release else None
    if skill is None:
        raise Http404
    try:
        claim_withdraw(person=person, skill=skill, actor=request.user)
    except InvalidAssessment as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"You withdrew your {skill.name} claim. Your answer is back in progress: change it and send it again.",
        )
    return redirect("skills:self-assessment-skill", skill_code=skill.code)


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


@person_required
def self_assessment_check(request):
    """Check your answers before sending: exactly what will go to the line manager, with the choice to leave
    answers out. Only the answers chosen are sent."""
    person = _me(request)
    release = selectors.person_release(person=person)
    items = selectors.self_assessment_items(person=person, release=release) if release else []
    drafts = [item for item in items if item.draft]
    form = SendAnswersForm(request.POST if request.method == "POST" else None, items=drafts)
    if request.method == "POST" and form.is_valid():
        try:
            claims = self_assessment_submit(person=person, actor=request.user, skills=form.cleaned_data["skills"])
        except InvalidAssessment as error:
            form.add_error(None, str(error))
        else:
            count = f"{len(claims)} answer{'s' if len(claims) != 1 else ''}"
            if person.line_manager:
                messages.success(
                    request,
                    f"You sent {count} to {person.line_manager.user.get_full_name()}. They will confirm or adjust "
                    "each level, or ask you for more evidence; you will get an email when they do.",
                )
            else:
                messages.success(
                    request,
                    f"You recorded {count} as claims. You have no line manager in Capability, so ask an accredited "
                    "assessor to validate each one from its history page.",
                )
            return redirect("skills:self-assessment")
    return render(request, "skills/self_assessment_check.html", {"person": person, "drafts": drafts, "form": form})


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


JUDGEMENT_WORDS = {
    AssessmentSource.SELF: "Self-assessment (a claim, not yet validated)",
    AssessmentSource.LINE_MANAGER: "Validated by the line manager",
    AssessmentSource.ASSESSOR: "Validated by an accredited assessor",
    AssessmentSource.COURSE: "Validated by completing a course",
    AssessmentSource.CERTIFICATE: "Validated by a certificate",
    AssessmentSource.IMPORT: "Imported from an earlier record",
}


def _judgement_words(source: str, *, is_claim: bool = False) -> str:
    if source == AssessmentSource.CARRIED_FORWARD:
        if is_claim:
            return "Claim carried over from the previous framework release"
        return "Validated level carried over from the previous framework release"
    return JUDGEMENT_WORDS.get(source, AssessmentSource(source).label if source else "")


def _in_plain_words(rows):
    """Give each ledger row the words the history and review pages show: what kind of judgement it is
    (`what`) and who made it (`by`), in place of the ledger's own terms."""
    for row in rows:
        row.what = _judgement_words(row.source, is_claim=row.is_claim)
        row.by = row.author.get_full_name() if row.author else "Recorded automatically"
    return rows


@person_required
def history(request, skill_code, person_id=None):
    viewer = _me(request)
    person = viewer if person_id is None else _visible_person(viewer, person_id)
    rows = _in_plain_words(list(selectors.skill_history(person=person, skill_code=skill_code)))
    if not rows:
        raise Http404
    current = selectors.current_level_for_code(person=person, skill_code=skill_code)
    return render(
        request,
        "skills/history.html",
        {
            "person": person,
            "rows": rows,
            "skill": rows[0].skill,
            "is_self": person.pk == viewer.pk,
            "current": current,
            "assessor_asked": selectors.assessor_request_open(claim=current.claim if current else None),
            "requests": selectors.evidence_requests(person=person, skill_code=skill_code),
        },
    )


@person_required
def reviews(request):
    """The claims waiting for the viewer, grouped by person, 50 claims a page in each section. Each section shows
    only when it applies: "From your team" to someone with people reporting to them (or claims from them), "As
    an assessor" to someone accredited. Each section has its own page number, so paging one keeps the other."""
    person = _me(request)
    manager_page, manager_groups = selectors.review_queue_page(
        reviews=selectors.reviews_for_line_manager(manager=person), page_number=request.GET.get("team_page")
    )
    assessor_page, assessor_groups = selectors.review_queue_page(
        reviews=selectors.reviews_for_assessor(assessor=person), page_number=request.GET.get("assessor_page")
    )
    return render(
        request,
        "skills/reviews.html",
        {
            "manager_page": manager_page,
            "manager_groups": manager_groups,
            "assessor_page": assessor_page,
            "assessor_groups": assessor_groups,
            "is_manager": manager_page.paginator.count > 0 or person.direct_reports.exists(),
            "is_assessor": assessor_page.paginator.count > 0 or person.accredited_frameworks.exists(),
        },
    )


@person_required
def review(request, review_id):
    viewer = _me(request)
    item = (
        Review.objects.select_related(
            "claim__person__user",
            "claim__person__current_role_level__role",
            "claim__person__target_role_level__role",
            "claim__skill",
            "claim__level",
            "claim__release__framework",
        )
        .filter(pk=review_id)
        .first()
    )
    if item is None or not selectors.review_visible_to(viewer=viewer, review=item):
        raise Http404
    claim = item.claim
    name = claim.person.user.get_full_name()
    # A claim already decided (or closed otherwise) is shown as it stands, with no form to decide it again.
    form = (
        ReviewDecisionForm(request.POST if request.method == "POST" else None, claim=claim)
        if item.status == ReviewStatus.OPEN
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == form.EVIDENCE:
                review_request_evidence(review=item, reviewer=viewer, message=form.message)
                done = f"You asked {name} for more evidence of {claim.skill.name}."
            else:
                reason = form.message if decision == form.ADJUST else ""
                validation = review_decide(review=item, reviewer=viewer, level=form.chosen_level, reason=reason)
                level = validation.level.name if validation.level else "no level yet"
                done = f"You validated {name}'s {claim.skill.name} at {level}."
                current = selectors.current_levels_for(person=claim.person).get(claim.skill_id)
                if current is not None and current.validation_id != validation.pk:
                    # The framework's policy ranks another judgement above this one: say so, not just "done".
                    stands = current.validated_level.name if current.validated_level else "no level yet"
                    done += (
                        f" Their validated level stays {stands}: under the framework's assessment policy, the "
                        f"{current.get_validated_source_display().lower()}'s judgement outranks yours."
                    )
        except NotAllowed:
            raise Http404 from None
        except InvalidAssessment as error:
            form.add_error(None, str(error))
        else:
            # Straight on to the same person's next claim while their evidence is in mind.
            following = selectors.next_review_for(reviewer=viewer, person_id=claim.person_id)
            if following is not None:
                messages.success(request, f"{done} Next: {following.claim.skill.name}.")
                return redirect("skills:review", review_id=following.pk)
            messages.success(request, f"{done} {name} has no more claims waiting for you.")
            return redirect("skills:reviews")
    detail = skill_detail(release=claim.release, skill_code=claim.skill.code)
    current = selectors.current_levels_for(person=claim.person).get(claim.skill_id)
    context = selectors.review_context(review=item)
    _in_plain_words(context.history)
    waiting = [
        other
        for other in selectors.reviews_for_line_manager(manager=viewer).filter(claim__person_id=claim.person_id)
        if other.pk != item.pk
    ] + [
        other
        for other in selectors.reviews_for_assessor(assessor=viewer).filter(claim__person_id=claim.person_id)
        if other.pk != item.pk
    ]
    return render(
        request,
        "skills/review.html",
        {
            "review": item,
            "claim": claim,
            "person_name": name,
            "form": form,
            "closed_text": ""
            if form is not None
            else (
                f"{item.get_status_display().lower()}"
                + (f" by {item.resolved_by.get_full_name()}" if item.resolved_by else "")
                + (f" on {item.resolved_at:%-d %B %Y}" if item.resolved_at else "")
                + "."
            ),
            "detail": detail,
            "current": current,
            "validated_how": _judgement_words(current.validated_source).lower() if current else "",
            "context": context,
            "waiting": waiting,
        },
    )


@require_POST
@person_required
def ask_assessor(request, skill_code):
    person = _me(request)
    current = selectors.current_level_for_code(person=person, skill_code=skill_code)
    if current is None or current.claim is None:
        raise Http404
    requested = review_request_assessor(claim=current.claim, actor=request.user)
    if requested.newly_requested:
        messages.success(
            request,
            "You asked for an accredited assessor. The first one free will validate your claim; you will get an "
            "email when they do.",
        )
    else:
        messages.info(
            request,
            "You have already asked for an accredited assessor to validate this claim. It is waiting for one: "
            "there is no need to ask again.",
        )
    return redirect(reverse("skills:history", kwargs={"skill_code": skill_code}))


@person_required
def team(request):
    """The reporting line's skills matrix, 50 people a page, narrowed by the filters. Only people in the
    viewer's own line are ever shown: the filters and the page number narrow that line, never widen it."""
    manager = _me(request)
    everyone = selectors.team_people(manager=manager)
    filters = TeamFilterSet(request.GET or None, people=everyone)
    people = filters.qs if filters.is_bound else everyone
    matrix = selectors.team_matrix(people=people, page_number=request.GET.get("page"), skill_code=filters.chosen_skill)
    return render(
        request,
        "skills/team.html",
        {
            "matrix": matrix,
            "filters": filters,
            "page_obj": matrix.page,
            "filtered": filters.active,
            "has_team": matrix.page.paginator.count > 0 or (filters.is_bound and everyone.exists()),
        },
    )


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
