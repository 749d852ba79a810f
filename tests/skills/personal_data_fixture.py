"""A person with data in every model of the register of personal data that leads to a person through a field
(`about`, `names`) or a generic reference: for the subject-access export's test, which checks that every row made
here is in the export. A new register entry needs a row here, or that test fails saying which."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
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
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageSubscription,
    Revision,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)
from wagtail.users.models import UserProfile

from cms.accounts.models import IdentityLink, UserSession
from cms.home.models import HomePage
from cms.standard_pages.models import StandardPage
from courses.enums import BookingStatus
from courses.models import Booking, CalendarFeed, CourseCompletion, CourseInterest, Evaluation
from frameworks.models import FrameworkImport, ReleasePublication
from skills.enums import AssessmentSource, ReminderThreshold, ReviewerKind
from skills.models import (
    AccountEmailChange,
    Achievement,
    Assessment,
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
    Person,
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
from tests.courses.factories import SessionFactory, course_create
from tests.frameworks.factories import publish_directly, release_with_roles
from tests.skills.factories import PersonFactory


@dataclass
class PersonWithData:
    """The person, someone else (their manager, who acts on their records), and every row made, by model label."""

    person: Person
    other: Person
    rows: dict[str, list] = field(default_factory=dict)

    def add(self, *instances):
        for instance in instances:
            self.rows.setdefault(instance._meta.label, []).append(instance)
        return instances[0]


def person_with_data_everywhere() -> PersonWithData:
    """Build the person and their rows. Rows that name them (`names`) are other people's records they acted on;
    rows about them (`about`) are theirs; the log entry, revision and editing state name their records."""
    manager = PersonFactory()
    person = PersonFactory(line_manager=manager)
    made = PersonWithData(person=person, other=manager)
    user, other = person.user, manager.user
    now = timezone.now()
    made.add(person, user)

    # --- The framework and their place in it ---
    release = publish_directly(release_with_roles(skills=2, roles=1, levels_per_role=1, requirements_per_level=1))
    skill = release.skills.order_by("pk").first()
    level = release.levels.order_by("rank").first()
    role_level = release.role_levels.select_related("role__family").first()

    # --- People and accounts ---
    made.add(PersonIdentity.objects.create(person=person, issuer="hr-feed", subject=person.staff_number))
    made.add(
        AccountEmailChange.objects.create(
            user=user, old_email=user.email, new_email="new." + user.email, requested_by=other
        )
    )
    made.add(HRResponsibility.objects.create(user=user, org_unit=person.org_unit))
    made.add(
        Delegation.objects.create(
            delegator=manager, delegate=person, starts_on=date.today(), ends_on=date.today() + timedelta(days=5)
        )
    )
    made.add(
        UserSession.objects.create(
            user=user,
            session_key_hash=hashlib.sha256(b"a session").hexdigest(),
            device="Firefox on Windows",
            signed_in_at=now,
            last_seen_at=now,
        )
    )

    # --- The ledger and reviews ---
    claim = made.add(
        Assessment.objects.create(
            person=person,
            skill=skill,
            release=release,
            level=level,
            source=AssessmentSource.SELF,
            author=user,
            evidence="I modelled the payments data.",
            is_claim=True,
            created_at=now,
        )
    )
    # An assessment of someone else, by the person: it names them.
    made.add(
        Assessment.objects.create(
            person=manager,
            skill=skill,
            release=release,
            level=level,
            source=AssessmentSource.ASSESSOR,
            author=user,
            created_at=now,
        )
    )
    made.add(
        CurrentLevel.objects.create(
            person=person, skill=skill, release=release, skill_code=skill.code, last_assessed_at=now
        )
    )
    made.add(Review.objects.create(claim=claim, reviewer_kind=ReviewerKind.LINE_MANAGER, reviewer=manager))
    made.add(ClaimWithdrawal.objects.create(claim=claim, withdrawn_by=user))
    made.add(SelfAssessmentDraft.objects.create(person=person, skill=skill, level=level, evidence="A draft."))
    made.add(StaleReminder.objects.create(person=person, framework=release.framework, period=1, stale_count=2))

    # --- Training, certificates and certifications ---
    achievement = made.add(
        Achievement.objects.create(
            person=person,
            kind=Achievement.Kind.COURSE_COMPLETED,
            reference="courses.booking:1",
            title="Data analysis essentials",
            achieved_on=date.today(),
        )
    )
    certificate = made.add(
        Certificate.objects.create(
            holder=person,
            kind=Certificate.Kind.COURSE,
            award="courses.course:1",
            title="Data analysis essentials",
            number="CAP-TEST-0001",
            issued_on=date.today(),
            achievement=achievement,
            issued_by=other,
            issue_reason="Issued by hand for the test.",
            status_list_index=7,
        )
    )
    certification = made.add(
        ExternalCertification.objects.create(
            person=person,
            name="Cloud Practitioner",
            issuer="A cloud provider",
            issued_on=date.today(),
            evidence=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
            evidence_name="my certificate.pdf",
            evidence_type="application/pdf",
            submitted_at=now,
        )
    )
    made.add(
        CertificationReminder.objects.create(
            certificate=certificate, threshold=ReminderThreshold.DAYS_30, expires_on=date.today(), sent_at=now
        ),
        CertificationReminder.objects.create(
            external_certification=certification,
            threshold=ReminderThreshold.DAYS_30,
            expires_on=date.today(),
            sent_at=now,
        ),
    )

    # --- Plans ---
    plan = made.add(DevelopmentPlan.objects.create(person=person, agreed_by=other, agreed_at=now))
    made.add(PlanAction.objects.create(plan=plan, kind=PlanAction.Kind.READING, title="Shadow a data architect"))
    made.add(PlanComment.objects.create(plan=plan, author=other, text="Good plan."))

    # --- Messages, imports, reports, exports ---
    made.add(Notification.objects.create(key=f"test:{user.pk}", kind="test", user=user, subject="Hello"))
    made.add(PeopleImport.objects.create(original_name="people.csv", framework_slug="ddat", requested_by=user))
    made.add(
        FrameworkImport.objects.create(
            kind=FrameworkImport._meta.get_field("kind").choices[0][0],
            framework_slug="ddat",
            release_label="Test",
            requested_by=user,
        )
    )
    made.add(ReleasePublication.objects.create(release=release, requested_by=user))
    report_fields = {"org_unit": person.org_unit, "grade": person.grade}
    made.add(ReportPerson.objects.create(person=person, role_level=role_level, **report_fields))
    made.add(
        ReportRequirement.objects.create(
            person=person,
            role_family=role_level.role.family,
            role=role_level.role,
            role_level=role_level,
            release=release,
            skill=skill,
            skill_code=skill.code,
            required_rank=level.rank,
            **report_fields,
        )
    )
    made.add(
        SubjectAccessExport.objects.create(
            subject=user, requested_by=user, status="failed", finished_at=now, error="An earlier try."
        )
    )

    # --- Signing in: single sign-on and the second factor ---
    made.add(IdentityLink.objects.create(issuer="https://id.example.gov.uk", subject="sub-1", user=user))
    made.add(TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True))
    recovery = made.add(StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True))
    made.add(StaticToken.objects.create(device=recovery, token="abcd1234"))
    passkey = made.add(
        WebAuthnCredential.objects.create(
            user=user, name="Work laptop", credential_id=b"credential-1", public_key=b"key", confirmed=True
        )
    )
    made.add(
        WebAuthnAttestation.objects.create(credential=passkey, fmt="none", data=b"attestation", client_data_json=b"{}")
    )
    made.add(WebAuthnUserHandle.objects.create(user=user))

    # --- Courses ---
    course = course_create(title="Data analysis essentials")
    session = made.add(SessionFactory(course=course, created_by=user))
    booking = made.add(
        Booking.objects.create(session=SessionFactory(course=course), person=person, status=BookingStatus.CONFIRMED)
    )
    made.add(CalendarFeed.objects.create(person=person))
    completion = made.add(
        CourseCompletion.objects.create(person=person, course=course, completed_on=date.today(), evidence="Done.")
    )
    made.add(CourseInterest.objects.create(person=person, course=course))
    made.add(
        Evaluation.objects.create(
            person=person, booking=booking, satisfaction=4, relevance_to_work=5, relevance_to_gap=3, comment="Good."
        )
    )
    assert completion
    assert session

    # --- Wagtail: pages, moderation, uploads, preferences; the audit logs ---
    page = HomePage.objects.get().add_child(
        instance=StandardPage(title="Guidance", slug="guidance-test", body=[], owner=user, locked=True, locked_by=user)
    )
    made.add(Page.objects.get(pk=page.pk))
    revision = made.add(page.save_revision(user=user))
    page_type = ContentType.objects.get_for_model(Page)
    workflow = Workflow.objects.create(name="Test moderation")
    task = GroupApprovalTask.objects.create(name="Test approval")
    state = made.add(
        WorkflowState.objects.create(
            content_type=ContentType.objects.get_for_model(StandardPage),
            base_content_type=page_type,
            object_id=str(page.pk),
            workflow=workflow,
            requested_by=user,
        )
    )
    made.add(
        TaskState.objects.create(
            workflow_state=state,
            revision=revision,
            task=task.task_ptr,
            content_type=ContentType.objects.get_for_model(TaskState),
            finished_by=user,
            finished_at=now,
            status="approved",
        )
    )
    comment = made.add(Comment.objects.create(page=page, user=user, text="Check this.", contentpath="title"))
    made.add(CommentReply.objects.create(comment=comment, user=user, text="Done."))
    made.add(PageSubscription.objects.create(user=user, page=page, comment_notifications=True))
    made.add(Image.objects.create(title="A chart", file=get_test_image_file(), uploaded_by_user=user))
    made.add(
        Document.objects.create(title="A guide", file=ContentFile(b"guide", name="guide.txt"), uploaded_by_user=user)
    )
    made.add(UploadedFile.objects.create(file=ContentFile(b"upload", name="upload.txt"), uploaded_by_user=user))
    made.add(UserProfile.get_for_user(user))
    made.add(
        EditingSession.objects.create(
            user=user, content_type=page_type, object_id=str(page.pk), last_seen_at=now, is_editing=True
        )
    )
    person_type = ContentType.objects.get_for_model(Person)
    made.add(
        _form_state(user=user, content_type=person_type, object_id=str(person.pk), now=now),
    )
    made.add(PageLogEntry.objects.get(pk=log(instance=page, action="wagtail.edit", user=user).pk))
    # One log entry about the person's record, by their manager (found through `generic`), and one by the person
    # about someone else's (found through `names`).
    made.add(
        ModelLogEntry.objects.get(pk=log(instance=person, action="capability.skills.person_update", user=other).pk),
        ModelLogEntry.objects.get(pk=log(instance=manager, action="capability.skills.person_update", user=user).pk),
    )
    made.add(
        LogEntry.objects.create(
            user=other,
            content_type=person_type,
            object_id=str(person.pk),
            object_repr=str(person),
            action_flag=CHANGE,
        )
    )
    return made


def _form_state(*, user, content_type, object_id, now):
    from wagtail.admin.models import FormState  # noqa: PLC0415 — kept beside its one use

    return FormState.objects.create(
        data={"title": "Unsaved"},
        user=user,
        content_type=content_type,
        object_id=object_id,
        parent_object_id="",
        last_updated_at=now,
    )


def rows_named_by_the_register(made: PersonWithData, labels) -> dict[str, list[int]]:
    """The ids made here for each of `labels`."""
    return {label: sorted({row.pk for row in made.rows.get(label, [])}) for label in labels}


__all__ = ["PersonWithData", "person_with_data_everywhere", "rows_named_by_the_register", "Revision"]
