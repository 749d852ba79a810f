from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skills.importers import COLUMNS
from skills.services.people_import import people_import


class Command(BaseCommand):
    help = (
        "Create or update people and their accounts from the HR feed (UTF-8 CSV with the columns "
        f"{', '.join(COLUMNS)}), matching people by staff number. All or nothing: a file with any problem writes "
        "nothing and every problem is listed with its row and column. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file")
        parser.add_argument(
            "--framework",
            default=None,
            help="slug of the framework whose current release names the roles (default: CAPABILITY_DEFAULT_FRAMEWORK)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count everything, then write nothing")

    def handle(self, *args, path, framework, dry_run, **options):
        if not Path(path).is_file():
            raise CommandError(f"{path}: no such file.")
        report = people_import(actor=None, file=path, framework_slug=framework, dry_run=dry_run)
        if not report.ok:
            lines = [report.summary(), *(f"  {error.describe(report.source)}" for error in report.errors)]
            if report.errors_not_shown:
                lines.append(f"  ... and {report.errors_not_shown} more.")
            raise CommandError("\n".join(lines))
        self.stdout.write(("Dry run, nothing was written. " if dry_run else "") + report.summary())
        listed = 10_000 if options["verbosity"] >= 2 else 20
        for label, names in (("Organisation unit", report.units_created), ("Profession", report.professions_created)):
            for name in names[:listed]:
                self.stdout.write(f"  {label} created: {name}")
            if len(names) > listed:
                self.stdout.write(f"  ... and {len(names) - listed} more {label.lower()}s (-v 2 lists them all).")
