"""Choosing the current and target role levels: the role first, then the level on its ladder."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from skills.forms import (
    RoleForm,
    RoleLevelForm,
)
from skills.selectors.levels import role_levels_to_choose, roles_with_levels
from skills.selectors.people import person_release
from skills.services import InvalidAssessment
from skills.services.profile import person_role_levels_set
from skills.views.access import person_required

ROLE_LEVEL_QUESTIONS = {
    "current": ("Which role do you do now?", "What level do you work at now?"),
    "target": ("Which role are you working towards?", "Which level are you working towards?"),
}


@person_required
def role_levels(request):
    """The person's current and target role levels, each with a link to change it. A link from a role level's
    page in the framework (`?target=<id>`) goes straight to that role's ladder with the level chosen."""
    person = request.person
    release = person_release(person=person)
    if request.GET.get("target") and release:
        chosen = role_levels_to_choose(release=release).filter(pk=request.GET["target"]).first()
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
    person = request.person
    release = person_release(person=person)
    if release is None:
        raise Http404
    roles = list(roles_with_levels(release=release))
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
    person = request.person
    release = person_release(person=person)
    levels = list(role_levels_to_choose(release=release).filter(role__code=role_code)) if release else []
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
