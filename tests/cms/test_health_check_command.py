"""Finding 4 of issue 7: the compose stack's health check could never pass.

With the `.env.example` values it got a 500 (the container's address is not an allowed host) and, with
the host allowed, a 301 to HTTPS on a plain-HTTP port. These tests start gunicorn with the production
settings and run the health-check commands of docker-compose.yml and the Dockerfile against it.
"""

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pytest
import yaml
from django.db import connection

from tests.cms.conftest import ROOT, production_env

# The marker makes pytest-django create the test database, which the server is given a copy of.
pytestmark = pytest.mark.django_db

ENV_EXAMPLE_HOST = "capability.example.gov.uk"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_database_url(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """The migrated test database, reachable from the server process.

    SQLite's test database lives in this process's memory, so the server gets a copy, taken before any
    test opens a transaction on it (a backup waits for the writer's lock, so inside one it never ends).
    """
    with django_db_blocker.unblock():
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            path = tmp_path_factory.mktemp("server-db") / "server.sqlite3"
            with sqlite3.connect(path) as copy:
                connection.connection.backup(copy)
            return f"sqlite:///{path}"
        settings = connection.settings_dict
        return (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )


@dataclass
class Server:
    env: dict[str, str]
    log: TextIO

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()


@pytest.fixture
def production_server(production_static, server_database_url, tmp_path):
    """gunicorn, as the image runs it, with the production settings and `.env.example`'s host and redirect."""
    assert production_static.returncode == 0, production_static.output
    port = _free_port()
    env = production_env(
        PORT=str(port),
        DATABASE_URL=server_database_url,
        STATIC_ROOT=str(production_static.root),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert env["ALLOWED_HOSTS"] == ENV_EXAMPLE_HOST
    assert env["SECURE_SSL_REDIRECT"] == "true"
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "cms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Wait for the worker to load the application (what compose's start_period allows for): any answer will do.
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(str(port), "/healthz/", host="127.0.0.1")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"gunicorn did not start:\n{log.read()}")
                time.sleep(0.2)
        yield Server(env=env, log=log)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _get(port: str, path: str, host: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    conn.request("GET", path, headers={"Host": host})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_the_compose_health_check_command_passes_against_a_production_server(production_server):
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["healthcheck"]["test"]
    assert command[:2] == ["CMD", "python"]

    result = subprocess.run(
        [sys.executable, *command[2:]], env=production_server.env, capture_output=True, text=True, timeout=30
    )

    assert result.returncode == 0, result.stderr + production_server.output()


def test_the_dockerfile_health_check_command_passes_against_a_production_server(production_server):
    line = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.strip().startswith("CMD python")
    )
    command = line.strip().removeprefix("CMD ")
    env = {**production_server.env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    result = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stderr + production_server.output()


def test_only_the_health_check_is_exempt_from_host_validation_and_the_https_redirect(production_server):
    port = production_server.env["PORT"]

    health = _get(port, "/healthz/", host=f"127.0.0.1:{port}")
    foreign_host_page = _get(port, "/", host=f"127.0.0.1:{port}")
    plain_http_page = _get(port, "/", host=ENV_EXAMPLE_HOST)

    assert health.status == 200
    assert health.getheader("Content-Type") == "application/json"
    assert foreign_host_page.status >= 400  # host validation still refuses every other path
    assert plain_http_page.status == 301
    assert plain_http_page.getheader("Location") == f"https://{ENV_EXAMPLE_HOST}/"


def test_the_health_check_command_fails_when_the_server_is_unavailable():
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["healthcheck"]["test"]

    result = subprocess.run(
        [sys.executable, *command[2:]], env={**os.environ, "PORT": str(_free_port())}, capture_output=True, timeout=30
    )

    assert result.returncode != 0
