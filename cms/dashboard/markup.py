"""The dashboard's content, written in Python (decision 0224).

The dashboard is the page every signed-in person lands on. Its content is a few conditions, counts and links, and
through the template engine (nodes, filters, a dozen tags, an include) it cost as much as the reads behind it. Here
it is one pass of f-strings. Everything that comes from people (names, course titles, notification subjects, the
admin tasks' words) is escaped with Django's `escape`, as the template escaped it, and so are the addresses
resolved from our own URL patterns; counts are integers.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from skills.templatetags.next_actions import address, next_actions_html, plural

NOTIFICATION_TIME_FORMAT = "j M Y, H:i"
TEAM_SKILLS = "Your team's skills"


def _link(name: str, text: str) -> str:
    return f'<a class="govuk-link" href="{address(name)}">{text}</a>'


def _training_html(training) -> str:
    """A line manager's training decisions: requests waiting and self-paced completions to confirm."""
    if not training or not (training["requests"] or training["completions"]):
        return ""
    items = []
    if count := training["requests"]:
        items.append(
            f'<li><a class="govuk-link govuk-!-font-weight-bold" href="{address("courses:approvals")}">'
            f"Decide {count} training request{plural(count)}</a><br>"
            '<span class="govuk-hint govuk-!-margin-0">Requests not decided before booking closes lapse.</span></li>'
        )
    for completion in training["completions"]:
        href = escape(reverse("courses:completion", kwargs={"completion_id": completion.pk}))
        items.append(
            f'<li><a class="govuk-link govuk-!-font-weight-bold" href="{href}">Confirm '
            f"{escape(completion.person_name)}'s completion of {escape(completion.course_title)}</a></li>"
        )
    return f'<ul class="govuk-list govuk-list--spaced">{"".join(items)}</ul>'


def _own_links_html(actions) -> str:
    """Where a person finds their own skills, training and certificates, and a manager their team's."""
    items = [
        f"<li>{_link('skills:overview', 'Your skills')}</li>",
        f"<li>{_link('skills:gaps', 'Your skills gaps')} and the training that closes them</li>",
        f"<li>{_link('courses:my-training', 'Your training')} and {_link('skills:plan', 'development plan')}</li>",
        f"<li>{_link('skills:certificates', 'Your certificates')} and their share links</li>",
    ]
    if actions.has_team:
        items.append(
            f"<li>{_link('skills:team', TEAM_SKILLS)}, "
            f"{_link('courses:team-training', 'training')} and {_link('skills:team-plans', 'plans')}</li>"
        )
        items.append(f"<li>{_link('skills:delegation', 'Delegate your approvals while you are away')}</li>")
    return f'<ul class="govuk-list">{"".join(items)}</ul>'


def _notifications_html(notifications) -> str:
    if not notifications:
        return '<p class="govuk-body">None yet.</p>'
    items = "".join(
        f"<li>{escape(notification.label)}<br>"
        f'<span class="govuk-hint govuk-!-margin-0">'
        f"{date_format(timezone.localtime(notification.created_at), NOTIFICATION_TIME_FORMAT)}</span></li>"
        for notification in notifications
    )
    return f'<ul class="govuk-list">{items}</ul>'


def dashboard_html(*, user, person, actions, training, admin_tasks, notifications, frameworks_url: str) -> SafeString:
    """The dashboard's content: a greeting, what to do next (for a person with a skills profile) or where to read
    the frameworks (for an account without one), the admin work the account's roles have, and its recent emails."""
    greeting = f"Hello, {escape(user.first_name)}" if user.first_name else "Your dashboard"
    if person:
        main = (
            '<h2 class="govuk-heading-m">What to do next</h2>'
            f"{next_actions_html(actions)}{_training_html(training)}{_own_links_html(actions)}"
        )
    else:
        read = (
            f' You can still <a class="govuk-link" href="{escape(frameworks_url)}">read the frameworks</a>.'
            if frameworks_url
            else ""
        )
        main = (
            '<p class="govuk-body">Your account has no skills profile: HR adds one for each member of the '
            f"profession.{read}</p>"
        )
    admin = ""
    if admin_tasks:
        tasks = "".join(
            f'<li><a class="govuk-link govuk-!-font-weight-bold" href="{escape(task.href)}">'
            f"{escape(task.text)}</a></li>"
            for task in admin_tasks
        )
        admin = f'<h2 class="govuk-heading-m">Admin work</h2><ul class="govuk-list govuk-list--spaced">{tasks}</ul>'
    return mark_safe(  # noqa: S308 - every value from people is escaped above
        '<div class="govuk-grid-row">'
        '<div class="govuk-grid-column-two-thirds">'
        f'<h1 class="govuk-heading-xl">{greeting}</h1>{main}{admin}'
        "</div>"
        '<div class="govuk-grid-column-one-third">'
        '<h2 class="govuk-heading-s">Recent emails to you</h2>'
        f"{_notifications_html(notifications)}"
        f'<p class="govuk-body">{_link("accounts:notifications", "All your notifications")}</p>'
        "</div>"
        "</div>"
    )
