"""Requests per second over HTTP: gunicorn (production settings, sync workers) driven by wrk, for the public and
signed-in pages, each beside the trivial view and the bare Wagtail page measured in the same run.

Loads the demo (the real DDaT 2025-10 release and the demo people) into the runner's database, collects the static
files into a temporary STATIC_ROOT, starts gunicorn with `bench.settings_http` on a free port of 127.0.0.1 against
that database and Redis (the production cache), signs the demo learner and manager in through the sign-in form,
and runs wrk against each page in turn, local addresses only. Requests carry `X-Forwarded-Proto: https`, as the
TLS proxy in front of the service sends it (gunicorn and the app trust it from 127.0.0.1 only, decision 0006).

Server time per request is the workers' time over the requests they answered (workers ÷ requests per second, the
workers kept busy by wrk); the bare page's ratio to the trivial view's is the goal's "within 5×". On a machine that
other work shares, that wall time includes waiting for a CPU, so the workers' own CPU time per request (from
/proc, gunicorn's worker processes only: not PostgreSQL's or Redis's) is printed beside it.
"""

import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path

import redis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from bench.ddat import heaviest_public_pages
from bench.reference import bare_page_url
from bench.urls import TRIVIAL_URL
from cms.demo.site import DEMO_PASSWORD
from frameworks.models import Framework

TARGET = (
    "bare Wagtail page within 5× the trivial view's server time; public framework pages at least 1× the bare "
    "page's requests per second; signed-in pages at least 0.5×"
)
ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SESSION_COOKIE = "__Host-capability-session"
CSRF_COOKIE = "__Host-capability-csrf"
HEADERS = {"X-Forwarded-Proto": "https"}


def add_arguments(group) -> None:
    group.add_argument("--http-seconds", type=int, default=4, help="how long wrk drives a page each round (default 4)")
    group.add_argument("--http-rounds", type=int, default=3, help="rounds of every page in turn (default 3)")
    group.add_argument("--http-connections", type=int, default=4, help="wrk's open connections (default 4)")
    group.add_argument("--http-workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    group.add_argument(
        "--http-redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="the Redis database gunicorn caches in; emptied before and after (default redis://127.0.0.1:6379/13, "
        "or BENCH_REDIS_URL)",
    )


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError(
            "wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu; `make bench` installs it where apt-get "
            "is available), or see https://github.com/wg/wrk"
        )
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def redis_empty(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError as exc:
        raise RuntimeError(f"Redis is not reachable at {url} (start redis-server, or pass --http-redis-url)") from exc


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str


def http(port: int, method: str, path: str, *, headers=None, body: str | None = None) -> Response:
    connection = HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
        response = connection.getresponse()
        return Response(response.status, response.getheaders(), response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def cookies_from(response: Response) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in response.headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the sign-in form, as a browser does; returns the Cookie header a browser then sends: the
    session's cookie and the CSRF cookie."""
    page = http(port, "GET", "/accounts/sign-in/")
    assert page.status == 200, f"sign-in page: {page.status}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    csrf = cookies_from(page)[CSRF_COOKIE]
    origin = f"https://{HOST}:{port}"
    answer = http(
        port,
        "POST",
        "/accounts/sign-in/",
        headers={
            "Cookie": f"{CSRF_COOKIE}={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/sign-in/",
        },
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password}),
    )
    set_now = cookies_from(answer)
    session = set_now.get(SESSION_COOKIE)
    if answer.status != 302 or not session:
        raise RuntimeError(f"signing in {email} failed: {answer.status}")
    # A browser sends back the CSRF cookie that signing in rotated, with the session's: without it, every signed-in
    # page would make a new CSRF secret for the sign-out button, which no browser's request costs.
    return f"{SESSION_COOKIE}={session}; {CSRF_COOKIE}={set_now.get(CSRF_COOKIE, csrf)}"


def workers_cpu_seconds(master_pid: int) -> float:
    """CPU time (user and system) the gunicorn workers, the children of `master_pid`, have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == master_pid:  # fields after the command: state, ppid, ..., utime (12), stime (13)
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def wrk(port: int, path: str, *, seconds: int, connections: int, cookie: str | None) -> tuple[float, int]:
    """Requests per second wrk gets from `path`, and how many requests it made; fails on any error response."""
    command = [wrk_path(), "-t1", f"-c{connections}"]
    for name, value in {**HEADERS, **({"Cookie": cookie} if cookie else {})}.items():
        command += ["-H", f"{name}: {value}"]
    url = f"http://{HOST}:{port}{path}"
    output = subprocess.run([*command, f"-d{seconds}s", url], check=True, capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", output)
    if errors:
        raise RuntimeError(f"wrk {path}: {errors.group(0)}")
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), requests


def pages_to_measure():
    """(label, key, path, who) for every page driven: public pages, then the learner's and the manager's, the
    first of them the bare page signed in."""
    release = Framework.objects.get(slug="ddat").current_release
    return [
        ("home page", "home", "/", None),
        *[(page.label, page.key, page.path, None) for page in heaviest_public_pages(release)],
        # The bare page signed in: what the signed-in frame alone costs (the account and its session record; the
        # session from the cache, saved at most once a minute: decision 0021), against the anonymous bare page.
        ("learner: bare Wagtail page", "learner_bare_page", bare_page_url(), "learner"),
        ("learner: dashboard", "learner_dashboard", "/dashboard/", "learner"),
        ("learner: self-assessment", "learner_self_assessment", "/skills/self-assessment/", "learner"),
        ("manager: dashboard", "manager_dashboard", "/dashboard/", "manager"),
        ("manager: team", "manager_team", "/skills/team/", "manager"),
    ]


def demo_load() -> None:
    """The demo's accounts, pages, DDaT release and people; the learner's and manager's passwords hashed as
    production hashes them (the runner's test settings use a fast hasher production does not accept)."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if connection.vendor == "postgresql":
        # As a database that has been running a while: planner statistics for the tables just filled, and no
        # autovacuum catching up with them during the first measurements.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        for user in get_user_model().objects.filter(email__in=[f"{who}@capability.example" for who in WHO]):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])


WHO = ("learner", "manager")


def collectstatic(static_root: Path, env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": str(static_root)},
        check=True,
    )


def server_start(port: int, env: dict, workers: int, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "cms.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--forwarded-allow-ips",
        HOST,
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if http(port, "GET", TRIVIAL_URL).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


def run(bench):
    args = bench.args
    wrk_path()
    redis_empty(args.http_redis_url)
    started = time.perf_counter()
    demo_load()
    bare = bare_page_url()
    pages = pages_to_measure()
    bench.report("demo loaded (DDaT 2025-10, demo people)", time.perf_counter() - started, "s")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_http",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": args.http_redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    conn_max_age = os.environ.get("DATABASE_CONN_MAX_AGE")
    print(
        f"   gunicorn: {args.http_workers} sync workers; DATABASE_CONN_MAX_AGE={conn_max_age or 'production default'}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-http-") as directory:
        static_root = Path(directory) / "static"
        collectstatic(static_root, env)
        env["STATIC_ROOT"] = str(static_root)
        port = free_port()
        server = server_start(port, env, args.http_workers, Path(directory) / "gunicorn.log")
        try:
            cookies = {who: sign_in(port, f"{who}@capability.example", DEMO_PASSWORD) for who in WHO}
            targets = [
                ("trivial view", "trivial_view", TRIVIAL_URL, None),
                ("bare page", "bare_page", bare, None),
                *pages,
            ]
            for label, _key, path, who in targets:
                response = http(port, "GET", path, headers={"Cookie": cookies[who]} if who else None)
                assert response.status == 200, f"{label} {path}: {response.status}"
            for _label, _key, path, who in targets:  # warm the workers and the caches
                wrk(port, path, seconds=1, connections=args.http_connections, cookie=cookies.get(who))

            # Rounds of every page in turn, so that a machine whose load drifts over the run weighs on every page
            # alike; each figure is the median of its rounds. Beside requests per second, the workers' own CPU time
            # per request, which other processes on a busy machine do not change.
            rates: dict[str, list[float]] = {key: [] for _label, key, _path, _who in targets}
            cpu: dict[str, list[float]] = {key: [] for _label, key, _path, _who in targets}
            for _ in range(args.http_rounds):
                for _label, key, path, who in targets:
                    before = workers_cpu_seconds(server.pid)
                    rate, requests = wrk(
                        port,
                        path,
                        seconds=args.http_seconds,
                        connections=args.http_connections,
                        cookie=cookies.get(who),
                    )
                    rates[key].append(rate)
                    cpu[key].append((workers_cpu_seconds(server.pid) - before) * 1000 / max(requests, 1))
            rate = {key: statistics.median(values) for key, values in rates.items()}
            cpu_ms = {key: statistics.median(values) for key, values in cpu.items()}
            trivial, bare_rate = rate["trivial_view"], rate["bare_page"]
            bench.report("trivial Django view", trivial, "requests/s", key="trivial_view_per_second")
            bench.report("bare Wagtail page", bare_rate, "requests/s", key="bare_page_per_second")
            # Server time: how long a request holds one of the workers, which wrk keeps busy.
            trivial_ms, bare_ms = args.http_workers * 1000 / trivial, args.http_workers * 1000 / bare_rate
            bench.report("trivial Django view, server time per request", trivial_ms, "ms", key="trivial_view_ms")
            bench.report(
                "bare Wagtail page, server time per request",
                bare_ms,
                "ms",
                key="bare_page_ms",
                reference=("trivial view", trivial_ms),
            )
            bench.report(
                "trivial Django view, worker CPU per request", cpu_ms["trivial_view"], "ms", key="trivial_view_cpu_ms"
            )
            bench.report(
                "bare Wagtail page, worker CPU per request",
                cpu_ms["bare_page"],
                "ms",
                key="bare_page_cpu_ms",
                reference=("trivial view", cpu_ms["trivial_view"]),
            )
            for label, key, _path, _who in pages:
                bench.report(
                    label, rate[key], "requests/s", key=f"{key}_per_second", reference=("bare page", bare_rate)
                )
                bench.report(
                    "  worker CPU per request",
                    cpu_ms[key],
                    "ms",
                    key=f"{key}_cpu_ms",
                    reference=("bare page", cpu_ms["bare_page"]),
                )
            spread = ", ".join(f"{value:.0f}" for value in rates["bare_page"])
            print(f"   (bare page in each round: {spread} requests/s)")
        finally:
            server.terminate()
            server.wait(timeout=30)
            redis_empty(args.http_redis_url)
