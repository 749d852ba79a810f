"""A person with data in every model of the personal data register, for the erasure tests: every row carries one
of the person's marks (their name, address, staff number or evidence text) wherever a field can hold it, so that a
scan of the whole database and of the stored files finds every trace the erasure must remove."""

from datetime import date, timedelta

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential, WebAuthnUserHandle
from wagtail.admin.models import EditingSession
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log
from wagtail.models import (
    Comment,
    CommentReply,
    GroupApprovalTask,
    PageSubscription,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)
from wagtail.users.models import UserProfile

from cms.accounts.enums import IdentityLinkConfirmation
from cms.accounts.models import IdentityLink, UserSession
from courses.models import Booking, CalendarFeed, CourseCompletion, CourseInterest, Evaluation
from frameworks.models import FrameworkImport, ReleasePublication
from skills.certificates_pdf import certificate_pdf_key
from skills.enums import ReviewerKind
from skills.models import (
    HR_FEED_ISSUER,
    AccountEmailChange,
    Achievement,
    Certificate,
    CertificationReminder,
    ClaimWithdrawal,
    CurrentLevel,
    Delegation,
    DevelopmentPlan,
    ExternalCertification,
    HRResponsibility,
    Notification,
    PeopleImport,
    PersonIdentity,
    PlanAction,
    PlanComment,
    ReportPerson,
    ReportRequirement,
    Review,
    SelfAssessmentDraft,
    StaleReminder,
    SubjectAccessExport,
)
from tests.cms.factories import UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.frameworks.factories import FrameworkReleaseFactory, RoleLevelFactory, SkillFactory
from tests.skills.factories import AssessmentFactory, PersonFactory

FIRST, LAST = "Zebedee", "Quixotically"
EMAIL = "zebedee.quixotically@example.gov.uk"
STAFF = "ZQ-998877"
EVIDENCE = "Zanzibar-evidence-4417"
# Every mark of the person that must be gone after erasure, compared ignoring case.
MARKS = (FIRST, LAST, EMAIL, STAFF, EVIDENCE)
FULL = f"{FIRST} {LAST}"
PDF = b"%PDF-1.7\n" + f"({FULL}) ({EVIDENCE})".encode() + b"\n%%EOF\n"


def world(*, left_on: date):
    """The person (who left on `left_on`), with rows in every registered model; returns (person, certificate)."""
    manager = PersonFactory()
    user = UserFactory(first_name=FIRST, last_name=LAST, email=EMAIL)
    person = PersonFactory(user=user, staff_number=STAFF, line_manager=manager, left_on=left_on)
    other = PersonFactory(line_manager=person)
    PersonIdentity.objects.create(person=person, issuer=HR_FEED_ISSUER, subject=STAFF)
    AccountEmailChange.objects.create(user=user, old_email="old." + EMAIL, new_email=EMAIL, requested_by=user)
    HRResponsibility.objects.create(user=user, org_unit=person.org_unit)
    today = timezone.localdate()
    Delegation.objects.create(delegator=person, delegate=manager, starts_on=today, ends_on=today, created_by=user)

    release = FrameworkReleaseFactory()
    skill = SkillFactory(release=release)
    claim = AssessmentFactory(person=person, skill=skill, evidence=f"{EVIDENCE} by {FULL}")
    AssessmentFactory(person=other, skill=skill, author=user, evidence="Checked by my manager.")
    review = Review.objects.create(
        claim=claim, reviewer_kind=ReviewerKind.LINE_MANAGER, reviewer=manager, message=f"More, {FIRST}?"
    )
    log(instance=review, action="capability.skills.assessor_requested", user=manager.user)
    withdrawn = AssessmentFactory(person=person, skill=SkillFactory(release=release), evidence=EVIDENCE)
    ClaimWithdrawal.objects.create(claim=withdrawn, withdrawn_by=user)
    assert CurrentLevel.objects.filter(person=person).exists()
    SelfAssessmentDraft.objects.create(person=person, skill=skill, evidence=EVIDENCE)
    StaleReminder.objects.create(person=person, framework=release.framework, period=1, stale_count=2)

    achievement = Achievement.objects.create(
        person=person,
        kind=Achievement.Kind.COURSE_COMPLETED,
        reference="courses.booking:1",
        title="Data",
        achieved_on=today,
    )
    certificate = Certificate.objects.create(
        holder=person,
        kind=Certificate.Kind.COURSE,
        award="courses.course:1",
        title="Data",
        number="C-ZQ-1",
        issued_on=today,
        status_list_index=991,
        issue_reason=f"Issued by hand to {FULL}",
        achievement=achievement,
    )
    default_storage.save(certificate_pdf_key(certificate), ContentFile(PDF))
    certification = ExternalCertification(
        person=person,
        name="Cloud",
        issuer="Vendor",
        credential_number=STAFF,
        issued_on=today - timedelta(days=30),
        evidence_name=f"{FULL}.pdf",
        evidence_type="application/pdf",
        submitted_at=timezone.now(),
    )
    certification.evidence.save(f"{FULL}.pdf", ContentFile(PDF), save=False)
    certification.save()
    CertificationReminder.objects.create(
        certificate=certificate, threshold=30, expires_on=today, sent_at=timezone.now()
    )
    plan = DevelopmentPlan.objects.create(person=person, agreed_by=manager.user)
    PlanAction.objects.create(plan=plan, kind=PlanAction.Kind.MENTOR, title=f"{EVIDENCE} with {FULL}")
    PlanComment.objects.create(plan=plan, author=user, text=f"{EVIDENCE}, {FIRST}")
    Notification.objects.create(
        key=f"zq:{user.pk}",
        kind="claim",
        user=user,
        to_address=EMAIL,
        subject=f"Hello {FULL}",
        context={"name": FULL, "evidence": EVIDENCE},
    )
    Notification.objects.create(
        key=f"zq:{manager.user_id}",
        kind="claim",
        user=manager.user,
        subject=f"{FULL} asked you",
        context={"person_name": FULL},
    )
    PeopleImport.objects.create(
        original_name="feed.csv",
        framework_slug="ddat",
        requested_by=user,
        report={"errors": [{"row": 2, "message": f"Staff number {STAFF} and {EMAIL}: check"}]},
    )
    FrameworkImport.objects.create(kind="csv", framework_slug="x", release_label="1", requested_by=user)
    ReleasePublication.objects.create(release=FrameworkReleaseFactory(), requested_by=user)
    role_level = RoleLevelFactory(release=release)
    ReportPerson.objects.create(person=person, org_unit=person.org_unit, grade=person.grade, role_level=role_level)
    ReportRequirement.objects.create(
        person=person,
        org_unit=person.org_unit,
        grade=person.grade,
        role_family=role_level.role.family,
        role=role_level.role,
        role_level=role_level,
        release=release,
        skill=skill,
        skill_code=skill.code,
        required_rank=1,
    )

    # --- courses -------------------------------------------------------------------------------------------
    course = course_create(title="Data for all")
    session = SessionFactory(course=course, created_by=user)
    booking = Booking.objects.create(
        session=session,
        person=person,
        status="cancelled",
        adjustments=f"{FIRST} needs a hearing loop",
        reason=EVIDENCE,
        cancelled_by=user,
    )
    CalendarFeed.objects.create(person=person)
    completion = CourseCompletion.objects.create(person=person, course=course, completed_on=today, evidence=EVIDENCE)
    CourseInterest.objects.create(person=person, course=course)
    Evaluation.objects.create(
        person=person, booking=booking, satisfaction=5, relevance_to_work=4, relevance_to_gap=3, comment=EVIDENCE
    )
    assert completion.pk

    # --- signing in ----------------------------------------------------------------------------------------
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["note"] = FULL
    store.create()
    UserSession.objects.create(
        user=user,
        session_key_hash="h" * 64,
        device=f"{FIRST}'s laptop",
        signed_in_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    attempt = AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="10.0.0.1",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/",
        get_data="",
        post_data=f"username={EMAIL}",
        failures_since_start=1,
    )
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())
    AccessLog.objects.create(username=EMAIL, ip_address="10.0.0.1", user_agent="Firefox", http_accept="*/*")
    AccessFailureLog.objects.create(username=EMAIL, ip_address="10.0.0.1", user_agent="Firefox", http_accept="*/*")
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(type(person)),
        object_id=str(person.pk),
        object_repr=FULL,
        action_flag=ADDITION,
        change_message=f"Added {EMAIL}",
    )
    log(instance=person, action="capability.skills.person_update", user=manager.user, data={"who": FULL})
    log(instance=user, action="capability.skills.email_change", user=None, data={"old": EMAIL, "new": EMAIL})

    IdentityLink.objects.create(
        issuer="https://id.example.gov.uk",
        subject=STAFF,
        user=user,
        confirmed_at=timezone.now(),
        confirmation=IdentityLinkConfirmation.HR_FEED,
    )
    TOTPDevice.objects.create(user=user, name=f"{FIRST}'s phone", confirmed=True)
    StaticToken.objects.create(device=StaticDevice.objects.create(user=user, name="Recovery codes"), token="zq12ab34")
    passkey = WebAuthnCredential.objects.create(
        user=user, name=f"{FIRST}'s laptop", credential_id=b"credential-1", public_key=b"key", confirmed=True
    )
    WebAuthnAttestation.objects.create(credential=passkey, fmt="none", data=b"attestation", client_data_json=b"{}")
    WebAuthnUserHandle.objects.create(user=user)
    export = SubjectAccessExport(
        subject=user,
        requested_by=user,
        status="ready",
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    export.file.save(f"{FULL}.zip", ContentFile(PDF), save=False)
    export.save()

    # --- what Wagtail keeps --------------------------------------------------------------------------------
    course.owner = user
    course.locked_by = user
    course.save()
    revision = course.save_revision(user=user)
    log(instance=course, action="wagtail.edit", user=user)
    comment = Comment.objects.create(page=course, user=user, text="Looks good", contentpath="title", resolved_by=user)
    CommentReply.objects.create(comment=comment, user=user, text="Thanks")
    PageSubscription.objects.create(user=user, page=course, comment_notifications=True)
    Image.objects.create(title="Chart", file=get_test_image_file(), uploaded_by_user=user)
    Document.objects.create(title="Notes", file=ContentFile(b"notes", name="notes.txt"), uploaded_by_user=user)
    UploadedFile.objects.create(file=ContentFile(b"upload", name="upload.txt"), uploaded_by_user=user)
    profile = UserProfile.get_for_user(user)
    profile.avatar.save("avatar.png", get_test_image_file(), save=True)
    page_type = ContentType.objects.get_for_model(type(course))
    EditingSession.objects.create(
        user=user, content_type=page_type, object_id=str(course.pk), last_seen_at=timezone.now()
    )
    from wagtail.admin.models import FormState  # noqa: PLC0415 — only in Wagtail versions that have it

    FormState.objects.create(
        user=user,
        content_type=page_type,
        object_id=str(course.pk),
        parent_object_id="",
        data="{}",
        last_updated_at=timezone.now(),
    )
    workflow = Workflow.objects.create(name="Moderation")
    task = GroupApprovalTask.objects.create(name="Approve")
    state = WorkflowState.objects.create(
        content_type=page_type,
        base_content_type=page_type,
        object_id=str(course.pk),
        workflow=workflow,
        requested_by=user,
        status=WorkflowState.STATUS_CANCELLED,
    )
    TaskState.objects.create(
        workflow_state=state,
        revision=revision,
        task=task,
        content_type=ContentType.objects.get_for_model(TaskState),
        finished_by=user,
        status=TaskState.STATUS_CANCELLED,
    )
    return person, certificate
