"""Certificates for a 200-person session completion: issued in bulk, their PDFs drawn by two worker processes.

The 200 people and their course certificates are made directly in the database (`bulk_create`, with a random
place in the status list each): the issuing service is built on another branch of issue 12, so this measures the
drawing, which is what the workers spend their time on. Each certificate's PDF is then drawn and stored by the
service the Celery task calls (`certificate_pdf_render`: read the record, draw, store under its key, note when)
in a pool of two worker processes, each warmed up first as a long-running Celery worker is (fonts found, the
stylesheet parsed). Files go to a temporary directory through FileSystemStorage, as in production.

Printed: certificates per second over the whole batch, the service's time per certificate (p50, p95), and the
ratio of the p50 to a minimal one-page WeasyPrint document drawn by the same two workers straight afterwards (the
floor: WeasyPrint's own cost for a page that says one word, on the machine as busy as it was for the certificates).

The last line: `bench certificates: certs_per_second=N render_p50_ms=N render_p95_ms=N minimal_page_ratio=N`.
"""

import multiprocessing
import random
import secrets
import statistics
import tempfile
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connections
from django.test import override_settings
from weasyprint import HTML

from skills.certificates_pdf import certificate_pdf_bytes, certificate_pdf_document, certificate_pdf_key
from skills.models import Certificate, Grade, Person
from skills.models.certificates import STATUS_LIST_SIZE
from skills.services import org_unit_ensure
from skills.services.certificate_pdf import certificate_pdf_render

TARGET = "at least 20 certificates/s with two worker processes, render p95 at most 150 ms"


def add_arguments(group) -> None:
    group.add_argument("--cert-people", type=int, default=200, help="people completing the session (default 200)")
    group.add_argument("--cert-workers", type=int, default=2, help="worker processes drawing PDFs (default 2)")


def certificates_issue(count: int) -> list[int]:
    """`count` people, each given a certificate for the same course completion, in bulk. Returns their ids."""
    run = secrets.token_hex(3)
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(email=f"cert-{run}-{n}@bench.example", first_name="Certified", last_name=f"Person {n}")
            for n in range(count)
        ]
    )
    unit, _created = org_unit_ensure(full_name="Department for Benchmarks/Digital/Certificates")
    grade = Grade.objects.order_by("rank").first()
    people = Person.objects.bulk_create(
        [Person(user=user, staff_number=f"C{run}{n:04d}", org_unit=unit, grade=grade) for n, user in enumerate(users)]
    )
    taken = set(Certificate.objects.values_list("status_list_index", flat=True))
    places = random.sample(sorted(set(range(STATUS_LIST_SIZE)) - taken), count)
    certificates = Certificate.objects.bulk_create(
        [
            Certificate(
                holder=person,
                kind=Certificate.Kind.COURSE,
                award=f"courses.course:bench-{run}",
                title="Agile delivery foundations (two-day classroom course)",
                number=f"CAP-B{run}-{n:05d}",
                issued_on=date(2026, 12, 5),
                expires_on=date(2029, 12, 5),
                status_list_index=place,
            )
            for n, (person, place) in enumerate(zip(people, places, strict=True))
        ]
    )
    return [certificate.pk for certificate in certificates]


def _worker_start() -> None:
    """A worker process as Celery's prefork pool has it: its own database connection, and warm."""
    connections.close_all()  # the parent closed its own before forking; this one is never shared
    certificate = Certificate.objects.select_related("holder__user").order_by("pk").first()
    certificate_pdf_bytes(certificate)


def _draw(certificate_id: int) -> float:
    started = time.perf_counter()
    certificate_pdf_render(certificate_id=certificate_id)
    return (time.perf_counter() - started) * 1000


def _minimal(_n: int) -> float:
    started = time.perf_counter()
    HTML(string="<p>Minimal</p>").write_pdf()
    return (time.perf_counter() - started) * 1000


def run(bench) -> None:
    people, workers = bench.args.cert_people, bench.args.cert_workers
    media = tempfile.mkdtemp(prefix="bench-certificates-")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, MEDIA_ROOT=media):
        started = time.perf_counter()
        ids = certificates_issue(people)
        bench(f"issue {people} certificates in bulk", (time.perf_counter() - started) * 1000, "ms")

        first = Certificate.objects.select_related("holder__user").get(pk=ids[0])
        started = time.perf_counter()
        certificate_pdf_bytes(first)
        bench("first drawing in a cold process", (time.perf_counter() - started) * 1000, "ms")

        connections.close_all()  # the workers are forked: each opens its own connection
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_worker_start) as pool:
            pool.map(time.sleep, [0] * workers)  # every worker started and warm before the clock starts
            started = time.perf_counter()
            samples = pool.map(_draw, ids, chunksize=1)
            seconds = time.perf_counter() - started
            # The floor, drawn by the same two workers straight after, so that both feel the same machine.
            minimal_samples = pool.map(_minimal, range(people), chunksize=1)

        drawn = Certificate.objects.filter(pk__in=ids, pdf_rendered_at__isnull=False).count()
        stored = sum(default_storage.exists(certificate_pdf_key(c)) for c in Certificate.objects.filter(pk__in=ids))
        assert drawn == stored == people, (drawn, stored, people)
        assert len(certificate_pdf_document(first).pages) == 1

        minimal = statistics.median(minimal_samples)
        p50 = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20)[-1]
        bench(f"certificates drawn and stored ({workers} workers)", people)
        bench("certificates per second", people / seconds, "/s", key="certs_per_second")
        bench("render p50 (read, draw, store, note)", p50, "ms", key="render_p50_ms")
        bench("render p95", p95, "ms", key="render_p95_ms")
        bench(f"minimal one-page WeasyPrint document p50 ({workers} workers)", minimal, "ms")
        bench("render p50 / minimal page", round(p50 / minimal, 2), "×", key="minimal_page_ratio")
        bench("PDF size", default_storage.size(certificate_pdf_key(first)) // 1024, "KiB")
