"""The one Celery app of the project.

Tasks are thin adapters over services (see STYLE.md rule 7). In dev and tests they run eagerly
in-process; in production they go through Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("capability")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
