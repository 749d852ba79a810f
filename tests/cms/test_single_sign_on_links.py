"""Who a single sign-on may sign in to: links to privileged accounts wait for the account's own password or a
superuser; local passwords switched off but for the break-glass superuser; groups mapped to roles (decision 0215)."""

import pytest
from wagtail.models import ModelLogEntry

from cms.accounts.backends import SINGLE_SIGN_ON_BACKEND
from cms.accounts.enums import IdentityLinkConfirmation, Role, SecondFactorMethod
from cms.accounts.models import IdentityLink
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory
from tests.identity_provider import hr_feed_person, sign_in_through_provider, signed_in_user

pytestmark = pytest.mark.django_db

CONFIRM = "/accounts/sign-in/confirm-link/"
LINKS = "/accounts/identity-links/"


def test_a_link_to_an_admin_account_waits_for_its_own_password(client, sso):
    hr_feed_person("hr.analyst@example.gov.uk", user__roles=[Role.LEARNER, Role.HR_ANALYST])
    sso.add_person("hr-sub", email="hr.analyst@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "hr-sub")

    assert response["Location"] == CONFIRM
    assert "_auth_user_id" not in client.session
    link = IdentityLink.objects.get()
    assert not link.confirmed
    page = client.get(CONFIRM).content.decode()
    assert "Confirm it is your account" in page
    assert 'name="password"' in page


def test_the_wrong_password_confirms_nothing(client, sso):
    hr_feed_person("hr.analyst@example.gov.uk", user__roles=[Role.HR_ANALYST])
    sso.add_person("hr-sub", email="hr.analyst@example.gov.uk", email_verified=True)
    sign_in_through_provider(client, sso, "hr-sub")

    response = client.post(CONFIRM, {"password": "not-the-password"})

    assert response.status_code == 200
    assert "Enter the correct password for this account" in response.content.decode()
    assert not IdentityLink.objects.get().confirmed
    assert "_auth_user_id" not in client.session


def test_the_accounts_own_password_confirms_the_link_and_signs_in_and_later_sign_ins_need_no_password(client, sso):
    person = hr_feed_person("hr.analyst@example.gov.uk", user__roles=[Role.HR_ANALYST])
    sso.add_person("hr-sub", email="hr.analyst@example.gov.uk", email_verified=True, amr=["hwk"])
    sign_in_through_provider(client, sso, "hr-sub")

    response = client.post(CONFIRM, {"password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user(client) == person.user
    link = IdentityLink.objects.get()
    assert link.confirmation == IdentityLinkConfirmation.OWN_PASSWORD
    assert link.confirmed_by == person.user
    assert client.session["capability_second_factor"] == SecondFactorMethod.IDENTITY_PROVIDER
    assert client.session["capability_second_factor_amr"] == ["hwk"]
    assert ModelLogEntry.objects.filter(action="capability.accounts.identity_link_confirm").exists()
    client.post("/accounts/sign-out/")
    assert sign_in_through_provider(client, sso, "hr-sub")["Location"] == "/dashboard/"
    assert signed_in_user(client) == person.user


def test_a_superusers_link_waits_for_confirmation_too(client, sso):
    superuser = SuperuserFactory(email="root@example.gov.uk")
    sso.add_person("root-sub", email="root@example.gov.uk", email_verified=True)

    response = sign_in_through_provider(client, sso, "root-sub")

    assert response["Location"] == CONFIRM
    assert IdentityLink.objects.get(user=superuser).confirmed_at is None


def test_the_confirmation_page_needs_a_link_waiting_in_this_session(client, sso):
    assert client.get(CONFIRM).status_code == 404
    assert client.post(CONFIRM, {"password": PASSWORD}).status_code == 404


def test_a_superuser_confirms_the_link_of_an_administrator_outside_the_hr_feed(client, sso):
    editor = UserFactory(email="editor@example.gov.uk", roles=[Role.CONTENT_EDITOR])
    sso.add_person("editor-sub", email="editor@example.gov.uk", email_verified=True)
    sign_in_through_provider(client, sso, "editor-sub")
    link = IdentityLink.objects.get(user=editor)
    superuser = SuperuserFactory()
    client.force_login(superuser)

    assert "editor@example.gov.uk" in client.get(LINKS).content.decode()
    response = client.post(f"{LINKS}{link.pk}/confirm/")

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.confirmation == IdentityLinkConfirmation.SUPERUSER
    assert link.confirmed_by == superuser
    client.post("/accounts/sign-out/")
    assert sign_in_through_provider(client, sso, "editor-sub")["Location"] == "/dashboard/"
    assert signed_in_user(client) == editor


def test_nobody_but_a_superuser_sees_or_confirms_links(client, sso):
    editor = UserFactory(email="editor@example.gov.uk", roles=[Role.CONTENT_EDITOR])
    link = IdentityLink.objects.create(issuer=sso.issuer, subject="editor-sub", user=editor)
    client.force_login(UserFactory(roles=[Role.HR_ANALYST, Role.CONTENT_EDITOR]))

    assert client.get(LINKS).status_code == 404
    assert client.post(f"{LINKS}{link.pk}/confirm/").status_code == 404
    link.refresh_from_db()
    assert link.confirmed_at is None


def test_a_superuser_cannot_confirm_a_link_of_a_person_in_the_hr_feed_who_has_a_password(client, sso):
    person = hr_feed_person("hr.analyst@example.gov.uk", user__roles=[Role.HR_ANALYST])
    link = IdentityLink.objects.create(issuer=sso.issuer, subject="hr-sub", user=person.user)
    client.force_login(SuperuserFactory())

    assert "hr.analyst@example.gov.uk" not in client.get(LINKS).content.decode()
    assert client.post(f"{LINKS}{link.pk}/confirm/").status_code == 404
    link.refresh_from_db()
    assert link.confirmed_at is None


# --- Local passwords switched off ---------------------------------------------------------------------------------


@pytest.fixture
def passwords_off(settings, sso):
    settings.LOCAL_SIGN_IN_ENABLED = False
    settings.BREAK_GLASS_SUPERUSER_EMAIL = "break.glass@example.gov.uk"
    return sso


def test_with_passwords_off_nobody_but_the_break_glass_superuser_signs_in_with_a_password(client, passwords_off):
    UserFactory(email="learner@example.gov.uk")
    SuperuserFactory(email="other.root@example.gov.uk")
    SuperuserFactory(email="break.glass@example.gov.uk")

    for email in ("learner@example.gov.uk", "other.root@example.gov.uk"):
        response = client.post("/accounts/sign-in/break-glass/", {"username": email, "password": PASSWORD})
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
        assert "_auth_user_id" not in client.session
    response = client.post(
        "/accounts/sign-in/break-glass/", {"username": "break.glass@example.gov.uk", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert signed_in_user(client).email == "break.glass@example.gov.uk"


def test_with_passwords_off_the_sign_in_page_offers_only_the_identity_provider(client, passwords_off):
    html = client.get("/accounts/sign-in/").content.decode()

    assert "Sign in with" in html
    assert 'name="password"' not in html
    assert 'name="password"' in client.get("/accounts/sign-in/break-glass/").content.decode()


def test_with_passwords_off_a_session_signed_in_with_a_password_earlier_no_longer_counts(client, passwords_off):
    client.force_login(UserFactory(), backend="cms.accounts.backends.LocalPasswordBackend")

    assert client.get("/dashboard/").status_code == 302


def test_a_break_glass_address_on_an_account_that_is_not_a_superuser_signs_nobody_in(client, passwords_off):
    UserFactory(email="break.glass@example.gov.uk", roles=[Role.HR_ANALYST])

    client.post("/accounts/sign-in/break-glass/", {"username": "break.glass@example.gov.uk", "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_with_passwords_off_single_sign_on_still_signs_people_in_and_keeps_them_signed_in(client, passwords_off):
    person = hr_feed_person("amara@example.gov.uk")
    passwords_off.add_person("amara-sub", email="amara@example.gov.uk", email_verified=True)

    sign_in_through_provider(client, passwords_off, "amara-sub")

    assert signed_in_user(client) == person.user
    assert client.get("/dashboard/").status_code == 200


def test_with_passwords_off_an_admin_link_is_confirmed_by_a_superuser_not_a_password(client, passwords_off):
    person = hr_feed_person("hr.analyst@example.gov.uk", user__roles=[Role.HR_ANALYST])
    passwords_off.add_person("hr-sub", email="hr.analyst@example.gov.uk", email_verified=True)
    sign_in_through_provider(client, passwords_off, "hr-sub")

    page = client.get(CONFIRM).content.decode()
    client.post(CONFIRM, {"password": PASSWORD})

    assert 'name="password"' not in page
    assert "a Capability superuser has to confirm it" in page
    link = IdentityLink.objects.get(user=person.user)
    assert link.confirmed_at is None
    # With passwords off, the superuser too is signed in through the provider.
    client.force_login(SuperuserFactory(), backend=SINGLE_SIGN_ON_BACKEND)
    assert client.post(f"{LINKS}{link.pk}/confirm/")["Location"] == LINKS
    link.refresh_from_db()
    assert link.confirmation == IdentityLinkConfirmation.SUPERUSER


# --- Groups to roles ----------------------------------------------------------------------------------------------


def test_mapped_groups_give_and_take_away_their_roles_and_leave_other_roles_alone(client, sso, settings):
    settings.OIDC_GROUP_ROLES = {"capability-assessors": "Assessor", "capability-managers": "Line manager"}
    person = hr_feed_person("grace@example.gov.uk", user__roles=[Role.LEARNER])
    sso.add_person(
        "grace-sub", email="grace@example.gov.uk", email_verified=True, groups=["capability-managers", "other"]
    )
    sign_in_through_provider(client, sso, "grace-sub")
    assert set(person.user.groups.values_list("name", flat=True)) == {Role.LEARNER, Role.LINE_MANAGER}
    client.post("/accounts/sign-out/")

    sso.add_person("grace-sub", email="grace@example.gov.uk", email_verified=True, groups=["capability-assessors"])
    sign_in_through_provider(client, sso, "grace-sub")

    assert set(person.user.groups.values_list("name", flat=True)) == {Role.LEARNER, Role.ASSESSOR}


@pytest.mark.parametrize("count", [1, 30])
def test_the_identity_links_page_takes_the_same_queries_for_one_link_and_for_many(
    client, sso, django_assert_num_queries, count
):
    client.force_login(SuperuserFactory())
    for n in range(count):
        IdentityLink.objects.create(issuer=sso.issuer, subject=f"s-{n}", user=UserFactory(roles=[Role.HR_ANALYST]))
    client.get(LINKS)

    # Pinned: the same for one link as for thirty (the accounts come with the links, in one query).
    with django_assert_num_queries(4):
        assert client.get(LINKS).status_code == 200


def test_the_admin_settings_menu_links_superusers_and_only_them_to_the_identity_links(client):
    client.force_login(SuperuserFactory())
    assert "/accounts/identity-links/" in client.get("/admin/").content.decode()

    client.force_login(UserFactory(roles=[Role.HR_ANALYST]))
    assert "/accounts/identity-links/" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    ("amr", "lands_on"), [(["pwd", "mfa"], "/admin/"), (["pwd"], "/accounts/second-factor/set-up/?next=%2Fadmin%2F")]
)
def test_an_administrator_whose_provider_asserts_a_second_factor_is_not_asked_for_a_local_one(
    client, sso, settings, amr, lands_on
):
    # With the requirement on (as in production), the provider's `amr` is the session's second factor (decisions
    # 0215 and 0216); a password alone at the provider leaves the administrator owing the local one.
    settings.CAPABILITY_SECOND_FACTOR_REQUIRED = True
    hr_feed_person("hr.analyst@example.gov.uk", user__roles=[Role.HR_ANALYST])
    sso.add_person("hr-sub", email="hr.analyst@example.gov.uk", email_verified=True, amr=amr)
    sign_in_through_provider(client, sso, "hr-sub")
    client.post(CONFIRM, {"password": PASSWORD})

    response = client.get("/admin/")

    assert (response.status_code, response.get("Location", "/admin/")) == (
        (200, "/admin/") if lands_on == "/admin/" else (302, lands_on)
    )
