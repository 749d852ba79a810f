"""200 people book the same 20-seat session in the same second, over HTTP: gunicorn on PostgreSQL.

Creates a course, one open session and 200 people, each with a signed-in Django session made directly in the
database (signing 200 people in from one address would trip the sign-in limits), starts gunicorn with the
production settings (`bench.settings_http`) on a free port of 127.0.0.1, has each person open the booking page
(which gives them their CSRF cookie and the form's token, as a browser gets them), then fires the 200 booking
POSTs at once from 200 client threads released together. Every answer must be the redirect to the person's
booking; the database is then read for the outcome. The reference: the trivial Django view, fired at the same
way (200 requests released together) in the same run.

The last line: `bench booking_race: confirmed=N waitlisted=N errors=N p50_ms=N p99_ms=N ...`
(goal: 20, 180, 0, and p99 at most 2000 ms).
"""

import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bench.bench_http import HEADERS, HOST, SESSION_COOKIE, collectstatic, cookies_from, free_port, http
from bench.people import people_create
from bench.urls import TRIVIAL_URL
from cms.home.models import HomePage
from courses.enums import BookingStatus, DeliveryMode
from courses.models import Booking, CourseIndexPage, CoursePage, Session

TARGET = "confirmed=20 waitlisted=180 errors=0, p99 at most 2000 ms"
CSRF_COOKIE = "__Host-capability-csrf"


def add_arguments(group) -> None:
    group.add_argument("--race-people", type=int, default=200, help="people booking at once (default 200)")
    group.add_argument("--race-seats", type=int, default=20, help="the session's capacity (default 20)")
    group.add_argument(
        "--race-timeout", type=int, default=300, help="seconds a client waits for its answer (default 300)"
    )
    # As the production image runs gunicorn (the Dockerfile: GUNICORN_WORKERS, 3 sync workers): on two cores,
    # threads in a worker only queue for its interpreter lock (back to back: 4 workers × 4 threads p99 2.5 s,
    # 3 sync workers 1.8 s; docs/decisions/0024).
    group.add_argument("--race-workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    group.add_argument(
        "--race-threads", type=int, default=1, help="threads per gunicorn worker (more than 1: gthread; default 1)"
    )


def session_create(seats: int) -> Session:
    home = HomePage.objects.first()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    course = index.add_child(
        instance=CoursePage(
            title="Bench: agile delivery foundations",
            slug=f"bench-agile-{secrets.token_hex(4)}",
            summary="The booking race's course.",
            provider="Government Digital Academy",
            delivery_mode=DeliveryMode.CLASSROOM,
            duration_hours=Decimal("7"),
        )
    )
    starts = timezone.now().replace(microsecond=0) + timedelta(days=10)
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=7),
        town="Leeds",
        venue="Quarry House, Leeds",
        capacity=seats,
        booking_opens_at=starts - timedelta(days=30),
        booking_closes_at=starts - timedelta(days=2),
        cancellation_cutoff_at=starts - timedelta(days=3),
    )


def server_start(port: int, env: dict, workers: int, log: Path, wait: int = 300) -> subprocess.Popen:
    """gunicorn on 127.0.0.1, waiting until it answers (on a busy machine its workers take a while to boot)."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "cms.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--forwarded-allow-ips={HOST}",
    ]
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if http(port, "GET", TRIVIAL_URL).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer within {wait} s:\n{log.read_text()[-3000:]}")


def signed_in_cookie(user, secret: str) -> str:
    """A signed-in session for `user`, stored in the database as signing in stores it, encoded and hashed with
    the server's SECRET_KEY. The service records the session (its UserSession row) on the first request."""
    with override_settings(SECRET_KEY=secret):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "cms.accounts.backends.LocalPasswordBackend"  # as a password sign-in records it
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
    return f"{SESSION_COOKIE}={store.session_key}"


def fire_together(requests) -> list[tuple[int, float, object]]:
    """Run every request (a callable) on its own thread, all released at once; (status, ms, extra) each."""
    start, results, lock = threading.Barrier(len(requests)), [], threading.Lock()

    def run(request):
        start.wait()
        began = time.perf_counter()
        try:
            status, extra = request()
        except Exception as error:  # counted as an error: no answer
            status, extra = 0, error
        elapsed = (time.perf_counter() - began) * 1000
        with lock:
            results.append((status, elapsed, extra))

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(bench):
    args = bench.args
    if connection.vendor != "postgresql":  # SQLite has no row locks to race on: say so, and leave the others to run
        print("   skipped: booking_race needs PostgreSQL (set DATABASE_URL=postgres://…)")
        bench.report("skipped (needs PostgreSQL)", 1, key="skipped")
        return
    secret = secrets.token_urlsafe(50)
    session = session_create(args.race_seats)
    people = people_create(args.race_people, unit="Booking race")
    cookies = {person.pk: signed_in_cookie(person.user, secret) for person in people}
    book_path = f"/training/sessions/{session.pk}/book/"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_http",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        # More than one thread makes gunicorn's sync workers gthread workers.
        "GUNICORN_CMD_ARGS": f"--threads {args.race_threads}",
    }
    print(f"   gunicorn: {args.race_workers} workers × {args.race_threads} threads; {len(people)} people")
    with tempfile.TemporaryDirectory(prefix="bench-race-") as directory:
        static_root = Path(directory) / "static"
        collectstatic(static_root, env)
        env["STATIC_ROOT"] = str(static_root)
        port = free_port()
        server = server_start(port, env, args.race_workers, Path(directory) / "gunicorn.log")
        try:
            origin = f"https://{HOST}:{port}"
            forms = {}
            for person in people:  # each opens the booking page: their CSRF cookie and the form's token
                page = http(port, "GET", book_path, headers={"Cookie": cookies[person.pk]})
                if page.status != 200 or "Confirm and book" not in page.body:
                    location = {name.lower(): value for name, value in page.headers}.get("location", "")
                    raise RuntimeError(f"the booking page answered {page.status} {location} for person {person.pk}")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
                csrf = cookies_from(page)[CSRF_COOKIE]
                forms[person.pk] = (f"{cookies[person.pk]}; {CSRF_COOKIE}={csrf}", token)

            def trivial():
                return http(port, "GET", TRIVIAL_URL).status, None

            def booking(person_id):
                cookie, token = forms[person_id]
                answer = HTTPConnection(HOST, port, timeout=args.race_timeout)
                try:
                    answer.request(
                        "POST",
                        book_path,
                        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token, "adjustments": "", "reason": ""}),
                        headers={
                            **HEADERS,
                            "Cookie": cookie,
                            "Content-Type": "application/x-www-form-urlencoded",
                            "Origin": origin,
                            "Referer": f"{origin}{book_path}",
                        },
                    )
                    response = answer.getresponse()
                    response.read()
                    return response.status, response.getheader("Location", "")
                finally:
                    answer.close()

            fire_together([trivial] * 20)  # warm every worker
            reference = fire_together([trivial] * len(people))
            reference_ms = [ms for status, ms, _ in reference if status == 200]
            results = fire_together([lambda pid=person.pk: booking(pid) for person in people])
        finally:
            server.terminate()
            try:
                server.wait(timeout=120)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    ok = [(ms, location) for status, ms, location in results if status == 302 and "/training/bookings/" in location]
    errors = len(people) - len(ok)
    answers = Counter(status for status, _ms, _location in results)
    print(f"   answers by HTTP status (0: no answer): {dict(sorted(answers.items()))}")
    statuses = Booking.objects.filter(session=session).values_list("status", flat=True)
    confirmed = sum(status == BookingStatus.CONFIRMED for status in statuses)
    waitlisted = sum(status == BookingStatus.WAITLISTED for status in statuses)
    positions = sorted(
        Booking.objects.filter(session=session, status=BookingStatus.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    session.refresh_from_db()
    if positions != list(range(1, waitlisted + 1)) or session.seats_taken != confirmed:
        raise RuntimeError(f"the waitlist or the seat count is wrong: {session.seats_taken=} {positions[:5]}…")
    latencies = [ms for status, ms, _ in results]
    bench.report("bookings confirmed", confirmed, key="confirmed")
    bench.report("bookings waitlisted (positions 1..N)", waitlisted, key="waitlisted")
    bench.report("errors (any answer but the redirect to the booking)", errors, key="errors")
    trivial_p50, trivial_p99 = statistics.median(reference_ms), percentile(reference_ms, 0.99)
    bench.report("booking POST: p50", statistics.median(latencies), "ms", key="p50_ms")
    bench.report("booking POST: p99", percentile(latencies, 0.99), "ms", key="p99_ms")
    bench.report("reference: trivial view, as many at once: p50", trivial_p50, "ms", key="trivial_p50_ms")
    bench.report("reference: trivial view, as many at once: p99", trivial_p99, "ms", key="trivial_p99_ms")
