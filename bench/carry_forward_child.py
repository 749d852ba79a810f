"""The carry-forward benchmark's child process (bench.bench_carry_forward): a module of its own because
multiprocessing's "spawn" imports the target's module in the child before Django is set up, so this one imports
the apps only once `django.setup()` has run, while the benchmark itself imports them at its top."""

import time
from unittest import mock

import django


def carry_forward_in_child(release_id: int, connection_end) -> None:
    """Runs in a spawned process: set Django up, note the RSS, carry forward as publishing would, report."""
    try:
        django.setup()
        from frameworks.models import FrameworkRelease  # noqa: PLC0415 — after django.setup() (see above)
        from skills.models import ReleaseCarryForward  # noqa: PLC0415 — after django.setup() (see above)
        from skills.services import notifications  # noqa: PLC0415 — after django.setup() (see above)
        from skills.services.carry_forward import carry_forward_queue  # noqa: PLC0415 — after django.setup() (see above)
        from skills.tasks import carry_forward_run  # noqa: PLC0415 — after django.setup() (see above)

        baseline = _status_mib("VmRSS")
        messages, tasks = [], []
        real_run = carry_forward_run.run

        def counted_run(**kwargs):
            tasks.append(kwargs)
            return real_run(**kwargs)

        release = FrameworkRelease.objects.get(pk=release_id)
        started = time.perf_counter()
        with (
            mock.patch.object(
                notifications.notifications_send_batch_task,
                "delay",
                side_effect=lambda notification_ids: messages.append(len(notification_ids)),
            ),
            mock.patch.object(carry_forward_run, "run", side_effect=counted_run),
        ):
            carry_forward_queue(release=release)
        seconds = time.perf_counter() - started
        run = ReleaseCarryForward.objects.get(release=release)
        if run.status != ReleaseCarryForward.Status.FINISHED:
            raise RuntimeError(f"carry-forward ended {run.status}: {run.error}")
        connection_end.send(
            {
                "seconds": seconds,
                "peak_rss_mib": _status_mib("VmHWM"),
                "baseline_rss_mib": baseline,
                "rows": run.rows_written,
                "messages": sum(messages),
                "tasks": len(tasks),
            }
        )
    except Exception as error:  # reported by the parent as the benchmark's failure
        connection_end.send({"error": repr(error)})


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")
