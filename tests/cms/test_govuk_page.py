"""The shared page parts every app's templates use: the error summary and the GOV.UK table."""

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string


class _ChoiceForm(forms.Form):
    name = forms.CharField()
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def test_error_summary_links_each_error_to_its_field_and_a_radio_list_to_its_first_option():
    form = _ChoiceForm(data={})
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert "There is a problem" in html
    assert 'href="#id_name"' in html  # the non-field error links to the first field, and so does name's own
    assert 'href="#id_colour_1"' in html  # the radio list has no element of its own id: its first option
    assert html.count("<li>") == 3
    assert "Something about the whole form" in html


def test_error_summary_is_empty_for_a_valid_or_missing_form():
    assert render_to_string("includes/error_summary.html", {"form": None}).strip() == ""
    valid = forms.Form(data={})
    assert valid.is_valid()
    assert render_to_string("includes/error_summary.html", {"form": valid}).strip() == ""


def _table(source: str, **context) -> str:
    return Template("{% load govuk_page %}" + source).render(Context(context))


def test_table_has_caption_header_row_and_a_named_scroll_region_with_its_cue():
    html = _table(
        '{% govuk_table caption="Emails sent to you" columns="Email|Date" cue="Scroll sideways" %}'
        '<tr class="govuk-table__row"><td>{{ value }}</td></tr>{% endgovuk_table %}',
        value="<script>",
    )
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Emails sent to you</caption>' in html
    assert '<th scope="col" class="govuk-table__header">Email</th>' in html
    assert '<th scope="col" class="govuk-table__header">Date</th>' in html
    assert 'role="region" aria-label="Emails sent to you"' in html
    assert 'aria-describedby="emails-sent-to-you-cue"' in html
    assert '<p class="govuk-body capability-scroll-cue" id="emails-sent-to-you-cue">Scroll sideways</p>' in html
    assert "capability-table-scroll--cue" in html
    assert "&lt;script&gt;" in html  # the rows are escaped as the template wrote them
    assert "<script>" not in html


def test_table_without_columns_takes_its_own_head():
    html = _table(
        '{% govuk_table caption="Ladder" describedby="cue" %}<thead><tr><th>x</th></tr></thead>{% endgovuk_table %}'
    )
    assert "<thead><tr><th>x</th></tr></thead>" in html
    assert "govuk-table__head" not in html
    assert 'aria-describedby="cue"' in html


@pytest.mark.parametrize(
    "source",
    [
        '{% govuk_table columns="A" %}{% endgovuk_table %}',
        '{% govuk_table caption="A" colour="red" %}{% endgovuk_table %}',
        '{% govuk_table "A" %}{% endgovuk_table %}',
    ],
)
def test_table_refuses_a_missing_caption_or_an_unknown_option(source):
    with pytest.raises(TemplateSyntaxError):
        _table(source)
