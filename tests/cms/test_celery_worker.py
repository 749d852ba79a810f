"""A real Celery worker, started as its own process against Redis, runs a task end to end."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms.accounts.tasks import send_account_email
from cms.celery import app

pytestmark = pytest.mark.redis


@pytest.fixture
def worker(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield tmp_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def not_eager():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def test_a_worker_sends_a_queued_account_email_through_redis(worker, not_eager):
    result = send_account_email.delay(to="someone@example.gov.uk", subject="Worker check", body="Sent by a worker")

    assert result.get(timeout=60) == 1
    deadline = time.monotonic() + 10
    while not list(worker.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    sent = "".join(path.read_text() for path in worker.iterdir())
    assert "Subject: Worker check" in sent
    assert "someone@example.gov.uk" in sent
