"""Against the real DDaT 2025-10 release: a course whose outcome is a real DDaT skill level; the training
administrator's roster and attendance write real ledger rows, and the learner's skill history shows the course
evidence (and, corrected, its withdrawal)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.enums import BookingStatus
from courses.models import Session
from courses.services.bookings import booking_request
from frameworks.models import Framework
from skills.enums import AssessmentSource
from skills.selectors import skill_history
from tests.courses.factories import SessionFactory, course_create
from tests.courses.training_admin import training_administrator
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the module-scoped release fixture
from tests.skills.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]

SKILL_CODE = "data-analysis-and-synthesis"


def _ddat_course():
    release = Framework.objects.get(slug="ddat").current_release
    skill = release.skills.get(code=SKILL_CODE)
    levels = {level.rank: level for level in release.levels.all()}
    return course_create(
        title="Data analysis and synthesis in practice", outcomes=[(skill, levels[2], levels[3])]
    ), levels[3]


def test_marking_attendance_writes_real_ledger_rows_shown_in_the_learners_history(client):
    course, to_level = _ddat_course()
    session = SessionFactory(course=course)
    learner = PersonFactory()
    booking = booking_request(
        session=session, person=learner, actor=learner.user, now=session.booking_opens_at + timedelta(minutes=1)
    )
    shift = session.starts_at - timezone.now() + timedelta(hours=1)
    fields = ["starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "cancellation_cutoff_at"]
    Session.objects.filter(pk=session.pk).update(**{f: getattr(session, f) - shift for f in fields})
    administrator = training_administrator()
    client.force_login(administrator)
    roster = f"/admin/training/sessions/{session.pk}/roster/"

    assert client.get(roster).status_code == 200
    assert client.post(roster, {f"booking_{booking.pk}": "attended"}).status_code == 302

    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    (row,) = skill_history(person=learner, skill_code=SKILL_CODE)
    assert (row.source, row.level, row.author) == (AssessmentSource.COURSE, to_level, administrator)
    client.force_login(learner.user)
    page = client.get(f"/skills/history/{SKILL_CODE}/").content.decode()
    assert "Completed Data analysis and synthesis in practice" in page

    client.force_login(administrator)
    client.post(roster, {f"booking_{booking.pk}": "absent"})
    rows = list(skill_history(person=learner, skill_code=SKILL_CODE))
    assert len(rows) == 2
    assert rows[0].retracts_id == row.pk
