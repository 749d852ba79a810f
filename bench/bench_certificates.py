"""Certificates for a 200-person session completion: issued in bulk, their PDFs drawn by two worker processes; and
the public verification page beside the framework skill page.

The 200 people and their course completions (`Achievement`s asking for a certificate, as attendance records them)
are made in bulk; each certificate is then issued by the real service (`certificate_issue_for_achievement`: a
number, a random place in the status list, the audit entry, the PDF task queued after the commit). The queued
tasks are collected as a broker would hold them, and each certificate's PDF is drawn and stored by the service the
Celery task calls (`certificate_pdf_render`: read the record, draw, store under its key, note when) in a pool of
two worker processes, each warmed up first as a long-running Celery worker is (fonts found, the stylesheet parsed).
Files go to a temporary directory through FileSystemStorage, as in production.

Printed: certificates issued per second by the service, certificates drawn per second over the whole batch, the
service's time per certificate (p50, p95), and the ratio of the p50 to a minimal one-page WeasyPrint document
drawn by the same two workers straight afterwards (the floor: WeasyPrint's own cost for a page that says one word,
on the machine as busy as it was for the certificates). Then the public verification page of one certificate and
the DDaT skill page of the real release, requested alternately by the same anonymous client (the page's rate limit
raised for the run).

The last line: `bench certificates: certs_per_second=N render_p50_ms=N render_p95_ms=N minimal_page_ratio=N ...`.
"""

import multiprocessing
import secrets
import statistics
import tempfile
import time
from datetime import date
from unittest.mock import patch

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connections
from django.test import Client, override_settings
from weasyprint import HTML

from bench.bench_course_pages import page_figures
from bench.ddat import BASE, ddat_release_ensure
from frameworks.models import Skill
from frameworks.services import framework_pages_ensure
from skills.certificates_pdf import certificate_pdf_bytes, certificate_pdf_document, certificate_pdf_key
from skills.models import Achievement, Certificate, Grade, Person
from skills.selectors.certificates import VERIFICATION_PATH
from skills.services import org_unit_ensure
from skills.services.certificate_pdf import certificate_pdf_render, certificate_pdf_render_task
from skills.services.certificates import certificate_issue_for_achievement

TARGET = (
    "at least 20 certificates/s with two worker processes, render p95 at most 150 ms, "
    "the verification page at least as fast as the framework skill page"
)


def add_arguments(group) -> None:
    group.add_argument("--cert-people", type=int, default=200, help="people completing the session (default 200)")
    group.add_argument("--cert-workers", type=int, default=2, help="worker processes drawing PDFs (default 2)")
    group.add_argument(
        "--cert-repeat", type=int, default=40, help="requests of the verification and skill pages (default 40)"
    )


def certificates_issue(count: int) -> tuple[list[int], float]:
    """`count` people completing the same course, each issued their certificate by the service. Returns the ids of
    the certificates whose PDF task was queued, and the seconds the issuing took."""
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
    achievements = Achievement.objects.bulk_create(
        [
            Achievement(
                person=person,
                kind=Achievement.Kind.COURSE_COMPLETED,
                reference=f"bench.completion:{run}:{n}",
                award=f"courses.course:bench-{run}",
                title="Agile delivery foundations (two-day classroom course)",
                achieved_on=date(2026, 12, 5),
                certificate_requested=True,
                certificate_validity_months=36,
            )
            for n, person in enumerate(people)
        ]
    )
    queued = []
    with patch.object(certificate_pdf_render_task, "delay", lambda certificate_id: queued.append(certificate_id)):
        started = time.perf_counter()
        for achievement in achievements:
            certificate_issue_for_achievement(achievement=achievement)
        seconds = time.perf_counter() - started
    return queued, seconds


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
        ids, issue_seconds = certificates_issue(people)
        assert len(ids) == people, (len(ids), people)
        bench(f"issue {people} certificates through the issuing service", issue_seconds * 1000, "ms")
        bench("certificates issued per second", people / issue_seconds, "/s")

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
        bench.figures["issued_per_second"] = round(people / issue_seconds, 1)
        bench("PDF size", default_storage.size(certificate_pdf_key(first)) // 1024, "KiB")
    verification_beside_skill_page(bench, first)


def verification_beside_skill_page(bench, certificate: Certificate) -> None:
    """The public verification page, requested alternately with the DDaT skill page by one anonymous client."""
    release = ddat_release_ensure()
    framework_pages_ensure()
    skill = Skill.objects.filter(release=release).order_by("code").first()
    reference_url = f"{BASE}skills/{skill.code}/"
    with override_settings(CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS=10**9):
        ms, reference, size, count = page_figures(
            Client(), VERIFICATION_PATH.format(token=certificate.token), reference_url, bench.args.cert_repeat
        )
    bench.report(
        "verification page median",
        ms,
        f"ms, {size / 1024:,.0f} KB, {count} queries; skill page {reference:.1f} ms",
        reference=("skill page", reference),
    )
    bench.figures["verify_ms"] = round(ms, 1)
    bench.figures["skill_page_ms"] = round(reference, 1)
    bench.figures["verify_ratio"] = round(ms / reference, 2) if reference else float("inf")
