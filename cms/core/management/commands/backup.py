"""Back up the database, the media folders and the credential signing keys (docs/decisions/0219).

manage.py backup --to /backups                       one new backup folder in /backups
manage.py backup --to /backups --keep-days 35        and delete the backups there older than 35 days
manage.py backup --to /backups --without-keys        leave the signing keys out (no passphrase needed)

The keys are encrypted with CAPABILITY_BACKUP_PASSPHRASE; without it the command refuses unless --without-keys.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.core.backups import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = "Write a backup folder of the database, MEDIA_ROOT, PRIVATE_MEDIA_ROOT and the credential keys."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="The folder that holds the backup folders.")
        parser.add_argument("--without-keys", action="store_true", help="Leave the credential signing keys out.")
        parser.add_argument(
            "--keep-days",
            type=int,
            help="After the backup, delete the backups in --to made more than this many days ago "
            "(the newest is always kept).",
        )

    def handle(self, *args, to, without_keys=False, keep_days=None, **options):
        if keep_days is not None and keep_days < 1:
            raise CommandError("--keep-days must be at least 1.")
        try:
            report = backup_create(to=to, include_keys=not without_keys)
            pruned = backups_prune(directory=to, keep_days=keep_days) if keep_days is not None else []
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {report.folder}")
        for line in report.lines:
            self.stdout.write(f"  {line}")
        for folder in pruned:
            self.stdout.write(f"Deleted {folder.name}: older than {keep_days} days")
