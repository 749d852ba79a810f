"""Celery adapters over the frameworks services: they take ids, re-read, call one service, and are idempotent."""

from celery import shared_task
from django.db import OperationalError

from frameworks.models import FrameworkRelease
from frameworks.services import (
    framework_import_job_run,
    framework_import_jobs_sweep_stale,
    release_search_index_update,
)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def framework_import_run(import_id: int) -> str:
    """Run the admin import `import_id` (a no-op if it already ran). Returns its status."""
    return framework_import_job_run(job_id=import_id).status


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def framework_import_sweep_stale() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): mark imports whose worker died as stopped. Returns how many."""
    return len(framework_import_jobs_sweep_stale())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def release_search_index_update_task(release_id: int) -> int:
    """Put a newly published release's skills, roles and role levels into the site search index."""
    release = FrameworkRelease.objects.filter(pk=release_id).first()
    if release is None:
        return 0
    return release_search_index_update(release=release)
