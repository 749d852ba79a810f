"""Celery adapters over the frameworks services: each takes ids, re-reads, calls the service it is named after, and
is idempotent. The convention (decision 0018): a task imports its service inside its body; a service imports the
task at module level as `<name>_task`."""

from celery import shared_task
from django.db import OperationalError

from frameworks.models import FrameworkRelease


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def framework_import_job_run(import_id: int) -> str:
    """Run the admin import `import_id` (a no-op if it already ran). Returns its status."""
    from frameworks.services import framework_import_job_run  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return framework_import_job_run(job_id=import_id).status


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def framework_import_jobs_sweep_stale() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): mark imports whose worker died as stopped. Returns how many."""
    from frameworks.services import framework_import_jobs_sweep_stale  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    return len(framework_import_jobs_sweep_stale())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def release_search_index_update(release_id: int) -> int:
    """Put a newly published release's skills, roles and role levels into the site search index."""
    from frameworks.services import release_search_index_update  # noqa: PLC0415 — a task imports its service in its body (decision 0018)

    release = FrameworkRelease.objects.filter(pk=release_id).first()
    if release is None:
        return 0
    return release_search_index_update(release=release)
