"""The self-assessment task list on the real DDaT 2025-10 release: every skill the learner's two real role levels
need is listed with what each needs, every other skill of the release is offered to add, and the page keeps its
query count, reading the frozen release's skills and requirements once per process and publication (decision
0223)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frameworks.models import FrameworkRelease, Requirement
from skills.services import self_assessment_draft_save
from tests.conftest import page_queries
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, imported once per module
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]

# The account with its session record, the person, and the answers in progress, the current levels and the claims
# waiting for review in one statement (decision 0224). The release's skills and its role levels' requirements are
# the process's once read.
TASK_LIST_QUERIES = 3


@pytest.fixture
def learner():
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    current = release.role_levels.get(role__name="Data engineer", name="Data engineer")
    target = release.role_levels.get(role__name="Data engineer", name="Senior data engineer")
    person = PersonFactory(current_role_level=current, target_role_level=target)
    skill = Requirement.objects.filter(role_level=target).select_related("skill").first().skill
    self_assessment_draft_save(
        person=person, skill=skill, level=release.levels.order_by("rank").last(), evidence="Led it.", actor=person.user
    )
    return release, person


def page(client) -> str:
    response = client.get("/skills/self-assessment/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_task_list_lists_what_both_real_role_levels_need_and_offers_every_other_skill(learner):
    release, person = learner
    required = set(
        Requirement.objects.filter(role_level__in=[person.current_role_level, person.target_role_level]).values_list(
            "skill__name", flat=True
        )
    )
    assert len(required) > 10

    html = page(client_for(person))

    listed = [name.strip() for name in re.findall(r'govuk-task-list__link"[^>]*>\s*([^<]+?)\s*</a>', html)]
    assert set(listed) == required
    assert listed == sorted(listed, key=lambda name: name)  # by name, as the release's skills are read
    assert "Current role: " in html
    assert "Target role: " in html
    assert "1 answer not sent yet" in html
    offered = re.findall(r'<option value="([^"]+)">', html.split('id="id_skill"', 1)[1].split("</select>", 1)[0])
    assert len(offered) == release.skills.count() - len(required)
    # The form's fields are rendered once for everyone with these choices: they carry no CSRF token of anyone's,
    # and the form has exactly its own (the template's), this request's.
    add_form = html.split('action="/skills/self-assessment/add/"', 1)[1].split("</form>", 1)[0]
    assert add_form.count('name="csrfmiddlewaretoken"') == 1


def test_the_task_list_keeps_its_query_count_and_reads_the_frozen_release_once(learner):
    _release, person = learner
    client = client_for(person)
    first = page(client)

    with CaptureQueriesContext(connection) as queries:
        again = page(client)

    performed = page_queries(queries.captured_queries)
    assert len(performed) == TASK_LIST_QUERIES
    assert not any(query["sql"].startswith('SELECT "frameworks_skill".') for query in performed)
    assert not any('FROM "frameworks_requirement"' in query["sql"] for query in performed)
    strip = re.compile(r'(nonce|value)="[^"]*"')
    assert strip.sub("", again) == strip.sub("", first)


def test_another_learner_in_the_same_release_gets_their_own_role_levels_needs(learner):
    release, person = learner
    page(client_for(person))  # the release kept by the process
    other_level = release.role_levels.get(role__name="Product manager", name="Senior product manager")
    other = PersonFactory(current_role_level=other_level)
    required = set(Requirement.objects.filter(role_level=other_level).values_list("skill__name", flat=True))

    html = page(client_for(other))

    listed = {name.strip() for name in re.findall(r'govuk-task-list__link"[^>]*>\s*([^<]+?)\s*</a>', html)}
    assert listed == required
    assert "Target role: " not in html
