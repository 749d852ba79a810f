"""Settings gunicorn runs with in the HTTP benchmarks: the production settings, plus the trivial reference view."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
