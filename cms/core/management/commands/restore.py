"""Restore a backup folder made by `manage.py backup` (docs/decisions/0219).

manage.py restore --from /backups/capability-backup-20261206T020000Z

Into an empty database (no tables), empty MEDIA_ROOT, PRIVATE_MEDIA_ROOT and CAPABILITY_CREDENTIAL_KEYS_DIR,
unless --replace. CAPABILITY_BACKUP_PASSPHRASE opens the keys, unless --without-keys. Every checksum, the
passphrase and the targets are checked before anything changes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database, media folders and credential keys from a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path, help="The backup folder.")
        parser.add_argument("--without-keys", action="store_true", help="Do not restore the credential keys.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that has tables and folders that have files (everything in them is lost).",
        )

    def handle(self, *args, source, without_keys=False, replace=False, **options):
        try:
            done = backup_restore(source=source, include_keys=not without_keys, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in done:
            self.stdout.write(line)
