"""The learner's skills overview: their role levels' gaps and what to do next."""

from django.shortcuts import render

from skills.selectors.levels import gap_analysis
from skills.selectors.people import person_release
from skills.selectors.self_assessment import person_next_actions
from skills.views.access import person_required


@person_required
def overview(request):
    person = request.person
    release = person_release(person=person)
    return render(
        request,
        "skills/overview.html",
        {
            "person": person,
            "release": release,
            "target_gaps": gap_analysis(person=person, role_level=person.target_role_level),
            "current_gaps": gap_analysis(person=person, role_level=person.current_role_level),
            "actions": person_next_actions(person=person),
        },
    )
