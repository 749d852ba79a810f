"""The reviewer's queues and one claim under review."""

from dataclasses import replace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from frameworks.selectors import skill_detail
from skills.enums import ReviewStatus
from skills.forms import (
    ReviewDecisionForm,
)
from skills.selectors.delegation import delegations_around
from skills.selectors.levels import current_levels_for
from skills.selectors.reviews import (
    next_review_for,
    review_context,
    review_get_for_reviewer,
    review_queue_page,
    reviews_delegated_to,
    reviews_for_assessor,
    reviews_for_line_manager,
)
from skills.selectors.team import person_for_team_pages
from skills.services import InvalidAssessment, NotAllowed
from skills.services.reviews import (
    review_decide,
    review_request_evidence,
)
from skills.views.access import person_required
from skills.views.profile import in_plain_words, judgement_words


@person_required(find=person_for_team_pages)
def reviews(request):
    """The claims waiting for the viewer, grouped by person, 50 claims a page in each section. Each section shows
    only when it applies: "From your team" to someone with people reporting to them (or claims from them), "As
    an assessor" to someone accredited. Each section has its own page number, so paging one keeps the other."""
    person = request.person
    # Only a line manager has a team's claims (those of the people reporting to them now) and only an accredited
    # assessor has an assessor's queue: someone who is neither costs no queue queries (`person_for_user` read both).
    has_team, accredited = person.has_direct_reports, person.is_accredited
    manager_page, manager_groups = (
        review_queue_page(
            page_number=request.GET.get("team_page"),
            queue="line_manager",
            reviewer=person,
        )
        if has_team
        else (None, [])
    )
    # Only a manager can be delegated to, or delegate: someone with no team costs no delegation queries.
    away, covering = delegations_around(person=person) if has_team else (None, [])
    delegations = {item.delegator_id: item for item in covering}
    delegated_page, delegated_groups = (
        review_queue_page(reviews=reviews_delegated_to(delegate=person), page_number=request.GET.get("delegated_page"))
        if delegations
        else (None, [])
    )
    delegated_groups = [replace(group, delegation=delegations.get(group.line_manager_id)) for group in delegated_groups]
    assessor_page, assessor_groups = (
        review_queue_page(
            page_number=request.GET.get("assessor_page"),
            queue="assessor",
            reviewer=person,
        )
        if accredited
        else (None, [])
    )
    return render(
        request,
        "skills/reviews.html",
        {
            "manager_page": manager_page,
            "manager_groups": manager_groups,
            "assessor_page": assessor_page,
            "assessor_groups": assessor_groups,
            "is_manager": has_team,
            "is_assessor": accredited,
            "delegated_page": delegated_page,
            "delegated_groups": delegated_groups,
            "away": away,
        },
    )


@person_required
def review(request, review_id):
    viewer = request.person
    item = review_get_for_reviewer(viewer=viewer, review_id=review_id)
    if item is None:
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
                current = current_levels_for(person=claim.person).get(claim.skill_id)
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
            following = next_review_for(reviewer=viewer, person_id=claim.person_id)
            if following is not None:
                messages.success(request, f"{done} Next: {following.claim.skill.name}.")
                return redirect("skills:review", review_id=following.pk)
            messages.success(request, f"{done} {name} has no more claims waiting for you.")
            return redirect("skills:reviews")
    detail = skill_detail(release=claim.release, skill_code=claim.skill.code)
    current = current_levels_for(person=claim.person).get(claim.skill_id)
    context = review_context(review=item)
    in_plain_words(context.history)
    waiting = [
        other
        for other in reviews_for_line_manager(manager=viewer).filter(person_id=claim.person_id)
        if other.pk != item.pk
    ] + [
        other
        for other in reviews_for_assessor(assessor=viewer).filter(person_id=claim.person_id)
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
            "validated_how": judgement_words(current.validated_source).lower() if current else "",
            "context": context,
            "waiting": waiting,
        },
    )
