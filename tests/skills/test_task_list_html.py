"""The self-assessment task list written in Python (decision 0221) is, character for character, what the GOV.UK
task-list component's Jinja macro wrote, with every value escaped: names with `<`, `&` and quotes, every status
the list can show, a level held against the current and target roles, a skill due for reassessment."""

from dataclasses import dataclass

import pytest
from django.template import Context, Template
from django.urls import reverse

from skills.selectors.self_assessment import ItemStatus
from skills.views.self_assessment import task_list_html

TRICKY = '<b>Data & "ethics" O\'Brien</b>'


@dataclass
class Named:
    name: str
    code: str = ""


@dataclass
class Item:
    """What `task_list_html` reads of a `SelfAssessmentItem`."""

    skill: Named
    required: list
    status: ItemStatus
    stale: bool = False
    draft: object = None


def macro_html(items) -> str:
    """The task list as the page wrote it before 0221: the component's data, rendered by its Jinja macro."""
    rows = []
    for item in items:
        needs = "; ".join(f"{label}: {level.name}" for label, level in item.required) or "Added by you"
        if item.stale and not item.draft:
            needs = f"{needs}. Due for reassessment: last assessed more than a reassessment period ago"
        rows.append(
            {
                "title": {"text": item.skill.name},
                "href": reverse("skills:self-assessment-skill", kwargs={"skill_code": item.skill.code}),
                "hint": {"text": needs},
                "status": {"tag": {"text": item.status.text, "classes": f"govuk-tag--{item.status.colour}"}},
            }
        )
    template = Template('{% load govuk_frontend_django %}{% gds_component "task-list" items=items idPrefix="skill" %}')
    return template.render(Context({"items": rows}))


ITEMS = [
    Item(
        Named(TRICKY, "data-ethics"),
        [("Current role", Named("Working & <more>")), ("Target role", Named('"Expert"'))],
        ItemStatus("sent", f"Sent to {TRICKY}", "blue"),
    ),
    Item(Named("Added", "added_1"), [], ItemStatus("in_progress", "In progress", "light-blue")),
    Item(
        Named("Stale", "STALE-9"),
        [("Target role", Named("Practitioner"))],
        ItemStatus("validated", "Validated at Working", "green"),
        stale=True,
    ),
    Item(
        Named("Stale with an answer", "s"),
        [("Current role", Named("Awareness"))],
        ItemStatus("more_evidence", "More evidence needed", "red"),
        stale=True,
        draft=object(),
    ),
    Item(Named("Claimed", "c"), [], ItemStatus("claimed", "Claimed Expert, not validated", "grey")),
    Item(Named("Again", "a"), [], ItemStatus("check_again", "Check again: the framework changed", "orange")),
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
