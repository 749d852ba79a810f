"""A real OpenID Connect provider for the single sign-on tests (decision 0215): oidc-provider-mock, started on
127.0.0.1 on a free port in a thread of the test process. Its issuer is http://127.0.0.1:<port>."""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import oidc_provider_mock
import requests
import werkzeug.serving

from skills.models import HR_FEED_ISSUER, PersonIdentity
from tests.skills.factories import PersonFactory

START = "/accounts/sign-in/single-sign-on/"
CLIENT_ID = "capability-tests"
CLIENT_SECRET = "capability-tests-secret"  # the mock accepts any secret


@dataclass(frozen=True)
class IdentityProvider:
    issuer: str

    def add_person(self, subject: str, **claims) -> None:
        """Tell the provider who `subject` is: the claims its ID tokens carry (email, email_verified, amr...)."""
        requests.put(f"{self.issuer}/users/{subject}", json=claims, timeout=5).raise_for_status()

    def authorise(self, authorize_url: str, subject: str) -> str:
        """Sign in at the provider as `subject` (its one-click form) and return where it sends the browser back:
        the callback's path and query."""
        response = requests.post(authorize_url, data={"sub": subject}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        location = urlsplit(response.headers["Location"])
        return f"{location.path}?{location.query}"

    def settings(self, **overrides) -> dict:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_CLIENT_AUTH_METHOD": "client_secret_basic",
            "OIDC_SCOPES": "openid email profile",
            **overrides,
        }


@contextmanager
def running_identity_provider(**options):
    """Start the provider (`options` go to oidc_provider_mock.app, e.g. access_token_max_age) and stop it after."""
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(**options), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield IdentityProvider(issuer=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def hr_feed_person(email, **kwargs):
    """A person the HR feed knows (their "hr-feed" identity, as the importer gives them), with this address."""
    person = PersonFactory(user__email=email, **kwargs)
    PersonIdentity.objects.create(person=person, issuer=HR_FEED_ISSUER, subject=person.staff_number)
    return person


def sign_in_through_provider(client, provider, subject, *, start=START):
    """Start single sign-on with Django's test client, sign in at the provider as `subject`, follow it back."""
    response = client.get(start)
    assert response.status_code == 302
    return client.get(provider.authorise(response["Location"], subject))


def signed_in_user(client):
    return client.get("/accounts/").context["user"]
