from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """The site-wide search box. A GET form: results pages can be bookmarked and shared."""

    q = forms.CharField(
        label="Search Capability",
        help_text="For example a skill or a role",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.text("q", label_size=Size.SMALL))

    @property
    def query(self) -> str:
        if not self.is_valid():
            return ""
        query = self.cleaned_data["q"].strip()[:MAX_QUERY_LENGTH]
        # Quotes mark phrases; an unbalanced one is a syntax error to the search engine, so drop them all.
        if query.count('"') % 2:
            query = query.replace('"', " ").strip()
        return query
