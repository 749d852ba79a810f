"""How django-axes counts failed sign-ins here (see docs/decisions/0005-sign-in-lockout.md).

Two limits apply: `AXES_FAILURE_LIMIT` failures for one account from one address, and
`AXES_ADDRESS_FAILURE_LIMIT` failures from one address across all accounts (password spraying).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def normalise_email(value: str | None) -> str | None:
    """The one spelling of an e-mail address that lockouts and rate limits count against.

    Sign-in matches addresses case-insensitively, so every spelling of one address must share one
    counter; otherwise each new capitalisation buys another round of guesses.
    """
    if value is None:
        return None
    return value.strip().lower()


def normalised_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the submitted address, normalised, from the credentials or the POST."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return normalise_email(value) if isinstance(value, str) else value


class CapabilityAxesHandler(AxesDatabaseHandler):
    """axes' database handler, plus a limit on failures from one address across all accounts.

    axes 8 accepts several lockout parameter combinations but compares the largest count with a
    single limit, so `[["username", "ip_address"], "ip_address"]` would lock a whole address after
    as few failures as one account gets. The address-wide count is therefore its own limit here.
    A success resets only that account's count from that address (the lockout parameters stay
    `[["username", "ip_address"]]`), so signing in to one's own account does not clear the
    failures an address ran up against other people's.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request) -> int:
        """Failures from the request's address, over every account, within the cool-off period."""
        total = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return total or 0
