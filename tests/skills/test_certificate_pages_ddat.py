"""The certificate pages at the size of the real DDaT 2025-10 release: a person holding a certificate of every skill
the release has validated at a level (and renewals of some) sees them 20 a page for the same number of queries as a
person holding one; so do their manager and the public verification page."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.accounts.enums import Role
from frameworks.models import FrameworkRelease
from frameworks.services import framework_pages_ensure
from skills.enums import AssessmentSource
from skills.selectors.certificates import CERTIFICATES_PAGE_SIZE, VERIFICATION_PATH
from skills.services import (
    certificate_issue_by_hand,
    review_decide,
    self_assessment_draft_save,
    self_assessment_submit,
    skill_award,
)
from skills.services.policy_admin import assessment_policy_set
from tests.cms.factories import UserFactory
from tests.conftest import page_queries
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, imported once per module
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(page_queries(queries.captured_queries))


def test_certificate_pages_keep_their_query_counts_on_the_real_release():
    release = FrameworkRelease.objects.select_related("framework").get(framework__slug="ddat", label="2025-10")
    skills = list(release.skills.order_by("code"))
    practitioner = release.levels.get(name="Practitioner")
    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=Role.TRAINING_ADMINISTRATOR))
    manager = PersonFactory()
    holder = PersonFactory(line_manager=manager)
    today = timezone.localdate()

    def issue(skill, issued_on):
        return certificate_issue_by_hand(
            holder=holder,
            award=skill_award(framework=release.framework, skill_code=skill.code, rank=practitioner.rank),
            title=f"{skill.name} at Practitioner level",
            url=f"/frameworks/ddat/skills/{skill.code}/",
            validity_months=24,
            issued_on=issued_on,
            reason="Validated before Capability.",
            actor=administrator,
        )

    counts = {"own": [], "team": [], "record": [], "verify": []}
    held = [issue(skills[0], today)]
    for size in (1, len(skills)):
        for skill in skills[len(held) : size]:
            held.append(issue(skill, today.replace(year=today.year - 1)))
        if size > 1:
            for skill in skills[1:4]:  # renewals: the pages show what each renews and what renewed it
                issue(skill, today)
        latest = holder.certificates.order_by("-id").first()
        counts["own"].append(_queries(client_for(holder), "/skills/certificates/"))
        counts["team"].append(_queries(client_for(manager), f"/skills/team/{holder.pk}/certificates/?page=2"))
        counts["record"].append(_queries(client_for(manager), f"/skills/certificates/{latest.pk}/"))
        counts["verify"].append(_queries(Client(), VERIFICATION_PATH.format(token=latest.token)))
    assert holder.certificates.count() > 2 * CERTIFICATES_PAGE_SIZE
    # Own: account, session record, person, the count and the page (each certificate with what it renews and what
    # renewed it). Team: the same and the team member. Record: account, session record, person, the certificate
    # with its holder and renewals, and the account's permissions (its own and its groups'). Verify: the
    # certificate with its holder's name.
    assert counts == {"own": [4, 4], "team": [5, 5], "record": [5, 5], "verify": [1, 1]}


def test_a_validation_of_a_real_ddat_skill_earns_a_certificate_linking_to_the_public_skill_page():
    framework_pages_ensure()
    release = FrameworkRelease.objects.select_related("framework").get(framework__slug="ddat", label="2025-10")
    assessment_policy_set(
        framework=release.framework,
        ranking=[AssessmentSource.ASSESSOR, AssessmentSource.LINE_MANAGER, AssessmentSource.COURSE],
        validation_earns_certificate=True,
        certificate_validity_months=36,
    )
    skill = release.skills.get(name="Data analysis and synthesis")
    practitioner = release.levels.get(name="Practitioner")
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager)
    self_assessment_draft_save(
        person=learner, skill=skill, level=practitioner, evidence="Ran the survey analysis.", actor=learner.user
    )
    (claim,) = self_assessment_submit(person=learner, actor=learner.user)
    review_decide(review=claim.reviews.get(), reviewer=manager, level=practitioner)

    certificate = learner.certificates.get()
    assert certificate.award == f"skills.skill:ddat:{skill.code.upper()}:{practitioner.rank}"
    assert certificate.title == "Data analysis and synthesis at Practitioner level"
    assert certificate.url == f"/frameworks/ddat/skills/{skill.code}/"
    assert Client().get(certificate.url).status_code == 200
    page = Client().get(VERIFICATION_PATH.format(token=certificate.token)).content.decode()
    assert f'href="{certificate.url}">Data analysis and synthesis at Practitioner level</a>' in page
