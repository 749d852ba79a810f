from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from cms.accounts.models import User
from cms.demo.site import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_pages_load
from courses.models import Booking
from frameworks.models import Framework
from skills.enums import AssessmentSource, ReviewStatus
from skills.models import (
    Assessment,
    Certificate,
    CurrentLevel,
    OrganisationUnit,
    Person,
    Review,
    SelfAssessmentDraft,
)
from skills.selectors import reviews_for_assessor
from skills.selectors.certificates import certificate_standing
from skills.services.reviews import assessor_is_independent

pytestmark = pytest.mark.django_db


def test_load_demo_builds_a_realistic_service_and_a_second_run_changes_nothing(capsys):
    call_command("load_demo")

    # Every demo account signs in and has its roles.
    for account in DEMO_ACCOUNTS:
        response = Client().post("/accounts/sign-in/", {"username": account.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.email
        user = User.objects.get(email=account.email)
        assert {role.value for role in account.roles} <= set(user.groups.values_list("name", flat=True))
    assert User.objects.get(email="admin@capability.example").is_superuser

    # The real DDaT release, published.
    ddat = Framework.objects.get(slug="ddat")
    assert ddat.current_release.label == "2025-10"
    assert ddat.current_release.role_levels.count() == 201

    # About 60 named people in three departments, with managers and role levels (and a few hundred generated
    # through the HR feed: tests/cms/test_demo_capability.py).
    assert 50 <= Person.objects.filter(staff_number__startswith="DEMO").count() <= 70
    assert OrganisationUnit.objects.filter(depth=1).count() == 3
    priya = Person.objects.get(user__email="learner@capability.example")
    assert priya.line_manager.user.email == "manager@capability.example"
    assert priya.target_role_level.seniority > priya.current_role_level.seniority
    assert Person.objects.get(user__email="assessor@capability.example").accredited_frameworks.filter(pk=ddat.pk)

    # Assessments in every state.
    statuses = set(Review.objects.values_list("status", flat=True))
    assert {ReviewStatus.OPEN, ReviewStatus.CONFIRMED, ReviewStatus.ADJUSTED, ReviewStatus.MORE_EVIDENCE} <= statuses
    assert Assessment.objects.filter(source=AssessmentSource.ASSESSOR).exists()
    assert SelfAssessmentDraft.objects.exists()
    assert CurrentLevel.objects.filter(last_assessed_at__lt=timezone.now() - timedelta(days=365)).exists()
    assert Review.objects.filter(reviewer__user__email="manager@capability.example", status=ReviewStatus.OPEN).exists()

    # A declared assessment policy, and claims waiting for the demo assessor, who is independent of each.
    assert ddat.assessment_policy.ranks.exists()
    grace = Person.objects.get(user__email="assessor@capability.example")
    waiting = reviews_for_assessor(assessor=grace)
    assert waiting.exists()
    assert all(assessor_is_independent(assessor=grace, claim=review.claim) for review in waiting)

    # Priya holds certificates in every state; an expired one has a renewal booked; the people who attended the
    # closed sessions of certificate courses hold theirs.
    held = list(Certificate.objects.filter(holder=priya))
    assert {"Valid", "Expiring soon", "Expired", "Revoked", "Renewed"} <= {
        certificate_standing(certificate).text for certificate in held
    }
    expired = next(certificate for certificate in held if certificate_standing(certificate).text == "Expired")
    assert Booking.objects.filter(
        person=priya, session__course_id=int(expired.award.split(":")[1]), session__starts_at__gt=timezone.now()
    ).exists()
    assert Certificate.objects.filter(achievement__isnull=False).exclude(holder=priya).exists()

    models = (User, Person, Assessment, Review, SelfAssessmentDraft, Certificate)
    counts = [model.objects.count() for model in models]
    call_command("load_demo")

    assert "nothing changed" in capsys.readouterr().out
    assert [model.objects.count() for model in models] == counts


def test_load_demo_refuses_to_run_with_production_settings(settings):
    settings.CAPABILITY_DEMO_LOADER_ALLOWED = False

    with pytest.raises(CommandError, match="switched off in this environment"):
        call_command("load_demo")
    assert User.objects.count() == 0


def test_the_demo_pages_appear_in_the_footer(client):

    demo_pages_load()
    demo_pages_load()  # again: no link twice
    html = client.get("/").content.decode()

    assert html.count('href="/accessibility-statement/"') == 1
    assert html.count('href="/cookies/"') == 1
    assert html.count('href="/privacy/"') == 1
    assert html.count('href="/about/"') == 1


def test_every_install_has_an_accessibility_statement_and_a_cookies_page_linked_from_the_footer(client):
    """Created by a migration, not only in the demo: a government service must publish both."""
    home = client.get("/").content.decode()
    assert 'href="/accessibility-statement/"' in home
    assert 'href="/cookies/"' in home

    statement = client.get("/accessibility-statement/").content.decode()
    assert "Accessibility statement for Capability" in statement
    assert "Enforcement procedure" in statement
    assert "Compliance status" in statement
    cookies = client.get("/cookies/").content.decode()
    assert "Essential cookies" in cookies
    assert "does not ask for your consent" in cookies


def test_the_sample_hr_feed_in_docs_adds_three_new_starters_to_the_demo(capsys):

    call_command("load_demo")
    sample = Path(__file__).resolve().parents[2] / "docs" / "samples" / "people.csv"

    call_command("import_people", str(sample))

    tom = Person.objects.get(user__email="manager@capability.example")
    starters = Person.objects.filter(staff_number__startswith="NEW")
    assert starters.count() == 3
    assert all(person.line_manager == tom for person in starters)
    assert {person.current_role_level.name for person in starters} == {"Junior developer", "Developer", "Data engineer"}
