"""Selectors: what people are shown, read in one place."""

from collections import Counter
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from frameworks.services import framework_release_publish
from skills.models import CurrentLevel, PeopleImport, Person
from skills.selectors.hr import people_imports_for
from skills.selectors.people import (
    person_for_user,
    person_get_visible_to,
    person_release,
    role_level_in_current_release,
)
from skills.selectors.reviews import review_get_for_reviewer
from skills.selectors.self_assessment import (
    needs_text,
    person_for_next_actions,
    person_next_actions,
    self_assessment_items,
    task_list,
)
from skills.services import (
    InvalidAssessment,
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)
from skills.services.people import person_update
from skills.services.profile import person_role_levels_set
from tests.cms.factories import SuperuserFactory
from tests.frameworks.factories import FrameworkReleaseFactory, RoleLevelFactory, release_with_roles
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.test_views import make_release

pytestmark = pytest.mark.django_db

YEARS = timedelta(days=3 * 365)


def published_release(slug: str):
    release = release_with_roles(skills=1, roles=1, levels_per_role=1, requirements_per_level=1, framework__slug=slug)
    return framework_release_publish(release=release, actor=None)


def test_someone_without_a_role_level_works_in_the_default_framework_named_by_one_setting():
    ddat, other = published_release("ddat"), published_release("gds-skills")
    person = PersonFactory()

    assert person_release(person=person) == ddat
    with override_settings(CAPABILITY_DEFAULT_FRAMEWORK="gds-skills"):
        assert person_release(person=person) == other
    with override_settings(CAPABILITY_DEFAULT_FRAMEWORK="not-published"):
        assert person_release(person=person) is None


# --- Access: who may read a person, who may review a claim (the pages answer None with 404) --------------------


@pytest.fixture
def line():
    """Head manages Mia, who manages Leo; Oona manages Omar in another unit, outside that line."""
    release, role_level = make_release(2)
    head = PersonFactory()
    mia = PersonFactory(line_manager=head)
    leo = PersonFactory(line_manager=mia, current_role_level=role_level, target_role_level=role_level)
    oona = PersonFactory(org_unit=org_unit("Other dept/Digital"))
    omar = PersonFactory(line_manager=oona, org_unit=org_unit("Other dept/Digital"))
    return release, head, mia, leo, oona, omar


def test_a_person_is_visible_to_themselves_and_their_whole_management_chain(line):
    _, head, mia, leo, _, _ = line

    for viewer in (leo, mia, head):
        assert person_get_visible_to(viewer=viewer, person_id=leo.pk) == leo


@pytest.mark.parametrize("who", ["wrong manager", "other unit", "outside the line", "their own report", "nobody"])
def test_a_person_is_not_visible_to_anyone_else(line, who):
    _, head, mia, leo, oona, omar = line
    viewer, person = {
        "wrong manager": (oona, leo),
        "other unit": (omar, leo),
        "outside the line": (PersonFactory(), mia),
        "their own report": (leo, mia),
        "nobody": (None, leo),
    }[who]

    assert person_get_visible_to(viewer=viewer, person_id=person.pk) is None
    assert person_get_visible_to(viewer=head, person_id=omar.pk) is None
    assert person_get_visible_to(viewer=head, person_id=0) is None


def claim_sent(person, release, code="skill-00"):
    skill = release.skills.get(code=code)
    self_assessment_draft_save(
        person=person, skill=skill, level=release.levels.get(code="expert"), evidence="Did it.", actor=person.user
    )
    return self_assessment_submit(person=person, actor=person.user, skills=[skill])[0]


def test_a_claim_is_reviewed_by_the_line_manager_and_an_independent_accredited_assessor(line):
    release, head, mia, leo, oona, _ = line
    claim = claim_sent(leo, release)
    by_manager = claim.reviews.get()
    by_assessor = review_request_assessor(claim=claim, actor=leo.user)
    oona.accredited_frameworks.add(release.framework)

    assert review_get_for_reviewer(viewer=mia, review_id=by_manager.pk) == by_manager
    assert review_get_for_reviewer(viewer=oona, review_id=by_assessor.pk) == by_assessor


@pytest.mark.parametrize(
    "who", ["the claimant", "wrong manager", "the manager's manager", "unaccredited", "assessor in the line", "nobody"]
)
def test_nobody_else_gets_a_claim_to_review(line, who):
    release, head, mia, leo, oona, _ = line
    claim = claim_sent(leo, release)
    by_manager = claim.reviews.get()
    by_assessor = review_request_assessor(claim=claim, actor=leo.user)
    head.accredited_frameworks.add(release.framework)
    viewer = {
        "the claimant": leo,
        "wrong manager": oona,
        "the manager's manager": head,
        "unaccredited": PersonFactory(),
        "assessor in the line": head,
        "nobody": None,
    }[who]

    review = by_assessor if who in ("unaccredited", "assessor in the line", "the claimant") else by_manager
    assert review_get_for_reviewer(viewer=viewer, review_id=review.pk) is None
    assert review_get_for_reviewer(viewer=mia, review_id=0) is None


# --- The role level rule: one place for the HR admin and the learner ------------------------------------------


def test_a_role_level_must_be_in_its_frameworks_current_release(line):
    release, _, mia, leo, _, _ = line
    current = leo.current_role_level
    draft = FrameworkReleaseFactory(framework=release.framework, label="2099-01")
    stale = RoleLevelFactory(release=draft, role__release=draft)

    assert role_level_in_current_release(role_level=current)
    assert not role_level_in_current_release(role_level=stale)
    with pytest.raises(InvalidAssessment, match="not in its framework's current release: choose again"):
        person_role_levels_set(person=leo, current=stale, target=None, actor=leo.user)
    with pytest.raises(InvalidAssessment, match="not in its framework's current release: choose again"):
        person_update(person=leo, actor=hr_analyst_for(), target_role_level=stale)


# --- Next actions: the dashboard's counts and the task list agree ---------------------------------------------


def test_the_dashboards_counts_agree_with_the_task_list_and_show_each_change_at_once(line):
    release, _, mia, leo, _, _ = line

    def agree():
        actions = person_next_actions(person=Person.objects.get(pk=leo.pk))
        items = self_assessment_items(person=leo, release=release)
        keys = Counter(item.status.key for item in items)
        assert (actions.in_progress, actions.evidence_requested, actions.check_again) == (
            keys["in_progress"],
            keys["more_evidence"],
            keys["check_again"],
        )
        assert actions.waiting == sum(1 for item in items if item.open_review)
        assert actions.stale == sum(1 for item in items if item.stale and not item.draft)
        return actions

    assert agree().in_progress == 0
    claim = claim_sent(leo, release)
    assert agree().waiting == 1
    assert person_next_actions(person=mia).to_review == 1
    review_request_evidence(review=claim.reviews.get(), reviewer=mia, message="More?")
    assert agree().evidence_requested == 1
    self_assessment_draft_save(
        person=leo, skill=release.skills.get(code="skill-01"), level=None, evidence="e", actor=leo.user
    )
    assert agree().in_progress == 1
    CurrentLevel.objects.filter(person=leo).update(needs_revalidation=True, last_assessed_at=timezone.now() - YEARS)
    actions = agree()
    assert (actions.stale, actions.check_again) == (0, 0)  # the only level has an answer in progress


@pytest.mark.parametrize("who", ["head", "mia", "leo", "nobody"])
def test_the_dashboards_person_is_the_signed_in_person_without_their_unit_grade_and_manager(
    line, who, django_assert_num_queries
):
    release, head, mia, leo, _, _ = line
    user = {"head": head, "mia": mia, "leo": leo}[who].user if who != "nobody" else SuperuserFactory()
    full = person_for_user(user=user)

    with django_assert_num_queries(1):
        person = person_for_next_actions(user=user)
    if full is None:
        assert person is None
        return
    assert (person.pk, person.current_role_level_id, person.target_role_level_id) == (
        full.pk,
        full.current_role_level_id,
        full.target_role_level_id,
    )
    assert (person.has_direct_reports, person.is_accredited) == (full.has_direct_reports, full.is_accredited)
    assert person.user is user
    if person.target_role_level_id:
        with django_assert_num_queries(0):
            assert person_release(person=person) == person_release(person=full) == release
            assert person_release(person=person).framework.reassessment_period_months


def test_the_task_list_pages_rows_agree_with_the_items_at_every_status(line):
    """The task list page reads narrowly (`task_list`, decision 0221); the skill and check pages read the items.
    Both show the same skills, needs and statuses, whatever happens."""
    release, _, mia, leo, _, _ = line
    mia.user.first_name, mia.user.last_name = "Mia <&>", "O'Neil"
    mia.user.save()
    seen = set()

    def agree():
        person = Person.objects.get(pk=leo.pk)
        items = self_assessment_items(person=person, release=release)
        listed = task_list(person=person, release=release)
        assert [(row.code, row.name, row.needs, row.status) for row in listed.rows] == [
            (
                item.skill.code,
                item.skill.name,
                needs_text(
                    [(label, level.name) for label, level in item.required], stale=item.stale, draft=bool(item.draft)
                ),
                item.status,
            )
            for item in items
        ]
        assert [skill.code for skill in listed.addable] == list(
            release.skills.exclude(pk__in=[item.skill.pk for item in items])
            .order_by("name")
            .values_list("code", flat=True)
        )
        seen.update(row.status.text for row in listed.rows)
        seen.update(row.needs for row in listed.rows)

    agree()
    claim = claim_sent(leo, release)
    agree()
    self_assessment_draft_save(
        person=leo, skill=release.skills.get(code="skill-00"), level=None, evidence="Changed.", actor=leo.user
    )
    agree()
    review_request_evidence(review=claim.reviews.get(), reviewer=mia, message="More?")
    agree()
    second = claim_sent(leo, release, code="skill-01")
    review_decide(
        review=second.reviews.get(), reviewer=mia, level=release.levels.get(code="working"), reason="Not yet."
    )
    agree()
    CurrentLevel.objects.filter(person=leo, skill__code="skill-01").update(last_assessed_at=timezone.now() - YEARS)
    agree()
    CurrentLevel.objects.filter(person=leo, skill__code="skill-01").update(needs_revalidation=True)
    agree()
    CurrentLevel.objects.filter(person=leo, skill__code="skill-01").update(validation=None)
    CurrentLevel.objects.filter(person=leo, skill__code="skill-01").update(needs_revalidation=False)
    agree()
    leo.current_role_level = leo.target_role_level = None
    leo.save()
    agree()

    assert {
        "Sent to Mia <&> O'Neil",
        "Changed since you sent it to Mia <&> O'Neil",
        "More evidence needed",
        "Validated at Working",
        "Check again: the framework changed",
        "Not started",
    } <= seen
    assert any(status.startswith("Claimed ") for status in seen)
    assert any("Due for reassessment" in needs for needs in seen)
    assert "Added by you" in seen


def test_a_claim_waiting_for_its_line_manager_and_an_assessor_names_the_newest_review_on_both_pages(line):
    """A claim can wait for its line manager's review and an assessor's at once. The task list names the newest, as
    the skill's page does, whatever order the database returns the rows in: the line manager's review is rewritten
    after the assessor's was made (as when a manager leaves), which on PostgreSQL moves its row after the other."""
    release, head, mia, leo, _, _ = line
    claim = claim_sent(leo, release)
    review_request_assessor(claim=claim, actor=leo.user)
    managers = claim.reviews.get(reviewer_kind="line_manager")
    managers.reviewer = head
    managers.save()

    person = Person.objects.get(pk=leo.pk)
    item = next(item for item in self_assessment_items(person=person, release=release) if item.skill.code == "skill-00")
    row = next(row for row in task_list(person=person, release=release).rows if row.code == "skill-00")
    assert item.status.text == "Sent to an accredited assessor"
    assert row.status == item.status


def test_an_hr_analyst_sees_only_the_feed_imports_they_uploaded_and_a_superuser_all():
    analyst, other = hr_analyst_for(), hr_analyst_for()
    mine = PeopleImport.objects.create(original_name="mine.csv", requested_by=analyst)
    PeopleImport.objects.create(original_name="theirs.csv", requested_by=other)
    PeopleImport.objects.create(original_name="orphan.csv", requested_by=None)  # the uploader's account is gone

    assert list(people_imports_for(user=analyst)) == [mine]
    assert people_imports_for(user=SuperuserFactory()).count() == 3
