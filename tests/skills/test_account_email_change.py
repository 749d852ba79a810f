"""Finding 1 of issue 7: whoever uploads the HR feed must not be able to take over an account, by linking a
new person to it or by changing its e-mail address and then asking for a password reset."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from cms.accounts.models import UserSession
from skills.models import AccountEmailChange, Person, PersonIdentity
from skills.services.people_import import people_import
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory
from tests.skills.factories import PersonFactory, hr_analyst_for
from tests.skills.hr_feed import ddat_framework, person_row, write_csv
from tests.skills.test_admin_people import UPLOAD, feed_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def ddat(db):
    return ddat_framework()


@pytest.fixture
def hr_analyst(client):
    user = hr_analyst_for()
    client.force_login(user)
    return user


def upload(client, rows, capture):
    with capture(execute=True):
        response = client.post(UPLOAD, {"file": feed_upload(rows), "framework_slug": "ddat"})
    return client.get(response.url).content.decode()


def signed_in_client(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_an_hr_feed_cannot_link_a_new_person_to_the_superusers_account(
    client, hr_analyst, ddat, django_capture_on_commit_callbacks
):
    superuser = SuperuserFactory(email="root@example.gov.uk", first_name="Root", last_name="Admin")

    page = upload(
        client, [person_row("X1", email="ROOT@example.gov.uk", first_name="Eve")], django_capture_on_commit_callbacks
    )

    assert "<td>2</td><td>email</td><td>root@example.gov.uk belongs to an administrator&#x27;s account" in page
    assert not Person.objects.exists()
    superuser.refresh_from_db()
    assert (superuser.email, superuser.first_name, superuser.is_superuser) == ("root@example.gov.uk", "Root", True)
    assert list(superuser.groups.values_list("name", flat=True)) == ["Learner"]


@pytest.mark.parametrize("roles", [[Role.HR_ANALYST], [Role.ASSESSOR], [Role.LEARNER, Role.CONTENT_EDITOR]])
def test_an_hr_feed_cannot_re_address_a_person_whose_account_has_an_admin_role(ddat, tmp_path, roles):
    person = PersonFactory(staff_number="A1", user=UserFactory(email="a1@example.gov.uk", roles=roles))

    with pytest.raises(CommandError, match="row 2, column email: Staff number A1 has an administrator's account"):
        call_command("import_people", str(write_csv(tmp_path, [person_row("A1", email="mine@evil.example")])))

    person.user.refresh_from_db()
    assert person.user.email == "a1@example.gov.uk"
    assert not AccountEmailChange.objects.exists()


def test_an_hr_feed_cannot_link_an_account_that_has_been_signed_in_to(ddat, tmp_path):
    user = UserFactory(email="used@example.gov.uk")
    signed_in_client(user)

    report = people_import(actor=None, file=write_csv(tmp_path, [person_row("N1", email="used@example.gov.uk")]))

    (error,) = report.errors
    assert (error.row, error.column) == (2, "email")
    assert "only links accounts nobody has signed in with" in error.message
    assert not Person.objects.exists()


def test_an_hr_feed_links_an_unused_account_and_records_the_persons_hr_feed_identity(ddat, tmp_path):
    user = UserFactory(email="new@example.gov.uk")

    report = people_import(actor=None, file=write_csv(tmp_path, [person_row("N1", email="new@example.gov.uk")]))

    assert report.ok, report.errors
    assert report.accounts_linked == 1
    person = Person.objects.get(user=user)
    assert list(person.identities.values_list("issuer", "subject")) == [("hr-feed", "N1")]


def test_the_hr_feed_matches_people_through_their_hr_feed_identity(ddat, tmp_path):
    person = PersonFactory(staff_number="P1", user__email="p1@example.gov.uk")

    people_import(actor=None, file=write_csv(tmp_path, [person_row("P1", email="p1@example.gov.uk", last_name="New")]))

    assert PersonIdentity.objects.get(issuer="hr-feed", subject="P1").person == person
    person.user.refresh_from_db()
    assert person.user.last_name == "New"


def test_re_addressing_a_manager_who_has_signed_in_waits_for_the_old_address_to_confirm(
    client, hr_analyst, ddat, django_capture_on_commit_callbacks
):
    manager = PersonFactory(staff_number="M1", user=UserFactory(email="boss@example.gov.uk", roles=[Role.LINE_MANAGER]))
    PersonFactory(staff_number="R1", line_manager=manager)
    browser = signed_in_client(manager.user)
    uid = urlsafe_base64_encode(force_bytes(manager.user.pk))
    manager.user.refresh_from_db()
    reset_token = default_token_generator.make_token(manager.user)

    page = upload(client, [person_row("M1", email="attacker@evil.example")], django_capture_on_commit_callbacks)

    assert "waiting for the old address to confirm: 1" in page
    manager.user.refresh_from_db()
    assert manager.user.email == "boss@example.gov.uk"
    change = AccountEmailChange.objects.get()
    assert (change.status, change.old_email, change.new_email) == (
        "pending",
        "boss@example.gov.uk",
        "attacker@evil.example",
    )
    (notice,) = mail.outbox
    assert notice.to == ["boss@example.gov.uk"]
    assert "attacker@evil.example" in notice.body
    requested = ModelLogEntry.objects.get(action="capability.skills.email_change_requested")
    assert (requested.user, requested.data["old"], requested.data["new"]) == (
        hr_analyst,
        "boss@example.gov.uk",
        "attacker@evil.example",
    )
    # Nobody can ask for a reset link for the new address: no account has it.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password-reset/", {"email": "attacker@evil.example"})
    assert len(mail.outbox) == 1
    assert browser.get("/skills/").status_code == 200

    # The holder of the old address follows the link and confirms.
    link = re.search(r"http://\S+?(/skills/account/email-change/\S+/)", notice.body).group(1)
    assert "Confirm the change of your e-mail address" in Client().get(link).content.decode()
    manager.user.refresh_from_db()
    assert manager.user.email == "boss@example.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(link, {"decision": "confirm"})

    assert "Your e-mail address has changed" in response.content.decode()
    manager.user.refresh_from_db()
    assert manager.user.email == "attacker@evil.example"
    assert browser.get("/skills/").status_code == 302
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    reset_page = Client().get(f"/accounts/password-reset/{uid}/{reset_token}/", follow=True).content.decode()
    assert "has expired or has been used" in reset_page
    changed = ModelLogEntry.objects.get(action="capability.skills.email_change")
    assert (changed.object_id, changed.data["old"], changed.data["new"]) == (
        str(manager.user.pk),
        "boss@example.gov.uk",
        "attacker@evil.example",
    )
    assert changed.data["sessions_ended"] == 1
    assert mail.outbox[-1].to == ["boss@example.gov.uk"]
    assert "has changed" in mail.outbox[-1].subject
    assert Client().post(link, {"decision": "confirm"}).status_code == 404


def test_the_holder_of_the_old_address_can_refuse_the_change(ddat, tmp_path, django_capture_on_commit_callbacks):
    person = PersonFactory(staff_number="M1", user__email="boss@example.gov.uk")
    signed_in_client(person.user)
    with django_capture_on_commit_callbacks(execute=True):
        people_import(actor=None, file=write_csv(tmp_path, [person_row("M1", email="other@example.gov.uk")]))
    link = re.search(r"http://\S+?(/skills/account/email-change/\S+/)", mail.outbox[0].body).group(1)

    response = Client().post(link, {"decision": "cancel"})

    assert "The change has been refused" in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.email == "boss@example.gov.uk"
    assert AccountEmailChange.objects.get().status == "cancelled"


def test_a_wrong_or_guessed_confirmation_link_changes_nothing(ddat, tmp_path):
    person = PersonFactory(staff_number="M1", user__email="boss@example.gov.uk")
    signed_in_client(person.user)
    people_import(actor=None, file=write_csv(tmp_path, [person_row("M1", email="other@example.gov.uk")]))
    change = AccountEmailChange.objects.get()

    response = Client().post(f"/skills/account/email-change/{change.pk}/{'0' * 64}/", {"decision": "confirm"})

    assert response.status_code == 404
    person.user.refresh_from_db()
    assert person.user.email == "boss@example.gov.uk"
    assert AccountEmailChange.objects.get().status == "pending"


def test_importing_the_same_change_again_does_not_ask_twice_and_a_reverted_file_supersedes_it(
    ddat, tmp_path, django_capture_on_commit_callbacks
):
    person = PersonFactory(staff_number="M1", user__email="boss@example.gov.uk")
    signed_in_client(person.user)
    changed = write_csv(tmp_path, [person_row("M1", email="other@example.gov.uk")], name="changed.csv")
    with django_capture_on_commit_callbacks(execute=True):
        people_import(actor=None, file=changed)
        again = people_import(actor=None, file=changed)
        reverted = people_import(actor=None, file=write_csv(tmp_path, [person_row("M1", email="boss@example.gov.uk")]))

    assert again.email_changes_pending == 0
    assert not again.changed
    assert reverted.ok
    assert len(mail.outbox) == 1
    assert AccountEmailChange.objects.get().status == "superseded"


def test_an_account_never_signed_in_is_re_addressed_at_once_the_old_address_told_and_the_change_audited(
    ddat, tmp_path, django_capture_on_commit_callbacks
):
    person = PersonFactory(staff_number="N1", user__email="typo@example.gov.uk")
    actor = hr_analyst_for()

    with django_capture_on_commit_callbacks(execute=True):
        report = people_import(file=write_csv(tmp_path, [person_row("N1", email="right@example.gov.uk")]), actor=actor)

    assert report.email_changes_applied == 1
    person.user.refresh_from_db()
    assert person.user.email == "right@example.gov.uk"
    (notice,) = mail.outbox
    assert notice.to == ["typo@example.gov.uk"]
    entry = ModelLogEntry.objects.get(action="capability.skills.email_change")
    assert (entry.user, entry.data["old"], entry.data["new"]) == (actor, "typo@example.gov.uk", "right@example.gov.uk")
    summary = ModelLogEntry.objects.get(action="capability.skills.people_import")
    assert summary.data["email_changes_applied"] == 1


def test_a_confirmation_is_refused_when_the_new_address_has_been_taken_meanwhile(
    ddat, tmp_path, django_capture_on_commit_callbacks
):
    person = PersonFactory(staff_number="M1", user__email="boss@example.gov.uk")
    signed_in_client(person.user)
    with django_capture_on_commit_callbacks(execute=True):
        people_import(actor=None, file=write_csv(tmp_path, [person_row("M1", email="new@example.gov.uk")]))
    link = re.search(r"http://\S+?(/skills/account/email-change/\S+/)", mail.outbox[0].body).group(1)
    UserFactory(email="new@example.gov.uk")

    response = Client().post(link, {"decision": "confirm"})

    assert "The change could not be made" in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.email == "boss@example.gov.uk"
    assert AccountEmailChange.objects.get().status == "refused"


def test_a_dry_run_asks_for_no_change_and_sends_nothing(ddat, tmp_path, django_capture_on_commit_callbacks):
    person = PersonFactory(staff_number="M1", user__email="boss@example.gov.uk")
    signed_in_client(person.user)

    with django_capture_on_commit_callbacks(execute=True):
        report = people_import(
            actor=None, file=write_csv(tmp_path, [person_row("M1", email="new@example.gov.uk")]), dry_run=True
        )

    assert report.email_changes_pending == 1
    assert not AccountEmailChange.objects.exists()
    assert mail.outbox == []


def test_an_administrator_changing_an_address_in_the_users_admin_ends_sessions_tells_the_old_address_and_audits(
    client, django_capture_on_commit_callbacks
):

    admin = SuperuserFactory()
    person = UserFactory(email="old@example.gov.uk", first_name="Ada", last_name="Lovelace")
    browser = Client()
    browser.post("/accounts/sign-in/", {"username": person.email, "password": PASSWORD})
    assert browser.get("/accounts/").status_code == 200
    client.force_login(admin)
    form = client.get(f"/admin/users/edit/{person.pk}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "groups"}
    data.update(email="new@example.gov.uk", password1="", password2="", groups=[g.pk for g in person.groups.all()])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/users/edit/{person.pk}/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    person.refresh_from_db()
    assert person.email == "new@example.gov.uk"
    assert browser.get("/accounts/").status_code == 302  # signed out everywhere
    assert not UserSession.objects.filter(user=person, ended_at__isnull=True).exists()
    (notice,) = mail.outbox
    assert notice.to == ["old@example.gov.uk"]
    assert "new@example.gov.uk" in notice.body
    entry = ModelLogEntry.objects.get(action="capability.skills.email_change")
    assert (entry.user, entry.data["old"], entry.data["new"]) == (admin, "old@example.gov.uk", "new@example.gov.uk")
