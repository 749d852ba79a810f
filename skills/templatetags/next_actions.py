"""`{% next_actions actions %}`: what a person has to do next in their skills, the list the dashboard and the skills
overview show (`skills.selectors.self_assessment.NextActions`).

Written in Python rather than a template, as the task list's rows are (decision 0221): the list is a handful of
conditions and counts, and the template engine's nodes, filters and tags cost more than the reads behind them on the
learner's dashboard, the most visited signed-in page (decision 0224). Every value written is a count or one of
our own addresses (escaped, as the template escaped it); the words are fixed.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from frameworks.templatetags.fixed_urls import fixed_reverse

register = template.Library()


def address(name: str) -> str:
    """The address of our own URL pattern `name` (without arguments), escaped for an attribute as `{% url %}` was in
    a template: the pattern's own characters are percent-encoded, but a deployment's script prefix is not."""
    return escape(fixed_reverse(name))


def plural(count: int, singular: str = "", plural_: str = "s") -> str:
    """Django's `pluralize` filter: `singular` for exactly one, else `plural_`."""
    return singular if count == 1 else plural_


def _action(href: str, text: str, hint: str = "") -> str:
    hint_html = f'<br><span class="govuk-hint govuk-!-margin-0">{hint}</span>' if hint else ""
    return f'<li><a class="govuk-link govuk-!-font-weight-bold" href="{href}">{text}</a>{hint_html}</li>'


@register.simple_tag
def next_actions(actions) -> SafeString:
    return next_actions_html(actions)


def next_actions_html(actions) -> SafeString:
    """The list of next actions for `actions` (a NextActions), each a link to where the action is done, or a line
    saying nothing is waiting."""
    items = []
    if not actions.has_role_levels:
        items.append(
            _action(
                address("skills:role-levels"),
                "Choose your current and target role levels",
                "They decide which skills you assess and what your gaps are.",
            )
        )
    if count := actions.evidence_requested:
        items.append(
            _action(
                address("skills:self-assessment"),
                f"{count} claim{plural(count)} need{plural(count, 's', '')} more evidence",
                "Read what your reviewer asked, add to your evidence and send it again.",
            )
        )
    if count := actions.in_progress:
        items.append(
            _action(
                address("skills:self-assessment-check"),
                f"Check and send {count} answer{plural(count)} in progress",
            )
        )
    if count := actions.check_again:
        items.append(
            _action(
                address("skills:self-assessment"),
                f"Check {count} skill{plural(count)} again",
                "The framework changed the text of a level you hold: read the new text and send your answer, so that "
                "your level is validated against it.",
            )
        )
    if count := actions.stale:
        items.append(
            _action(address("skills:self-assessment"), f"Review {count} skill{plural(count)} due for reassessment")
        )
    if count := actions.to_review:
        items.append(_action(address("skills:reviews"), f"Review {count} claim{plural(count)} waiting for you"))
    if count := actions.waiting:
        items.append(
            f"<li>{count} of your claims {plural(count, 'is', 'are')} waiting for a decision. You will get an email "
            f"when {plural(count, 'it is', 'they are')} decided.</li>"
        )
    if not actions.anything:
        items.append(
            f'<li>Nothing is waiting for you. <a class="govuk-link" href="{address("skills:gaps")}">'
            "See your skills gaps</a>.</li>"
        )
    return mark_safe(  # noqa: S308 - counts, fixed words and addresses resolved from our own URL patterns
        f'<ul class="govuk-list govuk-list--spaced capability-next-actions">{"".join(items)}</ul>'
    )
