"""Imports uploaded in the Wagtail admin: recorded as a FrameworkImport, run by a Celery task, reported."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.enums import FrameworkKind, ImportJobStatus, ImportOutcome
from frameworks.importers import ImportReport
from frameworks.models import FrameworkImport, FrameworkRelease
from frameworks.models.releases import RELEASE_LABEL_MESSAGE
from frameworks.services.errors import FrameworkValidationError
from frameworks.services.imports import LABEL, SLUG, framework_import_ddat, framework_import_sfia
from frameworks.services.permissions import actor_check
from frameworks.tasks import framework_import_job_run as framework_import_job_run_task

logger = logging.getLogger(__name__)


@transaction.atomic
def framework_import_job_create(
    *,
    kind: str,
    framework_slug: str,
    release_label: str,
    roles_file: File | None = None,
    skills_file: File | None = None,
    workbook: File | None = None,
    actor: AbstractBaseUser | None,
) -> FrameworkImport:
    """Record uploaded files for import and queue the import (after commit) on Celery.

    DDaT needs `roles_file` and `skills_file`; SFIA needs the `workbook`. Raises FrameworkValidationError when a
    file is missing or the slug or label cannot be used; the files themselves are checked by the import,
    whose report the FrameworkImport keeps. Follow the job's `status`, `stage` and `percent` for progress.
    """
    actor_check(actor, "frameworks.add_frameworkimport", refusal="You cannot import framework files.")
    framework_slug = framework_slug.strip().lower()
    release_label = release_label.strip()
    if kind not in FrameworkKind.values:
        raise FrameworkValidationError(f"Choose DDaT or SFIA, not '{kind}'.")
    if not SLUG.fullmatch(framework_slug):
        raise FrameworkValidationError("The framework's short name uses only a-z, 0-9 and hyphens, such as ddat.")
    if not LABEL.fullmatch(release_label):
        raise FrameworkValidationError(RELEASE_LABEL_MESSAGE + ".")
    if kind == FrameworkKind.DDAT and (roles_file is None or skills_file is None):
        raise FrameworkValidationError("A DDaT import needs both files: roles.csv and skills.csv.")
    if kind == FrameworkKind.SFIA and workbook is None:
        raise FrameworkValidationError("A SFIA import needs the SFIA workbook (.xlsx).")
    job = FrameworkImport(kind=kind, framework_slug=framework_slug, release_label=release_label, requested_by=actor)
    for field_name, upload in (("roles_file", roles_file), ("skills_file", skills_file), ("workbook", workbook)):
        if upload is not None:
            getattr(job, field_name).save(upload.name, upload, save=False)
    job.save()
    log(
        instance=job,
        action="capability.frameworks.import_upload",
        user=actor,
        data={"framework": framework_slug, "label": release_label, "kind": kind},
    )
    transaction.on_commit(lambda: framework_import_job_run_task.delay(job.pk))
    return job


def framework_import_job_run(*, job_id: int) -> FrameworkImport:
    """Run the queued import `job_id` and store its report. Idempotent: a job that is not queued any more (a
    repeated task) is returned as it is. Never raises for bad files (the report says what to fix); an
    unexpected error marks the job CRASHED, logs it and returns.

    Not atomic on purpose: each stage is committed as it is reached so that the admin can show progress; the
    import itself is all-or-nothing (see `framework_import_ddat`).
    """
    claimed = FrameworkImport.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now(), stage="Starting", percent=0
    )
    job = FrameworkImport.objects.select_related("requested_by").get(pk=job_id)
    if not claimed:
        return job

    def progress(stage: str, fraction: float) -> None:
        FrameworkImport.objects.filter(pk=job_id).update(stage=stage, percent=max(0, min(100, round(fraction * 100))))

    try:
        report = _run(job, progress)
    except Exception:  # an import never raises for a bad file, so this is a bug or an outage: record it
        logger.exception("Framework import %s crashed", job_id)
        FrameworkImport.objects.filter(pk=job_id).update(
            status=ImportJobStatus.CRASHED,
            stage="Stopped by an unexpected error; nothing was written. Try again, or ask for help.",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job

    release = (
        FrameworkRelease.objects.filter(framework__slug=job.framework_slug, label=job.release_label).first()
        if report.ok
        else None
    )
    FrameworkImport.objects.filter(pk=job_id).update(
        status=ImportJobStatus.FINISHED,
        outcome=report.outcome if report.outcome else ImportOutcome.FAILED,
        report=report.as_dict(),
        summary=report.summary(),
        release=release,
        stage=report.outcome.label,
        percent=100,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


# How long after its time limit a running import is taken for dead: the worker that ran it was killed (out of
# memory, a redeploy) before it could record anything, so nothing else will ever finish it.
STALE_IMPORT_GRACE = timedelta(minutes=5)


@transaction.atomic
def framework_import_jobs_sweep_stale(*, now: datetime | None = None) -> list[int]:
    """Mark as stopped (CRASHED, with the reason in `stage`, which the admin shows) every import still
    "running" longer than the Celery task time limit (`CELERY_TASK_TIME_LIMIT`) plus STALE_IMPORT_GRACE: Celery
    kills a task at its time limit, so such a job's worker died. Nothing of the import was written (it is all
    or nothing). Run by the periodic task `frameworks.tasks.framework_import_jobs_sweep_stale`, as the system.
    Returns the ids swept; each gets an audit entry."""
    now = now or timezone.now()
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    cutoff = now - limit - STALE_IMPORT_GRACE
    stale = list(
        FrameworkImport.objects.select_for_update(skip_locked=True).filter(
            status=ImportJobStatus.RUNNING, started_at__lt=cutoff
        )
    )
    minutes = round((limit + STALE_IMPORT_GRACE).total_seconds() / 60)
    for job in stale:
        job.status = ImportJobStatus.CRASHED
        job.stage = (
            f"Stopped: the import was still running after {minutes} minutes, so the worker running it had stopped "
            "(for example, it ran out of memory). Nothing was written. Check the files and import them again."
        )
        job.finished_at = now
        job.save(update_fields=["status", "stage", "finished_at"])
        log(
            instance=job,
            action="capability.frameworks.import_stale",
            user=None,
            data={
                "framework": job.framework_slug,
                "label": job.release_label,
                "started_at": job.started_at.isoformat(),
            },
        )
        logger.warning("Framework import %s was still running after %s minutes; marked as stopped", job.pk, minutes)
    return [job.pk for job in stale]


def _run(job: FrameworkImport, progress) -> ImportReport:
    if job.kind == FrameworkKind.DDAT:
        with job.roles_file.open("rb") as roles, job.skills_file.open("rb") as skills:
            return framework_import_ddat(
                roles_file=roles,
                skills_file=skills,
                release_label=job.release_label,
                framework_slug=job.framework_slug,
                actor=job.requested_by,
                progress=progress,
            )
    with job.workbook.open("rb") as workbook:
        return framework_import_sfia(
            workbook=workbook,
            release_label=job.release_label,
            framework_slug=job.framework_slug,
            actor=job.requested_by,
            progress=progress,
        )
