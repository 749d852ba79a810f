"""Running calls at the same moment on real threads, for the PostgreSQL concurrency tests."""

import threading

from celery._state import _set_task_join_will_block
from django.db import connection


def run_together(*calls):
    """Start every call at once (a barrier) on its own thread and database connection; return what each
    returned or raised, in the order they finished."""
    start, outcomes = threading.Barrier(len(calls)), []

    def run(call):
        try:
            start.wait()
            outcomes.append(call())
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # An eager Celery task run on these threads sets Celery's process-wide "a join would block" flag, and a
    # later `result.get()` anywhere in the process then fails ("Never call result.get() within a task!").
    _set_task_join_will_block(False)
    return outcomes
