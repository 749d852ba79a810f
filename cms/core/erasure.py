"""Erasing one person's part of the task results' backend (the celery-results store of cms.core.personal_data),
for skills' erasure engine through the register's ERASERS (docs/decisions/0217)."""

from celery import current_app


def celery_results_erase(*, person, user) -> int:
    """Results are keyed by task id, not by person, and expire after CELERY_RESULT_EXPIRES; a result that quotes
    the account's address (a refused delivery's error) is deleted now. The in-memory backend of the embedded
    default keeps results in the worker's process only, out of reach and gone when it stops."""
    backend = current_app.backend
    client = getattr(backend, "client", None)
    if not hasattr(client, "scan_iter") or not user.email:  # not Redis
        return 0
    address = user.email.lower().encode()
    deleted = 0
    prefix = backend.task_keyprefix
    prefix = prefix.decode() if isinstance(prefix, bytes) else prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        value = client.get(key)
        if value is not None and address in value.lower():
            client.delete(key)
            deleted += 1
    return deleted
