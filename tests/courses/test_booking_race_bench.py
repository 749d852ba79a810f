"""The booking race benchmark signs its 200 people in by writing their sessions straight into the database
(`bench.bench_booking_race.signed_in_cookie`). When the service changes how a signed-in session must look (as the
sign-in backends did for single sign-on), such a session is refused and the benchmark measures the sign-in page
instead: this keeps the two in step."""

import pytest
from django.conf import settings

from bench.bench_booking_race import signed_in_cookie
from courses.models import Booking
from tests.courses.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_the_benchmarks_session_is_accepted_by_the_booking_page(client, learner):
    session = SessionFactory()
    _name, key = signed_in_cookie(learner.user, settings.SECRET_KEY).split("=", 1)
    client.cookies[settings.SESSION_COOKIE_NAME] = key

    page = client.get(f"/training/sessions/{session.pk}/book/")

    assert page.status_code == 200, page.headers.get("Location")
    assert "Confirm and book" in page.content.decode()
    assert client.post(f"/training/sessions/{session.pk}/book/", {"adjustments": "", "reason": ""}).status_code == 302
    assert Booking.objects.filter(person=learner, session=session).exists()
