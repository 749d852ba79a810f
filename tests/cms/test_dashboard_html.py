"""The dashboard's content and the next actions, written in Python (decision 0224): every wording, every count in
the singular and the plural, and everything people typed escaped, as the templates they replace wrote them."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cms.dashboard.markup import dashboard_html
from cms.dashboard.views import AdminTask
from courses.selectors.approvals import CompletionToConfirm
from skills.selectors.self_assessment import NextActions
from skills.templatetags.next_actions import next_actions_html

HOSTILE = 'Mia <b>&amp;</b> "O\'Neil"'
ESCAPED = "Mia &lt;b&gt;&amp;amp;&lt;/b&gt; &quot;O&#x27;Neil&quot;"


def actions(**counts) -> NextActions:
    fields = {
        "has_role_levels": True,
        "in_progress": 0,
        "evidence_requested": 0,
        "waiting": 0,
        "check_again": 0,
        "stale": 0,
        "to_review": 0,
        "has_team": False,
    }
    return NextActions(**{**fields, **counts})


def items(html: str) -> list[str]:
    """The list items' text, tags removed."""
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", html)]


def links(html: str) -> dict[str, str]:
    """Each link's text and address."""
    return {
        re.sub(r"<[^>]+>", "", text): href for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html)
    }


@pytest.mark.parametrize(
    ("counts", "one", "several"),
    [
        ("evidence_requested", "1 claim needs more evidence", "2 claims need more evidence"),
        ("in_progress", "Check and send 1 answer in progress", "Check and send 2 answers in progress"),
        ("check_again", "Check 1 skill again", "Check 2 skills again"),
        ("stale", "Review 1 skill due for reassessment", "Review 2 skills due for reassessment"),
        ("to_review", "Review 1 claim waiting for you", "Review 2 claims waiting for you"),
    ],
)
def test_each_next_action_is_counted_in_the_singular_and_the_plural(counts, one, several):
    assert one in next_actions_html(actions(**{counts: 1}))
    assert several in next_actions_html(actions(**{counts: 2}))
    assert "Nothing is waiting for you" not in next_actions_html(actions(**{counts: 2}))


def test_claims_waiting_for_a_decision_are_said_without_a_link_and_leave_nothing_to_do():
    one, several = next_actions_html(actions(waiting=1)), next_actions_html(actions(waiting=3))
    assert "1 of your claims is waiting for a decision. You will get an email when it is decided." in items(one)
    assert "3 of your claims are waiting for a decision. You will get an email when they are decided." in items(several)
    assert "Nothing is waiting for you. See your skills gaps." in items(several)


def test_nothing_to_do_links_to_the_gaps_and_no_role_levels_asks_for_them():
    assert links(next_actions_html(actions())) == {"See your skills gaps": "/skills/gaps/"}
    chosen = next_actions_html(actions(has_role_levels=False))
    assert links(chosen) == {"Choose your current and target role levels": "/skills/role-levels/"}
    assert "Nothing is waiting" not in chosen


def test_every_next_action_links_to_where_it_is_done():
    html = next_actions_html(
        actions(evidence_requested=1, in_progress=1, check_again=1, stale=1, to_review=1, has_role_levels=False)
    )
    assert links(html) == {
        "Choose your current and target role levels": "/skills/role-levels/",
        "1 claim needs more evidence": "/skills/self-assessment/",
        "Check and send 1 answer in progress": "/skills/self-assessment/check/",
        "Check 1 skill again": "/skills/self-assessment/",
        "Review 1 skill due for reassessment": "/skills/self-assessment/",
        "Review 1 claim waiting for you": "/skills/reviews/",
    }


def page(**overrides) -> str:
    arguments = {
        "user": SimpleNamespace(first_name="Ada"),
        "person": SimpleNamespace(pk=1),
        "actions": actions(),
        "training": None,
        "admin_tasks": [],
        "notifications": [],
        "frameworks_url": "",
    }
    return dashboard_html(**{**arguments, **overrides})


def test_what_people_typed_is_escaped_everywhere_it_is_shown():
    completion = CompletionToConfirm(pk=7, person_name=HOSTILE, course_title=HOSTILE)
    html = page(
        user=SimpleNamespace(first_name=HOSTILE),
        actions=actions(has_team=True),
        training={"requests": 0, "completions": [completion]},
        admin_tasks=[AdminTask(HOSTILE, '/admin/?a=1&b="2"')],
        notifications=[SimpleNamespace(label=HOSTILE, created_at=timezone.now())],
    )
    assert f'<h1 class="govuk-heading-xl">Hello, {ESCAPED}</h1>' in html
    assert f'href="/training/completions/7/">Confirm {ESCAPED}\'s completion of {ESCAPED}</a>' in html
    assert f'href="/admin/?a=1&amp;b=&quot;2&quot;">{ESCAPED}</a>' in html
    assert f"<li>{ESCAPED}<br>" in html
    assert "<b>" not in html


def test_an_account_without_a_first_name_or_a_skills_profile():
    html = page(user=SimpleNamespace(first_name=""), person=None, actions=None, frameworks_url="/frameworks/?a&b")
    assert '<h1 class="govuk-heading-xl">Your dashboard</h1>' in html
    assert "Your account has no skills profile: HR adds one for each member of the profession." in html
    assert links(html)["read the frameworks"] == "/frameworks/?a&amp;b"
    assert "What to do next" not in html
    assert "read the frameworks" not in page(person=None, actions=None, frameworks_url="")


def test_a_manager_has_their_team_and_their_training_decisions():
    learner_links = links(page())
    assert "Your team's skills" not in learner_links
    html = page(actions=actions(has_team=True), training={"requests": 2, "completions": []})
    assert links(html)["Decide 2 training requests"] == "/training/approvals/"
    assert "Requests not decided before booking closes lapse." in html
    assert {"Your team's skills", "training", "plans", "Delegate your approvals while you are away"} <= set(links(html))
    assert "Decide 1 training request<" in page(
        actions=actions(has_team=True), training={"requests": 1, "completions": []}
    )
    assert "Decide" not in page(actions=actions(has_team=True), training={"requests": 0, "completions": []})


def test_recent_emails_show_london_time_or_none_yet():
    summer = timezone.make_aware(datetime.datetime(2026, 7, 1, 8, 5), datetime.UTC)
    html = page(notifications=[SimpleNamespace(label="Your claim was validated", created_at=summer)])
    assert (
        '<li>Your claim was validated<br><span class="govuk-hint govuk-!-margin-0">1 Jul 2026, 09:05</span></li>'
        in html
    )
    assert '<p class="govuk-body">None yet.</p>' in page()
    assert links(page())["All your notifications"] == "/accounts/notifications/"
