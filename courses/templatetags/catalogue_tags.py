from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def catalogue_options(bound_field) -> str:
    """The `<option>` elements of a catalogue filter's select, the current value selected. The skill filter offers
    every skill of the current releases, too many for a template loop."""
    current = str(bound_field.value() or "")
    options = []
    for value, label in bound_field.field.choices:
        value = str(value)
        selected = " selected" if value == current else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value and label is escaped


@register.filter
def london(moment) -> str:
    """A moment as the service shows it, in Europe/London with the zone visible: "Tue 3 March 2026, 9:30am GMT"."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    hour = local.strftime("%-I:%M%p").lower().replace(":00", "")
    return f"{local:%a %-d %B %Y}, {hour} {local.tzname()}"


@register.filter
def london_until(end, start) -> str:
    """When a session ends: its time alone when it ends the day it starts ("5pm GMT"), else the whole moment."""
    if end is None:
        return ""
    local_end, local_start = timezone.localtime(end), timezone.localtime(start)
    if local_end.date() != local_start.date():
        return london(end)
    hour = local_end.strftime("%-I:%M%p").lower().replace(":00", "")
    return f"{hour} {local_end.tzname()}"
