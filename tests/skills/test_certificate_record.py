"""The certificate record's own rules, held by the database: one certificate in force per holder and award,
revocation with a reason, expiry after issue, a place in the status list; valid or expired derived from the dates."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from skills.models import STATUS_LIST_SIZE, Certificate, CertificateStatus
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _certificate(holder, number="CAP-1", index=1, **fields):
    return Certificate.objects.create(
        **{
            "holder": holder,
            "kind": Certificate.Kind.COURSE,
            "award": "courses.course:1",
            "title": "Agile foundations",
            "number": number,
            "issued_on": date(2026, 1, 10),
            "status_list_index": index,
        }
        | fields
    )


def test_a_holder_has_one_certificate_in_force_per_award_and_renewals_supersede():
    holder = PersonFactory()
    first = _certificate(holder)
    with pytest.raises(IntegrityError), transaction.atomic():
        _certificate(holder, number="CAP-2", index=2)
    first.superseded_at = timezone.now()
    first.save()
    renewal = _certificate(holder, number="CAP-2", index=2, renews=first)
    assert first.renewed_by == renewal
    assert _certificate(PersonFactory(), number="CAP-3", index=3).award == first.award  # someone else may hold it


def test_the_token_is_random_and_long_enough():
    holder = PersonFactory()
    one, two = _certificate(holder), _certificate(holder, number="CAP-2", index=2, award="courses.course:2")
    assert one.token != two.token
    assert len(one.token) >= 22  # 16 bytes or more, base64url


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": timezone.now()},  # revoked without a reason
        {"expires_on": date(2026, 1, 10)},  # expiring the day it is issued
        {"status_list_index": STATUS_LIST_SIZE},  # outside the status list
    ],
)
def test_the_database_refuses_a_broken_record(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _certificate(PersonFactory(), **({"index": fields.pop("status_list_index", 1)} | fields))


def test_status_derives_from_the_dates_and_revocation():
    certificate = _certificate(PersonFactory(), expires_on=date(2027, 1, 10))
    assert certificate.status_on(date(2027, 1, 9)) == CertificateStatus.VALID
    assert certificate.status_on(date(2027, 1, 10)) == CertificateStatus.EXPIRED
    certificate.revoked_at, certificate.revoked_reason = timezone.now(), "Issued in error."
    assert certificate.status_on(date(2026, 6, 1)) == CertificateStatus.REVOKED
    assert _certificate(PersonFactory(), number="CAP-9", index=9).status_on(date.today() + timedelta(days=9999)) == (
        CertificateStatus.VALID
    )
