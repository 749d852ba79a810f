from html import escape

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from frameworks.models import Level

EVIDENCE_LIMIT = 5000
REASON_LIMIT = 2000


class RevealQuestion(ConditionalQuestion):
    """A radio choice that reveals follow-up questions when chosen (GOV.UK conditional reveal). Unlike
    crispy-forms-gds's own, a choice with nothing to reveal does not point `aria-controls` at a missing element."""

    template = "includes/forms/conditional_question.html"


class GDSFormMixin:
    """A GOV.UK form helper; the template writes the <form> tag and the CSRF token."""

    submit_label = "Continue"

    def build_helper(self, *fields):
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields, Button("submit", self.submit_label))


class LongTextField(forms.CharField):
    """Free text with a limit that the server enforces and GOV.UK's character count shows while people type.
    No `maxlength` attribute: the browser never cuts what was typed; over the limit the form says by how much
    and keeps every character."""

    def __init__(self, *, limit: int, noun: str, **kwargs):
        super().__init__(**kwargs)
        self.limit = limit
        self.validators.append(MaxLengthValidator(limit, message=f"{noun} must be {limit:,} characters or fewer"))


def level_hint(descriptor) -> str:
    """A level's text as one plain paragraph, to sit under its radio button."""
    if descriptor is None or not descriptor.is_defined:
        return "This level is not defined for this skill."
    parts = []
    for block in descriptor.blocks or []:
        if block.get("type") == "list":
            items = "; ".join(item.rstrip(".;") for item in block.get("items", []))
            parts.append(f"{block.get('intro', '')} {items}.".strip())
        elif block.get("text"):
            parts.append(block["text"])
    return " ".join(parts) or descriptor.text


class RoleForm(GDSFormMixin, forms.Form):
    """First question of a role level: the role, grouped by role family (a select shows the chosen role even
    when closed; without JavaScript it still works)."""

    NONE = "none"

    role = forms.ChoiceField(
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role from the list"}
    )

    def __init__(self, *args, roles, label, allow_none, **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = "Continue"
        self.roles = {role.code: role for role in roles}
        grouped: dict[str, list] = {}
        for role in roles:
            grouped.setdefault(role.family.name, []).append((role.code, role.name))
        none = [(self.NONE, "I am not working towards another role level")] if allow_none else []
        self.fields["role"].choices = [("", "Choose a role"), *none, *grouped.items()]
        self.fields["role"].label = label
        self.build_helper(Field.select("role", label_size=Size.LARGE, label_tag="h1"))

    def clean_role(self):
        code = self.cleaned_data["role"]
        if code == self.NONE:
            return None
        return self.roles[code]


class RoleLevelForm(GDSFormMixin, forms.Form):
    """Second question: the level within the role, as the role's ladder, most junior first."""

    submit_label = "Save"

    role_level = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a level", "invalid_choice": "Choose one of this role's levels"},
    )

    def __init__(self, *args, role_levels, label, junior_to=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.role_levels = {str(level.pk): level for level in role_levels}
        choices = []
        for level in role_levels:
            hints = []
            if level.indicative_grade:
                hints.append(f"Usually {level.indicative_grade}")
            if junior_to is not None and level.role_id == junior_to.role_id and level.seniority < junior_to.seniority:
                hints.append(f"More junior than your current level, {junior_to.name}")
            choices.append(Choice(str(level.pk), level.name, hint=". ".join(hints) or None))
        self.fields["role_level"].choices = choices
        self.fields["role_level"].label = label
        self.build_helper(Field.radios("role_level", legend_size=Size.LARGE, legend_tag="h1"))

    def clean_role_level(self):
        return self.role_levels[self.cleaned_data["role_level"]]


class SelfAssessmentForm(GDSFormMixin, forms.Form):
    """One skill's answer: the level, each with its text under the choice, and the evidence."""

    submit_label = "Save and come back later"
    NO_LEVEL = "none"

    level = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="Which level best describes you?",
        error_messages={
            "required": "Choose the level that best describes you, or say you do not have it yet",
            "invalid_choice": "Choose one of this skill's levels, or say you do not have it yet",
        },
    )
    evidence = LongTextField(
        label="Evidence",
        help_text="What you did, the result, and links to anything that shows it. Your line manager, and an "
        "assessor if you ask for one, read this. You can send it when it is ready.",
        widget=forms.Textarea(attrs={"rows": 8}),
        limit=EVIDENCE_LIMIT,
        noun="Evidence",
        required=False,
    )

    def __init__(self, *args, skill, descriptors=(), required_levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        by_level = {descriptor.level_id: descriptor for descriptor in descriptors}
        self.levels = {str(level.pk): level for level in Level.objects.filter(release_id=skill.release_id)}
        required: dict[int, list[str]] = {}
        for label, level in required_levels:
            if level:
                required.setdefault(level.pk, []).append(label.split()[0].lower())  # "current", "target"
        choices = []
        for level in sorted(self.levels.values(), key=lambda level: level.rank):
            label = level.name
            if level.pk in required:
                roles = " and ".join(required[level.pk])
                label = f"{level.name} (needed for your {roles} role{'s' if len(required[level.pk]) > 1 else ''})"
            choices.append(Choice(str(level.pk), label, hint=level_hint(by_level.get(level.pk))))
        choices.append(Choice(self.NO_LEVEL, "I do not have this skill yet"))
        self.fields["level"].choices = choices
        self.build_helper(
            Field.radios("level", legend_size=Size.MEDIUM),
            Field.textarea("evidence", max_characters=EVIDENCE_LIMIT, threshold=75),
        )

    def clean_level(self):
        value = self.cleaned_data["level"]
        return None if value == self.NO_LEVEL else self.levels[value]


class Select(forms.Select):
    """A select of many plain options (every skill of a release, about 180), written in one pass: the same markup
    as Django's select, without a template render per option, which made most of the self-assessment page's
    time (docs/decisions/0207). No option groups. Named `Select` because crispy-forms-gds gives a widget its
    GOV.UK class (`govuk-select`) by the widget class's name."""

    def render(self, name, value, attrs=None, renderer=None):
        current = "" if value is None else str(value)
        options = []
        for choice, label in self.choices:
            selected = " selected" if str(choice) == current else ""
            options.append(f'<option value="{escape(str(choice))}"{selected}>{escape(str(label))}</option>')
        options = "".join(options)
        select = f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>{options}</select>'
        return mark_safe(select)  # noqa: S308 - every value and label is escaped


class AddSkillForm(GDSFormMixin, forms.Form):
    submit_label = "Add skill"

    skill = forms.ChoiceField(
        label="Skill",
        widget=Select,
        error_messages={"required": "Choose a skill to add", "invalid_choice": "Choose a skill from the list"},
    )

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = {skill.code: skill for skill in skills}
        self.fields["skill"].choices = [("", "Choose a skill"), *((skill.code, skill.name) for skill in skills)]
        self.build_helper(Field.select("skill"))

    def clean_skill(self):
        code = self.cleaned_data["skill"]
        if code not in self.skills:
            raise forms.ValidationError("Choose a skill from the list.")
        return self.skills[code]


class SendAnswersForm(GDSFormMixin, forms.Form):
    """Which of the answers in progress to send. All that are ready are chosen to begin with; an answer without
    a level or without evidence cannot be sent yet and is not offered."""

    submit_label = "Send answers"

    skills = forms.MultipleChoiceField(
        label="Which answers do you want to send?",
        help_text="Leave an answer out to keep working on it: it stays in progress.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one answer to send",
            "invalid_choice": "Choose from the answers listed: %(value)s is not one of them",
        },
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.ready = {item.skill.code: item.skill for item in items if item.draft.evidence}
        self.fields["skills"].choices = [(code, skill.name) for code, skill in self.ready.items()]
        self.initial.setdefault("skills", list(self.ready))
        self.build_helper(Field.checkboxes("skills", legend_size=Size.MEDIUM))

    def clean_skills(self):
        return [self.ready[code] for code in self.cleaned_data["skills"]]


class ReviewDecisionForm(GDSFormMixin, forms.Form):
    """A reviewer's decision on a claim. The follow-up questions sit under the chosen answer (GOV.UK
    conditional reveal; without JavaScript they all show) and are checked against the answer chosen."""

    submit_label = "Save decision"
    CONFIRM, ADJUST, EVIDENCE = "confirm", "adjust", "evidence"
    NO_LEVEL = "none"

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[
            (CONFIRM, "Confirm the claimed level"),
            (ADJUST, "Validate a different level"),
            (EVIDENCE, "Ask for more evidence"),
        ],
        error_messages={
            "required": "Choose whether to confirm, adjust or ask for more evidence",
            "invalid_choice": "Choose whether to confirm, adjust or ask for more evidence",
        },
    )
    level = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        label="Which level do you validate?",
        error_messages={"invalid_choice": "Choose one of the levels listed"},
    )
    reason = LongTextField(
        label="Why this level",
        help_text="The person sees this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        limit=REASON_LIMIT,
        noun="The reason",
    )
    request = LongTextField(
        label="What evidence do you need?",
        help_text="The person sees this and answers it when they send the claim again.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        limit=REASON_LIMIT,
        noun="The request",
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.levels = {
            str(level.pk): level for level in Level.objects.filter(release_id=claim.release_id).order_by("rank")
        }
        self.fields["level"].choices = [
            *((pk, level.name) for pk, level in self.levels.items() if level.pk != claim.level_id),
            *([] if claim.level_id is None else [(self.NO_LEVEL, "No level yet")]),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            ConditionalRadios(
                "decision",
                RevealQuestion("Confirm the claimed level"),
                RevealQuestion(
                    "Validate a different level",
                    Field.radios("level", legend_size=Size.SMALL),
                    Field.textarea("reason", max_characters=REASON_LIMIT, threshold=75),
                ),
                RevealQuestion(
                    "Ask for more evidence", Field.textarea("request", max_characters=REASON_LIMIT, threshold=75)
                ),
            ),
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.ADJUST:
            if not cleaned.get("level"):
                self.add_error("level", "Choose the level you validate")
            if "reason" in cleaned and not cleaned["reason"].strip():
                self.add_error("reason", "Say why you validate a different level")
        if decision == self.EVIDENCE and "request" in cleaned and not cleaned["request"].strip():
            self.add_error("request", "Say what evidence you need")
        return cleaned

    @property
    def chosen_level(self) -> Level | None:
        """The level to validate: the claimed one when confirming, else the one chosen (None: no level yet)."""
        if self.cleaned_data["decision"] == self.CONFIRM:
            return self.claim.level
        value = self.cleaned_data["level"]
        return None if value == self.NO_LEVEL else self.levels[value]

    @property
    def message(self) -> str:
        return self.cleaned_data["reason" if self.cleaned_data["decision"] == self.ADJUST else "request"]


class CertificateRevokeForm(forms.Form):
    """A training administrator revokes a certificate; the reason is shown to whoever verifies it."""

    reason = LongTextField(
        label="Why are you revoking this certificate?",
        help_text="Anyone who verifies the certificate sees this reason, and so does the holder.",
        widget=forms.Textarea(attrs={"rows": 3}),
        limit=REASON_LIMIT,
        noun="The reason",
        error_messages={"required": "Say why you are revoking the certificate"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason", max_characters=REASON_LIMIT, threshold=75),
            Button.warning("revoke", "Revoke certificate"),
        )
