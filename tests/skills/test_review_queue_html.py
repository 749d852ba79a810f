"""The reviews queue's cards, written in Python (skills/templatetags/review_queue.py, decision 0220), are the markup
the template loop wrote: compared here with that loop, on names that need escaping, a person split over a page
break, a delegated group and an empty queue."""

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import timezone

from skills.selectors.reviews import QueuedClaim, ReviewGroup
from skills.templatetags.review_queue import review_cards

# skills/_review_list.html's loop before decision 0220, the reference (without the file's last newline).
TEMPLATE_LOOP = (Path(__file__).parent / "review_list_loop_before_0220.html").read_text().removesuffix("\n")


def _by_template(groups, empty="unused"):
    return Template(TEMPLATE_LOOP).render(
        Context({"groups": groups, "reviews_url": "/skills/reviews/", "empty": empty}, autoescape=True)
    )


def test_the_cards_are_the_markup_the_template_wrote_with_every_name_escaped():
    sent = timezone.make_aware(datetime(2026, 3, 9, 23, 30))
    delegator = SimpleNamespace(user=SimpleNamespace(get_full_name=lambda: 'Dee <b>O\'Hara</b> & "Co"'))
    groups = [
        ReviewGroup(
            1,
            "Ada <script>alert('x')</script> & \"Lovelace\"",
            [QueuedClaim(11, 'Data <ethics> & "privacy"', "Working", sent), QueuedClaim(12, "Testing", "", sent)],
            total=5,
            first=2,
        ),
        ReviewGroup(2, "O'Brien", [QueuedClaim(13, "User research", "Expert", sent)], total=1, first=1),
        ReviewGroup(
            3,
            "Sam Jones",
            [QueuedClaim(14, "Coding", "Practitioner", sent)],
            total=2,
            first=1,
            delegation=SimpleNamespace(delegator=delegator, ends_on=date(2026, 12, 24)),
        ),
    ]
    written = review_cards(groups, "/skills/reviews/", "unused")
    assert written == _by_template(groups)
    assert "<script>" not in written
    assert "&lt;script&gt;" in written
    assert "Dee &lt;b&gt;O&#x27;Hara&lt;/b&gt; &amp; &quot;Co&quot;" in written
    assert "2 to 3 on this page" in written


def test_an_empty_queue_says_its_sentence_escaped():
    empty = 'Nothing <waits> & "nobody" \'s'
    assert review_cards([], "/skills/reviews/", empty) == _by_template([], empty)
    assert "&lt;waits&gt;" in review_cards([], "/skills/reviews/", empty)


def test_a_claim_sent_after_midnight_in_summer_time_shows_the_day_it_was_sent_where_the_service_is():
    # 00:30 on 1 July in London is 23:30 on 30 June in UTC, as the database hands the moment back.
    sent = timezone.make_aware(datetime(2026, 7, 1, 0, 30)).astimezone(UTC)
    groups = [ReviewGroup(1, "Ada", [QueuedClaim(11, "Testing", "Working", sent)], total=1, first=1)]
    written = review_cards(groups, "/skills/reviews/", "unused")
    assert written == _by_template(groups)
    assert "Sent 1 Jul 2026" in written
