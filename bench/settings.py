"""Settings the benchmarks run with: the test settings, plus one trivial view as the reference for server time."""

from cms.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
