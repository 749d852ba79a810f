from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from frameworks.models import Level


class GDSFormMixin:
    """A GOV.UK form helper; the template writes the <form> tag and the CSRF token."""

    submit_label = "Continue"

    def build_helper(self, *fields):
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields, Button("submit", self.submit_label))


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, level):
        return level.name


class RoleLevelsForm(GDSFormMixin, forms.Form):
    submit_label = "Save role levels"

    current = forms.ChoiceField(label="Your current role level", required=False)
    target = forms.ChoiceField(label="The role level you are working towards", required=False)

    def __init__(self, *args, role_levels, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by role (an <optgroup> each), most junior level first: works without JavaScript.
        grouped = {}
        for role_level in role_levels:
            grouped.setdefault(f"{role_level.role.family.name} – {role_level.role.name}", []).append(
                (str(role_level.pk), role_level.name)
            )
        choices = [("", "Not chosen"), *grouped.items()]
        self.fields["current"].choices = choices
        self.fields["target"].choices = choices
        self.role_levels = {str(role_level.pk): role_level for role_level in role_levels}
        self.build_helper(Field.select("current"), Field.select("target"))

    def clean(self):
        cleaned = super().clean()
        cleaned["current"] = self.role_levels.get(cleaned.get("current") or "")
        cleaned["target"] = self.role_levels.get(cleaned.get("target") or "")
        return cleaned


class SelfAssessmentForm(GDSFormMixin, forms.Form):
    submit_label = "Save and come back later"

    level = LevelChoiceField(
        queryset=Level.objects.none(),
        required=False,
        empty_label="I do not have this skill yet",
        blank=True,  # a RadioSelect only offers the empty choice when told to
        widget=forms.RadioSelect,
        label="Which level best describes you?",
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text="What you did, the result, and links to anything that shows it. Your line manager reads this.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, skill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Level.objects.filter(release_id=skill.release_id).order_by("rank")
        self.build_helper(Field.radios("level", legend_size=Size.MEDIUM), Field.textarea("evidence"))


class AddSkillForm(GDSFormMixin, forms.Form):
    submit_label = "Add skill"

    skill = forms.ChoiceField(label="Skill")

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


class ReviewDecisionForm(GDSFormMixin, forms.Form):
    submit_label = "Save decision"
    CONFIRM, ADJUST, EVIDENCE = "confirm", "adjust", "evidence"

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[
            (CONFIRM, "Confirm the claimed level"),
            (ADJUST, "Validate a different level"),
            (EVIDENCE, "Ask for more evidence"),
        ],
        error_messages={"required": "Choose whether to confirm, adjust or ask for more evidence."},
    )
    level = LevelChoiceField(
        queryset=Level.objects.none(),
        required=False,
        empty_label="No level yet",
        blank=True,
        widget=forms.RadioSelect,
        label="If you validate a different level, which one?",
    )
    reason = forms.CharField(
        label="Reason, or the evidence you need",
        help_text="Needed when you validate a different level or ask for more evidence. The learner sees it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["level"].queryset = Level.objects.filter(release_id=claim.release_id).order_by("rank")
        self.build_helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.radios("level", legend_size=Size.SMALL),
            Field.textarea("reason"),
        )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.ADJUST and "level" in cleaned and cleaned["level"] == self.claim.level:
            self.add_error("level", "Choose a level different from the claimed one, or confirm the claim.")
        if decision in (self.ADJUST, self.EVIDENCE) and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give a reason, or say what evidence you need.")
        return cleaned
