"""A deployment check: warn (never stop the service) when credentials could not be signed, so the operator hears
before a holder's download fails."""

from django.core import checks
from django.db import DatabaseError

from skills.credentials.errors import CredentialsUnavailable
from skills.credentials.keys import ALGORITHMS, signing_key


@checks.register(checks.Tags.security, deploy=True)
def credential_keys_check(app_configs=None, **kwargs):
    warnings = []
    for algorithm in ALGORITHMS:
        try:
            signing_key(algorithm)
        except CredentialsUnavailable as error:
            warnings.append(
                checks.Warning(
                    f"Open Badges credentials cannot be downloaded: {error}",
                    hint="Set CAPABILITY_CREDENTIAL_KEYS_DIR and run `python manage.py credential_keys --ensure`.",
                    id="skills.W211",
                )
            )
        except DatabaseError:
            return []  # before migrations have run: nothing to check yet
    return warnings
