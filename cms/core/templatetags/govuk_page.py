"""The site's own GOV.UK page parts that every app's templates share: the error summary of a form and the table.

    {% load govuk_page %}
    {% include "includes/error_summary.html" %}          (uses `form` from the context)
    {% govuk_table caption="Emails sent to you" columns="Email|Date|Status" %}
      <tr class="govuk-table__row">…</tr>
    {% endgovuk_table %}

Both render a template in `templates/includes/`, so the markup lives in one place.
"""

from django import forms
from django.template import Library, Node, TemplateSyntaxError
from django.template.base import token_kwargs
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = Library()

TABLE_OPTIONS = frozenset({"caption", "caption_classes", "columns", "classes", "label", "cue", "describedby", "id"})


@register.filter
def error_target(bound_field) -> str:
    """The id an error summary should link to: the field itself, or for a list of radios or checkboxes its
    first option (crispy-forms-gds numbers them from 1), since the list has no element of the field's id."""
    if isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id


@register.simple_tag
def form_errors(form) -> list[tuple[str, str]]:
    """(anchor, message) for every error of `form`, non-field errors first (linked to the first field)."""
    if form is None or not getattr(form, "errors", None):
        return []
    fields = list(form.visible_fields())
    first = error_target(fields[0]) if fields else ""
    errors = [(first, str(error)) for error in form.non_field_errors()]
    for field in fields:
        errors.extend((error_target(field), str(error)) for error in field.errors)
    return errors


class TableNode(Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        columns = [column.strip() for column in str(options.pop("columns", "") or "").split("|") if column.strip()]
        return render_to_string(
            "includes/table.html",
            {**options, "columns": columns, "rows": mark_safe(self.nodelist.render(context))},  # noqa: S308 — the rows are this template's own rendered, escaped output
        )


@register.tag
def govuk_table(parser, token):
    """A GOV.UK table in a scroll region that shows when there is more to see sideways (a shadow on the side
    with more, and the optional `cue` sentence read out with the region), with its caption and header row.

    Options: `caption` (required: tables are named for screen readers), `caption_classes` (e.g.
    "govuk-table__caption--m"; visually hidden by default), `columns` ("Skill|Gap|Required": the header row),
    `classes` (on the table), `label` (the region's name, the caption by default), `cue` (a sentence shown above
    the table), `describedby` (instead of `cue`: the id of a cue the template writes itself, when its words are
    not fixed), `id` (of the table).
    The body is the table's rows; without `columns` it is the whole <thead> and <tbody>, for a header row that
    holds more than text (links, for example)."""
    bits = token.split_contents()
    options = token_kwargs(bits[1:], parser)
    if len(options) != len(bits) - 1:
        raise TemplateSyntaxError(f"{bits[0]} takes only name=value options")
    unknown = set(options) - TABLE_OPTIONS
    if unknown:
        raise TemplateSyntaxError(f"{bits[0]} has no option {', '.join(sorted(unknown))}")
    if "caption" not in options:
        raise TemplateSyntaxError(f"{bits[0]} needs a caption")
    nodelist = parser.parse(("endgovuk_table",))
    parser.delete_first_token()
    return TableNode(nodelist, options)
