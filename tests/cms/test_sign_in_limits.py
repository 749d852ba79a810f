"""Finding 2 of issue 7: lockouts that every spelling of an address shares, a limit on password
spraying from one address, and a limit on password-reset e-mails."""

import pytest
from axes.models import AccessAttempt
from django.core import mail

from tests.cms.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SPELLINGS = [
    "target@example.gov.uk",
    "Target@example.gov.uk",
    "TARGET@example.gov.uk",
    "target@EXAMPLE.gov.uk",
    "tArget@example.gov.uk",
    "TaRgEt@Example.Gov.Uk",
    " target@example.gov.uk",
    "target@example.gov.uk ",
]
NINTH_SPELLING = "TARGET@EXAMPLE.GOV.UK"


def sign_in(client, email, password, **extra):
    return client.post("/accounts/sign-in/", {"username": email, "password": password}, **extra)


def is_signed_in(client):
    return client.get("/accounts/").status_code == 200


def test_wrong_guesses_over_many_spellings_of_an_address_lock_every_spelling(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 1000  # only the per-account limit is under test here
    UserFactory(email="target@example.gov.uk")
    for spelling in SPELLINGS:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, spelling, "a-wrong-guess")

    response = sign_in(client, NINTH_SPELLING, PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"target@example.gov.uk"}


def test_a_success_with_one_spelling_does_not_clear_the_lock_of_another(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 1000
    UserFactory(email="target@example.gov.uk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "Target@Example.gov.uk", "a-wrong-guess")

    assert sign_in(client, "target@example.gov.uk", PASSWORD).status_code == 429
    assert sign_in(client, "TARGET@example.gov.uk", PASSWORD).status_code == 429
    assert not is_signed_in(client)
    assert AccessAttempt.objects.get().failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_failures_across_many_accounts_from_one_address_lock_that_address(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 10
    victims = [UserFactory(email=f"victim{n}@example.gov.uk") for n in range(12)]
    sprayer = UserFactory(email="sprayer@example.gov.uk")
    for victim in victims[:9]:
        assert sign_in(client, victim.email, "Summer2026!").status_code == 200
    # Signing in to one's own account does not wipe the failures against everyone else's.
    assert sign_in(client, sprayer.email, PASSWORD).status_code == 302
    client.post("/accounts/sign-out/")
    sign_in(client, victims[9].email, "Summer2026!")

    response = sign_in(client, victims[10].email, PASSWORD)

    assert response.status_code == 429
    assert "too many unsuccessful attempts to sign in from your connection" in response.content.decode()
    assert "try again in 15 minutes" in response.content.decode()
    assert not is_signed_in(client)
    # Another address is not affected.
    assert sign_in(client, victims[11].email, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_failures_at_the_admin_sign_in_and_the_site_sign_in_share_one_count(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 1000
    UserFactory(email="target@example.gov.uk")
    for _ in range(3):
        client.post("/admin/login/", {"username": "TARGET@example.gov.uk", "password": "a-wrong-guess"})
    for _ in range(settings.AXES_FAILURE_LIMIT - 3):
        sign_in(client, "Target@Example.gov.uk", "a-wrong-guess")

    assert sign_in(client, "target@example.gov.uk", PASSWORD).status_code == 429
    assert not is_signed_in(client)


def test_a_few_failures_from_one_address_do_not_lock_other_accounts(client, settings):
    UserFactory(email="target@example.gov.uk")
    colleague = UserFactory(email="colleague@example.gov.uk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@example.gov.uk", "a-wrong-guess")

    assert sign_in(client, colleague.email, PASSWORD).status_code == 302


def test_many_password_reset_requests_for_one_account_send_only_a_few_emails(
    client, settings, django_capture_on_commit_callbacks
):
    UserFactory(email="target@example.gov.uk")

    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post("/accounts/password-reset/", {"email": spelling}) for spelling in (SPELLINGS * 3)[:20]]

    assert {response["Location"] for response in responses} == {"/accounts/password-reset/sent/"}
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT


def test_password_reset_requests_from_one_address_are_limited_across_accounts(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 5
    people = [UserFactory(email=f"person-{n}@example.gov.uk") for n in range(8)]

    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            response = client.post("/accounts/password-reset/", {"email": person.email})
            assert response["Location"] == "/accounts/password-reset/sent/"

    assert len(mail.outbox) == 5


def test_a_limited_reset_request_answers_the_same_for_known_and_unknown_accounts(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="target@example.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post("/accounts/password-reset/", {"email": "target@example.gov.uk"})
            client.post("/accounts/password-reset/", {"email": "nobody@example.gov.uk"})

        known = client.post("/accounts/password-reset/", {"email": "target@example.gov.uk"}, follow=True)
        unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.gov.uk"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [("/accounts/password-reset/sent/", 302)]


def test_the_reset_limit_for_one_address_leaves_the_account_reachable_from_another(
    client, settings, django_capture_on_commit_callbacks
):
    UserFactory(email="target@example.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            client.post("/accounts/password-reset/", {"email": "target@example.gov.uk"})
        client.post("/accounts/password-reset/", {"email": "target@example.gov.uk"}, REMOTE_ADDR="198.51.100.7")

    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT + 1
