from django.core.management.base import BaseCommand

from skills.services.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Apply the retention periods (CAPABILITY_RETENTION_DAYS) now: erase leavers past the leavers' period and "
        "delete sent notifications, audit log entries and untouched drafts past theirs; say what went. The beat "
        "scheduler runs this each night; running it again removes nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would go, and change nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = retention_apply(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
