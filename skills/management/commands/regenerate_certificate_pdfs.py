from django.core.management.base import BaseCommand, CommandError

from skills.models import Certificate
from skills.services.certificate_pdf import certificate_pdf_render


class Command(BaseCommand):
    help = (
        "Draw certificates' PDFs again from their records, replacing the stored ones: all of them (after a change "
        "to the certificate's template or stylesheet), or the ones named with --number. Works through them in "
        "chunks and prints its progress; stopping and starting again is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--number", action="append", default=[], help="a certificate number (repeat for several; default all)"
        )
        parser.add_argument("--chunk", type=int, default=100, help="certificates read per query (default 100)")

    def handle(self, *args, number, chunk, **options):
        if chunk < 1:
            raise CommandError("--chunk must be at least 1.")
        certificates = Certificate.objects.order_by("pk")
        if number:
            certificates = certificates.filter(number__in=number)
            unknown = sorted(set(number) - set(certificates.values_list("number", flat=True)))
            if unknown:
                raise CommandError(f"No certificate numbered {', '.join(unknown)}: nothing was drawn.")
        total = certificates.count()
        done, after = 0, 0
        while True:
            ids = list(certificates.filter(pk__gt=after).values_list("pk", flat=True)[:chunk])
            if not ids:
                break
            for certificate_id in ids:
                certificate_pdf_render(certificate_id=certificate_id)
            done, after = done + len(ids), ids[-1]
            self.stdout.write(f"Drew {done:,} of {total:,} certificate PDFs.")
        self.stdout.write(self.style.SUCCESS(f"Done: {done:,} certificate PDFs drawn again."))
