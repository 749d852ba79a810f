"""The signed-in frame at speed (decision 0021): the session read from the cache and saved only when its idle expiry
moves by more than a minute, the routed page kept with its route; the idle timeout still exact to the minute, a
signed-out session refused everywhere, and the queries of the signed-in bare page and the dashboard pinned."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.accounts.middleware import IDLE_EXTENDED_AT
from skills.services import review_request_evidence, self_assessment_submit
from tests.cms.factories import PASSWORD, UserFactory
from tests.cms.test_dashboard import draft, team  # noqa: F401 (a fixture)
from tests.cms.test_frame import html, pages  # noqa: F401 (a fixture)
from tests.conftest import page_queries
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db


class Clock:
    """Time travel for the session machinery: `time.time` (the idle stamp, the in-memory cache's expiries) and
    `timezone.now` (the database session's expiry) moved forward together."""

    def __init__(self):
        self.offset = 0.0

    def travel(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + clock.offset)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=clock.offset))
    return clock


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    response = client.get("/accounts/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def expire_date(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def session_writes(queries) -> list[str]:
    return [query["sql"] for query in queries if "django_session" in query["sql"] and "SELECT" not in query["sql"]]


def test_a_session_left_alone_for_the_idle_timeout_ends(clock):
    client = signed_in(UserFactory())
    assert is_signed_in(client)

    clock.travel(settings.SESSION_COOKIE_AGE + 1)

    assert not is_signed_in(client)


def test_requests_within_a_minute_of_the_last_save_write_nothing_and_the_timeout_never_runs_late(clock):
    client = signed_in(UserFactory())
    saved = expire_date(client)

    clock.travel(50)
    last_request = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        assert is_signed_in(client)

    assert session_writes(queries.captured_queries) == []
    assert expire_date(client) == saved
    # Exact to the minute: the session ends no later than the idle timeout after its last request, and no more
    # than a minute before it.
    idle = saved - last_request
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE) - settings.SESSION_IDLE_RESOLUTION <= idle
    assert idle <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    clock.travel(idle.total_seconds() + 1)
    assert not is_signed_in(client)


def test_a_request_more_than_a_minute_after_the_last_save_pushes_the_idle_expiry_forward(clock):
    client = signed_in(UserFactory())
    saved = expire_date(client)

    clock.travel(61)
    assert is_signed_in(client)
    extended = expire_date(client)
    assert extended - saved >= timedelta(seconds=61)
    assert client.session[IDLE_EXTENDED_AT] == pytest.approx(time.time(), abs=5)

    clock.travel(settings.SESSION_COOKIE_AGE - 1)  # a second before the extended expiry
    assert is_signed_in(client)
    clock.travel(settings.SESSION_COOKIE_AGE + 1)
    assert not is_signed_in(client)


def test_a_signed_out_session_is_refused_with_its_old_cookie_although_sessions_are_cached():
    client = signed_in(UserFactory())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert is_signed_in(client)

    client.post("/accounts/sign-out/")

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not is_signed_in(replay)
    assert not Session.objects.filter(session_key=cookie).exists()


def test_a_session_deleted_from_the_database_by_other_code_is_not_served_from_the_cache():
    client = signed_in(UserFactory())
    assert is_signed_in(client)

    # As the skills app ends an account's sessions when its e-mail address changes: a queryset delete.
    Session.objects.all().delete()

    assert not is_signed_in(client)


def test_a_visitor_without_a_session_is_given_none():
    response = Client().get("/accounts/sign-in/")

    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_signed_in_bare_page_reads_only_the_account_and_its_session_record(pages, django_assert_num_queries):  # noqa: F811
    client = signed_in(UserFactory())
    html(client.get("/bare/"))

    # Before decision 0021: 7 (the session read and saved, the page). Now the session from the cache, the route and
    # the page from the frame cache, nothing saved: the account (Django's authentication) and the session record
    # (ended from another device?), which were two reads until decision 0223 and are one now.
    with django_assert_num_queries(1) as context:
        html(client.get("/bare/"))
    (query,) = page_queries(context.captured_queries)
    assert query["sql"].split(" FROM ", 1)[1].split()[0] == '"accounts_usersession"'
    assert 'JOIN "accounts_user"' in query["sql"]


def test_a_page_saved_without_publishing_is_not_served_from_the_cached_route(pages):  # noqa: F811
    bare, _child = pages
    client = signed_in(UserFactory())
    assert ">Bare page<" in html(client.get("/bare/"))

    bare.title = "Saved page"
    bare.save()

    assert "Saved page" in html(client.get("/bare/"))


@pytest.mark.parametrize(("who", "queries"), [("learner", 4), ("learner with answers", 4), ("manager", 8)])
def test_the_dashboard_takes_a_pinned_number_of_queries(team, who, queries, django_assert_num_queries):  # noqa: F811
    # Before decision 0021: 11 and 13 (the session read, and saved in a savepoint, on every request). A manager's
    # has two more since issue 11: the training requests and the self-paced completions waiting for them. Since
    # 0221 the next actions are two reads, whatever the person has in progress (were three, and a fourth with an
    # answer in progress on a claim sent back: 7 and 11 here, 8 with answers). Since 0223 the account and its
    # session record are one read (were two: 6 and 10), and so are the answers in progress and the current levels
    # (5 and 9).
    release, manager, learner = team
    if who == "learner with answers":
        draft(learner, release, "skill-00")
        self_assessment_submit(person=learner, actor=learner.user)
        review_request_evidence(review=learner.assessments.get().reviews.get(), reviewer=manager, message="More?")
        draft(learner, release, "skill-00", evidence="More.")
        draft(learner, release, "skill-01")
    client = client_for(manager if who == "manager" else learner)
    assert client.get("/dashboard/").status_code == 200

    with django_assert_num_queries(queries):
        response = client.get("/dashboard/")
    assert response.status_code == 200
    if who == "learner with answers":
        assert "1 claim needs more evidence" in response.content.decode()
        assert "Check and send 1 answer in progress" in response.content.decode()
