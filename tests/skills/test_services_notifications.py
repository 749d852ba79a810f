"""The outbox: a notification is written with the change, sent after commit, retried until sent, never sent on a
rollback, and carries the same Message-ID whenever it is sent again."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from kombu.exceptions import OperationalError as BrokerDown

from skills.enums import NotificationStatus
from skills.models import Notification, TaskHeartbeat
from skills.services import review_request_evidence, self_assessment_draft_save, self_assessment_submit
from skills.services.notifications import notification_send, notifications_sweep, notify
from tests.cms.factories import UserFactory

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=5)


def submit_claim(learner, skill, levels):
    self_assessment_draft_save(
        person=learner, skill=skill, level=levels["expert"], evidence="Led the redesign.", actor=learner.user
    )
    return self_assessment_submit(person=learner, actor=learner.user)


def test_a_change_that_rolls_back_queues_and_sends_nothing(learner, skill, levels, django_capture_on_commit_callbacks):
    def submit_then_fail():
        with transaction.atomic():
            submit_claim(learner, skill, levels)
            raise RuntimeError("the request failed after the claim was written")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        submit_then_fail()

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_committed_change_is_sent_once_after_commit_with_its_message_id(
    learner, manager, skill, levels, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_claim(learner, skill, levels)

    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.SENT
    assert notification.user == manager.user
    assert notification.subject == f"Claims to review from {learner.user.get_full_name()}"
    (message,) = mail.outbox
    assert message.to == [manager.user.email]
    assert message.extra_headers["Message-ID"] == f"<{notification.message_id}@capability.invalid>"
    assert notifications_sweep(now=timezone.now() + LATER) == 0
    assert len(mail.outbox) == 1


def test_a_broker_outage_delays_a_password_reset_but_loses_nothing(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="forgetful@example.gov.uk")
    with (
        mock.patch("skills.services.notifications.notification_send_task.delay", side_effect=BrokerDown("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/accounts/password-reset/", {"email": "forgetful@example.gov.uk"})

    assert response.status_code == 302
    assert mail.outbox == []
    notification = Notification.objects.get(user=user)
    assert notification.status == NotificationStatus.PENDING
    assert notifications_sweep() == 0  # not yet due: its own task might still be on its way

    assert notifications_sweep(now=timezone.now() + LATER) == 1
    (message,) = mail.outbox
    assert message.to == ["forgetful@example.gov.uk"]
    link = message.body.split("here:\n\n")[1].split()[0]
    path = link.split("://", 1)[1].partition("/")[2]
    assert client.get(f"/{path}", follow=True).status_code == 200
    assert "token" not in str(Notification.objects.get().context)


def test_a_mail_server_outage_is_retried_with_backoff_until_sent(
    learner, manager, skill, levels, django_capture_on_commit_callbacks
):
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected("gone")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit_claim(learner, skill, levels)
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    assert notification.next_attempt_at > timezone.now()

    assert notifications_sweep(now=timezone.now() + LATER) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_send_sends_again_with_the_same_message_id(
    learner, manager, skill, levels, django_capture_on_commit_callbacks
):
    """The mail server accepts the message, then the worker dies before it records that it was sent (simulated
    by SystemExit, which nothing in the send path catches): the row stays pending and the retry carries the same
    Message-ID, so the recipient's mail system can recognise the duplicate."""
    original_save = Notification.save

    def die_when_marking_sent(self, *args, **kwargs):
        if "sent_at" in kwargs.get("update_fields", ()):
            raise SystemExit("worker killed")
        return original_save(self, *args, **kwargs)

    with (
        mock.patch.object(Notification, "save", die_when_marking_sent),
        pytest.raises(SystemExit),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit_claim(learner, skill, levels)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == NotificationStatus.PENDING

    assert notifications_sweep(now=timezone.now() + LATER) == 1
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_the_same_event_is_queued_once_per_recipient(learner, manager):
    with transaction.atomic():
        first = notify("claims_submitted", recipient=manager, event="claims:1", person_id=learner.pk, count=1)
        again = notify("claims_submitted", recipient=manager, event="claims:1", person_id=learner.pk, count=1)
    assert first.pk == again.pk
    assert Notification.objects.count() == 1


def test_a_message_whose_subject_is_gone_fails_for_good_instead_of_retrying(learner, manager):
    notification = notify("claims_submitted", recipient=manager, person_id=987654, count=1)

    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert "DoesNotExist" in notification.last_error
    assert notifications_sweep(now=timezone.now() + LATER) == 0


def test_plain_text_emails_are_not_html_escaped(learner, manager, skill, levels, django_capture_on_commit_callbacks):
    learner.user.first_name = "Siobhán"
    learner.user.last_name = "O'Brien"
    learner.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        (claim,) = submit_claim(learner, skill, levels)
    with django_capture_on_commit_callbacks(execute=True):
        review_request_evidence(review=claim.reviews.get(), reviewer=manager, message="Show <b>two</b> examples & more")

    to_manager, to_learner = mail.outbox
    assert "Siobhán O'Brien has sent 1 skill claim" in to_manager.body
    assert to_manager.subject == "Claims to review from Siobhán O'Brien"
    assert "Show <b>two</b> examples & more" in to_learner.body
    assert "&#x27;" not in to_manager.body + to_learner.body
    assert "&lt;" not in to_learner.body


def test_the_sweep_records_when_it_last_ran():
    notifications_sweep()

    assert TaskHeartbeat.objects.get(name="notifications-sweep").last_run_at <= timezone.now()


def test_a_person_sees_their_own_recent_notifications_and_nobody_elses(
    client, learner, manager, skill, levels, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_claim(learner, skill, levels)
    UserFactory(email="other@example.gov.uk")

    client.force_login(manager.user)
    html = client.get("/accounts/notifications/").content.decode()
    assert f"Claims to review from {escape(learner.user.get_full_name())}" in html
    assert "Sent" in html

    client.force_login(learner.user)
    html = client.get("/accounts/notifications/").content.decode()
    assert "Claims to review" not in html
    assert "Capability has not sent you any emails yet." in html


def test_the_notifications_page_costs_the_same_queries_for_one_message_and_for_fifty(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    Notification.objects.create(key="first", kind="password_reset", user=user)
    client.get("/accounts/notifications/")  # warm the site caches
    # the signed-in page frame (user, the session's record; the session from the cache, saved at most once a
    # minute: decision 0021) + one read; the site, the route, the footer and the admin link (not staff) cost
    # nothing (decision 0017)
    with django_assert_num_queries(2):
        assert client.get("/accounts/notifications/").content.decode().count("Password reset link") == 1
    Notification.objects.bulk_create([Notification(key=f"m{i}", kind="password_reset", user=user) for i in range(60)])
    with django_assert_num_queries(2):
        html = client.get("/accounts/notifications/").content.decode()
    assert html.count("Password reset link") == 50
    assert "(the last 50)" in html


def test_the_health_endpoint_reports_the_outbox_backlog_failures_and_the_beat_schedulers_last_run(client, learner):
    quiet = client.get("/healthz/").json()["checks"]["background_work"]
    assert quiet == {
        "ok": True,
        "pending": 0,
        "retrying": 0,
        "failed": 0,
        "oldest_pending_seconds": 0,
        "beat_last_ran_seconds_ago": None,
    }

    waiting = notify("stale_reminder", recipient=learner, framework_id=1)
    Notification.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=30), attempts=2)
    gone = notify("claims_submitted", recipient=learner, person_id=987654, count=1)
    notification_send(notification_id=gone.pk)
    TaskHeartbeat.objects.create(name="notifications-sweep", last_run_at=timezone.now() - timedelta(seconds=90))

    response = client.get("/healthz/")
    figures = response.json()["checks"]["background_work"]
    assert response.status_code == 200  # reported for monitoring; a mail outage does not take the web tier down
    assert figures["pending"] == 1
    assert figures["retrying"] == 1
    assert figures["failed"] == 1
    assert 1790 <= figures["oldest_pending_seconds"] <= 1900
    assert 85 <= figures["beat_last_ran_seconds_ago"] <= 200


def test_the_dashboard_shows_the_three_latest_of_the_accounts_own_messages_labelled_newest_first(client):
    """The dashboard reads only each message's label and time (`notification_labels_recent`): a message with a
    subject shows it, one not sent yet shows its kind's label, and nobody else's messages are shown."""
    user, other = UserFactory(), UserFactory()
    now = timezone.now()
    for minutes, key, subject in [
        (40, "oldest", "Oldest <b>message</b>"),
        (30, "second", ""),
        (20, "third", "Third <b>&</b>"),
    ]:
        Notification.objects.create(
            key=key, kind="password_reset", user=user, subject=subject, created_at=now - timedelta(minutes=minutes)
        )
    Notification.objects.create(key="newest", kind="password_reset", user=user, subject="Newest", created_at=now)
    Notification.objects.create(key="theirs", kind="password_reset", user=other, subject="Not yours", created_at=now)
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    recent = html[html.index("Recent emails to you") :]
    shown = [item.split("<br>")[0] for item in recent.split("<li>")[1:]]
    assert shown == ["Newest", "Third &lt;b&gt;&amp;&lt;/b&gt;", "Password reset link"]
    assert "Oldest" not in html
    assert "Not yours" not in html
