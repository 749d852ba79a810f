"""Issuing, renewing and revoking certificates: from a course completion, from a validation the policy rewards,
by hand; one in force per holder and award, held by the database; audited; announced after the commit."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.enums import AssessmentSource
from skills.models import Assessment, Certificate, CertificateStatus
from skills.services import (
    CertificateError,
    NotAllowed,
    Outcome,
    SkillsError,
    certificate_issue_by_hand,
    certificate_revoke,
    course_evidence_record,
    course_evidence_retract,
    review_decide,
    self_assessment_draft_save,
    self_assessment_submit,
)
from skills.services.policy_admin import assessment_policy_set
from skills.signals import certificate_issued, certificate_revoked
from tests.cms.factories import UserFactory

pytestmark = pytest.mark.django_db

AWARD = "courses.course:42"


def complete(person, reference, *, on=date(2026, 3, 2), months=12, requested=True, outcomes=()):
    return course_evidence_record(
        person=person,
        outcomes=list(outcomes),
        reference=reference,
        title="Agile foundations",
        url="/training/agile-foundations/",
        award=AWARD,
        achieved_on=on,
        author=None,
        certificate_requested=requested,
        certificate_validity_months=months,
    )


@pytest.fixture
def administrator():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    return user


@pytest.fixture
def received():
    """What certificate_issued and certificate_revoked carried, in order."""
    seen = []

    def on_issued(sender, certificate, **kwargs):
        seen.append(("issued", certificate.pk))

    def on_revoked(sender, certificate, **kwargs):
        seen.append(("revoked", certificate.pk))

    certificate_issued.connect(on_issued, dispatch_uid="test.issued")
    certificate_revoked.connect(on_revoked, dispatch_uid="test.revoked")
    yield seen
    certificate_issued.disconnect(dispatch_uid="test.issued")
    certificate_revoked.disconnect(dispatch_uid="test.revoked")


def test_a_completion_that_asks_for_one_earns_a_certificate_announced_after_the_commit(
    learner, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        achievement = complete(learner, "courses.booking:1")
    assert received == []  # nothing is announced before the commit
    for callback in callbacks:
        callback()
    certificate = Certificate.objects.get()
    assert received == [("issued", certificate.pk)]
    assert (certificate.holder, certificate.kind, certificate.award) == (learner, "course", AWARD)
    assert (certificate.achievement, certificate.title, certificate.url) == (
        achievement,
        "Agile foundations",
        "/training/agile-foundations/",
    )
    assert (certificate.issued_on, certificate.expires_on) == (date(2026, 3, 2), date(2027, 3, 2))
    assert re.fullmatch(r"CAP-2026-\d{6}", certificate.number)
    assert 0 <= certificate.status_list_index < 131_072
    assert len(certificate.token) >= 22
    assert ModelLogEntry.objects.filter(action="capability.skills.certificate_issue").count() == 1


def test_a_month_end_completion_expires_at_the_end_of_the_month_it_falls_in(learner):
    complete(learner, "courses.booking:1", on=date(2026, 1, 31), months=1)
    assert Certificate.objects.get().expires_on == date(2026, 2, 28)


def test_no_certificate_without_a_request_and_none_that_expires_without_a_period(learner, manager):
    complete(learner, "courses.booking:1", requested=False)
    assert not Certificate.objects.exists()
    complete(manager, "courses.booking:2", months=None)
    assert Certificate.objects.get().expires_on is None


def test_certificates_write_no_ledger_row_of_their_own(learner, skill, levels):
    outcome = Outcome(framework_id=skill.release.framework_id, skill_code=skill.code, rank=levels["working"].rank)
    complete(learner, "courses.booking:1", outcomes=[outcome])
    assert Certificate.objects.count() == 1
    assert list(Assessment.objects.values_list("source", flat=True)) == [AssessmentSource.COURSE]


def test_re_completing_renews_the_certificate_in_force_and_links_them(learner):
    first = complete(learner, "courses.booking:1", on=date(2024, 1, 10)).certificates.get()
    assert first.status_on(date(2026, 3, 1)) == CertificateStatus.EXPIRED
    second = complete(learner, "courses.booking:2", on=date(2026, 3, 1)).certificates.get()
    first.refresh_from_db()
    assert second.renews == first
    assert first.superseded_at is not None
    assert first.renewed_by == second
    assert second.number != first.number
    assert second.token != first.token
    assert list(Certificate.objects.filter(superseded_at__isnull=True, revoked_at__isnull=True)) == [second]
    assert ModelLogEntry.objects.filter(action="capability.skills.certificate_renew").count() == 1


def test_recording_the_same_completion_twice_issues_one_certificate(learner):
    complete(learner, "courses.booking:1")
    complete(learner, "courses.booking:1")
    assert Certificate.objects.count() == 1


def test_correcting_a_completion_revokes_its_certificate_with_the_reason(learner, received):
    certificate = complete(learner, "courses.booking:1").certificates.get()
    administrator = UserFactory()
    course_evidence_retract(reference="courses.booking:1", author=administrator, reason="Did not attend.")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert (certificate.revoked_reason, certificate.revoked_by) == ("Did not attend.", administrator)


def test_a_training_administrator_revokes_with_a_reason_and_the_evidence_stays(
    learner, administrator, received, skill, levels, django_capture_on_commit_callbacks
):
    outcome = Outcome(framework_id=skill.release.framework_id, skill_code=skill.code, rank=levels["working"].rank)
    certificate = complete(learner, "courses.booking:1", outcomes=[outcome]).certificates.get()
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, reason="  ", actor=administrator)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, reason="Issued to the wrong person.", actor=administrator)
    certificate.refresh_from_db()
    assert (certificate.revoked_reason, certificate.revoked_by) == ("Issued to the wrong person.", administrator)
    assert ("revoked", certificate.pk) in received
    assert Assessment.objects.filter(person=learner, retracts__isnull=True).count() == 1  # the ledger is untouched
    assert ModelLogEntry.objects.filter(action="capability.skills.certificate_revoke").count() == 1
    # Revoking again changes nothing; a new completion then issues a fresh one (nothing in force to renew).
    certificate_revoke(certificate=certificate, reason="Again", actor=administrator)
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Issued to the wrong person."
    fresh = complete(learner, "courses.booking:2").certificates.get()
    assert fresh.renews is None


def test_nobody_else_revokes_or_issues_by_hand_and_nothing_changes(learner, manager):
    certificate = complete(learner, "courses.booking:1").certificates.get()
    inactive = UserFactory(is_active=False)
    inactive.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    for actor in (learner.user, manager.user, UserFactory(is_staff=True), inactive):
        with pytest.raises(NotAllowed):
            certificate_revoke(certificate=certificate, reason="No", actor=actor)
        with pytest.raises(NotAllowed):
            certificate_issue_by_hand(holder=learner, award="courses.course:7", title="X", reason="Y", actor=actor)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert Certificate.objects.count() == 1
    with pytest.raises(TypeError):
        certificate_revoke(certificate=certificate, reason="No")  # the actor is never left out


def test_a_training_administrator_issues_by_hand_with_a_reason(learner, administrator):
    with pytest.raises(CertificateError):
        certificate_issue_by_hand(holder=learner, award="courses.course:7", title="X", reason=" ", actor=administrator)
    certificate = certificate_issue_by_hand(
        holder=learner,
        award="courses.course:7",
        title="Secure coding in practice",
        url="/training/secure-coding/",
        validity_months=24,
        issued_on=date(2026, 2, 1),
        reason="Completed with the previous supplier in January.",
        actor=administrator,
    )
    assert (certificate.issued_by, certificate.expires_on) == (administrator, date(2028, 2, 1))
    assert certificate.issue_reason == "Completed with the previous supplier in January."
    assert certificate.achievement is None


@pytest.fixture
def claim(learner, skill, levels):
    self_assessment_draft_save(
        person=learner, skill=skill, level=levels["practitioner"], evidence="Led the redesign.", actor=learner.user
    )
    (claim,) = self_assessment_submit(person=learner, actor=learner.user)
    return claim


def test_a_validation_earns_a_skill_certificate_only_where_the_policy_says_so(claim, learner, manager, skill, levels):
    review_decide(review=claim.reviews.get(), reviewer=manager, level=levels["practitioner"])
    assert not Certificate.objects.exists()

    framework = skill.release.framework
    assessment_policy_set(
        framework=framework,
        ranking=[AssessmentSource.ASSESSOR, AssessmentSource.LINE_MANAGER, AssessmentSource.COURSE],
        validation_earns_certificate=True,
        certificate_validity_months=36,
    )
    self_assessment_draft_save(
        person=learner, skill=skill, level=levels["expert"], evidence="Set the standard.", actor=learner.user
    )
    (second,) = self_assessment_submit(person=learner, actor=learner.user)
    review_decide(review=second.reviews.get(), reviewer=manager, level=levels["expert"])
    certificate = Certificate.objects.get()
    assert certificate.kind == Certificate.Kind.SKILL
    assert certificate.award == f"skills.skill:{framework.slug}:DATA-MODELLING:{levels['expert'].rank}"
    assert certificate.title == f"Data modelling at {levels['expert'].name} level"
    assert certificate.assessment.source == AssessmentSource.LINE_MANAGER
    assert certificate.expires_on is not None


def test_a_policy_gives_a_validity_period_only_with_certificates(skill):
    with pytest.raises(SkillsError):
        assessment_policy_set(
            framework=skill.release.framework, ranking=[AssessmentSource.ASSESSOR], certificate_validity_months=12
        )
