"""The self-assessment task list written in Python (decision 0221) is, character for character, what the GOV.UK
task-list component's Jinja macro wrote, with every value escaped: names with `<`, `&` and quotes, every status
the list can show, a level held against the current and target roles, a skill due for reassessment (with and
without an answer in progress)."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from skills.selectors.self_assessment import ItemStatus, TaskListRow, needs_text
from skills.views.self_assessment import task_list_html

TRICKY = '<b>Data & "ethics" O\'Brien</b>'


def row(name, code, required, status, *, stale=False, draft=False) -> TaskListRow:
    return TaskListRow(0, code, name, needs_text(required, stale=stale, draft=draft), status)


def macro_html(rows) -> str:
    """The task list as the page wrote it before 0221: the component's data, rendered by its Jinja macro."""
    items = [
        {
            "title": {"text": row.name},
            "href": reverse("skills:self-assessment-skill", kwargs={"skill_code": row.code}),
            "hint": {"text": row.needs},
            "status": {"tag": {"text": row.status.text, "classes": f"govuk-tag--{row.status.colour}"}},
        }
        for row in rows
    ]
    template = Template('{% load govuk_frontend_django %}{% gds_component "task-list" items=items idPrefix="skill" %}')
    return template.render(Context({"items": items}))


ITEMS = [
    row(
        TRICKY,
        "data-ethics",
        [("Current role", "Working & <more>"), ("Target role", '"Expert"')],
        ItemStatus("sent", f"Sent to {TRICKY}", "blue"),
    ),
    row("Added", "added_1", [], ItemStatus("in_progress", "In progress", "light-blue")),
    row(
        "Stale",
        "STALE-9",
        [("Target role", "Practitioner")],
        ItemStatus("validated", "Validated at Working", "green"),
        stale=True,
    ),
    row(
        "Stale with an answer",
        "s",
        [("Current role", "Awareness")],
        ItemStatus("more_evidence", "More evidence needed", "red"),
        stale=True,
        draft=True,
    ),
    row("Claimed", "c", [], ItemStatus("claimed", "Claimed Expert, not validated", "grey")),
    row("Again", "a", [], ItemStatus("check_again", "Check again: the framework changed", "orange")),
]


@pytest.mark.parametrize("count", [1, 2, len(ITEMS)])
def test_the_task_list_is_the_components_markup(count):
    items = ITEMS[:count]

    assert str(task_list_html(items)) == macro_html(items)


def test_every_value_in_the_task_list_is_escaped():
    html = str(task_list_html(ITEMS[:1]))

    assert TRICKY not in html
    assert "&lt;b&gt;Data &amp; &#34;ethics&#34; O&#39;Brien&lt;/b&gt;" in html
    assert "Current role: Working &amp; &lt;more&gt;; Target role: &#34;Expert&#34;" in html
    assert 'href="/skills/self-assessment/data-ethics/"' in html
    assert "Due for reassessment" in str(task_list_html(ITEMS[2:3]))
    assert "Due for reassessment" not in str(task_list_html(ITEMS[3:4]))
