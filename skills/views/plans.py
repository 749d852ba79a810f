"""Development plans: the learner's own plan (add actions from a gap or a recommendation, edit them, move them
on), their line manager's view of it (agree it, comment), and the manager's overview of the team's plans.
The wrong person gets 404 for every object; the services check the actor again."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from frameworks.models import Level, Skill
from skills.forms import GDSFormMixin, LongTextField
from skills.models import PlanAction
from skills.selectors.people import person_release
from skills.selectors.plans import plan_actions, plan_comments, plan_of, team_plans
from skills.services.errors import SkillsError
from skills.services.plans import (
    plan_action_add,
    plan_action_status_set,
    plan_action_update,
    plan_agree,
    plan_comment_add,
    plan_ensure,
)
from skills.views.access import person_required, visible_person

COMMENT_LIMIT = 2000
DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


class PlanActionForm(GDSFormMixin, forms.Form):
    """An action of a development plan. The skill and level are those of the release the person works in."""

    kind = forms.ChoiceField(
        label="What kind of action is it?",
        choices=PlanAction.Kind.choices,
        error_messages={"required": "Choose what kind of action it is"},
    )
    title = forms.CharField(
        label="What will you do?",
        max_length=255,
        help_text="For example, the course's name, or 'Run the team's data quality review'.",
        error_messages={"required": "Say what you will do", "max_length": "Keep it to 255 characters or fewer"},
    )
    skill_code = forms.ChoiceField(label="Skill it develops (optional)", required=False)
    target_rank = forms.TypedChoiceField(
        label="Level it aims at (optional)", required=False, coerce=int, empty_value=None
    )
    target_date = forms.DateField(
        label="Target date (optional)",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2027",
        error_messages={"invalid": "Enter the target date as a day, month and year, for example 31/3/2027"},
    )
    url = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, release=None, submit_label="Add to my plan", **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label
        skills = Skill.objects.filter(release=release).order_by("name") if release else Skill.objects.none()
        levels = Level.objects.filter(release=release).order_by("rank") if release else Level.objects.none()
        self.fields["skill_code"].choices = [("", "No particular skill"), *skills.values_list("code", "name")]
        self.fields["target_rank"].choices = [("", "No particular level"), *levels.values_list("rank", "name")]
        self.build_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("title"),
            Field.select("skill_code"),
            Field.select("target_rank"),
            Field.text("target_date", field_width=10),
            "url",
        )

    def clean(self):
        data = super().clean()
        if data.get("target_rank") and not data.get("skill_code"):
            self.add_error("skill_code", "Choose the skill that the level is for")
        url = data.get("url") or ""
        if url and not url.startswith("/"):
            self.add_error(None, "The link must be to a page of this service")
        return data


class CommentForm(GDSFormMixin, forms.Form):
    submit_label = "Add comment"
    text = LongTextField(
        label="Comment",
        limit=COMMENT_LIMIT,
        noun="The comment",
        widget=forms.Textarea,
        help_text="The person and their line manager see comments.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Write your comment"
        self.build_helper(Field.textarea("text", max_characters=COMMENT_LIMIT, threshold=75))


def _next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _plan_page(request, person, *, form=None, comment_form=None, is_self=True, status=200):
    plan = plan_of(person=person)
    release = person_release(person=person)
    if is_self and form is None:
        initial = {key: request.GET[key] for key in ("skill_code", "target_rank", "title") if request.GET.get(key)}
        form = PlanActionForm(release=release, initial={"kind": PlanAction.Kind.ON_THE_JOB, **initial})
    actions = list(plan_actions(plan=plan, person=person)) if plan else []
    return render(
        request,
        "skills/plan.html",
        {
            "person": person,
            "is_self": is_self,
            "plan": plan,
            "actions": actions,
            "overdue": sum(action.is_overdue for action in actions),
            "comments": list(plan_comments(plan=plan)) if plan else [],
            "form": form,
            "comment_form": comment_form or CommentForm(),
            "status_choices": [
                (PlanAction.Status.IN_PROGRESS, "Started"),
                (PlanAction.Status.DONE, "Done"),
                (PlanAction.Status.DROPPED, "Drop"),
            ],
        },
        status=status,
    )


@person_required
def plan(request):
    return _plan_page(request, request.person)


@require_POST
@person_required
def plan_action_add_view(request):
    """Add an action: from the plan page's form, or from a recommendation's "Add to my plan" button."""
    person = request.person
    form = PlanActionForm(request.POST, release=person_release(person=person))
    if not form.is_valid():
        return _plan_page(request, person, form=form, status=400)
    data = form.cleaned_data
    try:
        plan_action_add(
            person=person,
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            skill_code=data["skill_code"],
            target_rank=data["target_rank"],
            target_date=data["target_date"],
            url=data["url"],
        )
    except SkillsError as error:
        form.add_error(None, str(error))
        return _plan_page(request, person, form=form, status=400)
    messages.success(request, f"“{data['title']}” is in your development plan. Your line manager can now agree it.")
    return redirect(_next(request, reverse("skills:plan")))


def _own_action(request, action_id: int) -> PlanAction:
    action = PlanAction.objects.select_related("plan").filter(pk=action_id, plan__person=request.person).first()
    if action is None:
        raise Http404
    return action


@person_required
def plan_action_edit(request, action_id: int):
    person = request.person
    action = _own_action(request, action_id)
    release = person_release(person=person)
    if not action.is_open:
        raise Http404
    if request.method == "POST":
        form = PlanActionForm(request.POST, release=release, submit_label="Save changes")
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan_action_update(
                    action=action,
                    actor=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    skill_code=data["skill_code"],
                    target_rank=data["target_rank"],
                    target_date=data["target_date"],
                )
            except SkillsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Action changed. Your line manager will be asked to agree the plan again.")
                return redirect("skills:plan")
    else:
        form = PlanActionForm(
            release=release,
            submit_label="Save changes",
            initial={
                "kind": action.kind,
                "title": action.title,
                "skill_code": action.skill_code,
                "target_rank": action.target_rank,
                "target_date": action.target_date.strftime("%d/%m/%Y") if action.target_date else "",
            },
        )
    return render(
        request, "skills/plan_action.html", {"form": form, "action": action}, status=400 if form.errors else 200
    )


@require_POST
@person_required
def plan_action_status(request, action_id: int):
    action = _own_action(request, action_id)
    status = request.POST.get("status", "")
    try:
        plan_action_status_set(action=action, actor=request.user, status=status)
    except SkillsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{action.title}”: {PlanAction.Status(status).label.lower()}.")
    return redirect("skills:plan")


@require_POST
@person_required
def plan_comment(request, person_id=None):
    viewer = request.person
    person = viewer if person_id is None else visible_person(viewer, person_id)
    is_self = person.pk == viewer.pk
    if not is_self and person.line_manager_id != viewer.pk:
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, person, comment_form=form, is_self=is_self, status=400)
    plan_comment_add(plan=plan_ensure(person=person), actor=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Comment added.")
    return redirect(reverse("skills:plan") if is_self else reverse("skills:team-member-plan", args=[person.pk]))


@person_required
def team_member_plan(request, person_id: int):
    """A team member's plan as their management sees it; their line manager can agree it and comment."""
    viewer = request.person
    person = visible_person(viewer, person_id)
    if person.pk == viewer.pk:
        return redirect("skills:plan")
    return _plan_page(request, person, is_self=False)


@require_POST
@person_required
def team_member_plan_agree(request, person_id: int):
    viewer = request.person
    person = visible_person(viewer, person_id)
    existing = plan_of(person=person)
    if existing is None or person.line_manager_id != viewer.pk:
        raise Http404
    try:
        plan_agree(plan=existing, actor=request.user)
    except SkillsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You agreed {person.user.get_full_name()}’s development plan.")
    return redirect("skills:team-member-plan", person_id=person.pk)


@person_required
def team_plans_view(request):
    """The manager's reporting line with the state of each plan and what is overdue."""
    page = team_plans(manager=request.person, page_number=request.GET.get("page"))
    return render(request, "skills/plans_team.html", {"page_obj": page, "people": page.object_list})
