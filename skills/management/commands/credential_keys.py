"""Manage the keys Open Badges credentials are signed with (docs/decisions/0211).

manage.py credential_keys            list the keys, in use and retired
manage.py credential_keys --ensure   make the keys that are missing (set-up, `make run`, deployment)
manage.py credential_keys --rotate   retire the keys in use and make new ones; retired keys stay listed in the
                                     DID document, so what they signed still verifies
"""

from django.core.management.base import BaseCommand

from skills.credentials.keys import credential_keys_ensure, credential_keys_rotate, issuer_did
from skills.credentials.status_list import status_list_publish
from skills.models import CredentialKey


class Command(BaseCommand):
    help = "List, make (--ensure) or rotate (--rotate) the keys Open Badges credentials are signed with."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--ensure", action="store_true", help="Make the keys that are missing.")
        group.add_argument("--rotate", action="store_true", help="Retire the keys in use and make new ones.")

    def handle(self, *args, ensure=False, rotate=False, **options):
        made = credential_keys_rotate() if rotate else credential_keys_ensure() if ensure else []
        if rotate:
            status_list_publish()  # signed again by the new key
        for key in made:
            self.stdout.write(f"Made {key.algorithm} key {key.key_id}")
        self.stdout.write(f"Issuer: {issuer_did()}")
        for key in CredentialKey.objects.order_by("created_at", "id"):
            state = f"retired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else "in use"
            self.stdout.write(f"  {key.key_id} ({key.get_algorithm_display()}): {state}")
