"""A person's gaps and the history of one skill, for themselves and their line management."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from wagtail import hooks

from skills.enums import AssessmentSource
from skills.selectors.external_certifications import certifications_due
from skills.selectors.levels import current_level_for_code, gap_analysis, skill_history
from skills.selectors.people import person_role_levels_for_user
from skills.selectors.reviews import assessor_request_open, evidence_requests
from skills.services.reviews import (
    review_request_assessor,
)
from skills.views.access import person_required, visible_person

# Apps above skills show what closes a gap beside it through this Wagtail hook (courses: recommended sessions and
# courses, registering interest), so skills names none of them. Each hook takes (request, person, analyses) and
# returns {(role_level_id, skill_code): html}; the html is shown under that skill's row of that role level's table.
GAP_RECOMMENDATIONS_HOOK = "skills_gap_recommendations"


def gap_extras(request, person, analyses) -> dict[int, dict[str, str]]:
    """What the hooks add to each gap row: {role_level_id: {skill_code: html}}."""
    extras: dict[int, dict[str, str]] = {}
    for hook in hooks.get_hooks(GAP_RECOMMENDATIONS_HOOK):
        for (role_level_id, skill_code), html in (hook(request, person, analyses) or {}).items():
            rows = extras.setdefault(role_level_id, {})
            rows[skill_code] = mark_safe(rows.get(skill_code, "") + html)  # noqa: S308 — rendered by the hook's template
    return extras


@person_required(find=person_role_levels_for_user)
def gaps(request, person_id=None):
    viewer = request.person
    person = viewer if person_id is None else visible_person(viewer, person_id)
    target_gaps = gap_analysis(person=person, role_level=person.target_role_level)
    # Working towards the role level held (a person who only wants to hold it fully): one analysis, shown twice.
    if person.current_role_level_id is not None and person.current_role_level_id == person.target_role_level_id:
        current_gaps = target_gaps
    else:
        current_gaps = gap_analysis(person=person, role_level=person.current_role_level)
    analyses = [target_gaps] if current_gaps is target_gaps else [target_gaps, current_gaps]
    extras = gap_extras(request, person, [analysis for analysis in analyses if analysis])
    return render(
        request,
        "skills/gaps.html",
        {
            "person": person,
            "is_self": person.pk == viewer.pk,
            "history_base": reverse("skills:overview") + "history/"
            if person.pk == viewer.pk
            else reverse("skills:team-member", kwargs={"person_id": person.pk}) + "history/",
            "target_gaps": target_gaps,
            "current_gaps": current_gaps,
            "target_extras": extras.get(target_gaps.role_level.pk, {}) if target_gaps else {},
            "current_extras": extras.get(current_gaps.role_level.pk, {}) if current_gaps else {},
            # Expired and expiring certifications (Capability's and confirmed external ones): from the dates,
            # so an expired one shows as expired everywhere from its expiry day, with no job to have run.
            "certifications_due": certifications_due(person_ids=[person.pk]),
        },
    )


JUDGEMENT_WORDS = {
    AssessmentSource.SELF: "Self-assessment (a claim, not yet validated)",
    AssessmentSource.LINE_MANAGER: "Validated by the line manager",
    AssessmentSource.ASSESSOR: "Validated by an accredited assessor",
    AssessmentSource.COURSE: "Validated by completing a course",
    AssessmentSource.CERTIFICATE: "Validated by a certificate",
    AssessmentSource.IMPORT: "Imported from an earlier record",
}


def judgement_words(source: str, *, is_claim: bool = False) -> str:
    if source == AssessmentSource.CARRIED_FORWARD:
        if is_claim:
            return "Claim carried over from the previous framework release"
        return "Validated level carried over from the previous framework release"
    return JUDGEMENT_WORDS.get(source, AssessmentSource(source).label if source else "")


def in_plain_words(rows):
    """Give each ledger row the words the history and review pages show: what kind of judgement it is
    (`what`) and who made it (`by`), in place of the ledger's own terms."""
    for row in rows:
        row.what = judgement_words(row.source, is_claim=row.is_claim)
        row.by = row.author.get_full_name() if row.author else "Recorded automatically"
    return rows


@person_required
def history(request, skill_code, person_id=None):
    viewer = request.person
    person = viewer if person_id is None else visible_person(viewer, person_id)
    rows = in_plain_words(list(skill_history(person=person, skill_code=skill_code)))
    if not rows:
        raise Http404
    current = current_level_for_code(person=person, skill_code=skill_code)
    return render(
        request,
        "skills/history.html",
        {
            "person": person,
            "rows": rows,
            "skill": rows[0].skill,
            "is_self": person.pk == viewer.pk,
            "current": current,
            "assessor_asked": assessor_request_open(claim=current.claim if current else None),
            "requests": evidence_requests(person=person, skill_code=skill_code),
        },
    )


@require_POST
@person_required
def ask_assessor(request, skill_code):
    person = request.person
    current = current_level_for_code(person=person, skill_code=skill_code)
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
