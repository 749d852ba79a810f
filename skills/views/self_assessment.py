"""The self-assessment task list, one skill's answer, and checking answers before sending them."""

from collections import Counter
from functools import lru_cache

from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST
from markupsafe import escape as markup_escape

from frameworks import page_cache
from frameworks.models import Skill
from frameworks.selectors import skill_detail
from skills.forms import (
    AddSkillForm,
    SelfAssessmentForm,
    SendAnswersForm,
)
from skills.selectors.people import person_for_self_assessment, person_release
from skills.selectors.self_assessment import SkillChoice, TaskList, self_assessment_items, task_list
from skills.services import InvalidAssessment
from skills.services.reviews import (
    claim_withdraw,
    self_assessment_draft_save,
    self_assessment_submit,
)
from skills.views.access import person_required

SKILL_CODE = "SKILL-CODE"  # a placeholder for one skill's code in the task list's links: reverse once a page


def _task_list_item(index: int, title: str, href: str, hint: str, status: str, colour: str) -> str:
    """One item of the GOV.UK task list (`govukTaskList`, govuk_frontend_jinja's macro) as the macro writes it,
    whitespace included, every value escaped as Jinja escapes it (`markupsafe.escape`: quotes as `&#39;` and
    `&#34;`, where Django's `escape` writes `&#x27;` and `&quot;`)."""
    hint_id = f"skill-{index}-hint"
    status_id = f"skill-{index}-status"
    return (
        '\n  <li class="govuk-task-list__item govuk-task-list__item--with-link">\n'
        '    <div class="govuk-task-list__name-and-hint">\n    \n'
        f'      <a class="govuk-link govuk-task-list__link" href="{markup_escape(href)}" '
        f'aria-describedby="{hint_id} {status_id}">\n'
        f"        {markup_escape(title)}\n      </a>\n    \n    \n"
        f'      <div id="{hint_id}" class="govuk-task-list__hint">\n'
        f"        {markup_escape(hint)}\n      </div>\n    \n    </div>\n"
        f'    <div class="govuk-task-list__status" id="{status_id}">\n    \n'
        f'      <strong class="govuk-tag {markup_escape(f"govuk-tag--{colour}")}">\n'
        f"        {markup_escape(status)}\n      </strong>\n    \n    </div>\n  </li>\n  "
    )


def task_list_html(rows) -> SafeString:
    """The task list: each skill (a link to its answer), what the person's role levels need of it and its status,
    as the GOV.UK task-list component (`{% gds_component "task-list" idPrefix="skill" %}`) wrote it, whitespace
    included: written in one pass, because the component's Jinja macro cost about 0.35 ms an item
    (docs/decisions/0221). `rows` are `skills.selectors.self_assessment.TaskListRow`s.
    `tests/skills/test_task_list_html.py` compares it with the macro's output."""
    href = reverse("skills:self-assessment-skill", kwargs={"skill_code": SKILL_CODE})
    items = "".join(
        _task_list_item(
            index, row.name, href.replace(SKILL_CODE, row.code), row.needs, row.status.text, row.status.colour
        )
        for index, row in enumerate(rows, start=1)
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        f'\n\n\n\n<ul class="govuk-task-list">\n  {items}\n</ul>\n'
    )


@lru_cache(maxsize=128)
def _add_form_html(addable: tuple[SkillChoice, ...]) -> SafeString:
    """The "add another skill" form's fields for these choices (it is never shown bound: a wrong choice comes back
    as a message), rendered once per process and set of choices: the same for everyone with the same skills
    listed, and rendering a select of a hundred and fifty skills through the form cost a tenth of the page."""
    return mark_safe(render_crispy_form(AddSkillForm(skills=addable)))  # noqa: S308 - rendered by the form's template


@person_required(find=person_for_self_assessment)
def self_assessment(request):
    person = request.person
    release = person_release(person=person)
    listed = (
        task_list(
            person=person,
            release=release,
            framework_version=page_cache.cache_versions(request, page_cache.VERSION_KEY)[page_cache.VERSION_KEY],
        )
        if release
        else TaskList(rows=[], addable=[])
    )
    counts = Counter(row.status.key for row in listed.rows)
    return render(
        request,
        "skills/self_assessment.html",
        {
            "person": person,
            "release": release,
            "task_list": task_list_html(listed.rows) if listed.rows else "",
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
            "add_form": _add_form_html(tuple(listed.addable)) if release else None,
        },
    )


@person_required
def self_assessment_skill(request, skill_code):
    person = request.person
    release = person_release(person=person)
    if release is None or not Skill.objects.filter(release=release, code=skill_code).exists():
        raise Http404
    detail = skill_detail(release=release, skill_code=skill_code)
    skill = detail.skill
    item = next((i for i in self_assessment_items(person=person, release=release) if i.skill.pk == skill.pk), None)
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
    person = request.person
    release = person_release(person=person)
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
    person = request.person
    release = person_release(person=person)
    form = AddSkillForm(request.POST, skills=list(Skill.objects.filter(release=release)))
    if not form.is_valid():
        messages.error(request, "Choose a skill from the list to add it.")
        return redirect("skills:self-assessment")
    return redirect("skills:self-assessment-skill", skill_code=form.cleaned_data["skill"].code)


@person_required
def self_assessment_check(request):
    """Check your answers before sending: exactly what will go to the line manager, with the choice to leave
    answers out. Only the answers chosen are sent."""
    person = request.person
    release = person_release(person=person)
    items = self_assessment_items(person=person, release=release) if release else []
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
