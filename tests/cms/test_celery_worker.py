"""A real Celery worker, started as its own process against Redis and the test database on PostgreSQL, sends a
message from the outbox end to end."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms.celery import app
from skills.enums import NotificationStatus
from skills.models import Notification
from tests.cms.factories import UserFactory
from tests.cms.processes import this_test_database_url

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        # The worker must read the database this test writes to: pytest-django's test database.
        "DATABASE_URL": this_test_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=solo", "--loglevel=WARNING"],
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


def test_a_worker_sends_a_password_reset_from_the_outbox_through_redis(client, worker, not_eager):
    UserFactory(email="someone@example.gov.uk")

    response = client.post("/accounts/password-reset/", {"email": "someone@example.gov.uk"})

    assert response.status_code == 302
    notification = Notification.objects.get()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == NotificationStatus.SENT and list(worker.iterdir()):
            break
        time.sleep(0.2)
    assert notification.status == NotificationStatus.SENT
    sent = "".join(path.read_text() for path in worker.iterdir())
    assert "Subject: Reset your Capability password" in sent
    assert f"Message-ID: <{notification.message_id}@capability.invalid>" in sent
    assert "someone@example.gov.uk" in sent
