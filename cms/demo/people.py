"""Demo people: about 60 civil servants in three departments, with line managers, role levels and
assessments in every state (draft, waiting for review, confirmed, adjusted, more evidence asked for,
validated by an assessor, stale), so that each demo account sees a realistic page. Deterministic."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cms.accounts.enums import Role
from frameworks.importers.ddat import BUNDLED_DDAT_2025_10
from frameworks.models import Framework, RoleLevel
from frameworks.services.imports import framework_import_ddat
from skills.enums import DEFAULT_VALIDATION_RANKING, AssessmentSource
from skills.models import AssessmentPolicy, Grade, HRResponsibility, Person, Review
from skills.services import assessment_record, org_unit_ensure
from skills.services.policy_admin import assessment_policy_set
from skills.services.reviews import (
    assessor_is_independent,
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
)

# (department/directorate, [(team, role, lead level, member levels)])
DEPARTMENTS = [
    (
        "Department for Education/Digital and Data",
        [
            (
                "Platform team",
                "Software developer",
                "Lead developer",
                ["Developer", "Senior developer", "Junior developer"],
            ),
            ("Data team", "Data engineer", "Lead data engineer", ["Data engineer", "Senior data engineer"]),
            (
                "Delivery team",
                "Delivery manager",
                "Senior delivery manager",
                ["Delivery manager", "Associate delivery manager"],
            ),
        ],
    ),
    (
        "HM Revenue and Customs/Chief Digital and Information Office",
        [
            ("Cloud platform", "Software developer", "Principal developer", ["Senior developer", "Developer"]),
            (
                "Customer insight",
                "User researcher",
                "Lead user researcher",
                ["User researcher", "Senior user researcher"],
            ),
            (
                "Tax products",
                "Product manager",
                "Lead product manager",
                ["Product manager", "Associate product manager"],
            ),
        ],
    ),
    (
        "Ministry of Justice/Justice Digital",
        [
            (
                "Courts digital",
                "Business analyst",
                "Lead business analyst",
                ["Business analyst", "Senior business analyst"],
            ),
            ("Prisons data", "Data engineer", "Head of data engineering", ["Data engineer", "Senior data engineer"]),
            ("Probation services", "Delivery manager", "Senior delivery manager", ["Delivery manager"]),
        ],
    ),
]
FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Daniel",
    "Efua",
    "Finn",
    "Gita",
    "Harry",
    "Isla",
    "Jamal",
    "Kate",
    "Liam",
    "Maya",
    "Noah",
    "Olu",
    "Poppy",
    "Qasim",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Xin",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Adams",
    "Bello",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "Owen",
    "Price",
    "Quinn",
    "Reid",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
]
EVIDENCE = [
    "Led the redesign of the service's data model and took the team through the trade-offs.",
    "Built and ran the pipeline that moved 40 million records, with monitoring and a rollback plan.",
    "Coached two junior colleagues through their first releases; both now work unsupported.",
    "Ran six user research sessions and turned the findings into changes to the service.",
    "Wrote the team's guidance on this and presented it at the directorate's community of practice.",
]


def demo_framework_load() -> bool:
    """Import and publish the DDaT 2025-10 release if no DDaT release is published yet."""
    if Framework.objects.filter(slug=settings.CAPABILITY_DEFAULT_FRAMEWORK, current_release__isnull=False).exists():
        return False
    report = framework_import_ddat(
        roles_file=BUNDLED_DDAT_2025_10 / "roles.csv",
        skills_file=BUNDLED_DDAT_2025_10 / "skills.csv",
        release_label="2025-10",
        publish=True,
        actor=None,
    )
    if report.errors:
        raise RuntimeError(f"The demo DDaT import failed: {report.errors[0]}")
    return True


def demo_hr_scope_ensure() -> int:
    """Make the demo HR analyst responsible for the first two departments (and everything below them), not the
    third, whose figures they must see nowhere. Also brings a database loaded when they had one department up to
    date. Returns the responsibilities added (0 if they were there already)."""
    hr_analyst = get_user_model().objects.filter(email="hr@capability.example").first()
    if hr_analyst is None:
        return 0
    added = 0
    for directorate, _teams in DEPARTMENTS[:2]:
        department = org_unit_ensure(full_name=directorate.split("/")[0])[0]
        added += HRResponsibility.objects.get_or_create(user=hr_analyst, org_unit=department)[1]
    return added


def _role_level(release, role_name: str, level_name: str) -> RoleLevel:
    return RoleLevel.objects.select_related("release").get(release=release, role__name=role_name, name=level_name)


def _user(email: str, first_name: str, last_name: str, roles):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
    return user


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")  # no flood of demo e-mail
def demo_people_load() -> int:
    """Create the demo organisation and people with their assessments. Returns people created (0 if done)."""
    if Person.objects.exists():
        return 0
    framework = Framework.objects.select_related("current_release").get(slug=settings.CAPABILITY_DEFAULT_FRAMEWORK)
    release = framework.current_release
    grades = {grade.code: grade for grade in Grade.objects.all()}
    names = random.Random(2025)
    number = 1000
    people: list[Person] = []

    def person(user, unit, grade, manager, current, target):
        nonlocal number
        number += 1
        created = Person.objects.create(
            user=user,
            staff_number=f"DEMO{number}",
            org_unit=unit,
            grade=grades[grade],
            line_manager=manager,
            current_role_level=current,
            target_role_level=target,
        )
        people.append(created)
        return created

    def named_user(department_slug):
        first, last = names.choice(FIRST_NAMES), names.choice(LAST_NAMES)
        return _user(f"{first}.{last}.{len(people)}@{department_slug}.example".lower(), first, last, [Role.LEARNER])

    demo = {
        account.email: account for account in get_user_model().objects.filter(email__endswith="@capability.example")
    }
    with transaction.atomic():
        for index, (directorate, teams) in enumerate(DEPARTMENTS):
            slug = directorate.split("/")[0].split()[-1].lower()
            head_unit, _ = org_unit_ensure(full_name=directorate)
            head_role = teams[0]
            head = person(
                named_user(slug),
                head_unit,
                "SCS1",
                None,
                _role_level(release, head_role[1], head_role[2]),
                None,
            )
            for team_index, (team, role_name, lead_level, member_levels) in enumerate(teams):
                unit, _ = org_unit_ensure(full_name=f"{directorate}/{team}")
                lead_user = (
                    demo.get("manager@capability.example") if index == 0 and team_index == 0 else named_user(slug)
                )
                lead = person(lead_user, unit, "G7", head, _role_level(release, role_name, lead_level), None)
                for member_index in range(5):
                    level_name = member_levels[member_index % len(member_levels)]
                    current = _role_level(release, role_name, level_name)
                    ladder = list(current.role.levels.order_by("seniority"))
                    target = next((rung for rung in ladder if rung.seniority > current.seniority), None)
                    user = named_user(slug)
                    if index == 0 and team_index == 0 and member_index == 0:
                        user = demo.get("learner@capability.example", user)
                    elif index == 1 and team_index == 0 and member_index == 0:
                        user = demo.get("assessor@capability.example", user)
                    elif index == 0 and team_index == 1 and member_index == 0:
                        user = demo.get("hr@capability.example", user)
                    elif index == 2 and team_index == 0 and member_index == 0:
                        user = demo.get("training@capability.example", user)
                    person(user, unit, "HEO" if member_index % 2 else "SEO", lead, current, target)
        assessor = Person.objects.get(user__email="assessor@capability.example")
        assessor.accredited_frameworks.add(framework)
        if not AssessmentPolicy.objects.filter(framework=framework).exists():
            assessment_policy_set(
                framework=framework,
                ranking=list(DEFAULT_VALIDATION_RANKING),
                description="An accredited assessor's judgement outranks the line manager's; a course completion, "
                "a certificate or an import validates only where neither has judged.",
            )
        line_managers = Group.objects.get(name=Role.LINE_MANAGER)
        for manager in Person.objects.filter(direct_reports__isnull=False).distinct().select_related("user"):
            manager.user.groups.add(line_managers)
        for position, member in enumerate(people):
            _assessments(member, position, assessor)
    return len(people)


def _assessments(person: Person, position: int, assessor: Person) -> None:
    """Put this person's skills in a spread of states. Learner Priya gets one of each."""
    role_level = person.target_role_level or person.current_role_level
    requirements = list(role_level.requirements.select_related("skill", "level").order_by("skill__name"))
    levels = {level.rank: level for level in role_level.release.levels.all()}
    rng = random.Random(position)
    long_ago = timezone.now() - timedelta(days=420)
    user = person.user
    for index, requirement in enumerate(requirements):
        skill = requirement.skill
        state = (index + position) % 7
        rank = max(1, min(4, requirement.level.rank + rng.choice([-1, 0, 0, 1])))
        evidence = EVIDENCE[(index + position) % len(EVIDENCE)]
        if state == 6:
            continue  # not started
        if state == 5:
            self_assessment_draft_save(person=person, skill=skill, level=levels[rank], evidence=evidence, actor=user)
            continue
        created_at = long_ago if state == 4 and position % 3 == 0 else None
        claim = assessment_record(
            person=person,
            skill=skill,
            level=levels[rank],
            source=AssessmentSource.SELF,
            author=user,
            evidence=evidence,
            created_at=created_at,
        )
        if person.line_manager is None:
            continue
        review = Review.objects.create(claim=claim, reviewer_kind="line_manager", reviewer=person.line_manager)
        manager = person.line_manager
        if state == 0:
            review_decide(review=review, reviewer=manager, level=claim.level)
        elif state == 1 and rank > 1:
            review_decide(review=review, reviewer=manager, level=levels[rank - 1], reason="Not yet shown unsupported.")
        elif state == 2:
            review_request_evidence(review=review, reviewer=manager, message="Add an example from the last six months.")
        elif state == 3 and assessor_is_independent(assessor=assessor, claim=claim):
            review_decide(review=review, reviewer=manager, level=claim.level)
            assessor_review = review_request_assessor(claim=claim, actor=user)
            review_decide(review=assessor_review, reviewer=assessor, level=claim.level)
        elif state == 4 and position % 2 and assessor_is_independent(assessor=assessor, claim=claim):
            # Also sent to an accredited assessor, so that the demo assessor has claims waiting for her.
            review_request_assessor(claim=claim, actor=user)
        # state 4 (and the rest): left waiting for the line manager's review
