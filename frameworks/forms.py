"""Forms of the public framework site (GET filters, GOV.UK markup through crispy-forms-gds) and of the admin."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

MAX_SEARCH_LENGTH = 200


def _get_form_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.form_method = "get"
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class SkillFilterForm(forms.Form):
    """Skills A to Z: words to look for, and a role family whose roles need the skill. A GET form: the
    filtered list can be bookmarked, and it works without JavaScript."""

    q = forms.CharField(
        label="Search skills",
        help_text="Words in the skill's name or description",
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    role_family = forms.ChoiceField(label="Needed in role family", required=False)

    def __init__(self, *args, role_families=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_family"].choices = [("", "All role families")] + [
            (family.code, family.name) for family in role_families
        ]
        fields = [Field.text("q", label_size=Size.SMALL)]
        if role_families:
            fields.append(Field.select("role_family", label_size=Size.SMALL))
        else:
            del self.fields["role_family"]
        self.helper = _get_form_helper(*fields)

    def filters(self) -> dict[str, str]:
        """The valid filters ({} when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "search": self.cleaned_data["q"].strip(),
            "role_family_code": self.cleaned_data.get("role_family") or "",
        }


class ReleaseComparisonForm(forms.Form):
    """Compare any two releases of a framework (GET)."""

    from_release = forms.ChoiceField(label="From release")
    to_release = forms.ChoiceField(label="To release")

    def __init__(self, *args, labels=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(label, label) for label in labels]
        self.fields["from_release"].choices = choices
        self.fields["to_release"].choices = choices
        self.helper = _get_form_helper(
            Field.select("from_release", label_size=Size.SMALL), Field.select("to_release", label_size=Size.SMALL)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_release") and cleaned.get("from_release") == cleaned.get("to_release"):
            self.add_error("to_release", "Choose a different release to compare with")
        return cleaned
