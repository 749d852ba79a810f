"""Editing course pages in Wagtail: drafts, preview, moderation and scheduled publishing apply to them as to every
page, and the outcome form offers the skills and levels of frameworks' current releases only, labelled with
their framework, with errors on the field that is wrong."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.accounts.enums import Role
from courses.enums import DeliveryMode
from courses.models import CoursePage
from courses.models.pages import CourseOutcomeForm
from frameworks.services import framework_release_draft_create_from_current
from tests.cms.factories import UserFactory
from tests.courses.catalogue_helpers import level, published_release
from tests.courses.factories import course_create, course_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def release():
    release = published_release(skills=2)
    course_index()
    return release


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[Role.CONTENT_EDITOR])
    client.force_login(user)
    return user


def add_url():
    return f"/admin/pages/add/courses/coursepage/{course_index().pk}/"


def course_form_data(release, **overrides):
    skill = release.skills.order_by("pk").first()
    fields = {
        "title": "Data storytelling",
        "slug": "data-storytelling",
        "summary": "Tell a story with data.",
        "body": streamfield([]),
        "provider": "Government Digital Academy",
        "delivery_mode": DeliveryMode.CLASSROOM,
        "duration_hours": "7",
        "cost_pence": "0",
        "prerequisites": "",
        "certificate_validity_months": "",
        "outcomes": inline_formset([{"skill": skill.pk, "from_level": "", "to_level": level(release, 2).pk}], min=1),
    }
    fields.update(overrides)
    return nested_form_data(fields)


def test_the_outcome_form_offers_only_current_release_skills_and_levels_labelled_with_their_framework(release):
    draft = framework_release_draft_create_from_current(framework=release.framework, label="2099-01", actor=None)
    page_form = CoursePage.get_edit_handler().get_form_class()(instance=CoursePage(), for_user=UserFactory())
    form = page_form.formsets["outcomes"].empty_form
    assert isinstance(form, CourseOutcomeForm)

    skills = list(form.fields["skill"].queryset)
    assert {skill.release_id for skill in skills} == {release.pk}
    assert not form.fields["skill"].queryset.filter(release=draft).exists()
    label = form.fields["skill"].label_from_instance(skills[0])
    short = release.framework.short_name or release.framework.name
    assert label == f"{short} · {skills[0].name}"
    assert {lvl.release_id for lvl in form.fields["to_level"].queryset} == {release.pk}
    assert form.fields["to_level"].label_from_instance(level(release, 2)) == f"{short} · Working"


def test_an_editor_saves_a_draft_that_the_catalogue_does_not_show(client, editor, release):
    response = client.get(add_url())
    assert response.status_code == 200
    short = release.framework.short_name or release.framework.name
    assert f"{short} · " in response.content.decode()

    response = client.post(add_url(), course_form_data(release))

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    course = CoursePage.objects.get(slug="data-storytelling")
    assert not course.live
    assert course.get_latest_revision() is not None
    assert course.outcomes.get().to_rank == 2
    assert [found.title for found in client.get("/courses/").context["courses"]] == []


def test_a_level_of_another_release_is_refused_on_its_field(client, editor, release):
    other = published_release(skills=1)  # another framework's release
    data = course_form_data(release)
    data["outcomes-0-to_level"] = str(other.levels.get(rank=2).pk)

    response = client.post(add_url(), data)

    assert response.status_code == 200
    assert not CoursePage.objects.filter(slug="data-storytelling").exists()
    assert "Choose a level of the skill" in response.content.decode()


def test_a_certificate_validity_needs_a_course_that_leads_to_a_certificate(client, editor, release):
    response = client.post(add_url(), course_form_data(release, certificate_validity_months="12"))

    assert response.status_code == 200
    assert "Only a course that leads to a certificate has a validity period." in response.content.decode()
    response = client.post(
        add_url(), course_form_data(release, certificate_validity_months="12", leads_to_certificate="on")
    )
    assert response.status_code == 302
    assert CoursePage.objects.get(slug="data-storytelling").certificate_validity_months == 12


def test_a_course_page_previews_with_its_outcomes_and_sessions(release):
    skill = release.skills.order_by("pk").first()
    course = course_create(title="Previewed course", outcomes=[(skill, None, level(release, 2))])

    response = course.make_preview_request()

    assert response.status_code == 200
    assert "Previewed course" in response.content.decode()
    assert f"/frameworks/ddat/skills/{skill.code}/" in response.content.decode()


def test_course_pages_go_through_the_site_moderation_workflow(release):
    course = course_create(title="Moderated course")
    workflow = course.get_workflow()
    assert isinstance(workflow, Workflow)

    submitter = UserFactory(roles=[Role.CONTENT_EDITOR])
    course.save_revision(user=submitter)
    state = workflow.start(course, submitter)

    assert state.status == state.STATUS_IN_PROGRESS
    assert course.workflow_in_progress


def test_a_scheduled_course_goes_live_when_its_time_comes(client, release):
    course = course_create(title="Scheduled course")
    course.unpublish()
    go_live = timezone.now() + timedelta(hours=2)
    course.go_live_at = go_live
    course.save_revision().publish()
    course.refresh_from_db()
    assert not course.live
    assert "Scheduled course" not in client.get("/courses/").content.decode()

    past = timezone.now() - timedelta(minutes=1)  # the time comes
    revision = course.get_latest_revision()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")

    course.refresh_from_db()
    assert course.live
    assert "Scheduled course" in client.get("/courses/").content.decode()
