"""Demo capability: a few hundred more people, so that HR's capability reports look like a real organisation.

The named demo people (`people.py`) stay as they are. This adds about 300 generated civil servants in new
directorates of the same three departments, through the HR feed (`people_import`, the path HR's own files take):
directorates of teams, most of 6 to 15 people and a few of 2 to 4 (whose heatmap cells are suppressed), grades,
professions, line managers inside each team, and current role levels of the real DDaT release. Their assessments go
through the assessment services: self-assessment claims and line managers' validations spread over the past 20
months, so that some skills are mostly met and some mostly not, and some levels are stale. Then the report summary
is refreshed and the trend charts get a demo-only history (`demo_history_write`).

Deterministic (seeded) and idempotent: a second run finds the generated people and changes nothing.
"""

import io
import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from cms.demo.people import EVIDENCE, FIRST_NAMES, LAST_NAMES
from frameworks.models import Framework, RoleLevel, Skill
from frameworks.spreadsheets import FormulaSafeCsvWriter
from skills.enums import AssessmentSource, ReviewerKind
from skills.importers import COLUMNS
from skills.models import CapabilitySnapshot, Person, ReportPerson, ReportRequirement, Review
from skills.selectors.capability import ALL_SKILLS
from skills.services import assessment_record, review_decide
from skills.services.capability_summary import capability_summary_refresh, snapshot_write
from skills.services.people_import import people_import
from skills.services.profile import person_role_levels_set

SEED = 2026
STAFF_PREFIX = "HRF"
DDAT = "Digital, Data and Technology"
# (department, e-mail domain, [(directorate, (director's role, level), [(team, people, roles: the first is the
# team's own, the others a few specialists)])])
ORGANISATION = [
    (
        "Department for Education",
        "education",
        [
            (
                "Teacher Services",
                ("Product manager", "Head of product"),
                [
                    ("Teaching vacancies", 11, ["Software developer", "Frontend developer"]),
                    ("Apply for teacher training", 14, ["Software developer"]),
                    ("Teacher services research", 8, ["User researcher", "Interaction designer"]),
                    ("Teacher services content", 3, ["Content designer"]),
                    ("Teacher services delivery", 9, ["Delivery manager", "Product manager"]),
                ],
            ),
            (
                "Data and Analysis",
                ("Data engineer", "Head of data engineering"),
                [
                    ("School census data", 12, ["Data engineer"]),
                    ("Education statistics", 10, ["Data analyst", "Performance analyst"]),
                    ("Data science hub", 4, ["Data scientist"]),
                    ("Data platform operations", 7, ["Infrastructure engineer"]),
                ],
            ),
            (
                "Schools Digital",
                ("Service designer", "Head of service design"),
                [
                    ("Get help buying for schools", 10, ["Software developer"]),
                    ("Schools financial benchmarking", 8, ["Data analyst"]),
                    ("Schools service design", 7, ["Service designer", "Interaction designer"]),
                ],
            ),
        ],
    ),
    (
        "HM Revenue and Customs",
        "customs",
        [
            (
                "Customer Services Digital",
                ("Delivery manager", "Head of (Agile) delivery management"),
                [
                    ("Personal tax account", 14, ["Software developer", "Frontend developer"]),
                    ("Self Assessment online", 12, ["Software developer"]),
                    ("Customer research", 9, ["User researcher", "Service designer"]),
                    ("Accessibility", 2, ["Accessibility specialist"]),
                    ("Digital delivery", 10, ["Delivery manager", "Business analyst"]),
                ],
            ),
            (
                "Enterprise Data and Analytics",
                ("Data scientist", "Head of data science"),
                [
                    ("Risk and intelligence analytics", 13, ["Data scientist", "Data analyst"]),
                    ("Enterprise data engineering", 11, ["Data engineer"]),
                    ("Data governance", 6, ["Data governance manager"]),
                ],
            ),
            (
                "Technology Operations",
                ("IT service manager", "Head of IT service management"),
                [
                    ("Service desk", 15, ["Service desk manager"]),
                    ("Hosting and infrastructure", 10, ["Infrastructure engineer"]),
                    ("Incident and problem management", 4, ["Incident manager", "Problem manager"]),
                ],
            ),
        ],
    ),
    (
        "Ministry of Justice",
        "justice",
        [
            (
                "Legal Aid Digital",
                ("Product manager", "Head of product"),
                [
                    ("Apply for legal aid", 12, ["Software developer"]),
                    ("Legal aid payments", 9, ["Software developer", "Business analyst"]),
                    ("Legal aid design", 8, ["Interaction designer", "Content designer", "User researcher"]),
                    ("Legal aid testing", 6, ["Test engineer"]),
                ],
            ),
            (
                "Criminal Justice Data",
                ("Data analyst", "Principal data analyst"),
                [
                    ("Reoffending analytics", 11, ["Data analyst"]),
                    ("Courts data pipelines", 10, ["Data engineer"]),
                    ("Performance and insight", 7, ["Performance analyst"]),
                    ("Data ethics", 3, ["Data ethicist"]),
                ],
            ),
            (
                "Justice Technology",
                ("Technical architect", "Principal technical architect"),
                [
                    ("Architecture", 6, ["Technical architect", "Solution architect"]),
                    ("Cloud platform engineering", 13, ["Development operations (DevOps) engineer"]),
                    ("Cyber security", 5, ["Security architect"]),
                ],
            ),
        ],
    ),
]
# Some analysts and delivery people belong to another Civil Service profession than DDaT.
OTHER_PROFESSIONS = {
    "Data analyst": "Analysis",
    "Performance analyst": "Analysis",
    "Data scientist": "Analysis",
    "Delivery manager": "Project Delivery",
    "Business analyst": "Project Delivery",
}
# How much better (or worse) than the skill's own strength each department does.
DEPARTMENT_SHIFT = {"Department for Education": 0.0, "HM Revenue and Customs": 0.06, "Ministry of Justice": -0.06}
RECENT_DAYS = 21  # claims younger than this are still with the line manager, or decided today


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")  # no flood of demo e-mail
def demo_capability_load() -> int:
    """Add the generated people with their assessments, refresh the report summary and write the demo's trend
    history. Returns the people created (0 if they were there already, or the DDaT release is not loaded)."""
    framework = (
        Framework.objects.select_related("current_release")
        .filter(slug=settings.CAPABILITY_DEFAULT_FRAMEWORK, current_release__isnull=False)
        .first()
    )
    created = 0
    if framework is not None and not Person.objects.filter(staff_number__startswith=STAFF_PREFIX).exists():
        with transaction.atomic():
            created = _people_import(framework.current_release)
            people = list(
                Person.objects.filter(staff_number__startswith=STAFF_PREFIX)
                .select_related("user", "org_unit", "grade", "current_role_level__role", "line_manager__user")
                .order_by("staff_number")
            )
            _targets_set(people)
            _assessments_record(people, framework.current_release)
    if created or not CapabilitySnapshot.objects.exists():
        capability_summary_refresh()
        demo_history_write()
    return created


def _ladders(release) -> dict[str, list[RoleLevel]]:
    """Each role's levels that have requirements, by seniority (the "- management" twins left out)."""
    ladders: dict[str, list[RoleLevel]] = {}
    levels = (
        RoleLevel.objects.filter(release=release)
        .annotate(requirement_count=Count("requirements"))
        .filter(requirement_count__gt=0)
        .exclude(name__endswith="- management")
        .select_related("role")
        .order_by("role__name", "seniority")
    )
    for level in levels:
        ladders.setdefault(level.role.name, []).append(level)
    return ladders


def _grade(ladder: list[RoleLevel], level: RoleLevel) -> str:
    position = ladder.index(level) / max(1, len(ladder) - 1)
    if position < 0.2:
        return "EO" if level.name.startswith(("Apprentice", "Trainee")) else "HEO"
    return "SEO" if position < 0.45 else "G7" if position < 0.7 else "G6"


def demo_feed(release) -> str:
    """The HR feed of the generated people, as CSV text: one row a person, each directorate's head first."""
    feed = _Feed(release)
    for department, domain, directorates in ORGANISATION:
        for directorate, (role, level), teams in directorates:
            unit = f"{department}/{directorate}"
            head = feed.person(
                unit=unit, domain=domain, grade="SCS1", manager="", role=role, level=feed.level(role, level)
            )
            for team, size, roles in teams:
                feed.team(unit=f"{unit}/{team}", domain=domain, head=head, size=size, roles=roles)
    text = io.StringIO()
    writer = FormulaSafeCsvWriter(text)
    writer.writerow(COLUMNS)
    writer.writerows(feed.rows)
    return text.getvalue()


class _Feed:
    """The rows of the generated HR feed, seeded, in the order of COLUMNS."""

    def __init__(self, release):
        self.rng = random.Random(SEED)
        self.ladders = _ladders(release)
        self.rows: list[list[str]] = []

    def level(self, role: str, name: str) -> RoleLevel:
        return next(rung for rung in self.ladders[role] if rung.name == name)

    def person(self, *, unit: str, domain: str, grade: str, manager: str, role: str, level: RoleLevel) -> str:
        """Add a row; returns the person's staff number."""
        serial = len(self.rows) + 1
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        other = OTHER_PROFESSIONS.get(role)
        profession = other if other and self.rng.random() < 0.4 else DDAT
        email = f"{first}.{last}{serial}@{domain}.example".lower()
        staff = f"{STAFF_PREFIX}{serial:04d}"
        self.rows.append([staff, email, first, last, unit, grade, profession, manager, role, level.name])
        return staff

    def team(self, *, unit: str, domain: str, head: str, size: int, roles: list[str]) -> None:
        """A team lead (managed by the directorate's head), a deputy in teams of more than nine who manages half
        the team, and the rest: mostly the team's own role (the first of `roles`), every fourth a specialist."""
        ladder = self.ladders[roles[0]]
        lead_level = ladder[-2] if len(ladder) >= 4 else ladder[-1]
        lead_grade = "G6" if _grade(ladder, lead_level) == "G6" else "G7"
        managers = [
            self.person(unit=unit, domain=domain, grade=lead_grade, manager=head, role=roles[0], level=lead_level)
        ]
        if size > 9:
            level = ladder[max(0, ladder.index(lead_level) - 1)]
            grade = _grade(ladder, level)
            managers.append(
                self.person(unit=unit, domain=domain, grade=grade, manager=managers[0], role=roles[0], level=level)
            )
        for index in range(size - len(managers)):
            role = roles[0] if index % 4 or len(roles) == 1 else roles[1 + (index // 4) % (len(roles) - 1)]
            rungs = self.ladders[role]
            below = (rungs[: rungs.index(lead_level)] if lead_level in rungs else rungs[:-1]) or rungs[:1]
            weights = [1 + min(position, len(below) - 1 - position) for position in range(len(below))]
            level = self.rng.choices(below, weights=weights)[0]
            manager = managers[index % len(managers)]
            self.person(unit=unit, domain=domain, grade=_grade(rungs, level), manager=manager, role=role, level=level)


def _people_import(release) -> int:
    feed = demo_feed(release).encode()
    report = people_import(file=io.BytesIO(feed), actor=None, source_name="demo-hr-feed.csv")
    if not report.ok:
        raise RuntimeError(f"The demo HR feed was rejected: {report.errors[0]}")
    return report.created


def _targets_set(people: list[Person]) -> None:
    """About a third of the people below their team's lead aim for the next level of their role."""
    rng = random.Random(SEED + 1)
    for person in people:
        current = person.current_role_level
        if person.grade.code in ("G6", "SCS1") or rng.random() > 0.35:
            continue
        higher = current.role.levels.filter(seniority__gt=current.seniority).exclude(name__endswith="- management")
        target = higher.order_by("seniority").first()
        if target is not None:
            person_role_levels_set(person=person, current=current, target=target, actor=person.user)


def _strengths(release) -> dict[str, float]:
    """How widely each skill is held, from 0.1 (few meet it) to 0.97 (nearly everyone): evenly spread over the
    release's skills in a seeded order, so the heatmap shows the whole range."""
    codes = sorted(Skill.objects.filter(release=release).values_list("code", flat=True))
    random.Random(SEED).shuffle(codes)
    return {code: 0.1 + 0.87 * index / max(1, len(codes) - 1) for index, code in enumerate(codes)}


def _assessments_record(people: list[Person], release) -> None:
    """Each person's claims against their current role level's requirements, and their line manager's decisions.

    About one person in five is seasoned: they claim every requirement at its level or above and their manager
    confirms each. Claims are dated over the past 20 months (the services take `created_at`, as the named demo's
    stale claims do); a line manager validated most claims older than three weeks a few days after they were made,
    through `assessment_record` with that date (the review workflow stamps the present, and the e-mail it sends about a
    decision made months ago would be wrong), and the rest wait in their review queue. Claims of the last three
    weeks go through the review workflow today: about half decided, the rest waiting."""
    strengths = _strengths(release)
    levels = {level.rank: level for level in release.levels.all()}
    requirements: dict[int, list] = {}
    now = timezone.now()
    waiting: list[Review] = []
    for person in people:
        rng = random.Random(f"{SEED}:{person.staff_number}")
        if rng.random() < 0.05:
            continue  # not started
        # About one in five is seasoned in their role: meets every requirement, and their manager has confirmed it
        # (so "meeting every requirement of their role level" is a figure HR can watch move).
        seasoned = rng.random() < 0.2
        role_level = person.current_role_level
        if role_level.pk not in requirements:
            requirements[role_level.pk] = list(
                role_level.requirements.select_related("skill", "level").order_by("skill__code")
            )
        department = person.org_unit.full_name.split("/")[0]
        team = person.org_unit.full_name
        diligence = random.Random(f"{SEED}:{team}").uniform(0.75, 0.99)
        engagement = rng.uniform(0.85, 1.0)
        sitting = int(rng.triangular(RECENT_DAYS + 4, 600, 150))
        recent = int(rng.uniform(1, RECENT_DAYS)) if rng.random() < 0.3 else None
        manager = person.line_manager
        for index, requirement in enumerate(requirements[role_level.pk]):
            strength = min(0.97, strengths[requirement.skill.code] + DEPARTMENT_SHIFT[department])
            if not seasoned and rng.random() > engagement * (0.7 + 0.3 * strength):
                continue
            required = requirement.level.rank
            if seasoned or rng.random() < strength:
                rank = min(4, required + (rng.random() < 0.2))
            else:
                rank = max(1, required - 1 - (rng.random() < 0.15))
            age = recent if recent is not None and rng.random() < 0.4 else sitting
            claim = assessment_record(
                person=person,
                skill=requirement.skill,
                level=levels[rank],
                source=AssessmentSource.SELF,
                author=person.user,
                evidence=EVIDENCE[index % len(EVIDENCE)],
                created_at=now - timedelta(days=age, minutes=rng.randint(0, 480)),
            )
            if manager is None:
                continue
            if age < RECENT_DAYS:
                review = Review.objects.create(claim=claim, reviewer_kind=ReviewerKind.LINE_MANAGER, reviewer=manager)
                if seasoned or rng.random() < 0.5:
                    review_decide(review=review, reviewer=manager, level=claim.level)
            elif seasoned or rng.random() < diligence:
                adjusted = not seasoned and rank > 1 and rng.random() < 0.12
                assessment_record(
                    person=person,
                    skill=requirement.skill,
                    level=levels[rank - 1] if adjusted else claim.level,
                    source=AssessmentSource.LINE_MANAGER,
                    author=manager.user,
                    reason="Not yet shown unsupported." if adjusted else "",
                    responds_to=claim,
                    created_at=claim.created_at + timedelta(days=rng.randint(2, min(20, age - 1))),
                )
            else:
                waiting.append(
                    Review(
                        claim=claim,
                        person_id=claim.person_id,
                        release_id=claim.release_id,
                        reviewer_kind=ReviewerKind.LINE_MANAGER,
                        reviewer=manager,
                    )
                )
    Review.objects.bulk_create(waiting, batch_size=1000)


def history_dates(today: date) -> list[date]:
    """The last day of each of the 12 months before this one, and the same weekday of the last three weeks."""
    month_ends = [today.replace(day=1) - relativedelta(months=months, days=1) for months in range(12)]
    return sorted({*month_ends, *(today - timedelta(weeks=weeks) for weeks in (1, 2, 3))})


def demo_history_write(*, today: date | None = None) -> int:
    """DEMO ONLY: invent 12 months of trend history for the demo, which has only today's figures.

    Nobody can recompute past months from the demo data (it was all made today), so for each date of
    `history_dates` this takes today's figures for each unit's own people and skill, scales the number meeting
    the requirement down into the past (validated: about 79% of today's a year ago, claimed about 86%, with a
    little noise, never more than the population), and writes that date's snapshot through `snapshot_write`, the
    refresh's own writer: the same populations, so the same cells are suppressed as today, and every unit's figures
    add up to its parent's. Never use this outside the demo. Writing a date again replaces it (seeded: the same
    figures). Returns the rows written."""
    today = today or timezone.localdate()
    direct = list(
        ReportRequirement.objects.values_list("org_unit_id", "skill_code")
        .annotate(
            population=Count("pk"),
            met=Count("pk", filter=Q(validated_rank__gte=F("required_rank"))),
            met_claimed=Count("pk", filter=Q(claimed_rank__gte=F("required_rank"))),
        )
        .order_by("org_unit_id", "skill_code")
    )
    # Each unit's people meeting every requirement of their role level: the all-skills row.
    direct += [
        (unit, ALL_SKILLS, population, met, met_claimed)
        for unit, population, met, met_claimed in ReportPerson.objects.filter(requirements__gt=0)
        .values_list("org_unit_id")
        .annotate(
            population=Count("pk"),
            met=Count("pk", filter=Q(met=F("requirements"))),
            met_claimed=Count("pk", filter=Q(met_claimed=F("requirements"))),
        )
        .order_by("org_unit_id")
    ]
    names = dict(ReportRequirement.objects.values_list("skill_code", "skill__name").distinct().order_by())
    written = 0
    for day in history_dates(today):
        rng = random.Random(f"{SEED}:{day.isoformat()}")
        year = (today - day).days / 365
        validated, claimed = 1 - 0.21 * year, 1 - 0.14 * year
        past = [
            (
                unit,
                code,
                population,
                _scaled(met, validated, population, rng),
                _scaled(claims, claimed, population, rng),
            )
            for unit, code, population, met, claims in direct
        ]
        written += snapshot_write(today=day, direct=past, names=names)
    return written


def _scaled(figure: int, share: float, population: int, rng: random.Random) -> int:
    """`figure` × `share` with a little noise, rounded at random (so small groups move too), within 0..population."""
    value = figure * share * rng.gauss(1, 0.04)
    whole = int(value) + (rng.random() < value - int(value))
    return max(0, min(population, whole))
