from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from skills.importers import COLUMNS
from skills.models import Person
from skills.services.people_import import FullFile, people_import


class Command(BaseCommand):
    help = (
        "Create or update people and their accounts from the HR feed (UTF-8 CSV with the columns "
        f"{', '.join(COLUMNS)}), matching people by staff number. All or nothing: a file with any problem writes "
        "nothing and every problem is listed with its row and column. Importing the same file again changes nothing. "
        "With --full-file, everyone missing from the file is marked as having left: the command first lists them "
        "and writes nothing, and writes only when run again with --confirm-leavers and their number."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file")
        parser.add_argument(
            "--framework",
            default=None,
            help="slug of the framework whose current release names the roles (default: CAPABILITY_DEFAULT_FRAMEWORK)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count everything, then write nothing")
        parser.add_argument(
            "--full-file",
            action="store_true",
            help="the file lists everyone: people missing from it (who have not left) are marked as having left",
        )
        parser.add_argument(
            "--left-on",
            default=None,
            metavar="YYYY-MM-DD",
            help="with --full-file: the day the people missing from the file left (default: today)",
        )
        parser.add_argument(
            "--confirm-leavers",
            type=int,
            default=None,
            metavar="N",
            help="with --full-file: import, marking the N people missing from the file (the number the check "
            "printed) as having left; refused if they are not N any more",
        )

    def handle(self, *args, path, framework, dry_run, full_file, left_on, confirm_leavers, **options):
        if not Path(path).is_file():
            raise CommandError(f"{path}: no such file.")
        if not full_file and (left_on is not None or confirm_leavers is not None):
            raise CommandError("--left-on and --confirm-leavers go with --full-file.")
        full = None
        if full_file:
            try:
                day = date.fromisoformat(left_on) if left_on else timezone.localdate()
            except ValueError as exc:
                raise CommandError(f"--left-on {left_on!r} is not a date: write it as YYYY-MM-DD.") from exc
            full = FullFile(left_on=day, confirmed=confirm_leavers)
            dry_run = dry_run or confirm_leavers is None
        report = people_import(actor=None, file=path, framework_slug=framework, dry_run=dry_run, full_file=full)
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
        if full is not None:
            written = confirm_leavers is not None and not dry_run
            self._write_leavers(report.absent, full, confirmed=written, listed=listed)

    def _write_leavers(self, absent: list[int], full: FullFile, *, confirmed: bool, listed: int) -> None:
        count, day = len(absent), f"{full.left_on:%Y-%m-%d}"
        verb = "were" if confirmed else "would be"
        self.stdout.write(f"People missing from the file who {verb} marked as having left on {day}: {count}.")
        people = (
            Person.objects.filter(pk__in=absent)
            .select_related("user", "org_unit", "line_manager")
            .order_by("user__last_name", "user__first_name", "staff_number")
        )
        for person in people[:listed]:
            manager = person.line_manager.staff_number if person.line_manager else "none"
            self.stdout.write(
                f"  {person.staff_number}: {person.user.get_full_name()}, {person.org_unit.full_name}, "
                f"line manager {manager}"
            )
        if count > listed:
            self.stdout.write(f"  ... and {count - listed} more (-v 2 lists them all).")
        if not confirmed:
            self.stdout.write(
                f"Nothing was written. To import the file and mark these {count} people as having left on {day}, "
                f"run the command again with --full-file --left-on {day} --confirm-leavers {count}."
            )
