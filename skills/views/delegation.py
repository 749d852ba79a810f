"""A manager's delegation of their approvals and claim reviews while they are away: set one up, see it, end it
early. Only the manager's own delegations are ever shown or changed."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from skills.forms import GDSFormMixin
from skills.models.delegation import london_today
from skills.selectors.delegation import (
    delegates_to_choose,
    delegation_get_for_delegator,
    delegations_active_to,
    delegations_of,
)
from skills.services import DelegationError, NotAllowed, delegation_create, delegation_end
from skills.views.access import person_required


class DelegationForm(GDSFormMixin, forms.Form):
    """Who covers, and the first and last day (UK dates). The services check the rest and their refusals show
    as errors on the form, with everything typed kept."""

    submit_label = "Delegate"

    delegate = forms.ModelChoiceField(
        queryset=None,
        label="Who will decide for you?",
        help_text="Another line manager: your own manager, or a manager outside your team.",
        empty_label="Choose a manager",
        error_messages={
            "required": "Choose the manager who will decide for you",
            "invalid_choice": "Choose one of the managers listed",
        },
    )
    starts_on = DateInputField(
        label="First day", help_text="For example, 27 3 2027. Today or later.", require_all_fields=False
    )
    ends_on = DateInputField(
        label="Last day", help_text="They decide until the end of this day (UK time).", require_all_fields=False
    )

    def __init__(self, *args, delegator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates_to_choose(delegator=delegator)
        self.fields["delegate"].label_from_instance = lambda person: person.user.get_full_name()
        self.build_helper(
            Field.select("delegate"),
            Field("starts_on"),
            Field("ends_on"),
        )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last day must be the same as or after the first day")
        return cleaned


@person_required
def delegation(request):
    """The viewer's delegations (in force or to come, and the last few finished), the delegations others have
    made to them, and a form to delegate."""
    person = request.person
    form = DelegationForm(request.POST if request.method == "POST" else None, delegator=person)
    if request.method == "POST" and form.is_valid():
        try:
            made = delegation_create(
                delegator=person,
                delegate=form.cleaned_data["delegate"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                actor=request.user,
            )
        except DelegationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{made.delegate.user.get_full_name()} decides your team's training requests and claims from "
                f"{made.starts_on:%-d %B %Y} to {made.ends_on:%-d %B %Y}. You have both been told.",
            )
            return redirect("skills:delegation")
    current, past = delegations_of(delegator=person)
    return render(
        request,
        "skills/delegation.html",
        {
            "form": form,
            "current": current,
            "past": past,
            "covering": delegations_active_to(delegate=person),
            "is_manager": person.has_direct_reports,
            "today": london_today(),
        },
    )


@require_POST
@person_required
def delegation_end_view(request, delegation_id):
    """End one of the viewer's own delegations now. Anyone else's is 404, and nothing changes."""
    person = request.person
    item = delegation_get_for_delegator(delegator=person, delegation_id=delegation_id)
    if item is None:
        raise Http404
    try:
        delegation_end(delegation=item, actor=request.user)
    except NotAllowed:
        raise Http404 from None
    except DelegationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Your delegation to {item.delegate.user.get_full_name()} has ended. You have both been told."
        )
    return redirect("skills:delegation")
