"""Carry people's levels into a newly published framework release, through the release's skill mapping.

Sized for a whole profession (100,000 people, about ten current levels each): the work runs in chunks of
people, each committed on its own, in set-based SQL that derives the new release's rows from the previous
release's current levels (never a replay of the ledger, never the whole population in memory). A
`ReleaseCarryForward` row records how far the run got, so a failure part-way resumes where it stopped; people
keep working in the previous release until the run has finished, when their role levels, open reviews and
drafts move across in one transaction (docs/decisions/0205).
"""

import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import FrameworkRelease, RoleLevel, SkillMapping
from skills.enums import AssessmentSource, ReviewStatus
from skills.models import (
    Assessment,
    ClaimWithdrawal,
    CurrentLevel,
    Person,
    ReleaseCarryForward,
    Review,
    SelfAssessmentDraft,
)
from skills.selectors.team import team_pages_invalidate
from skills.services.assessments import current_levels_rebuild
from skills.services.carry_forward_sql import (
    CARRY_ROWS_SQL,
    CURRENT_LEVELS_SQL,
    NO_VALIDATION_COLUMNS,
    REVIEWS_REOPEN_SQL,
    VALIDATION_COLUMNS,
)
from skills.services.errors import NotAllowed, SkillsError
from skills.services.notifications import notify_bulk
from skills.services.policy import validation_ranking
from skills.tasks import carry_forward_run as carry_forward_run_task

Status = ReleaseCarryForward.Status

# How many reviews, drafts or digests the finishing transaction handles per statement.
FINISH_BATCH = 2000


def carry_forward_queue(*, release: FrameworkRelease) -> ReleaseCarryForward | None:
    """Record that `release` must be carried forward (people keep working in the previous release from now
    until it has finished) and queue the task after commit. Called when a release is published. Returns the
    run, or None for a framework's first release (nothing to carry)."""
    if release.previous_release_id is None:
        return None
    run, _ = ReleaseCarryForward.objects.get_or_create(release=release)
    if not run.is_finished:
        transaction.on_commit(lambda: carry_forward_run_task.delay(release_id=release.pk))
    return run


def release_carry_forward(*, release: FrameworkRelease) -> int:
    """For each person's current level in the previous release, add a carried-forward row in `release`.

    Unchanged skills carry over; renamed ones follow the release's skill mapping (same code or an editor's
    mapping); levels whose text changed, or that the new scale no longer has, are marked for re-validation
    rather than silently kept; removed skills are not carried. Both the current claim and the current
    validation are carried, keeping their dates (so staleness does not reset at each release). People's role
    levels, their unsent drafts and the reviews still open move to the new release with them, and people whose
    levels need checking again (and their line managers) get one message each per release.

    Runs the whole carry-forward now, in chunks (the Celery task runs the same chunks under a time budget).
    Idempotent: a row already carried into this release is not carried again, and a finished run does
    nothing. Returns rows written by this call.
    """
    if release.previous_release_id is None:
        return 0
    run, _ = ReleaseCarryForward.objects.get_or_create(release=release)
    before = run.rows_written
    run = carry_forward_run(run=run, seconds=None)
    return run.rows_written - before


def carry_forward_run(*, run: ReleaseCarryForward, seconds: float | None) -> ReleaseCarryForward:
    """Carry chunks of people until none is left, then finish; or, when `seconds` have passed, queue the task
    again to go on from there (so that no task nears the Celery time limit). Safe to call twice at once or
    again after a crash: each chunk locks the run and starts after the last committed chunk. A failure marks
    the run failed with its reason and is raised again; the chunks already committed stay done."""
    deadline = None if seconds is None else time.monotonic() + seconds
    run = _run_start(run=run)
    if run.is_finished:
        return run
    try:
        while _chunk_carry(run=run):
            if deadline is not None and time.monotonic() >= deadline:
                # Outside any transaction here: the chunks are committed, so the next task starts after them.
                carry_forward_run_task.delay(release_id=run.release_id)
                run.refresh_from_db()
                return run
        _finish(run=run)
    except Exception as error:
        _run_fail(run=run, error=error)
        raise
    run.refresh_from_db()
    return run


def carry_forward_resume(*, run: ReleaseCarryForward, actor) -> ReleaseCarryForward:
    """An editor restarts a failed (or stalled) run from where it stopped. Needs the permission to change
    carry-forwards; only a failed run, or one that has made no progress for longer than a task may run,
    can be resumed (a live one would only be queued twice)."""
    if not actor.has_perm("skills.change_releasecarryforward"):
        raise NotAllowed("You may not resume carrying levels forward: ask a Framework moderator.")
    with transaction.atomic():
        run = ReleaseCarryForward.objects.select_for_update().get(pk=run.pk)
        if not carry_forward_is_resumable(run=run):
            raise SkillsError("This carry-forward is not stopped: there is nothing to resume.")
        run.status = Status.PENDING
        run.error = ""
        run.save(update_fields=["status", "error", "updated_at"])
        log(instance=run.release, action="capability.skills.carry_forward_resume", user=actor)
        transaction.on_commit(lambda: carry_forward_run_task.delay(release_id=run.release_id))
    return run


def carry_forward_is_resumable(*, run: ReleaseCarryForward, now=None) -> bool:
    """Failed, or pending/running without progress for longer than the Celery hard time limit (its task was
    lost: a worker killed and the message gone)."""
    if run.status == Status.FAILED:
        return True
    if run.status == Status.FINISHED:
        return False
    stalled_after = settings.CELERY_TASK_TIME_LIMIT * 2
    return ((now or timezone.now()) - run.updated_at).total_seconds() > stalled_after


def _run_start(*, run: ReleaseCarryForward) -> ReleaseCarryForward:
    with transaction.atomic():
        run = ReleaseCarryForward.objects.select_for_update().select_related("release").get(pk=run.pk)
        if run.is_finished:
            return run
        fields = ["status", "error", "updated_at"]
        if run.started_at is None:
            run.started_at = timezone.now()
            run.people_total = Person.objects.count()
            fields += ["started_at", "people_total"]
        run.status = Status.RUNNING
        run.error = ""
        run.save(update_fields=fields)
    return run


def _run_fail(*, run: ReleaseCarryForward, error: Exception) -> None:
    ReleaseCarryForward.objects.filter(pk=run.pk).exclude(status=Status.FINISHED).update(
        status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], updated_at=timezone.now()
    )


def _chunk_carry(*, run: ReleaseCarryForward) -> bool:
    """Carry the next chunk of people (by id) in one transaction. Returns False when no one is left.

    A constant number of queries whatever the chunk's size; memory holds the chunk's person ids only.
    """
    with transaction.atomic():
        run = ReleaseCarryForward.objects.select_for_update().select_related("release").get(pk=run.pk)
        if run.is_finished:
            return False
        release = run.release
        after = run.people_done_through
        ids = list(
            Person.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.CARRY_FORWARD_CHUNK_PEOPLE]
        )
        if not ids:
            return False
        last = ids[-1]
        written = _carry_people(release=release, after=after, through=last)
        run.people_done_through = last
        run.people_done += len(ids)
        run.rows_written += written
        run.save(update_fields=["people_done_through", "people_done", "rows_written", "updated_at"])
    return True


def _carry_people(*, release: FrameworkRelease, after: int, through: int) -> int:
    """Carry the current levels of the people with ids in (after, through]. Returns ledger rows written."""
    changed, changed_params = _changed_levels_condition(release=release)
    with connection.cursor() as cursor:
        cursor.execute(
            CARRY_ROWS_SQL.format(changed=changed),
            [release.pk, AssessmentSource.CARRIED_FORWARD, False, *changed_params, True, False]
            + [release.pk, release.pk, after, through],
        )
        written = cursor.rowcount
        ranking = validation_ranking(framework_id=release.framework_id)
        columns = VALIDATION_COLUMNS if AssessmentSource.CARRIED_FORWARD in ranking else NO_VALIDATION_COLUMNS
        cursor.execute(
            CURRENT_LEVELS_SQL.format(**columns),
            [release.pk, False, release.pk, after, through],
        )
    return written


def _changed_levels_condition(*, release: FrameworkRelease) -> tuple[str, list]:
    """SQL (over `cl` the old current level and `ol` its level) true when the level's text changed in the
    mapping, with its parameters: one clause per mapped skill with changed levels."""
    clauses, params = [], []
    for previous_skill_id, codes in SkillMapping.objects.filter(release=release, skill__isnull=False).values_list(
        "previous_skill_id", "changed_level_codes"
    ):
        if codes:
            clauses.append(f"(cl.skill_id = %s AND ol.code IN ({', '.join(['%s'] * len(codes))}))")
            params += [previous_skill_id, *codes]
    return (f"({' OR '.join(clauses)})" if clauses else "(1 = 0)"), params


@transaction.atomic
def _finish(*, run: ReleaseCarryForward) -> None:
    """Every person's levels are in the new release: switch people over to it in one transaction (role levels,
    open reviews, drafts, and the run's status, which `skills.selectors.person_release` reads), and queue the
    re-validation digests."""
    run = ReleaseCarryForward.objects.select_for_update().select_related("release").get(pk=run.pk)
    if run.is_finished:
        return
    release = run.release
    previous = release.previous_release
    now = timezone.now()
    _late_changes_carry(run=run)
    _reviews_move(previous=previous, release=release, now=now)
    _role_levels_move(previous=previous, release=release)
    _drafts_move(previous=previous, release=release)
    _revalidation_digests_queue(release=release)
    run.status = Status.FINISHED
    run.finished_at = now
    run.people_total = run.people_done
    run.save(update_fields=["status", "finished_at", "people_total", "rows_written", "updated_at"])
    log(instance=release, action="capability.skills.carried_forward", data={"rows": run.rows_written})


def _late_changes_carry(*, run: ReleaseCarryForward) -> None:
    """What was recorded while the run went on, after someone's chunk or before it, is taken into account in
    the finishing transaction. Levels recorded or claims withdrawn in the previous release (where people kept
    working) are carried now, a carried claim whose original was withdrawn is withdrawn too; levels recorded in
    the new release itself (a course completion, say) may have met the carried ones. The pairs of those people
    are derived again from the ledger: a handful of people, so the replay is cheap. Rows count as late by their
    date (the services date rows when they record them)."""
    release = run.release
    since = release.published_at or run.started_at
    recorded = Assessment.objects.filter(created_at__gte=since).exclude(source=AssessmentSource.CARRIED_FORWARD)
    withdrawn = ClaimWithdrawal.objects.filter(claim__release_id=release.previous_release_id, withdrawn_at__gte=since)
    late = set(
        recorded.filter(release_id__in=[release.pk, release.previous_release_id]).values_list("person_id", flat=True)
    ) | set(withdrawn.values_list("claim__person_id", flat=True))
    if not late:
        return
    for person_id in sorted(late):
        run.rows_written += _carry_people(release=release, after=person_id - 1, through=person_id)
    ClaimWithdrawal.objects.bulk_create(
        ClaimWithdrawal(claim_id=copy_id, withdrawn_by_id=withdrawn_by_id, withdrawn_at=withdrawn_at)
        for copy_id, withdrawn_by_id, withdrawn_at in Assessment.objects.filter(
            release=release, carried_from__withdrawal__in=withdrawn, withdrawal__isnull=True
        ).values_list("pk", "carried_from__withdrawal__withdrawn_by_id", "carried_from__withdrawal__withdrawn_at")
    )
    current_levels_rebuild(
        pairs=Assessment.objects.filter(release=release, person_id__in=late).values_list("person_id", "skill_id")
    )


def _revalidation_digests_queue(*, release: FrameworkRelease) -> None:
    """One message per person whose levels the release marks for re-validation, and one per line manager
    about their direct reports: at most once each per release (the outbox's key). In batches, by person and
    by manager."""
    flagged = CurrentLevel.objects.filter(release=release, needs_revalidation=True)
    last = 0
    while True:
        affected = list(
            flagged.filter(person_id__gt=last)
            .values("person_id", "person__user_id")
            .annotate(count=Count("id"))
            .order_by("person_id")[:FINISH_BATCH]
        )
        if not affected:
            break
        last = affected[-1]["person_id"]
        notify_bulk(
            "levels_to_check",
            event=f"release:{release.pk}",
            recipients=[
                (row["person__user_id"], {"release_id": release.pk, "count": row["count"]}) for row in affected
            ],
        )
    last = 0
    while True:
        managers = list(
            flagged.filter(person__line_manager__user_id__gt=last)
            .values("person__line_manager__user_id")
            .annotate(people=Count("person_id", distinct=True))
            .order_by("person__line_manager__user_id")[:FINISH_BATCH]
        )
        if not managers:
            break
        last = managers[-1]["person__line_manager__user_id"]
        notify_bulk(
            "team_levels_to_check",
            event=f"release:{release.pk}",
            recipients=[
                (row["person__line_manager__user_id"], {"release_id": release.pk, "people": row["people"]})
                for row in managers
            ],
        )


def _reviews_move(*, previous: FrameworkRelease, release: FrameworkRelease, now) -> None:
    """Reviews still open on claims of the previous release close as superseded and reopen, with the same
    reviewer, on the carried claims, so that the decision lands in the current release. Two statements."""
    with connection.cursor() as cursor:
        cursor.execute(REVIEWS_REOPEN_SQL, [ReviewStatus.OPEN, now, ReviewStatus.OPEN, previous.pk])
    Review.objects.filter(release=previous, status=ReviewStatus.OPEN).update(
        status=ReviewStatus.SUPERSEDED, resolved_at=now
    )


def _role_levels_move(*, previous: FrameworkRelease, release: FrameworkRelease) -> None:
    """People's current and target role levels follow to the level with the same role and level codes: one
    UPDATE per field, over the levels people actually hold."""
    new_by_codes = {
        (role_level.role.code, role_level.code): role_level.pk
        for role_level in RoleLevel.objects.filter(release=release).select_related("role")
    }
    for field in ("current_role_level", "target_role_level"):
        held = RoleLevel.objects.filter(
            pk__in=Person.objects.filter(**{f"{field}__release": previous}).values(f"{field}_id")
        ).select_related("role")
        moves = [
            When(**{f"{field}_id": old.pk}, then=Value(new_by_codes.get((old.role.code, old.code)))) for old in held
        ]
        if moves:
            Person.objects.filter(**{f"{field}__release": previous}).update(
                **{f"{field}_id": Case(*moves, output_field=IntegerField())}
            )
            team_pages_invalidate()  # a bulk update: no model signal tells the team choices


def _drafts_move(*, previous: FrameworkRelease, release: FrameworkRelease) -> None:
    """Unsent answers follow their skill into the new release (drafts are editable, unlike the ledger), unless
    the person already has a draft for the new skill. In batches by draft id."""
    mapped = dict(
        SkillMapping.objects.filter(release=release, skill__isnull=False).values_list("previous_skill_id", "skill_id")
    )
    levels_by_code = dict(release.levels.values_list("code", "pk"))
    last = 0
    while True:
        drafts = list(
            SelfAssessmentDraft.objects.filter(skill__release=previous, pk__gt=last)
            .select_related("level")
            .order_by("pk")[:FINISH_BATCH]
        )
        if not drafts:
            break
        last = drafts[-1].pk
        taken = set(
            SelfAssessmentDraft.objects.filter(
                skill__release=release, person_id__in={draft.person_id for draft in drafts}
            ).values_list("person_id", "skill_id")
        )
        moved = []
        for draft in drafts:
            skill_id = mapped.get(draft.skill_id)
            if skill_id is None or (draft.person_id, skill_id) in taken:
                continue
            taken.add((draft.person_id, skill_id))
            draft.skill_id = skill_id
            draft.level_id = levels_by_code.get(draft.level.code) if draft.level else None
            moved.append(draft)
        SelfAssessmentDraft.objects.bulk_update(moved, ["skill", "level"])
