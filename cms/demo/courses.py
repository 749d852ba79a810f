"""Demo training: a catalogue of 28 courses from the kinds of provider a government profession uses (the in-house
academy, e-learning, external suppliers), aligned to real DDaT 2025-10 skills and levels; sessions in the past and
the future, some full with a waiting list, some needing manager approval; and bookings in every state for the demo
people, made through the booking services so that every count, message and audit entry is what the service itself
would have written. Deterministic and idempotent (nothing is added once the catalogue exists)."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.test import override_settings
from django.utils import timezone

from cms.home.models import HomePage
from courses.enums import BookingStatus, DeliveryMode
from courses.errors import BookingError
from courses.models import Booking, CourseIndexPage, CourseOutcome, CoursePage, Session
from courses.services.attendance import attendance_mark, session_close
from courses.services.bookings import (
    booking_approve,
    booking_cancel,
    booking_decline,
    booking_request,
    bookings_lapse,
)
from courses.services.completions import completion_confirm, completion_record
from courses.services.interest import interest_register
from frameworks.models import Framework, Level, Skill
from skills.models import Grade, Person, PlanAction
from skills.services.plans import plan_action_add, plan_agree, plan_ensure

LONDON = ZoneInfo("Europe/London")
ACADEMY = "Government Digital and Data Academy"
E_LEARNING = "Civil Service Learning"
SUPPLIERS = ["Meridian Cloud Academy", "Pennine Data School", "Ashdown Digital Training"]


@dataclass(frozen=True)
class DemoCourse:
    title: str
    summary: str
    provider: str
    mode: str
    hours: str
    cost_pence: int
    outcomes: tuple[tuple[str, str, str], ...]  # (skill code, from level code or "", to level code)
    needs_approval: bool = False
    certificate_months: int | None = None  # None: no certificate; 0: a certificate that does not expire
    grades: tuple[str, ...] = ()


CLASSROOM, LIVE, SELF_PACED, BLENDED = (
    DeliveryMode.CLASSROOM,
    DeliveryMode.ONLINE_LIVE,
    DeliveryMode.SELF_PACED,
    DeliveryMode.BLENDED,
)
COURSES = [
    DemoCourse(
        "Secure coding in practice",
        "Write code that resists the attacks government services meet: "
        "threat modelling, the OWASP top ten, secrets and dependencies.",
        ACADEMY,
        CLASSROOM,
        "14",
        0,
        (
            ("information-security", "working", "practitioner"),
            ("modern-development-standards", "working", "practitioner"),
        ),
    ),
    DemoCourse(
        "Code review and continuous integration",
        "Review code well and keep a build pipeline green: "
        "small changes, automated checks and trunk-based development.",
        ACADEMY,
        LIVE,
        "7",
        0,
        (("modern-development-standards", "awareness", "working"),),
    ),
    DemoCourse(
        "Software engineering: programming and build",
        "Five days of test-driven development, refactoring and design for maintainability, in Python or Java.",
        SUPPLIERS[2],
        CLASSROOM,
        "35",
        185000,
        (("programming-and-build-software-engineering", "working", "practitioner"),),
        needs_approval=True,
        certificate_months=0,
    ),
    DemoCourse(
        "Prototyping with the GOV.UK Prototype Kit",
        "Build realistic, clickable prototypes to test ideas with users before building the real service.",
        ACADEMY,
        CLASSROOM,
        "7",
        0,
        (("prototyping", "awareness", "working"), ("prototyping", "working", "practitioner")),
    ),
    DemoCourse(
        "Systems design for government services",
        "Design systems that are reliable, secure and simple to "
        "change: boundaries, data flows, trade-offs and architecture decision records.",
        SUPPLIERS[0],
        CLASSROOM,
        "21",
        120000,
        (("systems-design", "working", "practitioner"),),
        needs_approval=True,
    ),
    DemoCourse(
        "Systems integration and APIs",
        "Integrate services through well-designed APIs: contracts, "
        "versioning, messaging and the API technical and data standards.",
        ACADEMY,
        LIVE,
        "14",
        0,
        (("systems-integration", "working", "practitioner"),),
    ),
    DemoCourse(
        "Running live services",
        "Support a live service: on-call, runbooks, service levels and learning from incidents.",
        ACADEMY,
        LIVE,
        "7",
        0,
        (("service-support", "working", "practitioner"),),
    ),
    DemoCourse(
        "Capacity planning on cloud platforms",
        "Forecast demand, scale safely and keep costs in check on public cloud platforms.",
        SUPPLIERS[0],
        LIVE,
        "7",
        45000,
        (("availability-and-capacity-management", "awareness", "working"),),
        needs_approval=True,
    ),
    DemoCourse(
        "Improving how your team develops software",
        "Measure and improve the flow of work: lead time, deployment frequency and the DORA measures.",
        E_LEARNING,
        SELF_PACED,
        "3",
        0,
        (("development-process-optimisation", "awareness", "working"),),
    ),
    DemoCourse(
        "User focus for technologists",
        "Understand users' needs and how they shape technical decisions.",
        E_LEARNING,
        SELF_PACED,
        "2",
        0,
        (("user-focus", "awareness", "working"),),
    ),
    DemoCourse(
        "Accessibility essentials",
        "Make services everyone can use: WCAG 2.2, assistive technology and the "
        "public sector accessibility regulations.",
        E_LEARNING,
        SELF_PACED,
        "3",
        0,
        (("accessibility", "", "awareness"), ("accessibility", "awareness", "working")),
    ),
    DemoCourse(
        "Data modelling foundations",
        "Model data so that it can be shared and trusted: entities, "
        "relationships, normalisation and dimensional models.",
        ACADEMY,
        CLASSROOM,
        "14",
        0,
        (("data-modelling", "awareness", "working"),),
    ),
    DemoCourse(
        "Data engineering bootcamp",
        "Ten days building reliable data pipelines: ingestion, transformation, "
        "orchestration, testing and data quality.",
        SUPPLIERS[1],
        BLENDED,
        "70",
        320000,
        (
            ("data-engineering", "working", "practitioner"),
            ("programming-and-build-data-engineering", "working", "practitioner"),
        ),
        needs_approval=True,
        certificate_months=36,
    ),
    DemoCourse(
        "Data visualisation that informs",
        "Choose and build charts that answer the question, accessibly.",
        ACADEMY,
        LIVE,
        "7",
        0,
        (("data-visualisation", "awareness", "working"),),
    ),
    DemoCourse(
        "Data governance and standards",
        "Put data governance to work: ownership, quality, metadata and the government's data standards.",
        SUPPLIERS[1],
        CLASSROOM,
        "14",
        60000,
        (("data-governance", "working", "practitioner"), ("data-standards", "awareness", "working")),
    ),
    DemoCourse(
        "Data ethics and privacy",
        "Use data lawfully and ethically: UK GDPR, the Data Ethics Framework and data protection impact assessments.",
        E_LEARNING,
        SELF_PACED,
        "2",
        0,
        (("data-ethics-and-privacy", "awareness", "working"),),
        certificate_months=24,
    ),
    DemoCourse(
        "Agile working in practice",
        "Plan, deliver and improve in short cycles: ceremonies that work, backlogs and user stories.",
        ACADEMY,
        CLASSROOM,
        "7",
        0,
        (("agile-working", "awareness", "working"),),
    ),
    DemoCourse(
        "Keeping delivery moving",
        "For delivery managers: remove blockers, manage dependencies and keep a team's momentum.",
        ACADEMY,
        LIVE,
        "7",
        0,
        (("maintaining-delivery-momentum", "working", "practitioner"),),
    ),
    DemoCourse(
        "Managing decisions and risks in delivery",
        "Make and record decisions, and manage risks and issues in an agile team.",
        SUPPLIERS[2],
        LIVE,
        "7",
        35000,
        (("managing-decisions-and-risks", "awareness", "working"),),
    ),
    DemoCourse(
        "User research methods",
        "Plan and run interviews, usability testing and diary studies, and turn what you learn into action.",
        ACADEMY,
        CLASSROOM,
        "14",
        0,
        (("user-research-methods", "working", "practitioner"),),
    ),
    DemoCourse(
        "Inclusive research",
        "Include people with access needs and from seldom-heard groups in research.",
        ACADEMY,
        LIVE,
        "4",
        0,
        (("inclusive-research", "awareness", "working"),),
    ),
    DemoCourse(
        "Stakeholder relationship management",
        "Map, engage and influence stakeholders across organisational boundaries.",
        SUPPLIERS[2],
        LIVE,
        "7",
        40000,
        (("stakeholder-relationship-management", "working", "practitioner"),),
    ),
    DemoCourse(
        "Money for digital, data and technology",
        "Spending controls, business cases and managing budgets for technology.",
        E_LEARNING,
        SELF_PACED,
        "3",
        0,
        (("financial-management-for-digital-data-and-technology", "awareness", "working"),),
    ),
    DemoCourse(
        "Cyber security awareness",
        "The threats every civil servant meets and what to do about them.",
        E_LEARNING,
        SELF_PACED,
        "1",
        0,
        (("information-security", "", "awareness"),),
        certificate_months=12,
    ),
    DemoCourse(
        "Testing and test engineering",
        "Automate tests at every level and plan testing with the team.",
        SUPPLIERS[0],
        BLENDED,
        "21",
        95000,
        (("testing", "awareness", "working"), ("test-engineering", "awareness", "working")),
    ),
    DemoCourse(
        "Technical understanding for leaders",
        "Enough about cloud, APIs, data and security to lead technical teams and make good decisions.",
        ACADEMY,
        CLASSROOM,
        "7",
        0,
        (("technical-understanding", "awareness", "working"),),
        grades=("G7", "G6", "SCS1"),
    ),
    DemoCourse(
        "Incident management",
        "Lead the response when a service fails, and learn from it without blame.",
        ACADEMY,
        LIVE,
        "7",
        0,
        (("incident-management", "working", "practitioner"),),
        certificate_months=24,
    ),
    DemoCourse(
        "Product management foundations",
        "Discover, define and prioritise: the product manager's craft in government.",
        SUPPLIERS[2],
        CLASSROOM,
        "14",
        75000,
        (("product-management", "awareness", "working"),),
        needs_approval=True,
    ),
]

TOWNS = ["London", "Leeds", "Manchester", "Newcastle", "Bristol", "Glasgow", "Cardiff", "Birmingham"]
VENUES = {
    "London": "10 South Colonnade, Canary Wharf, London E14 4PU",
    "Leeds": "Quarry House, Quarry Hill, Leeds LS2 7UE",
    "Manchester": "1 First Street, Manchester M15 4FN",
    "Newcastle": "Benton Park View, Newcastle upon Tyne NE98 1ZZ",
    "Bristol": "Temple Quay House, 2 The Square, Bristol BS1 6PN",
    "Glasgow": "1 Atlantic Quay, Broomielaw, Glasgow G2 8JE",
    "Cardiff": "Tŷ William Morgan, 6 Central Square, Cardiff CF10 1EP",
    "Birmingham": "23 Stephenson Street, Birmingham B2 4BH",
}


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _catalogue() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(
            title="Courses",
            slug="courses",
            introduction="Training for the profession, matched to the skills and levels of the framework. Find a "
            "course that closes a gap, see its next sessions and book a place.",
        )
        HomePage.objects.get().add_child(instance=index)
        index.save_revision().publish()
    return index


def _course(index: CourseIndexPage, spec: DemoCourse, skills: dict, levels: dict, grades: dict) -> CoursePage:
    page = CoursePage(
        title=spec.title,
        summary=spec.summary,
        body=[("paragraph", f"<p>{spec.summary}</p><p>Provided by {spec.provider}.</p>")],
        provider=spec.provider,
        delivery_mode=spec.mode,
        duration_hours=Decimal(spec.hours),
        cost_pence=spec.cost_pence,
        prerequisites="" if "awareness" in spec.outcomes[0][1:2] else "Working knowledge of the skill.",
        needs_approval=spec.needs_approval,
        leads_to_certificate=spec.certificate_months is not None,
        certificate_validity_months=spec.certificate_months or None,
    )
    for code, start, end in spec.outcomes:
        page.outcomes.add(CourseOutcome(skill=skills[code], from_level=levels.get(start), to_level=levels[end]))
    index.add_child(instance=page)
    if spec.grades:
        page.eligible_grades.set([grades[code] for code in spec.grades])
    page.save_revision().publish()
    return page


def _sessions(course: CoursePage, number: int, now: datetime) -> list[Session]:
    """A past session (attended), and two or three upcoming ones; the first upcoming session is small, to fill."""
    if course.is_self_paced:
        return []
    online = course.delivery_mode == DeliveryMode.ONLINE_LIVE
    days = [-35 - number, 12 + number % 9, 40 + number * 3, 75 + number * 2]
    sessions = []
    for position, offset in enumerate(days[: 3 + number % 2]):
        day = (now + timedelta(days=offset)).astimezone(LONDON).date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        town = "" if online else TOWNS[(number + position) % len(TOWNS)]
        starts_at = _at(day, 9 if online else 10)
        sessions.append(
            Session.objects.create(
                course=course,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=min(float(course.duration_hours), 7)),
                town=town,
                venue=VENUES.get(town, ""),
                joining_link="https://meet.example.gov.uk/capability-" + course.slug if online else "",
                capacity=[12, 6, 16, 20][position],
                minimum_attendees=4,
                booking_opens_at=starts_at - timedelta(days=60),
                booking_closes_at=starts_at - timedelta(days=2),
                cancellation_cutoff_at=starts_at - timedelta(days=3),
            )
        )
    return sessions


def _book(session: Session, person: Person, *, now: datetime | None = None, reason: str = "", adjustments: str = ""):
    try:
        return booking_request(
            session=session, person=person, actor=person.user, now=now, reason=reason, adjustments=adjustments
        )
    except BookingError:
        return None  # a grade the course is not for, or already booked: the demo just moves on


@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")  # no flood of demo e-mail
def demo_courses_load() -> int:
    """Create the demo catalogue, sessions and bookings. Returns the number of courses created (0 if done)."""
    if CoursePage.objects.exists():
        return 0
    release = Framework.objects.get(slug=settings.CAPABILITY_DEFAULT_FRAMEWORK).current_release
    skills = {skill.code: skill for skill in Skill.objects.filter(release=release)}
    levels = {level.code: level for level in Level.objects.filter(release=release)}
    grades = {grade.code: grade for grade in Grade.objects.all()}
    now = timezone.now()
    rng = random.Random(2026)
    with transaction.atomic():
        index = _catalogue()
        courses = [_course(index, spec, skills, levels, grades) for spec in COURSES]
        sessions = {course.pk: _sessions(course, number, now) for number, course in enumerate(courses)}
        people = list(Person.objects.select_related("user", "line_manager__user", "grade").order_by("staff_number"))
        learner = next(person for person in people if person.user.email == "learner@capability.example")
        others = [person for person in people if person.user.email != "learner@capability.example"]
        by_title = {course.title: course for course in courses}

        # Past sessions: booked while booking was open; some cancelled.
        for course in courses:
            for session in sessions[course.pk][:1]:
                booked_at = session.booking_opens_at + timedelta(days=1)
                for person in rng.sample(others, 9):
                    booking = _book(session, person, now=booked_at)
                    if booking and booking.status == BookingStatus.REQUESTED:
                        booking_approve(booking=booking, actor=person.line_manager.user, now=booked_at)

        # The first upcoming session of every course with sessions: small, filled, with a waiting list on some.
        for number, course in enumerate(courses):
            if not sessions[course.pk]:
                continue
            upcoming = sessions[course.pk][1]
            for person in rng.sample(others, 4 + number % 6):
                booking = _book(upcoming, person, reason="It is on my development plan for this year.")
                if booking and booking.status == BookingStatus.REQUESTED:
                    booking_approve(booking=booking, actor=person.line_manager.user)

        # Priya, the demo learner, has a booking in each state a learner meets.
        secure = sessions[by_title["Secure coding in practice"].pk]
        _book(
            secure[1],
            learner,
            reason="My target role needs Practitioner in information security.",
            adjustments="A desk near the door, please: I use a wheelchair.",
        )
        systems = sessions[by_title["Systems design for government services"].pk]
        _book(systems[1], learner, reason="Systems design is my largest gap for Senior developer.")
        full = (
            Session.objects.filter(
                pk__in=[sessions[course.pk][1].pk for course in courses if sessions[course.pk]],
                course__needs_approval=False,
                seats_taken__gte=models.F("capacity"),
            )
            .order_by("starts_at")
            .first()
        )
        _book(full, learner)
        integration = sessions[by_title["Systems integration and APIs"].pk]
        cancelled = _book(integration[1], learner)
        if cancelled:
            booking_cancel(booking=cancelled, actor=learner.user, reason="It clashes with our release week.")
        _book(integration[2], learner)
        product = sessions[by_title["Product management foundations"].pk]
        declined = _book(product[1], learner, reason="I would like to move towards product management.")
        if declined and declined.status == BookingStatus.REQUESTED:
            booking_decline(
                booking=declined,
                actor=learner.line_manager.user,
                reason="Not this year: let us focus on your Senior developer skills first.",
            )
        prototyping = sessions[by_title["Prototyping with the GOV.UK Prototype Kit"].pk]
        _book(prototyping[0], learner, now=prototyping[0].booking_opens_at + timedelta(days=2))

        # Tom, the demo line manager, has a second request waiting from his team.
        colleague = next(
            person for person in others if person.line_manager_id == learner.line_manager_id and person != learner
        )
        _book(systems[1], colleague, reason="I lead on our integration work and need the design skills.")

        # A request nobody decided before booking closed has lapsed.
        capacity = sessions[by_title["Capacity planning on cloud platforms"].pk][0]
        _book(capacity, others[3], now=capacity.booking_opens_at + timedelta(days=3))
        bookings_lapse(now=now)

        # Past sessions took place: the training administrator marked attendance (one no-show in six) and closed
        # them, which wrote course evidence into each attendee's skill history.
        for course in courses:
            for session in sessions[course.pk][:1]:
                confirmed = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).order_by("id")
                marks = {booking.pk: index % 6 != 5 for index, booking in enumerate(confirmed)}
                if marks:
                    attendance_mark(session=session, marks=marks, actor=None, now=session.ends_at)
                session_close(session=session, actor=None, now=session.ends_at)

        # Self-paced courses: one confirmed by Tom, one waiting for him to confirm.
        today = timezone.localdate()
        confirmed_course = by_title["User focus for technologists"]
        completion = completion_record(
            person=learner,
            course=confirmed_course,
            completed_on=today - timedelta(days=20),
            evidence="Completed all four modules; certificate CSL-UF-20931.",
            actor=learner.user,
        )
        completion_confirm(completion=completion, actor=learner.line_manager.user, url=confirmed_course.url)
        completion_record(
            person=learner,
            course=by_title["Accessibility essentials"],
            completed_on=today - timedelta(days=2),
            evidence="Finished the course and audited our sign-up journey with a screen reader afterwards.",
            actor=learner.user,
        )

        # Interest where nothing is on offer yet, for the training team's demand page.
        for person, code, rank in [(others[5], "data-innovation", 3), (others[8], "strategic-thinking", 2)]:
            interest_register(person=person, actor=None, framework=release.framework, skill_code=code, level_rank=rank)

        # Priya's development plan, agreed with Tom.
        plan_action_add(
            person=learner,
            actor=learner.user,
            kind=PlanAction.Kind.COURSE,
            title="Secure coding in practice",
            skill_code="information-security",
            target_rank=levels["practitioner"].rank,
            url=by_title["Secure coding in practice"].url,
            target_date=today + timedelta(days=60),
        )
        plan_action_add(
            person=learner,
            actor=learner.user,
            kind=PlanAction.Kind.ON_THE_JOB,
            title="Lead the design of the notifications component, with an architecture decision record",
            skill_code="systems-design",
            target_rank=levels["practitioner"].rank,
            target_date=today + timedelta(days=120),
        )
        plan_agree(plan=plan_ensure(person=learner), actor=learner.line_manager.user)

    return len(courses)
