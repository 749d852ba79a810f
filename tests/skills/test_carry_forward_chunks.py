"""Carry-forward in chunks (docs/decisions/0205): the same levels as the policy derives from the ledger, a failure
part-way recorded and resumed without duplicates or losses, redelivered tasks harmless, people kept in the previous
release until the run has finished, and the editor's view of it in the admin."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.accounts.enums import Role as AccountRole
from frameworks.models import SkillLevelDescriptor
from frameworks.services.editing import skill_create, skill_delete, skill_level_descriptor_update
from frameworks.services.releases import (
    framework_release_draft_create_from_current,
    framework_release_publish,
    skill_mapping_set,
)
from frameworks.signals import release_published
from skills import tasks
from skills.enums import AssessmentSource, ReviewStatus
from skills.models import (
    Assessment,
    AssessmentPolicy,
    CurrentLevel,
    Person,
    PolicySourceRank,
    ReleaseCarryForward,
    Review,
    SelfAssessmentDraft,
)
from skills.selectors import person_release
from skills.selectors.people import role_level_in_current_release, role_levels_assignable
from skills.services import assessment_record, current_levels_rebuild, release_carry_forward
from skills.services import carry_forward as service
from skills.services.reviews import claim_withdraw, self_assessment_draft_save, self_assessment_submit
from tests.cms.factories import UserFactory
from tests.frameworks.factories import FrameworkReleaseFactory, RoleLevelFactory, SkillFactory, publish_directly
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

CURRENT_FIELDS = [
    "person_id",
    "skill_id",
    "release_id",
    "skill_code",
    "claimed_level_id",
    "claimed_rank",
    "claim_id",
    "validated_level_id",
    "validated_rank",
    "validation_id",
    "validated_source",
    "needs_revalidation",
    "last_assessed_at",
]


@pytest.fixture
def old_release():
    """A published release with four skills, one role level, and five people with levels of every shape."""
    release = FrameworkReleaseFactory()
    release.framework.slug = "ddat"
    release.framework.save()
    for code in ("data-modelling", "testing", "legacy", "design"):
        SkillFactory(release=release, name=code.title(), code=code)
    RoleLevelFactory(role__release=release, release=release, name="Senior", code="senior")
    publish_directly(release)
    return release


@pytest.fixture
def people(old_release):
    """Claim and validation; a claim alone at no level; an assessor's validation alone; a newer claim withdrawn
    (the one before stands); a removed skill; one person with nothing; one draft and one open review."""
    levels = {level.code: level for level in old_release.levels.all()}
    skill = {s.code: s for s in old_release.skills.all()}
    role_level = old_release.role_levels.get()
    manager = PersonFactory()
    people = [PersonFactory(line_manager=manager, current_role_level=role_level) for _ in range(5)]
    a, b, c, d, _nobody = people
    claim = assessment_record(
        person=a, skill=skill["data-modelling"], level=levels["expert"], source=AssessmentSource.SELF, evidence="e"
    )
    assessment_record(
        person=a,
        skill=skill["data-modelling"],
        level=levels["practitioner"],
        source=AssessmentSource.LINE_MANAGER,
        responds_to=claim,
    )
    assessment_record(person=a, skill=skill["testing"], level=levels["working"], source=AssessmentSource.ASSESSOR)
    assessment_record(person=b, skill=skill["testing"], level=None, source=AssessmentSource.SELF)
    assessment_record(person=b, skill=skill["design"], level=levels["expert"], source=AssessmentSource.ASSESSOR)
    assessment_record(person=c, skill=skill["legacy"], level=levels["working"], source=AssessmentSource.ASSESSOR)
    assessment_record(person=c, skill=skill["design"], level=levels["working"], source=AssessmentSource.SELF)
    self_assessment_draft_save(person=d, skill=skill["design"], level=levels["expert"], evidence="new", actor=d.user)
    self_assessment_draft_save(person=d, skill=skill["testing"], level=levels["expert"], evidence="sent", actor=d.user)
    self_assessment_submit(person=d, actor=d.user)  # open reviews on both
    claim_withdraw(person=d, skill=skill["design"], actor=d.user)  # back to a draft; nothing current for design
    return people


@pytest.fixture
def new_release(old_release):
    """Drafted from the old one: 'testing' changed its Working text, 'legacy' is removed, 'design' continues under
    a new code. Published without running the carry-forward (tests run it themselves)."""
    draft = framework_release_draft_create_from_current(framework=old_release.framework, label="2026-04", actor=None)
    changed = SkillLevelDescriptor.objects.get(skill__release=draft, skill__code="testing", level__code="working")
    skill_level_descriptor_update(descriptor=changed, text="You can:\n- test things in a new way", actor=None)
    skill_delete(skill=draft.skills.get(code="legacy"), actor=None)
    renamed = skill_create(release=draft, name="Service design", code="service-design", actor=None)
    skill_delete(skill=draft.skills.get(code="design"), actor=None)
    skill_mapping_set(release=draft, previous_skill=old_release.skills.get(code="design"), skill=renamed, actor=None)
    with mock.patch.object(release_published, "send"):
        framework_release_publish(release=draft, actor=None)
    return draft


def snapshot(release):
    return sorted(CurrentLevel.objects.filter(release=release).values_list(*CURRENT_FIELDS))


def test_chunks_of_one_person_derive_exactly_what_the_policy_derives_from_the_ledger(people, new_release, settings):
    settings.CARRY_FORWARD_CHUNK_PEOPLE = 1
    written = release_carry_forward(release=new_release)

    carried = snapshot(new_release)
    current_levels_rebuild(pairs=CurrentLevel.objects.filter(release=new_release).values_list("person_id", "skill_id"))
    assert snapshot(new_release) == carried
    by_code = {(row[0], row[3]): row for row in carried}
    a, b, c, d, nobody = people
    assert {code for person, code in by_code if person == a.pk} == {"data-modelling", "testing"}
    assert {code for person, code in by_code if person == b.pk} == {"testing", "service-design"}
    assert {code for person, code in by_code if person == c.pk} == {"service-design"}  # legacy removed
    assert not any(person == nobody.pk for person, _ in by_code)
    flagged = {key for key, row in by_code.items() if row[CURRENT_FIELDS.index("needs_revalidation")]}
    # Testing's Working text changed; the new Service design skill has new texts at every level; b's claim at no
    # level is not flagged.
    assert flagged == {(a.pk, "testing"), (b.pk, "service-design"), (c.pk, "service-design")}
    # Every current claim and validation carried once, and only those.
    originals = list(Assessment.objects.filter(release=new_release).values_list("carried_from_id", flat=True))
    assert len(originals) == len(set(originals)) == written == 7
    run = ReleaseCarryForward.objects.get(release=new_release)
    assert run.status == ReleaseCarryForward.Status.FINISHED
    assert run.people_done == run.people_total == 6  # the five and their manager


def test_a_carried_validation_the_policy_does_not_rank_does_not_validate(people, new_release, settings):
    policy = AssessmentPolicy.objects.create(framework=new_release.framework)
    PolicySourceRank.objects.create(policy=policy, source=AssessmentSource.ASSESSOR, rank=1)
    PolicySourceRank.objects.create(policy=policy, source=AssessmentSource.LINE_MANAGER, rank=2)
    settings.CARRY_FORWARD_CHUNK_PEOPLE = 2
    release_carry_forward(release=new_release)

    carried = snapshot(new_release)
    assert all(row[CURRENT_FIELDS.index("validation_id")] is None for row in carried)
    current_levels_rebuild(pairs=CurrentLevel.objects.filter(release=new_release).values_list("person_id", "skill_id"))
    assert snapshot(new_release) == carried


def test_a_failure_part_way_is_recorded_and_resuming_carries_the_rest_without_duplicates(
    people, new_release, settings, django_capture_on_commit_callbacks
):
    settings.CARRY_FORWARD_CHUNK_PEOPLE = 1
    real = service._carry_people
    calls = []

    def fails_on_the_third_chunk(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    with (
        mock.patch.object(service, "_carry_people", side_effect=fails_on_the_third_chunk),
        pytest.raises(RuntimeError),
    ):
        release_carry_forward(release=new_release)
    run = ReleaseCarryForward.objects.get(release=new_release)
    assert run.status == ReleaseCarryForward.Status.FAILED
    assert run.error == "RuntimeError: the database went away"
    assert run.people_done == 2  # the third chunk rolled back; the first two stay done
    assert not Assessment.objects.filter(release=new_release, person=people[2]).exists()
    assert person_release(person=Person.objects.get(pk=people[0].pk)) != new_release  # nobody sees half a release

    moderator = UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR])
    with django_capture_on_commit_callbacks(execute=True):
        service.carry_forward_resume(run=run, actor=moderator)

    run.refresh_from_db()
    assert run.status == ReleaseCarryForward.Status.FINISHED
    originals = list(Assessment.objects.filter(release=new_release).values_list("carried_from_id", flat=True))
    assert len(originals) == len(set(originals)) == 7
    assert len(snapshot(new_release)) == 6
    assert person_release(person=Person.objects.get(pk=people[0].pk)) == new_release


def test_a_redelivered_or_duplicated_task_does_no_work_twice(people, new_release, settings):
    settings.CARRY_FORWARD_CHUNK_PEOPLE = 2
    settings.CARRY_FORWARD_TASK_SECONDS = 0  # one chunk per task, then it queues the next
    ReleaseCarryForward.objects.create(release=new_release)
    queued = []
    with mock.patch.object(tasks.carry_forward_run, "delay", side_effect=lambda **kwargs: queued.append(kwargs)):
        assert tasks.carry_forward_run(release_id=new_release.pk) == ReleaseCarryForward.Status.RUNNING
        # The worker died after the chunk committed: the message is delivered again, and the queued one too.
        assert tasks.carry_forward_run(release_id=new_release.pk) == ReleaseCarryForward.Status.RUNNING
        for _ in range(5):
            tasks.carry_forward_run(release_id=new_release.pk)
    run = ReleaseCarryForward.objects.get(release=new_release)
    assert run.status == ReleaseCarryForward.Status.FINISHED
    assert run.people_done == 6
    originals = list(Assessment.objects.filter(release=new_release).values_list("carried_from_id", flat=True))
    assert len(originals) == len(set(originals)) == 7
    assert Review.objects.filter(claim__release=new_release, status=ReviewStatus.OPEN).count() == 1
    assert tasks.carry_forward_run(release_id=new_release.pk) == ReleaseCarryForward.Status.FINISHED
    assert Assessment.objects.filter(release=new_release).count() == 7


def test_people_see_the_previous_release_until_the_carry_forward_has_finished(
    people, old_release, new_release, settings, client
):
    settings.CARRY_FORWARD_CHUNK_PEOPLE = 1
    a, *_ = people
    run = ReleaseCarryForward.objects.create(release=new_release)
    service._run_start(run=run)
    while service._chunk_carry(run=run):  # every chunk done, but not finished
        pass
    assert CurrentLevel.objects.filter(person=a, release=new_release).count() == 2

    client.force_login(a.user)
    a.refresh_from_db()
    assert person_release(person=a) == old_release
    assert a.current_role_level.release == old_release  # role levels move when it finishes
    page = client.get("/skills/self-assessment/").content.decode()
    assert "Check again" not in page  # the new release's flag is not shown yet
    assert "Validated at Working" in page
    assert "skill again" not in client.get("/dashboard/").content.decode()
    # The learner's open review is still on the previous release's claim, in the manager's queue.
    assert Review.objects.get(status=ReviewStatus.OPEN).claim.release == old_release

    service._finish(run=run)
    a.refresh_from_db()
    assert person_release(person=a) == new_release
    assert a.current_role_level.release == new_release
    assert "Check again" in client.get("/skills/self-assessment/").content.decode()
    assert "Check 1 skill again" in client.get("/dashboard/").content.decode()
    reopened = Review.objects.select_related("claim").get(status=ReviewStatus.OPEN)
    assert reopened.claim.release == new_release
    # The review keeps its claim's person and release (decision 0222): the queues read them from it.
    assert (reopened.person_id, reopened.release_id) == (reopened.claim.person_id, new_release.pk)
    assert SelfAssessmentDraft.objects.get(person=people[3]).skill.release == new_release


def test_a_chunk_runs_the_same_queries_whatever_its_size(old_release, new_release, settings):
    levels = {level.code: level for level in old_release.levels.all()}
    testing = old_release.skills.get(code="testing")
    for _ in range(12):
        assessment_record(person=PersonFactory(), skill=testing, level=levels["working"], source=AssessmentSource.SELF)
    run = ReleaseCarryForward.objects.create(release=new_release)
    service._run_start(run=run)
    counts = []
    for size in (1, 10):
        settings.CARRY_FORWARD_CHUNK_PEOPLE = size
        with CaptureQueriesContext(connection) as queries:
            assert service._chunk_carry(run=run)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert ReleaseCarryForward.objects.get(pk=run.pk).people_done == 11


def test_publishing_records_the_run_before_its_task_starts(old_release, people, django_capture_on_commit_callbacks):
    draft = framework_release_draft_create_from_current(framework=old_release.framework, label="2026-04", actor=None)
    with (
        mock.patch.object(tasks.carry_forward_run, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        framework_release_publish(release=draft, actor=None)
    delay.assert_called_once_with(release_id=draft.pk)
    assert ReleaseCarryForward.objects.get(release=draft).status == ReleaseCarryForward.Status.PENDING
    assert person_release(person=people[0]) == old_release


# --- the admin ---------------------------------------------------------------------------------------------


def inspect_url(release):
    return f"/admin/frameworks/releases/inspect/{release.pk}/"


@pytest.fixture
def moderator():
    return UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR])


@pytest.fixture
def editor():
    return UserFactory(roles=[AccountRole.CONTENT_EDITOR])


def test_the_release_page_shows_the_carry_forward_progress(people, new_release, moderator, client, settings):
    settings.CARRY_FORWARD_CHUNK_PEOPLE = 4
    run = ReleaseCarryForward.objects.create(release=new_release)
    service._run_start(run=run)
    service._chunk_carry(run=run)
    client.force_login(moderator)
    page = client.get(inspect_url(new_release)).content.decode()
    assert "Carrying levels forward: 4 of 6 people" in page
    assert f"release {new_release.previous_release.label} until it has finished" in page
    assert "Resume" not in page

    service.carry_forward_run(run=run, seconds=None)
    page = client.get(inspect_url(new_release)).content.decode()
    assert "levels were carried forward into this release" in page
    assert "6 people, 7 levels" in page


def test_a_moderator_resumes_a_failed_run_from_the_release_page(
    people, new_release, moderator, client, django_capture_on_commit_callbacks
):
    run = ReleaseCarryForward.objects.create(release=new_release, status=ReleaseCarryForward.Status.FAILED, error="X")
    client.force_login(moderator)
    page = client.get(inspect_url(new_release)).content.decode()
    assert "Carrying levels forward stopped after 0 of 0 people: X." in page
    assert "Resume carrying levels forward" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/skills/carry-forward/{run.pk}/resume/")
    assert response.status_code == 302
    assert response.url == inspect_url(new_release)
    run.refresh_from_db()
    assert run.status == ReleaseCarryForward.Status.FINISHED


def test_someone_without_the_permission_cannot_resume_a_failed_run(people, new_release, editor, client):
    run = ReleaseCarryForward.objects.create(release=new_release, status=ReleaseCarryForward.Status.FAILED, error="X")
    client.force_login(editor)
    page = client.get(inspect_url(new_release)).content.decode()
    assert "Ask a Framework moderator to resume it" in page
    assert "Resume carrying levels forward" not in page

    with mock.patch.object(tasks.carry_forward_run, "delay") as delay:
        refused = client.post(f"/admin/skills/carry-forward/{run.pk}/resume/")
        assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's answer to PermissionDenied
        assert client.get(f"/admin/skills/carry-forward/{run.pk}/resume/").status_code == 405
        with pytest.raises(service.NotAllowed):
            service.carry_forward_resume(run=run, actor=editor)
    delay.assert_not_called()
    run.refresh_from_db()
    assert run.status == ReleaseCarryForward.Status.FAILED
    client.force_login(people[0].user)  # a learner has no admin access at all
    assert client.post(f"/admin/skills/carry-forward/{run.pk}/resume/").status_code in (302, 403)
    run.refresh_from_db()
    assert run.status == ReleaseCarryForward.Status.FAILED


def test_a_running_run_cannot_be_resumed_twice(people, new_release, moderator):
    run = ReleaseCarryForward.objects.create(release=new_release, status=ReleaseCarryForward.Status.RUNNING)
    with pytest.raises(service.SkillsError, match="not stopped"):
        service.carry_forward_resume(run=run, actor=moderator)


def test_what_people_record_in_the_previous_release_while_it_runs_is_carried_when_it_finishes(
    people, old_release, new_release, settings
):
    settings.CARRY_FORWARD_CHUNK_PEOPLE = 1
    a, b, c, d, _ = people
    run = ReleaseCarryForward.objects.create(release=new_release)
    service._run_start(run=run)
    # A course completion records straight into the new release before b's chunk comes.
    new_levels = {level.code: level for level in new_release.levels.all()}
    assessment_record(
        person=b,
        skill=new_release.skills.get(code="testing"),
        level=new_levels["practitioner"],
        source=AssessmentSource.COURSE,
    )
    while service._chunk_carry(run=run):
        pass
    # Everyone is carried; people still work in the previous release, and some go on doing so.
    levels = {level.code: level for level in old_release.levels.all()}
    modelling = old_release.skills.get(code="data-modelling")
    testing = old_release.skills.get(code="testing")
    assessment_record(person=a, skill=modelling, level=levels["expert"], source=AssessmentSource.ASSESSOR)
    claim_withdraw(person=d, skill=testing, actor=d.user)

    service._finish(run=run)

    carried = {(row[0], row[3]): row for row in snapshot(new_release)}
    assert CurrentLevel.objects.get(person=a, release=new_release, skill_code="data-modelling").validated_rank == 4
    assert (d.pk, "testing") not in carried  # withdrawn, in both releases
    b_testing = CurrentLevel.objects.get(person=b, release=new_release, skill_code="testing")
    assert (b_testing.validated_source, b_testing.claim.carried_from_id is not None) == ("course", True)
    assert SelfAssessmentDraft.objects.get(person=d, skill__code="testing").skill.release == new_release
    current_levels_rebuild(pairs=CurrentLevel.objects.filter(release=new_release).values_list("person_id", "skill_id"))
    assert {(row[0], row[3]): row for row in snapshot(new_release)} == carried


def test_hr_is_offered_exactly_the_role_levels_the_one_rule_allows(old_release, new_release, django_assert_num_queries):
    old_level, new_level = old_release.role_levels.get(), new_release.role_levels.get()
    run, _ = ReleaseCarryForward.objects.update_or_create(
        release=new_release, defaults={"status": ReleaseCarryForward.Status.RUNNING}
    )
    with django_assert_num_queries(1):
        offered = set(role_levels_assignable())
    assert offered == {old_level, new_level}  # people still work in the previous release while it runs
    assert all(role_level_in_current_release(role_level=level) for level in offered)

    run.status, run.finished_at = ReleaseCarryForward.Status.FINISHED, timezone.now()
    run.save()
    assert set(role_levels_assignable()) == {new_level}
    assert not role_level_in_current_release(role_level=old_level)
