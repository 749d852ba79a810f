import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cms.accounts.models import User
from cms.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_load_demo_creates_an_account_per_role_that_can_sign_in(capsys):
    call_command("load_demo")

    assert User.objects.count() == len(DEMO_ACCOUNTS)
    for account in DEMO_ACCOUNTS:
        client = Client()
        response = client.post("/accounts/sign-in/", {"username": account.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.email
        user = User.objects.get(email=account.email)
        assert set(user.groups.values_list("name", flat=True)) == {role.value for role in account.roles}
    assert User.objects.get(email="admin@capability.example").is_superuser


def test_load_demo_twice_changes_nothing_and_says_so(capsys):
    call_command("load_demo")
    users = list(User.objects.values_list("pk", "password"))

    call_command("load_demo")

    assert "nothing changed" in capsys.readouterr().out
    assert list(User.objects.values_list("pk", "password")) == users


def test_load_demo_refuses_to_run_with_production_settings(settings):
    settings.CAPABILITY_DEMO_LOADER_ALLOWED = False

    with pytest.raises(CommandError, match="switched off in this environment"):
        call_command("load_demo")
    assert User.objects.count() == 0


def test_the_demo_pages_appear_in_the_footer(client):
    call_command("load_demo")

    html = client.get("/").content.decode()

    assert 'href="/accessibility/"' in html
    assert 'href="/privacy/"' in html
