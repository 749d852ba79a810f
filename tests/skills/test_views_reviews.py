"""The reviewer's pages: the queue grouped by person, the context beside each claim, moving on to the person's
next claim, the assessor's sections, and the words the history uses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from frameworks.models import SkillLevelDescriptor
from frameworks.services.editing import skill_level_descriptor_update
from frameworks.services.releases import framework_release_draft_create_from_current, framework_release_publish
from skills.enums import AssessmentSource, ReviewerKind, ReviewStatus
from skills.models import Review
from skills.services import (
    assessment_record,
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)
from tests.cms.factories import UserFactory
from tests.frameworks.factories import (
    FrameworkFactory,
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleLevelFactory,
    SkillFactory,
    publish_directly,
)
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """A release of three skills all needed at Practitioner; Tom manages Priya and Sam, who each sent claims."""
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"))
    role_level = RoleLevelFactory(role__release=release, release=release, name="Senior data engineer")
    target = RoleLevelFactory(role=role_level.role, release=release, name="Lead data engineer")
    practitioner = release.levels.get(code="practitioner")
    for index in range(3):
        skill = SkillFactory(release=release, name=f"Skill {index:02d}", code=f"skill-{index:02d}")
        RequirementFactory(
            role_level=role_level, role=role_level.role, release=release, skill=skill, level=practitioner
        )
    publish_directly(release)
    manager = PersonFactory(user=UserFactory(first_name="Tom", last_name="Okafor"))
    priya = PersonFactory(
        user=UserFactory(first_name="Priya", last_name="Shah"),
        line_manager=manager,
        current_role_level=role_level,
        target_role_level=target,
    )
    sam = PersonFactory(user=UserFactory(first_name="Sam", last_name="Jones"), line_manager=manager)
    levels = {level.code: level for level in release.levels.all()}
    skills = {skill.code: skill for skill in release.skills.all()}
    return release, manager, priya, sam, levels, skills


def send(person, skill, level, evidence):
    self_assessment_draft_save(person=person, skill=skill, level=level, evidence=evidence, actor=person.user)
    return self_assessment_submit(person=person, actor=person.user, skills=[skill])[0]


def test_the_queue_groups_claims_by_person_with_each_persons_claims_together(team):
    release, manager, priya, sam, levels, skills = team
    send(priya, skills["skill-00"], levels["expert"], "a")
    send(sam, skills["skill-00"], levels["working"], "b")
    send(priya, skills["skill-01"], levels["working"], "c")

    html = client_for(manager).get("/skills/reviews/").content.decode()

    assert html.count('class="govuk-summary-card"') == 2
    priya_card = html[html.index("Priya Shah") : html.index("Sam Jones")]
    assert "Skill 00" in priya_card
    assert "Skill 01" in priya_card
    assert "2 claims waiting" in priya_card
    # Each claim says the day it was sent, where the service is (read in SQL, converted as the ORM would).
    sent = Review.objects.filter(person=priya).latest("created_at").created_at
    assert f"Sent {date_format(timezone.localtime(sent).date(), 'j M Y')}" in priya_card


def test_after_a_decision_the_reviewer_moves_to_the_same_persons_next_claim_then_back_to_the_queue(team):
    release, manager, priya, sam, levels, skills = team
    send(priya, skills["skill-00"], levels["expert"], "a")
    send(sam, skills["skill-00"], levels["working"], "b")
    send(priya, skills["skill-01"], levels["working"], "c")
    first, second = Review.objects.filter(claim__person=priya).order_by("id")
    client = client_for(manager)

    response = client.post(f"/skills/reviews/{first.pk}/", {"decision": "confirm"}, follow=True)

    assert response.redirect_chain[-1][0] == f"/skills/reviews/{second.pk}/"
    assert "Skill 00 at Expert. Next: Skill 01." in response.content.decode()
    response = client.post(
        f"/skills/reviews/{second.pk}/", {"decision": "evidence", "request": "Which pipeline?"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/skills/reviews/"
    assert "Priya Shah has no more claims waiting for you." in response.content.decode()
    assert "Sam Jones" in response.content.decode()


def test_the_review_page_shows_what_the_role_levels_need_the_earlier_judgements_and_the_person_in_its_title(team):
    release, manager, priya, sam, levels, skills = team
    claim = send(priya, skills["skill-00"], levels["working"], "First go.")
    review_decide(review=Review.objects.get(claim=claim), reviewer=manager, level=levels["working"])
    send(priya, skills["skill-00"], levels["practitioner"], "Second go.")
    review = Review.objects.get(status=ReviewStatus.OPEN)

    html = client_for(manager).get(f"/skills/reviews/{review.pk}/").content.decode()

    assert "<title>Review Skill 00 for Priya Shah" in html
    assert "Current role: Senior data engineer" in html
    assert "Working towards: Lead data engineer" in html
    assert "Needs Practitioner" in html
    assert "Does not need this skill" in html  # the target level has no requirements in this release
    assert "Working (validated by the line manager, " in html
    judgements = html[html.index("Earlier judgements of this skill") :]
    assert "Validated by the line manager, Tom Okafor" in judgements
    assert "Self-assessment (a claim, not yet validated), Priya Shah" in judgements


def test_a_claim_sent_again_after_a_request_shows_what_was_asked_and_what_changed(team):
    release, manager, priya, sam, levels, skills = team
    claim = send(priya, skills["skill-00"], levels["expert"], "Built the pipeline.")
    review_request_evidence(
        review=Review.objects.get(claim=claim), reviewer=manager, message="Who used the pipeline, and how?"
    )
    send(priya, skills["skill-00"], levels["practitioner"], "Built the pipeline; 4 teams use it daily.")
    review = Review.objects.get(status=ReviewStatus.OPEN)

    html = client_for(manager).get(f"/skills/reviews/{review.pk}/").content.decode()

    assert "This claim answers a request for more evidence" in html
    assert "Who used the pipeline, and how?" in html
    assert "<strong>changed</strong> from Expert to Practitioner" in html
    before = html[html.index("Evidence before the request") : html.index("Evidence now")]
    assert "Built the pipeline." in before
    assert "4 teams use it daily." in html[html.index("Evidence now") :]


def test_a_claim_sent_again_unchanged_says_so(team):
    release, manager, priya, sam, levels, skills = team
    claim = send(priya, skills["skill-00"], levels["expert"], "Built the pipeline.")
    review_request_evidence(review=Review.objects.get(claim=claim), reviewer=manager, message="More, please.")
    send(priya, skills["skill-00"], levels["expert"], "Built the pipeline.")
    review = Review.objects.get(status=ReviewStatus.OPEN)

    html = client_for(manager).get(f"/skills/reviews/{review.pk}/").content.decode()

    assert "unchanged, Expert" in html
    assert "<strong>unchanged</strong>: the same text was sent again" in html


def test_someone_with_no_team_and_no_accreditation_is_not_told_about_claims_from_their_team(team):
    release, manager, priya, sam, levels, skills = team

    html = client_for(priya).get("/skills/reviews/").content.decode()

    assert "From your team" not in html
    assert "As an accredited assessor" not in html
    assert "Nobody has sent you claims to review." in html


def test_an_assessor_without_a_team_sees_only_the_assessor_section(team):
    release, manager, priya, sam, levels, skills = team
    assessor = PersonFactory(accredited_frameworks=[release.framework])
    claim = send(priya, skills["skill-00"], levels["expert"], "a")
    review_request_assessor(claim=claim, actor=priya.user)

    html = client_for(assessor).get("/skills/reviews/").content.decode()

    assert "From your team" not in html
    assert "As an accredited assessor" in html
    assert "Priya Shah" in html
    assert (
        "No claims are waiting for an assessor"
        in client_for(PersonFactory(accredited_frameworks=[FrameworkFactory(slug="other", name="Other")]))
        .get("/skills/reviews/")
        .content.decode()
    )


def test_asking_for_an_assessor_twice_says_the_second_time_that_one_was_already_asked(team):
    release, manager, priya, sam, levels, skills = team
    send(priya, skills["skill-00"], levels["expert"], "a")
    client = client_for(priya)

    first = client.post("/skills/history/skill-00/assessor/", follow=True).content.decode()
    second = client.post("/skills/history/skill-00/assessor/", follow=True).content.decode()

    assert "You asked for an accredited assessor" in first
    assert "You have already asked for an accredited assessor" in second
    assert "You asked for an accredited assessor. The first" not in second
    history = client.get("/skills/history/skill-00/").content.decode()
    assert "It is waiting for one" in history
    assert "Ask an accredited assessor to validate" not in history
    assert Review.objects.filter(reviewer_kind=ReviewerKind.ASSESSOR).count() == 1


def test_the_history_names_judgements_in_plain_words_and_shows_requests_for_evidence(team):
    release, manager, priya, sam, levels, skills = team
    claim = send(priya, skills["skill-00"], levels["expert"], "a")
    review_request_evidence(review=Review.objects.get(claim=claim), reviewer=manager, message="Which pipeline?")

    html = client_for(priya).get("/skills/history/skill-00/").content.decode()

    assert "(claim)" not in html
    assert "Self-assessment (a claim, not yet validated)" in html
    assert "Which pipeline?" in html
    assert "Tom Okafor asked" in html


def test_a_made_up_decision_gets_a_plain_error_not_djangos_default(team):
    release, manager, priya, sam, levels, skills = team
    send(priya, skills["skill-00"], levels["expert"], "a")
    review = Review.objects.get()

    html = (
        client_for(manager)
        .post(f"/skills/reviews/{review.pk}/", {"decision": "approve", "level": "999"})
        .content.decode()
    )

    assert "Select a valid choice" not in html
    assert "Choose whether to confirm, adjust or ask for more evidence" in html
    assert Review.objects.get().status == ReviewStatus.OPEN


def test_a_review_lists_earlier_requests_the_claim_does_not_answer(team):
    release, manager, priya, sam, levels, skills = team
    claim = send(priya, skills["skill-00"], levels["expert"], "First.")
    review_request_evidence(review=Review.objects.get(claim=claim), reviewer=manager, message="Name the service.")
    claim = send(priya, skills["skill-00"], levels["expert"], "Second.")
    review_request_evidence(review=Review.objects.get(claim=claim), reviewer=manager, message="Who used it?")
    send(priya, skills["skill-00"], levels["expert"], "Third.")
    review = Review.objects.get(status=ReviewStatus.OPEN)

    html = client_for(manager).get(f"/skills/reviews/{review.pk}/").content.decode()

    answer = html[html.index("This claim answers a request") : html.index("Other earlier requests")]
    assert "Who used it?" in answer
    assert "Second." in answer
    assert "Name the service." in html[html.index("Other earlier requests") :]
    assert html.count("Who used it?") == 1


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_review_page_and_queue_keep_a_constant_query_count_as_history_and_claims_grow(team):
    release, manager, priya, sam, levels, skills = team
    client = client_for(manager)
    counts = []
    for rounds in (1, 5):
        skill = skills["skill-00" if rounds == 1 else "skill-01"]
        for _ in range(rounds):
            claim = send(priya, skill, levels["expert"], "Again.")
            review_request_evidence(review=Review.objects.get(claim=claim), reviewer=manager, message="More.")
            claim = send(priya, skill, levels["working"], "Once more.")
            review_decide(review=Review.objects.get(claim=claim), reviewer=manager, level=levels["working"])
        send(priya, skill, levels["practitioner"], "Now.")
        send(sam, skills["skill-02"], levels["working"], "Sam.")
        review = Review.objects.get(status=ReviewStatus.OPEN, claim__skill=skill)
        counts.append((_queries(client, f"/skills/reviews/{review.pk}/"), _queries(client, "/skills/reviews/")))
    assert counts[0] == counts[1]


def test_levels_carried_to_a_new_release_are_described_in_plain_words_with_what_to_do(
    django_capture_on_commit_callbacks,
):

    old = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"), label="2025-10")
    SkillFactory(release=old, name="Testing", code="testing")
    publish_directly(old)
    person = PersonFactory()
    assessment_record(
        person=person, skill=old.skills.get(), level=old.levels.get(code="working"), source=AssessmentSource.ASSESSOR
    )
    draft = framework_release_draft_create_from_current(framework=old.framework, label="2026-04", actor=None)
    changed = SkillLevelDescriptor.objects.get(skill__release=draft, level__code="working")
    skill_level_descriptor_update(descriptor=changed, text="You can:\n- test things in a new way", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        framework_release_publish(release=draft, actor=None)

    html = client_for(person).get("/skills/history/testing/").content.decode()

    assert "Validated level carried over from the previous framework release" in html
    assert "Recorded automatically" in html
    assert "Carried forward" not in html
    assert "the level carried over is marked ‘Check again’" in html


@pytest.fixture
def many_skills():
    """A release of 35 skills, and Tom, who manages Priya and Sam."""
    release = FrameworkReleaseFactory(framework=FrameworkFactory(slug="ddat", name="DDaT"))
    for index in range(35):
        SkillFactory(release=release, name=f"Skill {index:02d}", code=f"skill-{index:02d}")
    publish_directly(release)
    manager = PersonFactory(user=UserFactory(first_name="Tom", last_name="Okafor"))
    priya = PersonFactory(user=UserFactory(first_name="Priya", last_name="Shah"), line_manager=manager)
    sam = PersonFactory(user=UserFactory(first_name="Sam", last_name="Jones"), line_manager=manager)
    return release, manager, priya, sam


def send_many(person, skills) -> list:
    level = skills[0].release.levels.get(code="working")
    for skill in skills:
        self_assessment_draft_save(person=person, skill=skill, level=level, evidence="e", actor=person.user)
    return self_assessment_submit(person=person, actor=person.user, skills=skills)


def card_title(html, name) -> str:
    start = html.index(f'<h3 class="govuk-summary-card__title">{name}')
    return html[start : html.index("</h3>", start)]


def test_the_queue_shows_50_claims_a_page_and_says_where_a_persons_claims_run_over_a_page(many_skills):
    release, manager, priya, sam = many_skills
    skills = list(release.skills.order_by("code"))
    send_many(priya, skills[:30])  # Priya has waited longest: her 30 claims come first
    send_many(sam, skills[:30])
    client = client_for(manager)

    first = client.get("/skills/reviews/").content.decode()
    second = client.get("/skills/reviews/?team_page=2").content.decode()

    assert "60 claims waiting, showing 1 to 50" in first
    assert "(30 claims waiting)" in card_title(first, "Priya Shah")
    assert "(30 claims waiting, 1 to 20 on this page)" in card_title(first, "Sam Jones")
    assert 'href="?team_page=2"' in first
    assert 'aria-label="Pages of claims from your team"' in first
    assert "60 claims waiting, showing 51 to 60" in second
    assert "Priya Shah" not in second
    assert "(30 claims waiting, 21 to 30 on this page)" in card_title(second, "Sam Jones")
    assert second.count("Claims Working") == 10


def test_a_queue_page_past_the_end_shows_the_last_page_and_each_section_keeps_its_own_page(many_skills):
    release, manager, priya, sam = many_skills
    skills = list(release.skills.order_by("code"))
    send_many(priya, skills[:30])
    send_many(sam, skills[:30])
    outsider = PersonFactory(user=UserFactory(first_name="Olu", last_name="Outside"))
    review_request_assessor(claim=send_many(outsider, skills[:1])[0], actor=outsider.user)
    manager.accredited_frameworks.add(release.framework)
    client = client_for(manager)

    huge = client.get("/skills/reviews/?team_page=99999999999999999999&assessor_page=9223372036854775807")
    assert huge.status_code == 200  # beyond the database's integers: the last page, not an error
    assert "showing 51 to 60" in huge.content.decode()
    past = client.get("/skills/reviews/?team_page=99&assessor_page=7")

    html = past.content.decode()
    assert past.status_code == 200
    assert "showing 51 to 60" in html
    assert "Olu Outside" in html  # the assessor's section, on its own (only) page
    assert html.count('<nav class="govuk-pagination') == 1
    assert 'href="?team_page=1&amp;assessor_page=7"' in html  # paging the team keeps the assessor's page


def test_no_page_of_either_queue_shows_claims_that_are_not_the_reviewers(many_skills):
    release, manager, priya, sam = many_skills
    skills = list(release.skills.order_by("code"))
    other_manager = PersonFactory()
    theirs = PersonFactory(user=UserFactory(first_name="Their", last_name="Report"), line_manager=other_manager)
    below = PersonFactory(user=UserFactory(first_name="Deep", last_name="Below"), line_manager=priya)
    send_many(theirs, skills[:3])
    send_many(below, skills[:3])  # waits for Priya, not for Tom above her
    send_many(sam, skills[:3])
    manager.accredited_frameworks.add(release.framework)
    review_request_assessor(claim=send_many(below, skills[3:4])[0], actor=below.user)  # in Tom's own line
    boss = PersonFactory(user=UserFactory(first_name="Big", last_name="Boss"))
    manager.line_manager = boss
    manager.save()
    review_request_assessor(claim=send_many(boss, skills[:1])[0], actor=boss.user)  # above Tom
    client = client_for(manager)

    for query in ("", "?team_page=2", "?assessor_page=2", "?team_page=-1&assessor_page=abc"):
        html = client.get(f"/skills/reviews/{query}").content.decode()
        assert "Sam Jones" in html, query
        assert "Their Report" not in html, query
        assert "Deep Below" not in html, query  # an assessor never validates their own line
        assert "Big Boss" not in html, query


# The queue's queries whatever its length: the account and its session record, the person (without the role-level
# joins, decision 0220); for each section the page's claims with the queue's length (a window over the queue) and
# their names (the assessor's own line is a subquery of the first). A page number past the end costs the section two
# more: its count, and its last page. The session comes from the cache and is saved at most once a minute (decision
# 0021); the site, route, navigation and footer come from the frame's cache and people without an admin role cost no
# roles or permissions query (decision 0017).
REVIEWS_PAGE_QUERIES = 7  # 6, and one for the delegations to and from the manager
PAST_THE_END_QUERIES = 2


def test_the_queue_keeps_the_same_query_count_for_5_claims_and_for_60(many_skills, django_assert_num_queries):
    release, manager, priya, sam = many_skills
    skills = list(release.skills.order_by("code"))
    manager.accredited_frameworks.add(release.framework)
    client = client_for(manager)
    outsider = PersonFactory()
    for people, count in (([priya], 5), ([priya, sam], 30)):
        if count == 30:  # the reviewer's own chain above them is read in the same query, however long
            manager.line_manager = PersonFactory(line_manager=PersonFactory())
            manager.save()
        for person in people:
            for claim in send_many(person, skills[:count]):
                if person == priya:
                    continue
                review_request_assessor(claim=claim, actor=person.user)
        review_request_assessor(claim=send_many(outsider, skills[:1])[0], actor=outsider.user)
        client.get("/skills/reviews/")
        with django_assert_num_queries(REVIEWS_PAGE_QUERIES):
            assert client.get("/skills/reviews/").status_code == 200
        with django_assert_num_queries(REVIEWS_PAGE_QUERIES + PAST_THE_END_QUERIES):
            assert client.get("/skills/reviews/?team_page=9").status_code == 200
