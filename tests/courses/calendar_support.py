"""What the calendar tests share: ical.js (an independent iCalendar parser, from npm, run with node) and
bookings made directly in a given state.

Without node or ical.js the tests that parse skip with the reason, except under CAPABILITY_REQUIRE_SERVICES=1
(as in CI), where they fail: `npm ci` installs ical.js (a dev dependency in package.json).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from courses.enums import BookingStatus
from courses.models import Booking

SCRIPT = Path(__file__).with_name("ical_summary.cjs")
REPO = Path(__file__).resolve().parents[2]


def _ical_js_missing() -> str | None:
    node = shutil.which("node")
    if node is None:
        return "needs node to run ical.js: apt-get install nodejs"
    found = subprocess.run([node, "-e", "require.resolve('ical.js')"], cwd=REPO, capture_output=True, check=False)
    if found.returncode != 0:
        return "needs ical.js from npm: npm ci (it is a dev dependency in package.json)"
    return None


def ical_js_parser():
    """parse(content: bytes) -> dict: what ical.js reads in an iCalendar object (see ical_summary.cjs). A test
    module makes it its fixture: `ical_js = pytest.fixture(scope="session")(ical_js_parser)`."""
    reason = _ical_js_missing()
    if reason is not None:
        if os.environ.get("CAPABILITY_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (CAPABILITY_REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip(reason)

    def parse(content: bytes) -> dict:
        result = subprocess.run(
            [shutil.which("node"), str(SCRIPT)], input=content, cwd=REPO, capture_output=True, check=False
        )
        assert result.returncode == 0, result.stderr.decode()
        return json.loads(result.stdout)

    return parse


def booking_make(session, person, status=BookingStatus.CONFIRMED, **fields) -> Booking:
    """A booking in the given state, made directly (the booking services are tested elsewhere)."""
    if status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW):
        fields.setdefault("confirmed_at", timezone.now())
    if status == BookingStatus.WAITLISTED:
        fields.setdefault("waitlist_position", 1)
    return Booking.objects.create(session=session, person=person, status=status, **fields)
