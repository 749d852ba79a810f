"""Fixtures for the tests of the production build (collectstatic with the production settings) and of single sign-on
(an identity provider on 127.0.0.1)."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from cms.accounts.single_sign_on import _provider
from tests.identity_provider import running_identity_provider

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a process started with the production settings, as `.env.example` configures it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="production-build-test-" + "x" * 40,
        # No Redis here: the cache is in memory and tasks run in-process.
        REDIS_URL="",
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    env.update(overrides)
    return env


@dataclass(frozen=True)
class CollectedStatic:
    root: Path
    returncode: int
    output: str


@pytest.fixture(scope="session")
def production_static(tmp_path_factory) -> CollectedStatic:
    """`manage.py collectstatic` as the Dockerfile runs it, into a folder of its own (once per session)."""
    root = tmp_path_factory.mktemp("static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        env=production_env(
            STATIC_ROOT=str(root), DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('db')}/build.sqlite3"
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return CollectedStatic(root=root, returncode=result.returncode, output=result.stdout + result.stderr)


@pytest.fixture(scope="module")
def identity_provider():
    """A real OpenID Connect provider on 127.0.0.1, one per test module (tests/identity_provider.py)."""
    with running_identity_provider() as provider:
        yield provider


@pytest.fixture
def sso(settings, identity_provider):
    """Single sign-on switched on against the module's provider (decision 0215)."""
    for name, value in identity_provider.settings().items():
        setattr(settings, name, value)
    _provider.cache_clear()
    yield identity_provider
    _provider.cache_clear()
