from django import forms
from django.template import Library

register = Library()


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
    fields = list(form.visible_fields())
    first = error_target(fields[0]) if fields else ""
    errors = [(first, str(error)) for error in form.non_field_errors()]
    for field in fields:
        errors.extend((error_target(field), str(error)) for error in field.errors)
    return errors
