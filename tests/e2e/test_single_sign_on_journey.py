"""Signing in through the organisation's identity provider, in the browser (decision 0215): a real OpenID Connect
provider (oidc-provider-mock) runs on 127.0.0.1 beside the live server; the person picks themselves on its page."""

import re

import pytest
from playwright.sync_api import expect

from cms.accounts.models import IdentityLink
from cms.accounts.single_sign_on import _provider
from tests.identity_provider import hr_feed_person, running_identity_provider


@pytest.fixture
def identity_provider(settings):
    with running_identity_provider() as provider:
        for name, value in provider.settings(OIDC_PROVIDER_NAME="Example Department account").items():
            setattr(settings, name, value)
        _provider.cache_clear()
        yield provider
        _provider.cache_clear()


def test_a_person_from_the_hr_feed_signs_in_through_the_identity_provider(page, identity_provider, assert_accessible):
    person = hr_feed_person("amara.okafor@example.gov.uk", user__first_name="Amara", user__last_name="Okafor")
    identity_provider.add_person("amara-okafor", email="amara.okafor@example.gov.uk", email_verified=True, amr=["mfa"])

    page.goto("/accounts/sign-in/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Example Department account").click()
    expect(page).to_have_url(re.compile(re.escape(identity_provider.issuer) + r"/oauth2/authorize\?"))
    page.get_by_placeholder("sub").fill("amara-okafor")
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("link", name="Amara Okafor").first).to_be_visible()
    assert_accessible(page)
    assert IdentityLink.objects.get().user == person.user


def test_someone_the_hr_feed_does_not_know_is_told_why_in_the_browser(page, identity_provider, assert_accessible):
    identity_provider.add_person("stranger", email="stranger@example.gov.uk", email_verified=True)

    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with Example Department account").click()
    page.get_by_placeholder("sub").fill("stranger")
    page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_role("heading", name="You cannot sign in to Capability with this account")).to_be_visible()
    assert_accessible(page)
